"""Plan values as a reviewer reads them: one line of Chinese per value, without display numbers.

Used to compare values (two values differ when their texts differ), to fill the 原文 and 修改后
columns, and for the plain-text outline git shows in `git log -p`. Display numbers (1., （一）)
are left out on purpose: they shift whenever something is inserted above.
"""

from __future__ import annotations

from docgen.compose.numbering import ordinal
from docgen.model import Attachment, Deadline, Milestone, Paragraph, Responsibility, Target, Task

_CLOSING = "。；！？，"


def number(value: float) -> str:
    """40.0 -> 40, 0.3 -> 0.3."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def sentence(text: str, mark: str = "。") -> str:
    """`text` ending with `mark` (unless it already ends with punctuation)."""
    text = text.strip()
    return text if not text or text[-1] in _CLOSING else text + mark


def items(values) -> str:
    """分项 as the document shows them: 一是……二是……"""
    return "".join(ordinal(i) + sentence(str(v)) for i, v in enumerate(values, start=1))


def milestones(values: tuple[Milestone, ...] | list[Milestone]) -> str:
    """``2024年底前，内容；2025年底前，内容`` as the document's 完成时限 line shows them."""
    return "；".join(f"{m.phrase}，{m.content.rstrip('。；')}" if m.content else m.phrase for m in values)


def units(responsibility: Responsibility | None) -> str:
    """``A、B`` (lead units only) or ``A、B（牵头），C（配合）``; empty when there is none."""
    if responsibility is None:
        return ""
    lead = "、".join(u.name for u in responsibility.lead)
    if not responsibility.support:
        return lead
    return f"{lead}（牵头），{'、'.join(u.name for u in responsibility.support)}（配合）"


def deadline(value: Deadline | None) -> str:
    """``2025年底前`` or, for milestones, ``2024年底前，内容；2025年底前，内容``."""
    return milestones(value.milestones) if value else ""


def deadline_phrases(value: Deadline | None) -> str:
    """Just the phrases: ``2024年底前、2025年6月底前``."""
    return "、".join(m.phrase for m in value.milestones) if value else ""


def target_value(target: Target) -> str:
    """``不少于40家（2024年10家、2025年15家）``."""
    text = f"{target.op}{number(target.value)}{target.unit}"
    if target.by_year:
        years = "、".join(f"{y}年{number(v)}{target.unit}" for y, v in sorted(target.by_year.items()))
        text += f"（{years}）"
    return text


def target(value: Target) -> str:
    return f"{value.name}{target_value(value)}"


def task(value: Task) -> str:
    """What the document prints for a task: lead sentence, body, 一是……二是……"""
    return sentence(value.lead.value) + (value.body.value if value.body else "") + items(value.items)


def task_in_full(value: Task, effective: bool = True) -> str:
    """The task's text followed by its 责任单位, 完成时限 and 指标 lines.

    With `effective`, values the task takes from its section are included.
    """
    lines = [f"任务{value.id}：{task(value)}"]
    responsibility = value.effective_responsibility if effective else value.responsibility
    if responsibility:
        lines.append(f"责任单位：{units(responsibility)}")
    due = value.effective_deadline if effective else value.deadline
    if due:
        lines.append(f"完成时限：{deadline(due)}")
    lines += [f"指标：{target(t)}" for t in value.targets]
    return "\n".join(lines)


def paragraph_words(value: Paragraph) -> str:
    """A paragraph's own words (lead, text, 分项), without its 阶段 and 指标 (compared as values)."""
    text = (sentence(value.lead.value, "，") if value.lead else "") + (value.text.value if value.text else "")
    return text + items(value.items)


def paragraph(value: Paragraph) -> str:
    """A paragraph's text: lead, text, 分项, 阶段 and 指标 in the order the document prints them."""
    text = (sentence(value.lead.value, "，") if value.lead else "") + (value.text.value if value.text else "")
    text += items(value.items)
    if value.stages:
        text += milestones(value.stages) + "。"
    text += "".join(f"{target(t)}。" for t in value.targets)
    return text


def table_row(cells: list[str]) -> str:
    return "｜".join(cells)


def attachment(value: Attachment) -> str:
    """``附件：标题`` then the header and each row, cells separated by ｜."""
    lines = [f"附件：{value.title.value}"]
    if value.columns:
        lines.append(table_row(value.columns))
    lines += [table_row(row) for row in value.rows]
    return "\n".join(lines)
