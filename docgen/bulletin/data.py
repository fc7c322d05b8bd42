"""The data file of a 通报: figures (named statistics by period), tables and lists, with locations.

A YAML data file::

    指标:
      死亡人数: {量词: 人, 本期: 4, 上年同期: 4}
    表格:
      按县区:
        量词: 起                 # what one row counts (挂牌督办: 处)
        行:
          - {县区: 东湖区, 事故起数: {本期: 2, 上年同期: 1}}
    名单:
      未按时报送: [市自然资源局]

or a workbook (.xlsx): a sheet 指标 (名称, 量词, 本期, 上年同期, 上月, 前两年平均), a sheet 名单 (one
list per column, its name in row 1), and every other sheet a table (column names in row 1; a base
period in a column named ``事故起数.上年同期``). Numbers are Decimals; every value keeps where it was
written, so that findings point at ``file:line:col`` or ``file:sheet!B3``. No half-read data: the
caller gets the problems and must not write output when there are any.

A data file may come from anywhere: a figure must be a finite number between `SMALLEST` and
`LARGEST` in size, or zero (NaN, infinity, a 51-digit number or 1e-20 is a DG801 finding, never a figure; in a table such a value stays
text, which DG815 reports where it must be counted); a column of a workbook's header row left empty
is a DG802 finding and the columns after it keep their place; a workbook is opened within the
limits of `docgen.untrusted` (those of returned ledgers, ``DOCGEN_LIMITS``) before openpyxl reads it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path

from docgen import load as loader
from docgen.codes.bulletin import DataMalformed, DataNotNumber, DataUnreadable
from docgen.load import Map, Seq
from docgen.problems import Location, Problem

#: Periods a figure may have, in the order they are read.
PERIODS = ("本期", "上年同期", "上月", "前两年平均")
CURRENT = "本期"
FIGURE_SHEET, LIST_SHEET = "指标", "名单"
#: Suffix joining a column and a base period: 事故起数.上年同期.
SEP = "."
#: Figures are smaller than this (a thousand trillion) and, unless zero, no smaller than `SMALLEST`
#: (a millionth): others are typing mistakes, and every sum, rate and comparison of figures in
#: between fits in Decimal's default 28 digits (a rate of 10^15 over 10^-6 has 24).
LARGEST = Decimal(10) ** 15
SMALLEST = Decimal(10) ** -6


@dataclass(frozen=True)
class Value:
    number: Decimal
    loc: Location


@dataclass
class Figure:
    name: str
    measure: str
    periods: dict[str, Value]
    loc: Location
    #: Decimals of this figure's percentages (同比…), when the data file states them (小数位).
    places: int | None = None


@dataclass(frozen=True)
class Cell:
    value: str | Decimal | None
    loc: Location

    @property
    def text(self) -> str:
        return "" if self.value is None else str(self.value)


@dataclass
class DataTable:
    name: str
    columns: list[str]
    rows: list[dict[str, Cell]]
    measure: str
    loc: Location
    #: A 合计 row the office wrote (checked against the sum, never printed from the data).
    total: dict[str, Cell] | None = None


@dataclass
class Data:
    path: Path
    figures: dict[str, Figure] = field(default_factory=dict)
    tables: dict[str, DataTable] = field(default_factory=dict)
    lists: dict[str, list[tuple[str, Location]]] = field(default_factory=dict)
    #: Words filled in as they are (截止日期: 2025年6月30日).
    words: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    #: How percentages are written (格式): decimals (百分数小数位; None: the configuration's
    #: default, else one) and whether a whole one drops its zeros (50% beside 14.3%).
    places: int | None = None
    trim: bool = False

    def places_of(self, figure: Figure | None = None) -> int:
        """Decimals of a percentage of `figure`: its own, the file's, else the default."""
        for p in (figure.places if figure else None, self.places):
            if p is not None:
                return p
        return DEFAULT_PLACES


#: Decimals of a percentage when neither the data file nor the configuration says (`wording`).
DEFAULT_PLACES = 1
#: The 格式 keys of a data file.
FORMAT_PLACES, FORMAT_ZEROS = "百分数小数位", "整百分数"
ZEROS_KEEP, ZEROS_TRIM = "保留小数", "去掉小数"


