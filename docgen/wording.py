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

#: Punctuation a sentence may already end with ("：" leads into what follows: 现将有关情况通报如下：).
SENTENCE_END = "。！？；…：:"
#: Closing marks: a sentence ending in one after its own stop (“……。”) needs no other.
CLOSING_MARKS = "”’）》】"
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


#: Decimals of a percentage unless the data file or the configuration says otherwise.
PERCENT_PLACES = 1


def percent(numerator: float, denominator: float, places: int = PERCENT_PLACES) -> Decimal:
    """numerator/denominator as a percentage with `places` decimals (one by default), half up."""
    value = Decimal(str(numerator)) * 100 / Decimal(str(denominator))
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def percent_text(value: Decimal, trim: bool = False) -> str:
    """``33.3%``; with `trim` a whole percentage drops its zeros (``50%`` for 50.0, as many offices
    write it beside ``14.3%``)."""
    if trim and value == value.to_integral_value():
        value = value.quantize(Decimal(1))
    return f"{value:f}%"


def rate(numerator: float, denominator: float, places: int = PERCENT_PLACES, trim: bool = False) -> str:
    """``76.4%``; ``—`` when there is nothing to divide by."""
    return percent_text(percent(numerator, denominator, places), trim) if denominator else "—"


def figure(value, places: int = 2) -> str:
    """A figure as the data file writes it: ``4`` stays ``4``, ``-46.0`` stays ``-46.0``, ``15.53``;
    more than `places` decimals are rounded half up (and their trailing zeros dropped)."""
    d = Decimal(str(value))
    if d.as_tuple().exponent < -places:
        d = d.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP).normalize()
    if d.as_tuple().exponent > 0:  # 1E+3 after normalize: print it whole
        d = d.quantize(Decimal(1))
    return f"{d:f}"


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
    """`text` ending in sentence punctuation, adding `mark` when it has none ("" stays ""); a
    paragraph ending in "：" or in a closing mark after a stop (……。”) is left as it is."""
    if not text or text[-1] in SENTENCE_END:
        return text
    if text[-1] in CLOSING_MARKS and len(text) > 1 and text.rstrip(CLOSING_MARKS)[-1:] in SENTENCE_END:
        return text
    return text + mark


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

#: How a comparison is named: the words before a change (同比上升…), the words before 持平
#: (与上年同期持平), and the base period's name when it is zero (上年同期为0). The key is what the
#: sentence writes after the figure's name: ``{死亡人数.比上年同期}``.
BASES = {
    "同比": ("同比", "同比", "上年同期"),
    "环比": ("环比", "环比", "上期"),
    "较均值": ("较前两年同期平均", "较前两年同期平均", "前两年同期平均"),
    "较前两年同期平均": ("较前两年同期平均", "较前两年同期平均", "前两年同期平均"),
    "比上年同期": ("比上年同期", "与上年同期", "上年同期"),
    "较上年同期": ("较上年同期", "与上年同期", "上年同期"),
    "与上年同期相比": ("与上年同期相比", "与上年同期", "上年同期"),
    "比去年同期": ("比去年同期", "与去年同期", "去年同期"),
    "较去年同期": ("较去年同期", "与去年同期", "去年同期"),
    "与去年同期相比": ("与去年同期相比", "与去年同期", "去年同期"),
    "比上年": ("比上年", "与上年", "上年"),
    "较上年": ("较上年", "与上年", "上年"),
    "比上月": ("比上月", "与上月", "上月"),
    "较上月": ("较上月", "与上月", "上月"),
    "与上月相比": ("与上月相比", "与上月", "上月"),
}
#: A comparison followed by this prints the change alone (``{排查单位.环比变化:差}`` → ``增加24家次``),
#: for a sentence that says the basis once: 与上月相比，排查单位增加24家次，发现隐患减少12处.
BARE = "变化"
#: The period each comparison is made against (the data file's names).
BASE_PERIODS = {k: ("上月" if k in ("环比", "比上月", "较上月", "与上月相比") else
                    "前两年平均" if k in ("较均值", "较前两年同期平均") else "上年同期") for k in BASES}
