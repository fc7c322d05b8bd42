"""The 修订对照表 (revision comparison table) as a .docx, and the text of any .docx for review.

`write_revision_table(result, path)` writes, per changed plan, the title “《…》修订对照表” (二号,
方正小标宋简体, centred), the two revisions compared, and a three-column table 原文 | 修改后 |
修改说明 with one row per change in document order. Deleted characters are struck through in
原文, inserted ones underlined and bold in 修改后. The page is A4 landscape with the GB/T 9704
margins turned with the page (table head toward the binding edge): top 28 mm, bottom 26 mm,
left 35 mm, right 37 mm, leaving the 225 x 156 mm text area of the portrait page. The head row
repeats on every page. Output is byte-for-byte reproducible: fixed document properties and
fixed zip entry times.

`docx_text(path)` reads paragraphs and tables back as plain lines (git textconv, tests).
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from pathlib import Path

import docx
from docx.document import Document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, Twips
from docx.table import Table
from docx.text.paragraph import Paragraph

from docgen.diff.changes import Change
from docgen.diff.inline import char_diff
from docgen.diff.result import DiffResult, FileDiff
from docgen.render import ooxml

#: Font names written into the document (GB/T 9704 practice); LibreOffice substitutes at render time.
TITLE_FONT = "方正小标宋简体"
BODY_FONT = "仿宋_GB2312"
HEAD_FONT = "黑体"
NOTE_FONT = "楷体_GB2312"
LATIN_FONT = "Times New Roman"
PAGE_NUMBER_FONT = "宋体"

TITLE_SIZE = Pt(22)   # 二号
SUBTITLE_SIZE = Pt(16)  # 三号
TABLE_SIZE = Pt(14)   # 四号
PAGE_NUMBER_SIZE = Pt(14)  # 四号

#: Column widths of 原文 | 修改后 | 修改说明, filling the 225 mm text width.
COLUMNS = (("原文", Mm(90)), ("修改后", Mm(90)), ("修改说明", Mm(45)))

#: Document properties: fixed so that the same input gives the same bytes.
FIXED_TIME = dt.datetime(2000, 1, 1, tzinfo=dt.timezone.utc)

NO_CHANGE = "没有实质性修改。"


def write_revision_table(result: DiffResult, path: Path) -> None:
    """Write the 修订对照表 of every changed plan in `result` to `path`."""
    document = _new_document()
    labels = f"（原文：{result.old_label}；修改后：{result.new_label}）"
    changed = [f for f in result.files if f.changes]
    if not changed:
        _title(document, "修订对照表")
        _subtitle(document, labels)
        _body_line(document, NO_CHANGE)
    for index, diff in enumerate(changed):
        if index:
            document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
        _title(document, f"《{diff.title}》修订对照表")
        _subtitle(document, labels)
        _table(document, diff)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(_reproducible(document))


# -- document set-up --------------------------------------------------------------------------------


def _new_document() -> Document:
    document = docx.Document()
    _default_fonts(document)
    section = document.sections[0]
    section.orientation = WD_ORIENT.LANDSCAPE
    section.page_width, section.page_height = Twips(16838), Twips(11906)  # A4 turned
    # GB/T 9704's portrait margins (Word twips) turned with the page, the binding edge on top.
    section.top_margin, section.bottom_margin = Twips(1587), Twips(1474)
    section.left_margin, section.right_margin = Twips(1984), Twips(2098)
    section.footer_distance = Mm(19)  # page number 7 mm under the text area
    document.settings.odd_and_even_pages_header_footer = True
    _page_number(section.footer.paragraphs[0], WD_ALIGN_PARAGRAPH.RIGHT)
    _page_number(section.even_page_footer.paragraphs[0], WD_ALIGN_PARAGRAPH.LEFT)
    props = document.core_properties
    props.created = props.modified = FIXED_TIME
    props.last_modified_by = props.author = "docgen"
    props.revision = 1
    props.title = "修订对照表"
    return document


def _default_fonts(document: Document) -> None:
    """仿宋 for everything by default; theme fonts removed (they would override the names)."""
    styles = document.styles.element
    ooxml.clean_fonts(styles, {})
    lang = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    if lang is not None:
        lang.set(qn("w:eastAsia"), "zh-CN")
    normal = document.styles["Normal"]
    _fonts(normal.element.get_or_add_rPr(), BODY_FONT)
    normal.font.size = TABLE_SIZE
    normal.paragraph_format.space_after = Pt(0)
    normal.paragraph_format.space_before = Pt(0)
    normal.paragraph_format.line_spacing = 1.0
    normal.paragraph_format.widow_control = False


def _fonts(rpr, east_asia: str) -> None:
    """Set the Latin and East Asian font names of a run or style property element."""
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi", "w:cs"):
        fonts.set(qn(attr), LATIN_FONT)
    fonts.set(qn("w:eastAsia"), east_asia)


def _run(paragraph: Paragraph, text: str, font: str = BODY_FONT, size: Pt = TABLE_SIZE, *,
         bold: bool = False, strike: bool = False, underline: bool = False):
    run = paragraph.add_run(text)
    _fonts(run._r.get_or_add_rPr(), font)
    run.font.size = size
    run.font.bold = bold or None
    run.font.strike = strike or None
    run.font.underline = underline or None
    return run


def _page_number(paragraph: Paragraph, align: WD_ALIGN_PARAGRAPH) -> None:
    """``— 1 —`` in 四号 宋体, one character in from the outer edge (GB/T 9704 7.5)."""
    paragraph.alignment = align
    indent = Pt(14)
    if align == WD_ALIGN_PARAGRAPH.RIGHT:
        paragraph.paragraph_format.right_indent = indent
    else:
        paragraph.paragraph_format.left_indent = indent
    _run(paragraph, "— ", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), " PAGE ")
    inner = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "1"
    inner.append(text)
    field.append(inner)
    paragraph._p.append(field)
    _run(paragraph, " —", PAGE_NUMBER_FONT, PAGE_NUMBER_SIZE)


# -- content ------------------------------------------------------------------------------------------


def _title(document: Document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(6)
    _run(paragraph, text, TITLE_FONT, TITLE_SIZE)


def _subtitle(document: Document, text: str) -> None:
    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(12)
    _run(paragraph, text, NOTE_FONT, SUBTITLE_SIZE)


def _body_line(document: Document, text: str) -> None:
    _run(document.add_paragraph(), text, BODY_FONT, SUBTITLE_SIZE)


def _table(document: Document, diff: FileDiff) -> None:
    table = document.add_table(rows=1, cols=len(COLUMNS))
    table.style = document.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    head = table.rows[0]
    ooxml.row_properties(head, header=True)
    for cell, (name, _) in zip(head.cells, COLUMNS):
        paragraph = cell.paragraphs[0]
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        _run(paragraph, name, HEAD_FONT, TABLE_SIZE, bold=True)
    for change in diff.changes:
        cells = table.add_row().cells
        _fill_texts(cells[0].paragraphs[0], cells[1].paragraphs[0], change)
        _run(cells[2].paragraphs[0], change.summary)
    ooxml.table_layout(table, [width.twips for _, width in COLUMNS])


def _fill_texts(old_cell: Paragraph, new_cell: Paragraph, change: Change) -> None:
    """原文 with deletions struck through, 修改后 with insertions underlined and bold."""
    if change.old is None:
        _run(old_cell, "（无）")
    if change.new is None:
        _run(new_cell, "（删除）")
    if change.old is not None and change.new is not None:
        for op, text in char_diff(change.old, change.new):
            if op != "+":
                _run(old_cell, text, strike=op == "-")
            if op != "-":
                _run(new_cell, text, bold=op == "+", underline=op == "+")
    elif change.old is not None:
        _run(old_cell, change.old, strike=True)
    elif change.new is not None:
        _run(new_cell, change.new, bold=True, underline=True)


def _reproducible(document: Document) -> bytes:
    """The saved package with fixed zip entry times, so equal input gives equal bytes."""
    raw = io.BytesIO()
    document.save(raw)
    return ooxml.deterministic_zip(raw.getvalue())


# -- reading ----------------------------------------------------------------------------------------


def docx_text(path: Path) -> str:
    """Paragraphs and table rows of a .docx body as lines; cells joined by `` | ``.

    Raises ValueError when `path` is not a Word document.
    """
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError) as exc:
        raise ValueError(str(exc)) from None
    lines: list[str] = []
    for block in document.iter_inner_content():
        if isinstance(block, Table):
            for row in block.rows:
                lines.append(" | ".join(cell.text.replace("\n", " ") for cell in row.cells))
        else:
            lines.append(block.text)
    return "\n".join(lines) + "\n"
