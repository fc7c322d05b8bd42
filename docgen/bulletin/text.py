"""Placeholders in the drafter's sentences, filled from the data file.

``{死亡人数}`` → ``4人`` (本期 with its measure word); ``{死亡人数.同比}`` → ``同比持平``;
``{死亡人数.环比}`` against 上月, ``{死亡人数.较均值}`` against 前两年平均; ``{死亡人数.上年同期}`` →
``3人``; ``{死亡人数.数值}`` → ``4`` (no measure word); ``{已整改/排查隐患}`` → ``76.4%``;
``{隐患.行数}`` → ``23处`` (rows of a table, with its 量词); ``{隐患.分布:县区}`` →
``东湖区5处、西岭区3处`` (rows counted by a column, most first); ``{按县区.合计:事故起数}`` → a
column's sum; ``{未报送}`` → a 名单's names (``A、B``), ``{未报送.个数}`` → ``2个``. An
unresolvable placeholder gives a `Miss` saying why, for the rules to report.

Comparisons are chosen in the sentence and worded by `docgen.wording`: ``.同比``, ``.环比``,
``.比上年同期``, ``.与去年同期相比``, ``.较前两年同期平均`` … (`wording.BASES`), with ``:增减``
(增加/减少), ``:差`` (减少2人) or ``:差和率`` after it; several figures joined by 、 or 和 before
the dot are compared in one phrase: ``{死亡人数、受伤人数.同比}`` → ``同比分别下降50%、14.3%``.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from docgen import wording
from docgen.bulletin.data import CURRENT, Data

PLACEHOLDER = re.compile(r"\{([^{}\n]{1,60})\}")
#: {附件:标题}: the label of the attachment of that title (附件2), filled by the composer.
ATTACHMENT_REF = re.compile(r"\{附件[:：]([^{}\n]{1,60})\}")
#: Comparison attribute → the period it compares against.
COMPARISONS = wording.BASE_PERIODS
#: What joins several figures compared in one placeholder: {死亡人数、受伤人数.同比}.
JOINERS = ("、", "和")
PERIOD_ATTRS = ("本期", "上年同期", "上月", "前两年平均")

MISSING, NO_BASE, NO_MEASURE, BAD = "missing", "no-base", "no-measure", "bad"


@dataclass(frozen=True)
class Miss:
    """Why a placeholder cannot be filled: `kind` is one of MISSING, NO_BASE, NO_MEASURE, BAD."""

    kind: str
    expr: str
    message: str


def placeholders(text: str) -> list[str]:
    """The figure placeholders of `text` ({附件:标题} is not one: the composer fills it)."""
    return [m.group(1).strip() for m in PLACEHOLDER.finditer(text) if not ATTACHMENT_REF.fullmatch(m.group(0))]


def resolve(expr: str, data: Data | None) -> str | Miss:
    """The text of one placeholder, or why it has none."""
    if data is None:
        return Miss(MISSING, expr, f"“{{{expr}}}”引用了数据，但文件没有写“数据”（数据文件的路径）。")
    if "/" in expr:
        num, den = (s.strip() for s in expr.split("/", 1))
        for name in (num, den):
            if name not in data.figures:
                return Miss(MISSING, expr, f"“{{{expr}}}”中的指标“{name}”在数据文件中没有。")
        a, b = data.figures[num].periods.get(CURRENT), data.figures[den].periods.get(CURRENT)
        if a is None or b is None:
            return Miss(BAD, expr, f"“{{{expr}}}”：指标没有本期数。")
        return wording.rate(a.number, b.number, data.places_of(data.figures[num]), data.trim)
    if expr in data.words:
        return data.words[expr]
    name, _, attr = expr.partition(".")
    if name.strip() in data.lists and name.strip() not in data.figures:
        return _list(expr, name.strip(), attr.strip(), data)
    name, attr = name.strip(), attr.strip()
    if name in data.tables and name not in data.figures:
        return _table(expr, name, attr, data)
    several = _several(name, data)
    if several is not None:
        return _compare_several(expr, several, attr, data)
    attr, _, form = attr.partition(":")
    form = form.strip() or wording.RISE
    bare = attr.endswith(wording.BARE) and attr.removesuffix(wording.BARE) in COMPARISONS
    attr = attr.removesuffix(wording.BARE) if bare else attr
    if form not in wording.CHANGE_FORMS or (form != wording.RISE and attr not in COMPARISONS):
        return Miss(BAD, expr, f"“{{{expr}}}”：比较后只能写“:增减”“:差”“:提高”“:差和率”，例如“{{{name}.同比:增减}}”。")
    figure = data.figures.get(name)
    if figure is None:
        return Miss(MISSING, expr, f"“{{{expr}}}”引用的指标“{name}”在数据文件中没有。"
                                   f"请在数据文件“指标”下补上，或改正名称。")
    current = figure.periods.get(CURRENT)
    if current is None:
        return Miss(BAD, expr, f"“{{{expr}}}”：指标“{name}”没有本期数。")
    if attr in COMPARISONS:
        base = figure.periods.get(COMPARISONS[attr])
        if base is None:
            return Miss(NO_BASE, expr, f"“{{{expr}}}”要与{COMPARISONS[attr]}比较，但指标“{name}”没有“{COMPARISONS[attr]}”数。"
                                       f"请在数据文件中补上，或删去这个比较。")
        return wording.compare(current.number, base.number, attr, figure.measure, places=data.places_of(figure),
                               trim=data.trim, form=form, bare=bare)
    if attr == "数值":
        return wording.figure(current.number)
    if attr and attr not in PERIOD_ATTRS:
        return Miss(BAD, expr, f"“{{{expr}}}”：不认识“.{attr}”。可用：{'、'.join(COMPARISONS)}、数值、"
                               f"{'、'.join(PERIOD_ATTRS)}。")
    value = figure.periods.get(attr or CURRENT)
    if value is None:
        return Miss(NO_BASE, expr, f"“{{{expr}}}”：指标“{name}”没有“{attr}”数。")
    if not figure.measure:
        return Miss(NO_MEASURE, expr, f"指标“{name}”没有量词，“{{{expr}}}”会印成光秃秃的数字。"
                                      f"请在数据文件中写“量词”（起、人、家、处、万元……），或改用“{{{name}.数值}}”。")
    return wording.quantity(value.number, figure.measure)


def _list(expr: str, name: str, attr: str, data: Data) -> str | Miss:
    """A 名单 inside a sentence: ``{按时报送}`` → ``东湖街道、西岭街道``, ``{按时报送.个数}`` → ``2个``
    (two lists in one sentence: 东湖街道、西岭街道按时报送，南河镇未按时报送)."""
    names = [n for n, _ in data.lists[name]]
    if not attr:
        return wording.names(names) if names else "无"
    if attr == "个数":
        return f"{len(names)}个"
    return Miss(BAD, expr, f"“{{{expr}}}”：名单只能写“{{{name}}}”（列出名称）或“{{{name}.个数}}”。")


def _several(name: str, data: Data) -> tuple[str, list[str]] | None:
    """(joiner, names) when `name` is several figures joined by 、 or 和, else None."""
    for joiner in JOINERS:
        parts = [p.strip() for p in name.split(joiner)]
        if len(parts) > 1 and all(parts) and all(p in data.figures for p in parts):
            return joiner, parts
    return None


def _compare_several(expr: str, several: tuple[str, list[str]], attr: str, data: Data) -> str | Miss:
    """``{死亡人数、受伤人数.同比}`` → ``同比分别下降50%、14.3%``; without a comparison the figures
    themselves: ``{死亡人数、受伤人数}`` → ``4人、6人``."""
    joiner, names = several
    attr, _, form = attr.partition(":")
    form = form.strip() or wording.RISE
    if not attr:
        return joiner.join(wording.quantity(data.figures[n].periods[CURRENT].number, data.figures[n].measure)
                           for n in names if CURRENT in data.figures[n].periods)
    if attr not in COMPARISONS or form not in wording.CHANGE_FORMS:
        return Miss(BAD, expr, f"“{{{expr}}}”：几个指标一起只能比较（{'、'.join(COMPARISONS)}），"
                               "例如“{死亡人数、受伤人数.同比}”。")
    pairs = []
    for n in names:
        figure = data.figures[n]
        current, base = figure.periods.get(CURRENT), figure.periods.get(COMPARISONS[attr])
        if current is None:
            return Miss(BAD, expr, f"“{{{expr}}}”：指标“{n}”没有本期数。")
        if base is None:
            return Miss(NO_BASE, expr, f"“{{{expr}}}”要与{COMPARISONS[attr]}比较，但指标“{n}”没有“{COMPARISONS[attr]}”数。"
                                       "请在数据文件中补上，或删去这个比较。")
        pairs.append((current.number, base.number, figure.measure, data.places_of(figure)))
    return wording.compare_all(pairs, attr, joiner, trim=data.trim, form=form)


def _table(expr: str, name: str, attr: str, data: Data) -> str | Miss:
    table = data.tables[name]
    if attr == "行数":
        if not table.measure:
            return Miss(NO_MEASURE, expr, f"表格“{name}”没有量词，“{{{expr}}}”无法写成“23处”这样的数。请在表格中写“量词”。")
        return wording.quantity(len(table.rows), table.measure)
    kind, _, column = attr.partition(":")
    if kind == "分布" and column:
        if column not in table.columns:
            return Miss(MISSING, expr, f"“{{{expr}}}”：表格“{name}”没有“{column}”列。")
        counts = Counter(r[column].text for r in table.rows if column in r and r[column].text)
        order = sorted(counts.items(), key=lambda kv: (-kv[1], list(counts).index(kv[0])))
        return wording.names(f"{k}{wording.quantity(v, table.measure)}" for k, v in order)
    if kind == "合计" and column:
        if column not in table.columns:
            return Miss(MISSING, expr, f"“{{{expr}}}”：表格“{name}”没有“{column}”列。")
        values = [r[column].value for r in table.rows if column in r and isinstance(r[column].value, Decimal)]
        return wording.figure(sum(values, Decimal(0)))
    return Miss(BAD, expr, f"“{{{expr}}}”：表格可用“.行数”“.分布:列名”“.合计:列名”。")


def fill(text: str, data: Data | None) -> tuple[str, list[Miss]]:
    """`text` with every placeholder filled; unresolvable ones are left as written and returned."""
    misses: list[Miss] = []

    def sub(m: re.Match) -> str:
        if ATTACHMENT_REF.fullmatch(m.group(0)):
            misses.append(Miss(MISSING, m.group(1), f"“{m.group(0)}”：没有这个标题的附件。请写“附件”下某一项的“标题”。"))
            return m.group(0)
        out = resolve(m.group(1).strip(), data)
        if isinstance(out, Miss):
            misses.append(out)
            return m.group(0)
        return out

    return PLACEHOLDER.sub(sub, text), misses
