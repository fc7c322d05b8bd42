"""Read a .docx: paragraphs and tables in body order, Word's automatic numbering resolved.

python-docx gives the text of a paragraph but not the number Word shows in front of it
("一、", "（一）", "1."): that comes from numbering.xml (the paragraph's or its style's numPr,
the abstract numbering's level format and text, start values and overrides). `Numbering`
replays the counters in document order, as Word does. Landscape sections (a 任务分工表) are
read from the section properties that follow each table. The 版记 lines docgen writes into the
last section's footer are read too.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.enum.style import WD_STYLE_TYPE
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.table import Table as DocxTable
from docx.text.paragraph import Paragraph

from docgen.ingest.blocks import Document, Line, Table, clean
from docgen.numbering import chinese


class Unreadable(Exception):
    """The file cannot be read as this format; the message (Chinese) says why."""


def _int(el, attr: str = "w:val", default: int = 0) -> int:
    if el is None:
        return default
    try:
        return int(el.get(qn(attr)))
    except (TypeError, ValueError):
        return default


_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"


def _format(n: int, fmt: str) -> str:
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "taiwaneseCounting",
               "chineseLegalSimplified", "ideographLegalTraditional", "japaneseCounting"):
        return chinese(n) if 1 <= n <= 99 else str(n)
    if fmt == "decimalEnclosedCircleChinese" or fmt == "decimalEnclosedCircle":
        return _CIRCLED[n - 1] if 1 <= n <= len(_CIRCLED) else str(n)
    if fmt == "lowerLetter":
        return chr(ord("a") + (n - 1) % 26)
    if fmt == "upperLetter":
        return chr(ord("A") + (n - 1) % 26)
    if fmt in ("bullet", "none"):
        return ""
    return str(n)


class Numbering:
    """Word's list numbering: the label each numbered paragraph shows, in document order."""

    def __init__(self, document):
        self.levels: dict[str, dict[int, tuple[str, str, int]]] = {}  # numId -> ilvl -> (fmt, text, start)
        #: numId -> ilvl -> w:lvlRestart: 0 never restarts, k restarts when a level up to k (1-based) is used
        self.restarts: dict[str, dict[int, int]] = {}
        self.abstract_of: dict[str, str] = {}
        self.counters: dict[str, list[int]] = {}
        try:
            root = document.part.numbering_part.element
        except (NotImplementedError, KeyError, AttributeError):
            return
        abstracts: dict[str, dict[int, tuple[str, str, int]]] = {}
        abstract_restarts: dict[str, dict[int, int]] = {}
        for ab in root.findall(qn("w:abstractNum")):
            lvls = {}
            restarts = abstract_restarts.setdefault(ab.get(qn("w:abstractNumId")), {})
            for lvl in ab.findall(qn("w:lvl")):
                # Word 2010+ may wrap numFmt in mc:AlternateContent (custom "一, 二, 三, ..." formats)
                fmt = lvl.find(qn("w:numFmt"))
                if fmt is None:
                    fmt = next(iter(lvl.iter(qn("w:numFmt"))), None)
                text = lvl.find(qn("w:lvlText"))
                restart = lvl.find(qn("w:lvlRestart"))
                if restart is not None:
                    restarts[_int(lvl, "w:ilvl")] = _int(restart, default=-1)
                fmt_name = fmt.get(qn("w:val")) if fmt is not None else "decimal"
                if fmt_name == "custom" and (fmt.get(qn("w:format")) or "").startswith("一"):
                    fmt_name = "chineseCounting"
                lvls[_int(lvl, "w:ilvl")] = (
                    fmt_name,
                    text.get(qn("w:val")) if text is not None else "",
                    _int(lvl.find(qn("w:start")), default=1),
                )
            abstracts[ab.get(qn("w:abstractNumId"))] = lvls
        for num in root.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            ab_id = num.find(qn("w:abstractNumId")).get(qn("w:val"))
            lvls = dict(abstracts.get(ab_id, {}))
            for override in num.findall(qn("w:lvlOverride")):
                ilvl = _int(override, "w:ilvl")
                start = override.find(qn("w:startOverride"))
                if start is not None and ilvl in lvls:
                    fmt, text, _ = lvls[ilvl]
                    lvls[ilvl] = (fmt, text, _int(start, default=1))
            self.levels[num_id] = lvls
            self.restarts[num_id] = abstract_restarts.get(ab_id, {})
            self.abstract_of[num_id] = ab_id

    def label(self, num_id: str, ilvl: int) -> str:
        lvls = self.levels.get(num_id)
        if not lvls or ilvl not in lvls:
            return ""
        key = num_id
        counters = self.counters.setdefault(key, [0] * 9)
        restarts = self.restarts.get(num_id, {})
        for deeper in range(ilvl + 1, 9):
            # Word restarts a deeper level when a level above it is used, unless its w:lvlRestart
            # says never (0) or only after a level higher up (tasks 1…n running on across （一）…)
            restart = restarts.get(deeper, -1)
            if restart < 0 or ilvl + 1 <= restart:
                counters[deeper] = 0
        counters[ilvl] = (counters[ilvl] or lvls[ilvl][2] - 1) + 1
        for upper in range(ilvl):
            if counters[upper] == 0 and upper in lvls:
                counters[upper] = lvls[upper][2]
        fmt, text, _ = lvls[ilvl]
        out = text
        for k in range(9):
            if f"%{k + 1}" in out:
                lfmt = lvls.get(k, (fmt, "", 1))[0]
                out = out.replace(f"%{k + 1}", _format(counters[k], lfmt))
        return out