#: How a change is said: a rate that rises or falls (上升/下降, the default), a rate that grows or
#: shrinks (增减: 增加/减少), the difference in the figure's own measure (差: 减少2人), or both
#: (差和率: 减少2人、下降50%).
RISE, GROW, DIFFERENCE, BOTH, RAISE = "升降", "增减", "差", "差和率", "提高"
VERBS = {RISE: ("上升", "下降"), GROW: ("增加", "减少"), DIFFERENCE: ("增加", "减少"), BOTH: ("增加", "减少"),
         RAISE: ("提高", "降低")}
CHANGE_FORMS = (RISE, GROW, DIFFERENCE, BOTH, RAISE)


def quantity(value, measure: str = "") -> str:
    """``4人``, ``15.53万元``: a figure as written (at most two decimals, half up) with its measure word."""
    return f"{figure(value)}{measure}"


def _change(current: Decimal, base: Decimal, base_name: str, measure: str, places: int, trim: bool,
            form: str) -> str:
    """The change alone (``下降50%``, ``增加4人（上年同期为0）``); "" when equal."""
    if base == 0:
        return f"增加{quantity(current, measure)}（{base_name}为0）" if current > 0 else \
            f"减少{quantity(-current, measure)}（{base_name}为0）"
    up, down = VERBS[form]
    word = up if current > base else down
    diff = quantity(abs(current - base), measure)
    share = percent_text(percent(abs(current - base), abs(base), places), trim)
    if form in (DIFFERENCE, RAISE):
        return f"{word}{diff}"
    if form == BOTH:
        return f"{word}{diff}、{'上升' if current > base else '下降'}{share}"
    return f"{word}{share}"


def compare(current, base, basis: str = "同比", measure: str = "", *, places: int = PERCENT_PLACES,
            trim: bool = False, form: str = RISE, bare: bool = False) -> str:
    """``同比持平``, ``同比上升33.3%``, ``环比下降25.0%``, ``较前两年同期平均上升10.0%``,
    ``比上年同期下降50%``, ``与上年同期持平``; with `form` 增减 ``同比减少50%``, 差 ``同比减少2人``.

    A zero base cannot be divided by: ``同比增加4人（上年同期为0）``; both zero: ``同比持平``.
    Percentages are Decimal, half up, `places` decimals (one by default; `trim`: 50% for 50.0%)."""
    words, level, base_name = BASES[basis]
    if bare:  # the sentence says the basis once, before: 与上月相比，排查单位增加24家次
        words, level = "", ""
    current, base = Decimal(str(current)), Decimal(str(base))
    if current == base:
        return f"{level}持平"
    return f"{words}{_change(current, base, base_name, measure, places, trim, form)}"


def compare_all(pairs: list[tuple], basis: str = "同比", joiner: str = "、", *, places=PERCENT_PLACES,
                trim: bool = False, form: str = RISE) -> str:
    """Several figures compared in one phrase, as offices write it: ``同比分别下降50%、14.3%``,
    ``同比分别上升7.8%和1.4%`` (`joiner` 和), ``同比分别上升7.8%、下降1.4%`` (mixed), ``同比均持平``.
    `pairs` are (current, base, measure[, places]) in the sentence's order; a shared verb is said once."""
    words, level, base_name = BASES[basis]
    values = [(Decimal(str(p[0])), Decimal(str(p[1])), p[2], p[3] if len(p) > 3 and p[3] is not None else places)
              for p in pairs]
    if all(c == b for c, b, _, _ in values):
        return f"{level}均持平"
    changes = ["持平" if c == b else _change(c, b, base_name, m, pl, trim, form) for c, b, m, pl in values]
    verbs = {ch[:2] for ch in changes if "为0" not in ch and ch != "持平"}
    if len(verbs) == 1 and all("为0" not in ch and ch != "持平" for ch in changes) and form != BOTH:
        verb = verbs.pop()
        changes = [changes[0]] + [ch[len(verb):] for ch in changes[1:]]
    return f"{words}分别{joiner.join(changes)}"
