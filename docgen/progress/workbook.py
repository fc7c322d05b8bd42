"""Opening a returned ledger (.xlsx) safely: look at every XML part before openpyxl loads it.

`open_workbook(path, limits)` checks, through `docgen.untrusted`, the file's size, the sizes its zip
declares, and then streams each XML part through defusedxml: broken or truncated XML and entity
declarations are refused with the part, line and column; each worksheet's declared <dimension>,
its rows, columns and cells are counted against the limits as they stream by (so a cell at
XFD1048576 or a million rows is refused in milliseconds, not after minutes of loading); every
cell's style index and shared-string index is checked against what the workbook holds. Only then
are the values read, by python-calamine (Rust; cached values, not formulas), under the same
deadline, into a `Book`: the few things collect asks of a workbook (sheet names, rows of cells
with ``value`` and ``row``, ``merged_cells``), with values as openpyxl gives them (a blank cell is
None, a date-formatted number a datetime). The merged ranges are those the scan found.

Failures raise `Unreadable` (with `sheet`, `row`, `column` when a cell is to blame) or
`LimitExceeded`; `docgen.progress.collect` turns them into DG600 findings.
"""

from __future__ import annotations

import datetime as dt
import io
import posixpath
import re
import zipfile
from pathlib import Path
from typing import NamedTuple

from openpyxl.worksheet.cell_range import MultiCellRange
from python_calamine import CalamineWorkbook

from docgen.untrusted import Deadline, LimitExceeded, Limits, Unreadable, open_zip, read_member, scan_xml

_MAIN = ("sheet.main+xml", "template.main+xml", "macroEnabled.main+xml")
_CELL = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"  # as expat names it


class CellUnreadable(Unreadable):
    """A cell to blame: shown at ``sheet!cell``."""

    def __init__(self, message: str, sheet: str, row: int, column: int):
        super().__init__(message)
        self.sheet, self.row, self.column = sheet, row, column


def column_number(letters: str) -> int:
    number = 0
    for ch in letters:
        number = number * 26 + ord(ch) - 64
    return number


def _cell(ref: str) -> tuple[int, int] | None:
    m = _CELL.match(ref)
    return (int(m.group(2)), column_number(m.group(1))) if m else None


class Cell(NamedTuple):
    """A cell's value and its row number (1-based), as collect reads an openpyxl cell."""

    value: object
    row: int


class Sheet:
    """One worksheet's values, row by row from row 1, and its merged ranges."""

    def __init__(self, title: str, rows: list[list], merged: list[str]):
        self.title = title
        self.rows = rows
        self.merged_cells = MultiCellRange(" ".join(merged))

    def iter_rows(self, min_row: int = 1, max_col: int | None = None):
        """Tuples of `Cell` from row `min_row`, each `max_col` long when given (padded with blanks)."""
        for number, values in enumerate(self.rows[min_row - 1:], start=min_row):
            if max_col is not None:
                values = (values + [None] * max_col)[:max_col]
            yield tuple(Cell(v, number) for v in values)


class Book:
    """A workbook's sheets by name, in the order of the workbook."""

    def __init__(self, sheets: list[Sheet]):
        self.worksheets = sheets
        self.sheetnames = [s.title for s in sheets]
        self._by_name = {s.title: s for s in sheets}

    def __getitem__(self, name: str) -> Sheet:
        return self._by_name[name]


def _value(value):
    """A value from calamine as openpyxl (data_only) gives it."""
    if value == "":
        return None
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def open_workbook(path: Path, limits: Limits) -> Book:
    """The values of the workbook at `path`, read by python-calamine once the file passed the checks."""
    deadline = Deadline(limits.time)
    with open_zip(path, limits, "Excel 工作簿（.xlsx）") as archive:
        scan = _Scan(archive, limits, deadline)
        scan.run()
    try:
        data = path.read_bytes()  # its size was checked by open_zip
    except OSError as exc:
        raise Unreadable(f"无法打开文件：{exc.strerror or exc}") from None
    try:
        with deadline.guard():
            wb = CalamineWorkbook.from_filelike(io.BytesIO(data))
            sheets = []
            for title in wb.sheet_names:
                try:
                    grid = wb.get_sheet_by_name(title).to_python(skip_empty_area=False)
                except Exception:  # noqa: BLE001 - a chart sheet has no cells
                    if title in scan.sheets:
                        raise
                    grid = []
                rows = [[_value(v) for v in row] for row in grid]
                sheets.append(Sheet(title, rows, scan.merged.get(title, [])))
    except LimitExceeded:
        raise
    except Exception as exc:  # noqa: BLE001 - a reader on a damaged file can raise anything
        raise Unreadable(f"文件已损坏，无法按 Excel 工作簿读取（{type(exc).__name__}: {exc}）") from None
    return Book(sheets)