def _decimal(raw) -> Decimal | None:
    """`raw` (a number, or text holding one) as a Decimal, whatever its size; None if it is none."""
    if isinstance(raw, bool) or raw is None or raw == "":
        return None
    try:
        if isinstance(raw, (int, float, Decimal)):
            return Decimal(str(raw))
        return Decimal(str(raw).strip().replace(",", ""))
    except (InvalidOperation, ValueError):
        return None


def usable(value: Decimal) -> bool:
    """Whether `value` may be counted: finite, below `LARGEST` and, unless zero, not below `SMALLEST`."""
    return value.is_finite() and abs(value) < LARGEST and (not value or abs(value) >= SMALLEST)


def number(raw, loc: Location, what: str, problems: list[Problem]) -> Decimal | None:
    """`raw` as a Decimal, or None with a DG801 finding."""
    value = _decimal(raw)
    shown = "" if raw is None else str(raw)[:40] + ("…" if len(str(raw)) > 40 else "")
    if value is not None and usable(value):
        return value
    if value is not None and not value.is_finite():
        message = f"{what}应为数字，现在是“{shown}”（不是一个有限的数）。请写出实际的数字。"
    elif value is not None:
        message = (f"{what}是“{shown}”，超出了能统计的范围（不为 0 时，绝对值应在百万分之一到 10 的 15 次方之间）。"
                   "请核对是否多写或少写了数字。")
    else:
        message = f"{what}应为数字，现在是“{shown}”。请只写数字，量词写在“量词”中。"
    problems.append(DataNotNumber.problem(message, loc))
    return None


def read(path: Path, name: str) -> Data:
    """The data file at `path` (shown as `name` in findings)."""
    if path.suffix.lower() == ".xlsx":
        return _Workbook(path, name).read()
    return _Yaml(path, name).read()


