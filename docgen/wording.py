"""One wording of the values every document prints: 完成时限, 责任单位, 指标, numbers and dates.

The plan, its 任务分工表, the per-unit notice, the 督办通知, the ledger, the 通报 and the diff all
word these values here, so that a deadline reads the same wherever it appears:

    完成时限：2025年3月底前，完成摸底；9月底前，完成整治。
    责任单位：市应急管理局（牵头），市消防救援支队、各乡镇（街道）（配合）。

The lowest layer of the package: plain functions over the model's values (anything with the same
attributes), importing nothing of docgen, so that the model, rules, compose, notify, progress and
diff may all use it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal
from typing import Protocol


# What these functions read of the model's values (the model imports this module, not the reverse).
class Milestone(Protocol):
    phrase: str
    content: str | None


class Deadline(Protocol):
    milestones: tuple[Milestone, ...]


class _Named(Protocol):
    name: str


class Responsibility(Protocol):
    lead: tuple[_Named, ...]
    support: tuple[_Named, ...]


class Target(Protocol):
    name: str
    op: str
    value: float
    unit: str
    by_year: dict

#: Punctuation a sentence may already end with.
SENTENCE_END = "。！？；…"
LEAD_WORD, SUPPORT_WORD = "牵头", "配合"


# -- dates and numbers -------------------------------------------------------------------------------


def date(value: dt.date) -> str:
    """``2024年3月8日``: Arabic numerals, full year, no zero padding (GB/T 9704 7.3.5)."""
    return f"{value.year}年{value.month}月{value.day}日"


def number(value: float, places: int | None = None) -> str:
    """``40`` for 40.0, ``0.3``, ``15.53``: integers without a decimal point, others as written;
    with `places`, rounded half up to that many decimals first (the 通报's figures)."""
    d = Decimal(str(value))
    if places is not None:
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    d = d.normalize()
    return f"{d:f}"


def percent(numerator: float, denominator: float) -> Decimal:
    """numerator/denominator as a percentage with one decimal, half up."""
    value = Decimal(str(numerator)) * 100 / Decimal(str(denominator))
    return value.quantize(Decimal("0.1"), rounding=ROUND_HALF_UP)


def rate(numerator: float, denominator: float) -> str:
    """``76.4%``; ``—`` when there is nothing to divide by."""
    return f"{percent(numerator, denominator)}%" if denominator else "—"


def change(current: float, previous: float | None, basis: str = "同比") -> str:
    """``同比持平``, ``同比上升33.3%``, ``同比下降25.0%``; ``上年同期为0`` (``上期为0`` for 环比)
    when the base is zero; "" when the previous value is unknown."""
    if previous is None:
        return ""
    if current == previous:
        return f"{basis}持平"
    if previous == 0:
        return "上年同期为0" if basis == "同比" else "上期为0"
    word = "上升" if current > previous else "下降"
    return f"{basis}{word}{percent(abs(current - previous), previous)}%"


# -- sentences ---------------------------------------------------------------------------------------


def sentence(text: str, mark: str = "。") -> str:
    """`text` ending in sentence punctuation, adding `mark` when it has none ("" stays "")."""
    return text if not text or text[-1] in SENTENCE_END else text + mark


def names(values: Iterable[str]) -> str:
    """``A、B、C``: names in a series."""
    return "、".join(values)


# -- 完成时限 -----------------------------------------------------------------------------------------


def milestones(values: Iterable[Milestone]) -> str:
    """``2024年底前，内容；2025年底前，内容``: each phrase as written, with what is due then."""
    parts = []
    for m in values:
        content = m.content.rstrip("。；") if m.content else ""
        parts.append(f"{m.phrase}，{content}" if content else m.phrase)
    return "；".join(parts)


def deadline(value: Deadline | None) -> str:
    """A task's 完成时限: ``2025年底前``, or ``2024年底前，内容；2025年底前，内容``; "" for none."""
    return milestones(value.milestones) if value else ""


#: The labels a 完成时限 line may start with (a plan's `时限标签`), the first the default.
DEADLINE_LABELS = ("完成时限", "时间节点", "完成时间")


def deadline_line(value: Deadline, stop: str = "。", label: str = DEADLINE_LABELS[0]) -> str:
    """``完成时限：2025年底前。``, the line under a task (plan, notice); `stop` ends it, `label`
    starts it (``时间节点：…``)."""
    return f"{label}：{deadline(value)}{stop}"


def deadline_phrases(value: Deadline | None) -> str:
    """Just the phrases, for messages and 修改说明: ``2024年底前、2025年6月底前``."""
    return names(m.phrase for m in value.milestones) if value else ""


# -- 责任单位 -----------------------------------------------------------------------------------------


#: How lead and supporting units are told apart in the text (a plan's `牵头配合写法`):
#: ``A（牵头），B（配合）``, ``A牵头，B配合``, or ``牵头单位：A`` and ``配合单位：B`` apart.
#: ``牵头单位：A；配合单位：B`` on one line with 同行.
UNITS_BRACKETED, UNITS_SUFFIXED, UNITS_LABELLED, UNITS_ONE_LINE = "括号", "后缀", "分列", "同行"


def units(value: Responsibility | None, form: str = UNITS_BRACKETED) -> str:
    """``A、B`` (lead units only), ``A、B（牵头），C（配合）`` or ``C（配合）`` (support only); "" for none.
    With `form` 后缀: ``A、B牵头，C配合``, ``C配合``."""
    if value is None:
        return ""
    lead = names(u.name for u in value.lead)
    support = names(u.name for u in value.support)

    def role(word: str) -> str:
        return word if form == UNITS_SUFFIXED else f"（{word}）"
    if not value.lead:
        return f"{support}{role(SUPPORT_WORD)}"
    if not value.support:
        return lead
    return f"{lead}{role(LEAD_WORD)}，{support}{role(SUPPORT_WORD)}"


def units_lines(value: Responsibility, form: str | None = None, stop: str = "。") -> list[str]:
    """The lines under a task: ``责任单位：A（牵头），B（配合）。`` (``A牵头，B配合`` with `form`
    后缀; ``牵头单位：A。`` and ``配合单位：B。`` with 分列, ``牵头单位：A；配合单位：B。`` with 同行);
    ``配合单位：B。`` when no unit leads.
    `stop` ends each line."""
    lead, support = names(u.name for u in value.lead), names(u.name for u in value.support)
    if not value.lead and value.support:
        return [f"{SUPPORT_WORD}单位：{support}{stop}"]
    if form == UNITS_LABELLED and support:
        return [f"{LEAD_WORD}单位：{lead}{stop}", f"{SUPPORT_WORD}单位：{support}{stop}"]
    if form == UNITS_ONE_LINE and support:
        return [f"{LEAD_WORD}单位：{lead}；{SUPPORT_WORD}单位：{support}{stop}"]
    return [f"责任单位：{units(value, form or UNITS_BRACKETED)}{stop}"]


def bracket_note(responsibility: Responsibility | None, due: Deadline | None, form: str | None = None) -> str:
    """``（牵头单位：A；配合单位：B；完成时限：2025年底前）`` at the end of a task (`分工写法: 括注`);
    ``（责任单位：A；…）`` when no unit supports; "" when the task has neither. With `form` 括号
    or 后缀 the units are one part: ``（责任单位：A牵头，B配合；…）``."""
    parts = []
    if responsibility is not None:
        lead, support = names(u.name for u in responsibility.lead), names(u.name for u in responsibility.support)
        if lead and support and form in (UNITS_BRACKETED, UNITS_SUFFIXED):
            parts.append(f"责任单位：{units(responsibility, form)}")
        elif lead and support:
            parts += [f"{LEAD_WORD}单位：{lead}", f"{SUPPORT_WORD}单位：{support}"]
        elif lead:
            parts.append(f"责任单位：{lead}")
        elif support:
            parts.append(f"{SUPPORT_WORD}单位：{support}")
    if due is not None:
        parts.append(f"完成时限：{deadline(due)}")
    return f"（{'；'.join(parts)}）" if parts else ""


# -- 指标 ---------------------------------------------------------------------------------------------


def target_value(t: Target) -> str:
    """``不少于40家（2024年10家，2025年15家）``, ``控制在0.3‰以内``."""
    text = f"{t.op}{number(t.value)}{t.unit}" + ("以内" if t.op == "控制在" else "")
    if t.by_year:
        years = "，".join(f"{year}年{number(v)}{t.unit}" for year, v in sorted(t.by_year.items()))
        text += f"（{years}）"
    return text


def target(t: Target) -> str:
    """``新增达标企业不少于40家（2024年10家，2025年15家）``; with its own deadline
    ``覆盖率2025年底前达到100%``; phased: ``覆盖率分批达到100%：2025年底前，A镇、B街道；2026年底前，C镇``."""
    if t.phases:
        batches = []
        for phase in t.phases:
            who = names(u.name for u in phase.units) + (phase.note or "")
            value = f"{t.op}{number(phase.value)}{t.unit}" if phase.value is not None and phase.value != t.value else ""
            batches.append(f"{phase.deadline.phrase}，{who}{value}")
        return f"{t.name}分批{target_value(t)}：" + "；".join(batches)
    if t.deadline is not None:
        return f"{t.name}{t.deadline.phrase}{target_value(t)}"
    return f"{t.name}{target_value(t)}"


#: A target written inline in a text: ``确保【指标：森林火灾受害率】``.
TARGET_REFERENCE = re.compile(r"【指标[：:]([^】]+)】")


def inline_targets(text: str, targets) -> tuple[str, list]:
    """`text` with each ``【指标：名称】`` replaced by that target's words (printed where the drafter
    wrote it), and the targets not referenced (printed after the text as before). A reference to
    no target of the block stays as written (rule DG109 reports it)."""
    by_name = {t.name: t for t in targets}
    used: set[str] = set()

    def replace(m: re.Match) -> str:
        found = by_name.get(m.group(1).strip())
        if found is None:
            return m.group(0)
        used.add(found.name)
        return target(found)

    return TARGET_REFERENCE.sub(replace, text), [t for t in targets if t.name not in used]


# -- titles ------------------------------------------------------------------------------------------


def ledger_title(unit: str) -> str:
    """The title of a unit's ledger, as the notice's 附件说明 and the workbook's title row name it."""
    return f"{unit}任务落实台账"


# -- 通报 figures ------------------------------------------------------------------------------------

#: How a comparison is named, and how its base period is named when it is zero.
BASES = {
    "同比": ("同比", "上年同期"),
    "环比": ("环比", "上期"),
    "较均值": ("较前两年同期平均", "前两年同期平均"),
}


def quantity(value, measure: str = "") -> str:
    """``4人``, ``15.53万元``: a figure as written (at most two decimals, half up) with its measure word."""
    return f"{number(value, places=2)}{measure}"


def compare(current, base, basis: str = "同比", measure: str = "") -> str:
    """``同比持平``, ``同比上升33.3%``, ``环比下降25.0%``, ``较前两年同期平均上升10.0%``.

    A zero base cannot be divided by: ``同比增加4人（上年同期为0）``; both zero: ``同比持平``.
    Percentages are Decimal, half up, one decimal."""
    words, base_name = BASES[basis]
    current, base = Decimal(str(current)), Decimal(str(base))
    if current == base:
        return f"{words}持平"
    if base == 0:
        return f"{words}增加{quantity(current, measure)}（{base_name}为0）"
    word = "上升" if current > base else "下降"
    return f"{words}{word}{percent(abs(current - base), base)}%"