def _num_pr(p_el, styles: dict[str, tuple[str, int] | None]) -> tuple[str, int] | None:
    ppr = p_el.pPr
    if ppr is not None and ppr.numPr is not None:
        num = ppr.numPr.find(qn("w:numId"))
        if num is not None:
            return num.get(qn("w:val")), _int(ppr.numPr.find(qn("w:ilvl")))
    style = p_el.style
    return styles.get(style) if style else None


def _style_numbering(document) -> dict[str, tuple[str, int] | None]:
    out: dict[str, tuple[str, int] | None] = {}
    for style in document.styles.element.findall(qn("w:style")):
        ppr = style.find(qn("w:pPr"))
        num_pr = ppr.find(qn("w:numPr")) if ppr is not None else None
        if num_pr is not None and num_pr.find(qn("w:numId")) is not None:
            out[style.get(qn("w:styleId"))] = (num_pr.find(qn("w:numId")).get(qn("w:val")),
                                                _int(num_pr.find(qn("w:ilvl"))))
    return out


def _landscape(sect_pr) -> bool:
    if sect_pr is None:
        return False
    size = sect_pr.find(qn("w:pgSz"))
    if size is None:
        return False
    return size.get(qn("w:orient")) == "landscape" or _int(size, "w:w") > _int(size, "w:h") > 0


def _bold_prefix(paragraph: Paragraph, bold_styles: set[str]) -> str:
    """The paragraph's leading bold text; `bold_styles`: ids of the character styles that are bold
    (looked up once: python-docx's `run.style` searches all styles for every run)."""
    out = ""
    for run in paragraph.runs:
        if not run.text:
            continue
        bold = run.bold if run.bold is not None else run._r.style in bold_styles
        if not bold:
            break
        out += run.text
    return out


def read(path: Path) -> Document:
    """Blocks of a .docx file; `Unreadable` when it is not one."""
    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise Unreadable(f"不是有效的 Word 文档（.docx）：{exc}") from None
    numbering = Numbering(document)
    style_num = _style_numbering(document)
    styles = {s.style_id: s.name for s in document.styles}
    bold_styles = {s.style_id for s in document.styles if s.type == WD_STYLE_TYPE.CHARACTER and s.font.bold}
    body = document.element.body
    children = list(body.iterchildren())
    blocks = []
    pending_tables: list[Table] = []
    n_para = 0
    for el in children:
        if el.tag == qn("w:p"):
            n_para += 1
            ppr = el.pPr
            sect = ppr.find(qn("w:sectPr")) if ppr is not None else None
            if sect is not None:
                for table in pending_tables:
                    table.landscape = _landscape(sect)
                pending_tables = []
            paragraph = Paragraph(el, document)
            raw = paragraph.text.replace("\n", "").replace("\r", "")
            label = ""
            num = _num_pr(el, style_num)
            if num and num[0] != "0" and raw.strip():
                label = numbering.label(*num)
            text = clean(label + raw)
            if not text:
                continue
            align = ppr.jc.get(qn("w:val")) if ppr is not None and ppr.jc is not None else ""
            blocks.append(Line(text, f"第{n_para}段", styles.get(el.style or "", ""), clean(_bold_prefix(paragraph, bold_styles)),
                               centered=align == "center"))
        elif el.tag == qn("w:tbl"):
            n_para += 1
            table = DocxTable(el, document)
            if _joint_mark(table):  # a joint 标志 set as a table, "文件" in its last cell
                for cell_paragraph in table.rows[0].cells[0].paragraphs:
                    if clean(cell_paragraph.text):
                        blocks.append(Line(clean(cell_paragraph.text), f"第{n_para}段", "发文机关标志"))
                blocks.append(Line("文件", f"第{n_para}段", "发文机关标志"))
                continue
            rows = []
            for row in table.rows:
                cells = []
                last = None
                for cell in row.cells:
                    if cell._tc is last:  # a horizontally merged cell repeats
                        continue
                    last = cell._tc
                    cells.append(clean(cell.text.replace("\n", "")))
                rows.append(cells)
            t = Table(rows, f"第{n_para}段（表格）")
            blocks.append(t)
            pending_tables.append(t)
        elif el.tag == qn("w:sectPr"):
            for table in pending_tables:
                table.landscape = _landscape(el)
    closing = _closing(document)
    return Document(blocks, closing)


def _joint_mark(table) -> bool:
    """A table that is a joint 发文机关标志: one row, the organs one a paragraph in its first cell,
    "文件" alone in its last (as docgen and many offices set it)."""
    rows = table.rows
    if len(rows) != 1:
        return False
    cells = rows[0].cells
    return 2 <= len(cells) <= 3 and clean(cells[-1].text) == "文件" and len(cells[0].paragraphs) >= 2


def _closing(document) -> list[Line]:
    """The 版记 lines (抄送, 印发) docgen prints in the last section's footer, if any."""
    seen: list[str] = []
    out: list[Line] = []
    for section in document.sections[-1:]:
        for footer in (section.footer, section.even_page_footer):
            if footer.is_linked_to_previous and footer is not section.footer:
                continue
            texts = [clean(p.text) for p in footer.paragraphs]
            for table in footer.tables:
                for row in table.rows:
                    for cell in row.cells:
                        texts.extend(clean(p.text) for p in cell.paragraphs)
            for text in texts:
                if text and ("抄送" in text or text.endswith("印发")) and text not in seen:
                    seen.append(text)
                    out.append(Line(text, "版记"))
    return out
