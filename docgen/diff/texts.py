"""Plan values as a reviewer reads them: one line of Chinese per value, without display numbers.

Used to compare values (two values differ when their texts differ), to fill the 原文 and 修改后
columns, and for the plain-text outline git shows in `git log -p`. Display numbers (1., （一）)
are left out on purpose: they shift whenever something is inserted above.
"""

from __future__ import annotations

from docgen.model import Attachment, Paragraph, Task
from docgen.numbering import ordinal
from docgen.wording import deadline, deadline_phrases, milestones, number, target, target_value, units

__all__ = ["attachment", "deadline", "deadline_phrases", "items", "milestones", "number", "paragraph", "sentence",
           "table_row", "target", "target_value", "task", "task_in_full", "units"]

_CLOSING = "。；！？，"


def sentence(text: str, mark: str = "。") -> str:
    """`text` ending with `mark` (unless it already ends with punctuation)."""
    text = text.strip()
    return text if not text or text[-1] in _CLOSING else text + mark


def items(values) -> str:
    """分项 as the document shows them: 一是……二是……"""
    return "".join(ordinal(i) + sentence(str(v)) for i, v in enumerate(values, start=1))


def task(value: Task) -> str:
    """What the document prints for a task: lead sentence, body, 一是……二是……"""
    return sentence(value.lead.value) + (value.body.value if value.body else "") + items(value.items)


def task_in_full(value: Task, effective: bool = True, number: str | None = None) -> str:
    """The task's text followed by its 责任单位, 完成时限 and 指标 lines.

    With `effective`, values the task takes from its section are included. `number` is how the task
    is named (its printed number, ``三、（十）31.``, as the document shows it); else by its 编号.
    """
    lines = [f"{number}{task(value)}" if number else f"任务{value.id}：{task(value)}"]
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