class _Scan:
    """One pass of expat (`docgen.untrusted.scan_xml`) over every XML part of the workbook."""

    def __init__(self, archive: zipfile.ZipFile, limits: Limits, deadline: Deadline):
        self.archive, self.limits, self.deadline = archive, limits, deadline
        self.cells = 0
        #: sheet title -> the ranges of its <mergeCell> elements, in file order
        self.merged: dict[str, list[str]] = {}
        #: titles of the worksheets (not chart sheets)
        self.sheets: set[str] = set()

    def xml(self, name: str, start=None, end=None, text=None) -> None:
        scan_xml(read_member(self.archive, name, self.limits), name, self.limits, self.deadline, start, end, text)

    def run(self) -> None:
        kinds = self.content_types()
        names = set(self.archive.namelist())
        main = [n for n, t in kinds.items() if t.endswith(_MAIN) and n in names]
        if not main:
            raise Unreadable("不是 Excel 工作簿：[Content_Types].xml 中没有工作簿部件（可能是 Word 或其他文件改了扩展名）")
        sheet_names = self.sheet_names(main[0])
        styles = [n for n, t in kinds.items() if t.endswith("styles+xml") and n in names]
        shared = [n for n, t in kinds.items() if t.endswith("sharedStrings+xml") and n in names]
        xfs = self.count(styles[0], "cellXfs", "xf") if styles else None
        strings = self.count(shared[0], "sst", "si") if shared else 0
        sheets = [n for n, t in kinds.items() if t.endswith("worksheet+xml") and n in names]
        for name in sheets:
            self.sheets.add(sheet_names.get(name, name))
            self.sheet(name, sheet_names.get(name, name), xfs, strings)
        done = {"[Content_Types].xml", *main, *styles, *shared, *sheets}
        for name in sorted(names - done):  # relationships, properties, themes: well-formed and safe
            if name.endswith((".xml", ".rels", ".vml")):
                self.xml(name)

    def content_types(self) -> dict[str, str]:
        """Part name (without the leading /) -> content type, from overrides and extension defaults."""
        defaults: dict[str, str] = {}
        overrides: dict[str, str] = {}

        def start(tag: str, attributes: dict, depth: int) -> None:
            if tag == "Default":
                defaults[attributes.get("Extension", "").lower()] = attributes.get("ContentType", "")
            elif tag == "Override":
                overrides[attributes.get("PartName", "").lstrip("/")] = attributes.get("ContentType", "")

        self.xml("[Content_Types].xml", start)
        kinds = {n: defaults.get(n.rsplit(".", 1)[-1].lower(), "") for n in self.archive.namelist()}
        kinds.update(overrides)
        return kinds

    def sheet_names(self, main: str) -> dict[str, str]:
        """Worksheet part -> the sheet's name as the user sees it (for locating findings)."""
        ids: dict[str, str] = {}

        def sheet(tag: str, attributes: dict, depth: int) -> None:
            if tag == "sheet":
                ids[attributes.get(_REL_NS, "")] = attributes.get("name", "")

        self.xml(main, sheet)
        folder, base = posixpath.split(main)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in self.archive.namelist():
            return {}
        names: dict[str, str] = {}

        def relationship(tag: str, attributes: dict, depth: int) -> None:
            if tag == "Relationship" and attributes.get("Id") in ids:
                target = attributes.get("Target", "")
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                names[part] = ids[attributes.get("Id")]

        self.xml(rels, relationship)
        return names

    def count(self, name: str, parent: str, child: str) -> int:
        """How many `child` elements sit directly in the `parent` element of part `name`."""
        total = 0
        inside = 0

        def start(tag: str, attributes: dict, depth: int) -> None:
            nonlocal total, inside
            if tag == parent:
                inside = depth
            elif inside and tag == child and depth == inside + 1:
                total += 1

        def end(tag: str, depth: int) -> None:
            nonlocal inside
            if tag == parent:
                inside = 0

        self.xml(name, start, end)
        return total

    def sheet(self, part: str, title: str, xfs: int | None, strings: int) -> None:
        limits = self.limits
        row_index = 0
        rows = 0
        cell: dict = {}
        value: list[str] | None = None  # the text of the first <v> of a shared-string cell
        reading = False  # inside that <v>

        def start(tag: str, attributes: dict, depth: int) -> None:
            nonlocal row_index, rows, cell, value, reading
            if tag == "c":
                cell = attributes
            elif tag == "v":
                if cell.get("t") == "s" and value is None:
                    value, reading = [], True
            elif tag == "row":
                rows += 1
                given = attributes.get("r")
                row_index = int(given) if given and given.isdigit() else row_index + 1
                if row_index > limits.rows or rows > limits.rows:
                    raise LimitExceeded("rows", limits.rows, f"工作表“{title}”有第 {max(row_index, rows)} 行")
            elif tag == "dimension":
                self.dimension(title, attributes.get("ref", ""))
            elif tag == "mergeCell":
                self.merge(title, attributes.get("ref", ""))

        def end(tag: str, depth: int) -> None:
            nonlocal cell, value, reading
            if tag == "v":
                reading = False
            elif tag == "c":
                self.cell(title, cell, "".join(value or ()).strip(), row_index, xfs, strings)
                cell, value = {}, None

        def text(data: str) -> None:
            if reading:
                value.append(data)

        self.xml(part, start, end, text)

    def merge(self, title: str, ref: str) -> None:
        """A merged range (``A1:B2``, or one cell), kept when it is a valid reference within the
        limits (openpyxl itself fails on a broken one)."""
        ends = [_cell(end.replace("$", "")) for end in ref.split(":")]
        if len(ends) > 2 or None in ends:
            raise Unreadable(f"工作表“{title}”中有写法不对的合并单元格范围“{ref[:20]}”")
        for row, column in ends:
            if row > self.limits.rows:
                raise LimitExceeded("rows", self.limits.rows, f"工作表“{title}”有合并单元格 {ref[:20]}（第 {row} 行）")
            if column > self.limits.columns:
                raise LimitExceeded("columns", self.limits.columns,
                                    f"工作表“{title}”有合并单元格 {ref[:20]}（第 {column} 列）")
        self.merged.setdefault(title, []).append(ref.replace("$", ""))

    def dimension(self, title: str, ref: str) -> None:
        end = _cell(ref.split(":")[-1].replace("$", "")) if ref else None
        if end is None:
            return  # openpyxl ignores a bad dimension too; the cells are counted one by one
        row, column = end
        if row > self.limits.rows:
            raise LimitExceeded("rows", self.limits.rows, f"工作表“{title}”的范围 {ref} 有 {row} 行")
        if column > self.limits.columns:
            raise LimitExceeded("columns", self.limits.columns, f"工作表“{title}”的范围 {ref} 有 {column} 列")

    def cell(self, title: str, element: dict, shared: str, row_index: int, xfs: int | None, strings: int) -> None:
        """One <c> (its attributes, and the text of its <v> when it is a shared string)."""
        limits = self.limits
        self.cells += 1
        if self.cells > limits.cells:
            raise LimitExceeded("cells", limits.cells, f"工作簿的单元格超过 {limits.cells} 个")
        ref = element.get("r")
        where = _cell(ref) if ref else (row_index or 1, 1)
        if where is None:
            raise Unreadable(f"工作表“{title}”中有写法不对的单元格引用“{ref[:20]}”")
        row, column = where
        if column > limits.columns:
            raise LimitExceeded("columns", limits.columns, f"工作表“{title}”有单元格 {ref}（第 {column} 列）")
        if row > limits.rows:
            raise LimitExceeded("rows", limits.rows, f"工作表“{title}”有单元格 {ref}（第 {row} 行）")
        style = element.get("s")
        if style is not None and (not style.isdigit() or (xfs is not None and int(style) >= xfs)):
            raise CellUnreadable(f"单元格的格式编号“{style[:20]}”在工作簿的格式表中不存在（文件已损坏）。"
                                 "请在 Excel 或 WPS 中打开后重新保存", title, row, column)
        if element.get("t") == "s":
            value = shared
            if not value.isdigit() or int(value) >= strings:
                raise CellUnreadable(f"单元格引用了不存在的共享字符串（第 {value[:20] or '?'} 个，工作簿只有 {strings} 个，"
                                     "文件已损坏）。请在 Excel 或 WPS 中打开后重新保存", title, row, column)