class _Yaml:
    def __init__(self, path: Path, name: str):
        self.path, self.name = path, name
        self.data = Data(path)

    def bad(self, message: str, loc: Location) -> None:
        self.data.problems.append(DataMalformed.problem(message, loc))

    def read(self) -> Data:
        if not self.path.is_file():
            self.data.problems.append(DataUnreadable.problem(
                f"找不到数据文件 {self.name}。请检查“数据”写的路径（相对于通报文件）。", Location(self.name, 0)))
            return self.data
        src, problems = loader.load(self.path, self.name, "data")
        if src is None:
            self.data.problems.extend(problems)
            return self.data
        self.src = src
        top = src.data
        if not isinstance(top, Map) or not any(k in top for k in loader.DATA_KEYS):
            self.data.problems.append(DataUnreadable.problem(
                f"{self.name} 不是数据文件：顶层应有“指标”“表格”或“名单”。", Location(self.name, 1)))
            return self.data
        for key, reader in (("格式", self.format), ("指标", self.figures), ("表格", self.tables), ("名单", self.lists),
                            ("文字", self.words)):
            if key in top:
                if not isinstance(top[key], Map):
                    self.bad(f"“{key}”下应为“名称: …”映射。", src.value(top, key))
                else:
                    reader(top[key])
        return self.data

    def format(self, m: Map) -> None:
        if FORMAT_PLACES in m:
            self.data.places = int(m[FORMAT_PLACES])
        self.data.trim = m.get(FORMAT_ZEROS) == ZEROS_TRIM

    def written(self, raw, loc: Location):
        """A float as the file writes it (-46.0 stays -46.0, 15.50 stays 15.50), else `raw`."""
        if not isinstance(raw, float):
            return raw
        lines = self.src._lines()
        if 0 < loc.line <= len(lines):
            found = _NUMBER.match(lines[loc.line - 1], loc.column - 1)
            if found:
                try:
                    as_written = Decimal(found.group(0))
                except InvalidOperation:
                    return raw
                if as_written == Decimal(str(raw)):
                    return as_written
        return raw

    def figures(self, m: Map) -> None:
        src = self.src
        for name, raw in m.items():
            loc = src.key(m, name)
            if not isinstance(raw, Map):
                raw_loc = src.value(m, name)
                value = number(self.written(raw, raw_loc), raw_loc, f"指标“{name}”", self.data.problems)
                if value is not None:
                    self.data.figures[str(name)] = Figure(str(name), "", {CURRENT: Value(value, raw_loc)}, loc)
                continue
            periods: dict[str, Value] = {}
            for period in PERIODS:
                if period in raw:
                    vloc = src.value(raw, period)
                    v = number(self.written(raw[period], vloc), vloc, f"指标“{name}”的{period}", self.data.problems)
                    if v is not None:
                        periods[period] = Value(v, src.value(raw, period))
            for key in raw:
                if key not in PERIODS and key not in ("量词", "小数位"):
                    self.bad(f"指标“{name}”中不认识的键“{key}”。可用的键有：量词、小数位、{'、'.join(PERIODS)}。",
                             src.key(raw, key))
            if CURRENT not in raw:
                self.bad(f"指标“{name}”没有“本期”。", loc)
            measure = str(raw.get("量词") or "")
            places = raw.get("小数位")
            self.data.figures[str(name)] = Figure(str(name), measure, periods, loc,
                                                  int(places) if isinstance(places, int) else None)

    def tables(self, m: Map) -> None:
        src = self.src
        for name, raw in m.items():
            loc = src.key(m, name)
            if not isinstance(raw, Map) or not isinstance(raw.get("行"), Seq):
                self.bad(f"表格“{name}”应有“行”（列表，每行一个“列名: 值”映射）。", loc)
                continue
            columns: list[str] = [str(c) for c in raw.get("列") or []] if isinstance(raw.get("列"), Seq) else []
            rows, total = [], None
            written: list[tuple[dict[str, Cell], Location]] = []
            for i, row in enumerate(raw["行"]):
                row_loc = src.item(raw["行"], i)
                if not isinstance(row, Map):
                    self.bad(f"表格“{name}”第{i + 1}行应为“列名: 值”映射。", row_loc)
                    continue
                cells: dict[str, Cell] = {}
                for col, value in row.items():
                    col = str(col)
                    vloc = src.value(row, col)
                    if isinstance(value, Map):  # {本期: 2, 上年同期: 1}
                        for period, v in value.items():
                            key = col if period == CURRENT else f"{col}{SEP}{period}"
                            ploc = src.value(value, period)
                            cells[key] = Cell(_scalar(self.written(v, ploc)), ploc)
                            if key not in columns:
                                columns.append(key)
                        continue
                    cells[col] = Cell(_scalar(self.written(value, vloc)), vloc)
                    if col not in columns:
                        columns.append(col)
                if not cells:  # a row the rules could not point at: no cell to show, no unit to name
                    self.bad(f"表格“{name}”第{i + 1}行是空的。每行应写出各列的值（“列名: 值”），或删去这一行。", row_loc)
                    continue
                first = next(iter(cells.values()))
                if first.value == "合计":
                    total = cells
                else:
                    rows.append(cells)
                written.append((cells, row_loc))
            for cells, row_loc in written:  # a column a row leaves out is empty there, never missing
                for column in columns:
                    cells.setdefault(column, Cell(None, row_loc))
            self.data.tables[str(name)] = DataTable(str(name), columns, rows, str(raw.get("量词") or ""), loc, total)

    def words(self, m: Map) -> None:
        self.data.words.update({str(k): str(v) for k, v in m.items()})

    def lists(self, m: Map) -> None:
        src = self.src
        for name, raw in m.items():
            if not isinstance(raw, Seq):
                self.bad(f"名单“{name}”应为列表（每项一个单位）。", src.value(m, name))
                continue
            self.data.lists[str(name)] = [(str(v), src.item(raw, i)) for i, v in enumerate(raw)]


_NUMBER = re.compile(r"[-+]?[0-9]+(?:\.[0-9]+)?")


def _scalar(value) -> str | Decimal | None:
    """A table cell's value: a number to count, text, or None. A number that cannot be counted
    (NaN, infinity, one past `LARGEST`) stays text as written: printed, never summed."""
    if value is None:
        return None
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, (int, float, Decimal)):
        number = Decimal(str(value))
        return number if usable(number) else str(value)
    return str(value)


