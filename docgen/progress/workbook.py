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
import functools
import io
import posixpath
import re
import zipfile
from pathlib import Path
from typing import NamedTuple

from openpyxl.worksheet.cell_range import MultiCellRange
from python_calamine import CalamineWorkbook

from docgen.untrusted import (
    Deadline,
    LimitExceeded,
    Limits,
    Unreadable,
    depth_exceeded,
    expat_pass,
    open_zip,
    read_bytes,
    read_member,
    scan_xml,
)

_MAIN = ("sheet.main+xml", "template.main+xml", "macroEnabled.main+xml")
_CELL = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"  # as expat names it
_SHEET_TYPES = ("worksheet", "chartsheet", "dialogsheet")


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


@functools.lru_cache(maxsize=1 << 16)  # a function of the text alone: the same refs recur in every ledger
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
    if type(value) is float and value.is_integer() and abs(value) < 2**53:
        return int(value)  # Excel stores 4 as "4", which openpyxl reads as an int; calamine gives 4.0
    if type(value) is dt.date:
        return dt.datetime(value.year, value.month, value.day)
    return value


def open_workbook(path: Path, limits: Limits) -> Book:
    """The values of the workbook at `path`, read by python-calamine once the file passed the checks."""
    deadline = Deadline(limits.time)
    data = read_bytes(path, limits)  # read once: calamine reads exactly the bytes scanned
    with open_zip(path, limits, "Excel 工作簿（.xlsx）", data) as archive:
        scan = _Scan(archive, limits, deadline)
        scan.run()
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
                rows = [[(v or None) if type(v) is str else _value(v) for v in row] for row in grid]
                sheets.append(Sheet(title, rows, scan.merged.get(title, [])))
    except LimitExceeded:
        raise
    except Exception as exc:  # noqa: BLE001 - a reader on a damaged file can raise anything
        raise Unreadable(f"文件已损坏，无法按 Excel 工作簿读取（{type(exc).__name__}: {exc}）") from None
    except BaseException as exc:
        # calamine's Rust code gave up (pyo3's PanicException, a BaseException): found by `make fuzz`
        # on a date-formatted cell holding -1e12, which chrono cannot turn into a date
        if type(exc).__name__ != "PanicException":
            raise
        raise Unreadable(f"文件中有无法读取的单元格值（{str(exc)[:100]}），例如日期格式的单元格中是超出范围的数字。"
                         "请在 Excel 或 WPS 中检查日期列，改正后再报送") from None
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
        sheet_names, sheet_targets = self.sheet_names(main[0])
        styles = [n for n, t in kinds.items() if t.endswith("styles+xml") and n in names]
        shared = [n for n, t in kinds.items() if t.endswith("sharedStrings+xml") and n in names]
        xfs = self.count(styles[0], "cellXfs", "xf") if styles else None
        strings = self.count(shared[0], "sst", "si") if shared else 0
        sheets = [n for n, t in kinds.items() if t.endswith("worksheet+xml") and n in names]
        for name in sheets:
            self.sheets.add(sheet_names.get(name, name))
            self.sheet(name, sheet_names.get(name, name), xfs, strings)
        done = {"[Content_Types].xml", *main, *styles, *shared, *sheets}
        package = "_rels/.rels"
        document = self.office_document(package) if package in names else None
        done.add(package)
        unread = self.unread(names - done, main[0], document, sheet_targets)
        for name in sorted(names - done - unread):  # relationships, other parts: well-formed and safe
            if name.endswith((".xml", ".rels", ".vml")):
                self.xml(name)

    def office_document(self, rels: str) -> str | None:
        """The target of the package's officeDocument relationship (the part python-calamine reads
        as the workbook), scanned like every part."""
        targets = []

        def relationship(tag: str, attributes: dict, depth: int) -> None:
            if tag == "Relationship" and attributes.get("Type", "").endswith("/officeDocument"):
                targets.append(attributes.get("Target", ""))

        self.xml(rels, relationship)
        return targets[-1] if len(targets) == 1 else None

    @staticmethod
    def unread(names: set[str], main: str, document: str | None, sheet_targets: list[str]) -> set[str]:
        """The parts among `names` that no reader opens, left unparsed: their sizes were checked
        by `open_zip` (as declared, and never unpacked), so they cost nothing and can hurt nothing.

        Only the document properties (docProps/) and the theme (xl/theme/), and only when the
        workbook python-calamine will read is the one scanned: calamine finds the workbook through
        the package relationships (`document`), reads xl/sharedStrings.xml, xl/styles.xml and the
        workbook's relationships next to it, and each sheet at the target of the relationship its
        ``<sheet>`` names, looked up in the zip without regard to case or ``\\``. A part any of
        those could name (`sheet_targets`, resolved as calamine and as `sheet_names` do) is scanned.
        Anything unusual (no single officeDocument, another workbook path, a workbook in one of
        those folders) scans every part.
        """
        skipped = ("docprops/", "xl/theme/")
        if document is None or document.lstrip("/").lower() != main.lower() or main.lower().startswith(skipped):
            return set()  # calamine would read its sharedStrings.xml, styles.xml … from the workbook's folder
        folder = posixpath.dirname(main)
        named = set()
        for target in sheet_targets:
            for path in (target.lstrip("/") if target.startswith("/") else (f"{folder}/" if folder else "") + target,
                         posixpath.normpath(posixpath.join(folder, target.lstrip("/")))):
                named.update((path.lower(), path.lower().replace("\\", "/")))
        return {n for n in names
                if n.replace("\\", "/").lower().startswith(skipped)
                and n.lower() not in named and n.replace("\\", "/").lower() not in named}

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

    def sheet_names(self, main: str) -> tuple[dict[str, str], list[str]]:
        """Worksheet part -> the sheet's name as the user sees it (for locating findings), and the
        targets of every relationship of the workbook a sheet can be read from (worksheet,
        chartsheet, dialogsheet: the types python-calamine accepts for a ``<sheet>``), as written."""
        ids: dict[str, str] = {}

        def sheet(tag: str, attributes: dict, depth: int) -> None:
            if tag == "sheet":
                ids[attributes.get(_REL_NS, "")] = attributes.get("name", "")

        self.xml(main, sheet)
        folder, base = posixpath.split(main)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in self.archive.namelist():
            return {}, []
        names: dict[str, str] = {}
        targets: list[str] = []

        def relationship(tag: str, attributes: dict, depth: int) -> None:
            if tag != "Relationship":
                return
            target = attributes.get("Target", "")
            if attributes.get("Type", "").rsplit("/", 1)[-1] in _SHEET_TYPES:
                targets.append(target)
            if attributes.get("Id") in ids:
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                names[part] = ids[attributes.get("Id")]

        self.xml(rels, relationship)
        return names, targets

    def raw(self, part: str, start, end, text=None) -> None:
        """`part` through `docgen.untrusted.expat_pass`: the handlers get expat's own names and
        count the depth themselves (one Python call per element instead of two)."""
        expat_pass(read_member(self.archive, part, self.limits), part, start, end, text)

    def count(self, name: str, parent: str, child: str) -> int:
        """How many `child` elements sit directly in the `parent` element of part `name`."""
        limits, deadline = self.limits, self.deadline
        most = limits.depth
        local: dict[str, str] = {}
        depth = elements = total = inside = 0

        def start(tag: str, attributes: dict) -> None:
            nonlocal depth, elements, total, inside
            depth += 1
            elements += 1
            if depth > most:
                raise depth_exceeded(name, limits)
            if not elements & 2047:
                deadline.check()
            tag = local.get(tag) or local.setdefault(tag, tag.rpartition("}")[2])
            if tag == parent:
                inside = depth
            elif inside and tag == child and depth == inside + 1:
                total += 1

        def end(tag: str) -> None:
            nonlocal depth, inside
            if local[tag] == parent:
                inside = 0
            depth -= 1

        self.raw(name, start, end)
        return total

    def sheet(self, part: str, title: str, xfs: int | None, strings: int) -> None:
        """Every element of a worksheet: the depth and the clock (as `scan_xml` checks them), the
        rows, the declared dimension, merged ranges and each cell (`cell`)."""
        limits, deadline = self.limits, self.deadline
        most = limits.depth
        local: dict[str, str] = {}
        depth = elements = row_index = rows = 0
        cell: dict = {}
        value: list[str] | None = None  # the text of the first <v> of a shared-string cell
        reading = False  # inside that <v>

        def start(name: str, attributes: dict) -> None:
            nonlocal depth, elements, row_index, rows, cell, value, reading
            depth += 1
            elements += 1
            if depth > most:
                raise depth_exceeded(part, limits)
            if not elements & 2047:
                deadline.check()
            tag = local.get(name) or local.setdefault(name, name.rpartition("}")[2])
            if tag == "c":
                cell = attributes
            elif tag == "v":
                if value is None and cell.get("t") == "s":
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

        def end(name: str) -> None:
            nonlocal depth, cell, value, reading
            tag = local[name]
            if tag == "c":
                self.cell(title, cell, "".join(value).strip() if value else "", row_index, xfs, strings)
                cell, value = {}, None
            elif tag == "v":
                reading = False
            depth -= 1

        def text(data: str) -> None:
            if reading:
                value.append(data)

        self.raw(part, start, end, text)

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
