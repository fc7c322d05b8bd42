"""The text of a .docx for `git diff` (``docgen textconv``), read safely from an untrusted file.

A Word file in a repository may come from anywhere, and git runs textconv on it without asking.
So the document part is streamed through defusedxml (`docgen.untrusted`) with the limits checked
as it goes: file size and unpacked size before anything is read, nesting depth, rows of a table,
grid columns of a row (a ``gridSpan`` of a million is refused, not expanded), cells, and time.
Memory stays flat: each paragraph and each table row is dropped once its line is written.

Output: one line per body paragraph; one line per row of a top-level table, cells joined by
`` | `` (a cell spanning n grid columns shown n times, a vertically merged cell showing the text of
the cell it continues, as python-docx shows them); text of nested tables is not shown.
"""

from __future__ import annotations

import posixpath
from pathlib import Path

from docgen.untrusted import Deadline, LimitExceeded, Limits, Unreadable, iter_xml, local, open_zip, read_member

_OFFICE_DOCUMENT = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument"
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def docx_text(path: Path, limits: Limits) -> str:
    """Paragraphs and table rows of the .docx at `path` as lines (module docstring).

    Raises `Unreadable` or `LimitExceeded` with a Chinese message.
    """
    deadline = Deadline(limits.time)
    with open_zip(path, limits, "Word 文件（.docx）") as archive:
        part = _main_part(archive, limits, deadline)
        data = read_member(archive, part, limits)
    return _Text(limits, deadline).read(data, part)


def _main_part(archive, limits: Limits, deadline: Deadline) -> str:
    """The main document part named by the package relationships (word/document.xml as a rule)."""
    names = set(archive.namelist())
    if "_rels/.rels" in names:
        for event, element, _ in iter_xml(read_member(archive, "_rels/.rels", limits), "_rels/.rels", limits, deadline):
            if event == "end" and local(element.tag) == "Relationship" and element.get("Type") == _OFFICE_DOCUMENT:
                target = posixpath.normpath(element.get("Target", "").lstrip("/"))
                if target in names:
                    return target
    if "word/document.xml" in names:
        return "word/document.xml"
    raise Unreadable("压缩包中没有 Word 正文（word/document.xml），不是 Word 文件")


class _Text:
    def __init__(self, limits: Limits, deadline: Deadline):
        self.limits, self.deadline = limits, deadline
        self.lines: list[str] = []
        self.cells = 0
        self.tables = 0          # how many tables enclose the current element
        self.row: list[str] = []  # the cells (per grid column) of the current top-level row
        self.rows = 0
        self.above: list[str] = []  # the previous row, for vertically merged cells
        self.cell: list[str] = []   # paragraphs of the current top-level cell
        self.span = 1
        self.merged = False

    def read(self, data: bytes, part: str) -> str:
        for event, element, depth in iter_xml(data, part, self.limits, self.deadline):
            tag = element.tag
            if event == "start":
                self.start(tag, part)
            else:
                self.end(tag, element, depth, part)
        return "\n".join(self.lines) + "\n"

    def start(self, tag: str, part: str) -> None:
        if tag == f"{_W}tbl":
            self.tables += 1
            if self.tables == 1:
                self.rows = 0
                self.above = []
        elif self.tables == 1 and tag == f"{_W}tr":
            self.rows += 1
            if self.rows > self.limits.rows:
                raise LimitExceeded("rows", self.limits.rows, f"{part} 中有超过 {self.limits.rows} 行的表格")
            self.row = []
        elif self.tables == 1 and tag == f"{_W}tc":
            self.cell, self.span, self.merged = [], 1, False

    def end(self, tag: str, element, depth: int, part: str) -> None:
        if tag == f"{_W}p":
            if self.tables == 0 and depth == 3:  # w:document/w:body/w:p
                self.lines.append(_paragraph(element))
            elif self.tables == 1:
                self.cell.append(_paragraph(element))
            element.clear()
        elif tag == f"{_W}tbl":
            self.tables -= 1
            element.clear()
        elif self.tables != 1:
            return
        elif tag == f"{_W}gridSpan":
            self.span = self._span(element.get(f"{_W}val", "1"), part)
        elif tag == f"{_W}vMerge":
            self.merged = element.get(f"{_W}val", "continue") != "restart"
        elif tag == f"{_W}tc":
            self._close_cell(part)
            element.clear()
        elif tag == f"{_W}tr":
            self.lines.append(" | ".join(self.row))
            self.above = self.row
            element.clear()

    def _span(self, value: str, part: str) -> int:
        try:
            span = int(value)
        except ValueError:
            raise Unreadable(f"{part} 中表格的合并列数“{value[:20]}”不是整数，文件已损坏", part) from None
        if span > self.limits.columns:
            raise LimitExceeded("columns", self.limits.columns, f"{part} 中有横跨 {span} 列的单元格")
        return max(span, 1)

    def _close_cell(self, part: str) -> None:
        column = len(self.row)
        if self.merged and column < len(self.above):
            text = self.above[column]
        else:
            text = "\n".join(self.cell).replace("\n", " ")
        if column + self.span > self.limits.columns:
            raise LimitExceeded("columns", self.limits.columns, f"{part} 中有超过 {self.limits.columns} 列的表格行")
        self.cells += self.span
        if self.cells > self.limits.cells:
            raise LimitExceeded("cells", self.limits.cells, f"{part} 中表格的单元格超过 {self.limits.cells} 个")
        self.row.extend([text] * self.span)


def _paragraph(p) -> str:
    """A paragraph's text as python-docx gives it: its runs and the runs of its hyperlinks."""
    parts: list[str] = []
    for child in p:
        if child.tag == f"{_W}r":
            parts.append(_run(child))
        elif child.tag == f"{_W}hyperlink":
            parts.extend(_run(r) for r in child if r.tag == f"{_W}r")
    return "".join(parts)


def _run(r) -> str:
    parts: list[str] = []
    for child in r:
        tag = child.tag
        if tag == f"{_W}t":
            parts.append(child.text or "")
        elif tag in (f"{_W}tab", f"{_W}ptab"):
            parts.append("\t")
        elif tag == f"{_W}cr" or (tag == f"{_W}br" and child.get(f"{_W}type", "textWrapping") == "textWrapping"):
            parts.append("\n")
        elif tag == f"{_W}noBreakHyphen":
            parts.append("-")
    return "".join(parts)
