"""Opening a returned ledger (.xlsx) safely: look at every XML part before openpyxl loads it.

`open_workbook(path, limits)` checks, through `docgen.untrusted`, the file's size, the sizes its zip
declares, and then streams each XML part through defusedxml: broken or truncated XML and entity
declarations are refused with the part, line and column; each worksheet's declared <dimension>,
its rows, columns and cells are counted against the limits as they stream by (so a cell at
XFD1048576 or a million rows is refused in milliseconds, not after minutes of loading); every
cell's style index and shared-string index is checked against what the workbook holds. Only then
is openpyxl asked to read the workbook, in read-only mode (rows streamed as they are iterated,
no cell objects kept) from the bytes already read, under the same deadline. Read-only worksheets
do not know their merged cells, so the scan records each sheet's ``<mergeCell>`` ranges and sets
them as ``merged_cells`` on the sheet, as a fully loaded worksheet has them.

Failures raise `Unreadable` (with `sheet`, `row`, `column` when a cell is to blame) or
`LimitExceeded`; `docgen.progress.collect` turns them into DG600 findings.
"""

from __future__ import annotations

import io
import posixpath
import re
import zipfile
from pathlib import Path

from openpyxl import load_workbook
from openpyxl.workbook import Workbook
from openpyxl.worksheet.cell_range import MultiCellRange

from docgen.untrusted import Deadline, LimitExceeded, Limits, Unreadable, iter_xml, local, open_zip, read_member

_MAIN = ("sheet.main+xml", "template.main+xml", "macroEnabled.main+xml")
_CELL = re.compile(r"^([A-Z]{1,3})(\d{1,7})$")
_REL_NS = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"


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


def open_workbook(path: Path, limits: Limits) -> Workbook:
    """The workbook at `path`, read by openpyxl in read-only mode (values, not formulas) once it
    passed the checks; each worksheet has ``merged_cells`` as the scan found them."""
    deadline = Deadline(limits.time)
    with open_zip(path, limits, "Excel 工作簿（.xlsx）") as archive:
        scan = _Scan(archive, limits, deadline)
        scan.run()
    try:
        data = path.read_bytes()  # its size was checked by open_zip; no file stays open for the rows
    except OSError as exc:
        raise Unreadable(f"无法打开文件：{exc.strerror or exc}") from None
    try:
        with deadline.guard():
            wb = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except LimitExceeded:
        raise
    except Exception as exc:  # noqa: BLE001 - openpyxl on a damaged file can raise anything
        raise Unreadable(f"文件已损坏，无法按 Excel 工作簿读取（{type(exc).__name__}: {exc}）") from None
    for sheet in wb.worksheets:
        sheet.merged_cells = MultiCellRange(" ".join(scan.merged.get(sheet.title, ())))
    return wb


class _Scan:
    def __init__(self, archive: zipfile.ZipFile, limits: Limits, deadline: Deadline):
        self.archive, self.limits, self.deadline = archive, limits, deadline
        self.cells = 0
        #: sheet title -> the ranges of its <mergeCell> elements, in file order
        self.merged: dict[str, list[str]] = {}

    def xml(self, name: str):
        return iter_xml(read_member(self.archive, name, self.limits), name, self.limits, self.deadline)

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
            self.sheet(name, sheet_names.get(name, name), xfs, strings)
        done = {"[Content_Types].xml", *main, *styles, *shared, *sheets}
        for name in sorted(names - done):  # relationships, properties, themes: well-formed and safe
            if name.endswith((".xml", ".rels", ".vml")):
                for _ in self.xml(name):
                    pass

    def content_types(self) -> dict[str, str]:
        """Part name (without the leading /) -> content type, from overrides and extension defaults."""
        defaults: dict[str, str] = {}
        overrides: dict[str, str] = {}
        for event, element, _ in self.xml("[Content_Types].xml"):
            if event != "end":
                continue
            if local(element.tag) == "Default":
                defaults[element.get("Extension", "").lower()] = element.get("ContentType", "")
            elif local(element.tag) == "Override":
                overrides[element.get("PartName", "").lstrip("/")] = element.get("ContentType", "")
        kinds = {n: defaults.get(n.rsplit(".", 1)[-1].lower(), "") for n in self.archive.namelist()}
        kinds.update(overrides)
        return kinds

    def sheet_names(self, main: str) -> dict[str, str]:
        """Worksheet part -> the sheet's name as the user sees it (for locating findings)."""
        ids: dict[str, str] = {}
        for event, element, _ in self.xml(main):
            if event == "end" and local(element.tag) == "sheet":
                ids[element.get(_REL_NS, "")] = element.get("name", "")
        folder, base = posixpath.split(main)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if rels not in self.archive.namelist():
            return {}
        names: dict[str, str] = {}
        for event, element, _ in self.xml(rels):
            if event == "end" and local(element.tag) == "Relationship" and element.get("Id") in ids:
                target = element.get("Target", "")
                part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
                names[part] = ids[element.get("Id")]
        return names

    def count(self, name: str, parent: str, child: str) -> int:
        """How many `child` elements sit directly in the `parent` element of part `name`."""
        total = 0
        inside = 0
        for event, element, depth in self.xml(name):
            tag = local(element.tag)
            if tag == parent:
                inside = depth if event == "start" else 0
            elif event == "end" and inside and tag == child and depth == inside + 1:
                total += 1
                element.clear()
        return total

    def sheet(self, part: str, title: str, xfs: int | None, strings: int) -> None:
        limits = self.limits
        row_index = 0
        rows = 0
        for event, element, _ in self.xml(part):
            tag = local(element.tag)
            if event == "start":
                if tag == "dimension":
                    self.dimension(title, element.get("ref", ""))
                elif tag == "row":
                    rows += 1
                    given = element.get("r")
                    row_index = int(given) if given and given.isdigit() else row_index + 1
                    if row_index > limits.rows or rows > limits.rows:
                        raise LimitExceeded("rows", limits.rows, f"工作表“{title}”有第 {max(row_index, rows)} 行")
            elif tag == "c":
                self.cell(title, element, row_index, xfs, strings)
            elif tag == "row":
                element.clear()
            elif tag == "mergeCell":
                self.merge(title, element.get("ref", ""))

    def merge(self, title: str, ref: str) -> None:
        """A merged range, kept when it is a valid A1:B2 reference within the limits (openpyxl
        itself would fail on a broken one)."""
        ends = [_cell(end.replace("$", "")) for end in ref.split(":")]
        if len(ends) != 2 or None in ends:
            raise Unreadable(f"工作表“{title}”中有写法不对的合并单元格范围“{ref[:20]}”")
        if any(row > self.limits.rows or column > self.limits.columns for row, column in ends):
            raise LimitExceeded("rows", self.limits.rows, f"工作表“{title}”有合并单元格 {ref[:20]}")
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

    def cell(self, title: str, element, row_index: int, xfs: int | None, strings: int) -> None:
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
            value = next(((c.text or "").strip() for c in element if local(c.tag) == "v"), "")
            if not value.isdigit() or int(value) >= strings:
                raise CellUnreadable(f"单元格引用了不存在的共享字符串（第 {value[:20] or '?'} 个，工作簿只有 {strings} 个，"
                                     "文件已损坏）。请在 Excel 或 WPS 中打开后重新保存", title, row, column)
