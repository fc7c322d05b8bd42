"""Placeholders in the drafter's sentences, filled from the data file.

``{死亡人数}`` → ``4人`` (本期 with its measure word); ``{死亡人数.同比}`` → ``同比持平``;
``{死亡人数.环比}`` against 上月, ``{死亡人数.较均值}`` against 前两年平均; ``{死亡人数.上年同期}`` →
``3人``; ``{死亡人数.数值}`` → ``4`` (no measure word); ``{已整改/排查隐患}`` → ``76.4%``;
``{隐患.行数}`` → ``23处`` (rows of a table, with its 量词); ``{隐患.分布:县区}`` →
``东湖区5处、西岭区3处`` (rows counted by a column, most first); ``{按县区.合计:事故起数}`` → a
column's sum. An unresolvable placeholder gives a `Miss` saying why, for the rules to report.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from decimal import Decimal

from docgen import wording
from docgen.bulletin.data import CURRENT, Data

PLACEHOLDER = re.compile(r"\{([^{}\n]{1,60})\}")
#: Attribute → (period it needs, comparison basis or None).
COMPARISONS = {"同比": "上年同期", "环比": "上月", "较均值": "前两年平均"}
PERIOD_ATTRS = ("本期", "上年同期", "上月", "前两年平均")

MISSING, NO_BASE, NO_MEASURE, BAD = "missing", "no-base", "no-measure", "bad"


@dataclass(frozen=True)
class Miss:
    """Why a placeholder cannot be filled: `kind` is one of MISSING, NO_BASE, NO_MEASURE, BAD."""

    kind: str
    expr: str
    message: str


def placeholders(text: str) -> list[str]:
    return [m.group(1).strip() for m in PLACEHOLDER.finditer(text)]


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
        return wording.rate(a.number, b.number)
    if expr in data.words:
        return data.words[expr]
    name, _, attr = expr.partition(".")
    name, attr = name.strip(), attr.strip()
    if name in data.tables and name not in data.figures:
        return _table(expr, name, attr, data)
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
        return wording.compare(current.number, base.number, attr, figure.measure)
    if attr == "数值":
        return wording.number(current.number, places=2)
    if attr and attr not in PERIOD_ATTRS:
        return Miss(BAD, expr, f"“{{{expr}}}”：不认识“.{attr}”。可用：同比、环比、较均值、数值、{'、'.join(PERIOD_ATTRS)}。")
    value = figure.periods.get(attr or CURRENT)
    if value is None:
        return Miss(NO_BASE, expr, f"“{{{expr}}}”：指标“{name}”没有“{attr}”数。")
    if not figure.measure:
        return Miss(NO_MEASURE, expr, f"指标“{name}”没有量词，“{{{expr}}}”会印成光秃秃的数字。"
                                      f"请在数据文件中写“量词”（起、人、家、处、万元……），或改用“{{{name}.数值}}”。")
    return wording.quantity(value.number, figure.measure)


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
        return wording.number(sum(values, Decimal(0)), places=2)
    return Miss(BAD, expr, f"“{{{expr}}}”：表格可用“.行数”“.分布:列名”“.合计:列名”。")


def fill(text: str, data: Data | None) -> tuple[str, list[Miss]]:
    """`text` with every placeholder filled; unresolvable ones are left as written and returned."""
    misses: list[Miss] = []

    def sub(m: re.Match) -> str:
        out = resolve(m.group(1).strip(), data)
        if isinstance(out, Miss):
            misses.append(out)
            return m.group(0)
        return out

    return PLACEHOLDER.sub(sub, text), misses