class _Workbook:
    def __init__(self, path: Path, name: str):
        self.path, self.name = path, name
        self.data = Data(path)

    def loc(self, sheet: str, row: int, col: int) -> Location:
        return Location(self.name, row, col, sheet)

    def read(self) -> Data:
        from docgen.progress.workbook import CellUnreadable, open_workbook
        from docgen.untrusted import LimitExceeded, Limits, Unreadable

        try:
            wb = open_workbook(self.path, Limits.from_environment())
        except CellUnreadable as exc:
            self.data.problems.append(DataUnreadable.problem(
                f"数据工作簿 {self.name} 无法读取：{exc.message}", self.loc(exc.sheet, exc.row, exc.column)))
            return self.data
        except (Unreadable, LimitExceeded) as exc:
            self.data.problems.append(DataUnreadable.problem(
                f"数据工作簿 {self.name} 无法读取：{exc.message}。请在 Excel 或 WPS 中另存为 .xlsx。", Location(self.name, 0)))
            return self.data
        try:
            for ws in wb.worksheets:
                rows = [list(r) for r in ws.iter_rows(values_only=True)]
                if ws.title == FIGURE_SHEET:
                    self.figures(ws.title, rows)
                elif ws.title == LIST_SHEET:
                    self.lists(ws.title, rows)
                else:
                    self.table(ws.title, rows)
        finally:
            wb.close()
        return self.data

    def figures(self, sheet: str, rows: list[list]) -> None:
        if not rows:
            return
        head = [str(h or "").strip() for h in rows[0]]
        if "名称" not in head or CURRENT not in head:
            self.data.problems.append(DataMalformed.problem(
                f"工作表“{sheet}”第1行应有“名称”“本期”列（还可有量词、{'、'.join(PERIODS[1:])}）。", self.loc(sheet, 1, 1)))
            return
        at = {h: i for i, h in enumerate(head)}
        for r, row in enumerate(rows[1:], start=2):
            name = row[at["名称"]] if at["名称"] < len(row) else None
            if name in (None, ""):
                continue
            periods = {}
            for period in PERIODS:
                i = at.get(period)
                if i is None or i >= len(row) or row[i] in (None, ""):
                    if period == CURRENT:
                        v = number(None, self.loc(sheet, r, (i or 0) + 1), f"指标“{name}”的本期", self.data.problems)
                    continue
                cell = self.loc(sheet, r, i + 1)
                v = number(row[i], cell, f"指标“{name}”的{period}", self.data.problems)
                if v is not None:
                    periods[period] = Value(v, cell)
            i = at.get("量词")
            measure = str(row[i] or "") if i is not None and i < len(row) else ""
            i = at.get("小数位")
            places = row[i] if i is not None and i < len(row) and isinstance(row[i], (int, float)) else None
            self.data.figures[str(name)] = Figure(str(name), measure, periods, self.loc(sheet, r, at["名称"] + 1),
                                                  int(places) if places is not None else None)

    def lists(self, sheet: str, rows: list[list]) -> None:
        if not rows:
            return
        for c, name in enumerate(rows[0]):
            if name in (None, ""):
                continue
            self.data.lists[str(name)] = [(str(row[c]), self.loc(sheet, r, c + 1)) for r, row in enumerate(rows[1:], start=2)
                                          if c < len(row) and row[c] not in (None, "")]

    def table(self, sheet: str, rows: list[list]) -> None:
        if not rows:
            self.data.tables[sheet] = DataTable(sheet, [], [], "", self.loc(sheet, 1, 1))
            return
        # each named column with the index of its cells (an empty header cell leaves a gap, never a shift)
        named = [(c, str(h).strip()) for c, h in enumerate(rows[0]) if str(h if h is not None else "").strip()]
        columns = [name for _, name in named]
        for c in range(len(rows[0])):
            if str(rows[0][c] if rows[0][c] is not None else "").strip():
                continue
            filled = next((r for r, row in enumerate(rows[1:], start=2) if c < len(row) and row[c] not in (None, "")), None)
            if filled is not None:
                from openpyxl.utils import get_column_letter  # a sheet's columns: openpyxl read the workbook

                self.data.problems.append(DataMalformed.problem(
                    f"工作表“{sheet}”第1行第{c + 1}列（{get_column_letter(c + 1)}1）没有列名，但这一列有数据"
                    f"（{get_column_letter(c + 1)}{filled}）。请写上列名，或删去这一列。", self.loc(sheet, 1, c + 1)))
        out, total = [], None
        for r, row in enumerate(rows[1:], start=2):
            if all(v in (None, "") for v in row):
                continue
            if not named:  # no column has a name (each column with data is a finding above)
                break
            cells = {col: Cell(_scalar(row[c]) if c < len(row) else None, self.loc(sheet, r, c + 1))
                     for c, col in named}
            if str(row[0]).strip() == "合计":
                total = cells
            else:
                out.append(cells)
        self.data.tables[sheet] = DataTable(sheet, columns, out, "", self.loc(sheet, 1, 1), total)
