"""Read a .docx: paragraphs and tables in body order, Word's automatic numbering resolved.

python-docx gives the text of a paragraph but not the number Word shows in front of it
("一、", "（一）", "1."): that comes from numbering.xml (the paragraph's or its style's numPr,
the abstract numbering's level format and text, start values and overrides). `Numbering`
replays the counters in document order, as Word does. Landscape sections (a 任务分工表) are
read from the section properties that follow each table. The 版记 lines docgen writes into the
last section's footer are read too.

The file comes from outside and is read within `docgen.untrusted.Limits` (the limits `docgen
collect` applies to ledgers): its size and the sizes its zip declares are checked, then every XML
part is streamed through defusedxml (broken XML, entity declarations, elements nested deeper than
``depth``, a table row wider than ``columns``, more than ``rows`` rows in a table, more than ``cells``
paragraphs and cells) before python-docx parses it, under the ``time`` limit. Table cells are
read from the XML in one pass (a cell continuing a vertical merge takes the text of the cell above
it), never through python-docx's merged-cell lookups, which walk the rows above again for every
cell.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml.ns import qn
from docx.styles import BabelFish
from docx.text.paragraph import Paragraph

from docgen import untrusted
from docgen.errors import InputError
from docgen.ingest.blocks import Document, Line, Table, clean
from docgen.numbering import chinese
from docgen.untrusted import Deadline, LimitExceeded, Limits

#: Word's list levels: w:ilvl 0 to 8.
LEVELS = 9


class Unreadable(InputError):
    """The file cannot be read as this format; the message (Chinese) says why (exit 2 if it escapes)."""


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
                ilvl = _int(lvl, "w:ilvl")
                if not 0 <= ilvl < LEVELS:  # Word has nine levels; another is not a level it shows
                    continue
                if restart is not None:
                    restarts[ilvl] = _int(restart, default=-1)
                fmt_name = fmt.get(qn("w:val")) if fmt is not None else "decimal"
                if fmt_name == "custom" and (fmt.get(qn("w:format")) or "").startswith("一"):
                    fmt_name = "chineseCounting"
                lvls[ilvl] = (
                    fmt_name,
                    text.get(qn("w:val")) if text is not None else "",
                    _int(lvl.find(qn("w:start")), default=1),
                )
            abstracts[ab.get(qn("w:abstractNumId"))] = lvls
        for num in root.findall(qn("w:num")):
            num_id = num.get(qn("w:numId"))
            ab_ref = num.find(qn("w:abstractNumId"))
            if ab_ref is None:  # a list that names no numbering: its paragraphs show no number
                continue
            ab_id = ab_ref.get(qn("w:val"))
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
        if not lvls or ilvl not in lvls or not 0 <= ilvl < LEVELS:
            return ""
        key = num_id
        counters = self.counters.setdefault(key, [0] * LEVELS)
        restarts = self.restarts.get(num_id, {})
        for deeper in range(ilvl + 1, LEVELS):
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
        for k in range(LEVELS):
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
    (looked up once: python-docx's `run.style` searches all styles for every run). Read from the
    XML as it stands: an odd w:b value is not bold rather than an error."""
    out = ""
    for run in paragraph.runs:
        if not run.text:
            continue
        rpr = run._r.find(qn("w:rPr"))
        own = rpr.find(qn("w:b")) if rpr is not None else None
        style = rpr.find(qn("w:rStyle")) if rpr is not None else None
        bold = _on(own) if own is not None else style is not None and style.get(qn("w:val")) in bold_styles
        if not bold:
            break
        out += run.text
    return out


def read(path: Path, limits: Limits | None = None) -> Document:
    """Blocks of a .docx file; `Unreadable` when it is not one, `LimitExceeded` past a limit."""
    limits = limits or Limits.from_environment()
    deadline = Deadline(limits.time)
    try:
        archive = untrusted.open_zip(path, limits, "zip 压缩包")
    except untrusted.Unreadable as exc:
        raise Unreadable(f"不是有效的 Word 文档（.docx）：{exc.message}") from None
    try:
        with archive:
            _Scan(archive, limits, deadline).run()
    except untrusted.Unreadable as exc:
        raise Unreadable(exc.message) from None
    with deadline.guard():
        try:
            document = docx.Document(str(path))
        except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
            raise Unreadable(f"不是有效的 Word 文档（.docx）：{exc}") from None
        except LimitExceeded:
            raise
        except Exception as exc:  # noqa: BLE001 - python-docx on a damaged package can raise anything
            raise Unreadable(f"文件已损坏，无法按 Word 文档读取（{type(exc).__name__}: {exc}）") from None
        return _read(document, deadline)


def _read(document, deadline: Deadline) -> Document:
    numbering = Numbering(document)
    style_num = _style_numbering(document)
    styles = {s.get(qn("w:styleId")): _style_name(s) for s in document.styles.element.findall(qn("w:style"))}
    bold_styles = _bold_character_styles(document)
    body = document.element.body
    children = list(body.iterchildren())
    blocks = []
    pending_tables: list[Table] = []
    n_para = 0
    for el in children:
        deadline.check()
        if el.tag == qn("w:p"):
            n_para += 1
            ppr = el.find(qn("w:pPr"))
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
            jc = ppr.find(qn("w:jc")) if ppr is not None else None
            align = (jc.get(qn("w:val")) or "") if jc is not None else ""
            style = _p_style(el)
            blocks.append(Line(text, f"第{n_para}段", styles.get(style, "") if style else "",
                               clean(_bold_prefix(paragraph, bold_styles)), centered=align == "center"))
        elif el.tag == qn("w:tbl"):
            n_para += 1
            mark = _joint_mark(el, document)
            if mark is not None:  # a joint 标志 set as a table, "文件" in its last cell
                blocks.extend(Line(text, f"第{n_para}段", "发文机关标志") for text in mark)
                blocks.append(Line("文件", f"第{n_para}段", "发文机关标志"))
                continue
            t = Table(_rows(el, document), f"第{n_para}段（表格）", head_spans=_head_spans(el))
            blocks.append(t)
            pending_tables.append(t)
        elif el.tag == qn("w:sectPr"):
            for table in pending_tables:
                table.landscape = _landscape(el)
    closing = _closing(document)
    return Document(blocks, closing)


def _style_name(style_el) -> str:
    """The style's name as Word shows it (python-docx's `style.name`: "heading 1" is "Heading 1")."""
    name = style_el.find(qn("w:name"))
    return BabelFish.internal2ui(name.get(qn("w:val")) or "") if name is not None else ""


def _p_style(p_el) -> str | None:
    ppr = p_el.find(qn("w:pPr"))
    ref = ppr.find(qn("w:pStyle")) if ppr is not None else None
    return ref.get(qn("w:val")) if ref is not None else None


def _on(el) -> bool:
    """Whether a toggle property (w:b) is on: present and not switched off."""
    return el is not None and (el.get(qn("w:val")) or "true").lower() not in ("0", "false", "off", "none")


def _bold_character_styles(document) -> set[str]:
    """Ids of the character styles that are bold (the run's w:b in the style's w:rPr)."""
    out = set()
    for style in document.styles.element.findall(qn("w:style")):
        rpr = style.find(qn("w:rPr"))
        if style.get(qn("w:type")) == "character" and rpr is not None and _on(rpr.find(qn("w:b"))):
            out.add(style.get(qn("w:styleId")))
    return out


def _rows(tbl, document) -> list[list[str]]:
    """The rows of a table as texts: one per cell, a horizontally merged cell once, a cell that
    continues a vertical merge with the text of the cell it continues (python-docx's `row.cells`,
    de-duplicated, in one pass)."""
    rows: list[list[str]] = []
    above: dict[int, str] = {}  # grid column -> text of the cell starting there in the row above
    for tr in tbl.findall(qn("w:tr")):
        cells: list[str] = []
        here: dict[int, str] = {}
        trpr = tr.find(qn("w:trPr"))
        column = _int(trpr.find(qn("w:gridBefore")) if trpr is not None else None)
        for tc in tr.findall(qn("w:tc")):
            tcpr = tc.find(qn("w:tcPr"))
            span = max(_int(tcpr.find(qn("w:gridSpan")) if tcpr is not None else None, default=1), 1)
            merge = tcpr.find(qn("w:vMerge")) if tcpr is not None else None
            if merge is not None and (merge.get(qn("w:val")) or "continue") == "continue" and column in above:
                text = above[column]
            else:
                text = clean("\n".join(Paragraph(p, document).text for p in tc.findall(qn("w:p"))).replace("\n", ""))
            here[column] = text
            cells.append(text)
            column += span
        above = here
        rows.append(cells)
    return rows


def _head_spans(tbl) -> tuple[int, ...]:
    """The grid columns each cell of the table's first row spans (w:gridSpan)."""
    tr = tbl.find(qn("w:tr"))
    if tr is None:
        return ()
    spans = []
    for tc in tr.findall(qn("w:tc")):
        tcpr = tc.find(qn("w:tcPr"))
        spans.append(max(_int(tcpr.find(qn("w:gridSpan")) if tcpr is not None else None, default=1), 1))
    return tuple(spans)


class _Scan:
    """Every XML part of the package streamed through defusedxml within the limits, before
    python-docx parses them (see the module docstring)."""

    def __init__(self, archive, limits: Limits, deadline: Deadline):
        self.archive, self.limits, self.deadline = archive, limits, deadline
        self.cells = 0

    def run(self) -> None:
        # (custom XML items are not parsed by python-docx: the plan docgen embeds is read, or ignored
        # when damaged, by `docgen.ingest.embedded` on its own)
        names = [n for n in self.archive.namelist() if n.lower().endswith((".xml", ".rels"))
                 and not (n.startswith("customXml/") and n.lower().endswith(".xml"))]
        if "word/document.xml" not in names and "[Content_Types].xml" not in names:
            raise Unreadable("压缩包中没有 Word 正文（word/document.xml），不是 Word 文件（.docx）")
        for name in names:
            self.part(name)

    def part(self, name: str) -> None:
        limits = self.limits
        data = untrusted.read_member(self.archive, name, limits)
        rows: list[int] = []  # rows of each table open around the current element
        for event, element, _ in untrusted.iter_xml(data, name, limits, self.deadline):
            tag = untrusted.local(element.tag)
            if event == "start":
                if tag == "tbl":
                    rows.append(0)
                elif tag == "tr" and rows:
                    rows[-1] += 1
                    if rows[-1] > limits.rows:
                        raise LimitExceeded("rows", limits.rows, f"{name} 中有超过 {limits.rows} 行的表格")
                elif tag in ("p", "tc"):
                    self.cells += 1
                    if self.cells > limits.cells:
                        raise LimitExceeded("cells", limits.cells, f"{name} 中的段落和单元格超过 {limits.cells} 个")
                continue
            if tag == "tbl" and rows:
                rows.pop()
            elif tag == "gridSpan" or tag == "gridBefore":
                self.span(element, name)
            element.clear()

    def span(self, element, name: str) -> None:
        value = next((v for k, v in element.attrib.items() if untrusted.local(k) == "val"), "1")
        try:
            span = int(value)
        except ValueError:
            raise Unreadable(f"{name} 中表格的合并列数“{value[:20]}”不是整数，文件已损坏") from None
        if span > self.limits.columns:
            raise LimitExceeded("columns", self.limits.columns, f"{name} 中有横跨 {span} 列的单元格")


def _joint_mark(tbl, document) -> list[str] | None:
    """The organs of a table that is a joint 发文机关标志 (one row, the organs one a paragraph in its
    first cell, "文件" alone in its last, as docgen and many offices set it); None for another table.
    Read from the XML as `_rows` reads cells."""
    rows = tbl.findall(qn("w:tr"))
    if len(rows) != 1:
        return None
    cells = rows[0].findall(qn("w:tc"))
    if not cells:
        return None
    width = 0
    for tc in cells:
        tcpr = tc.find(qn("w:tcPr"))
        width += max(_int(tcpr.find(qn("w:gridSpan")) if tcpr is not None else None, default=1), 1)
    first = [clean(Paragraph(p, document).text) for p in cells[0].findall(qn("w:p"))]
    last = clean("".join(Paragraph(p, document).text for p in cells[-1].findall(qn("w:p"))))
    if not 2 <= width <= 3 or last != "文件" or len(first) < 2:
        return None
    return [text for text in first if text]


def _closing(document) -> list[Line]:
    """The 版记 lines (抄送, 印发) docgen prints in the last section's footer, if any."""
    seen: list[str] = []
    out: list[Line] = []
    for section in document.sections[-1:]:
        for footer in (section.footer, section.even_page_footer):
            try:
                if footer.is_linked_to_previous and footer is not section.footer:
                    continue
                element = footer._element
            except (KeyError, ValueError):  # a footer reference to a part the package does not hold
                continue
            texts = [clean(Paragraph(p, document).text) for p in element.findall(qn("w:p"))]
            for table in element.findall(qn("w:tbl")):
                texts.extend(clean(Paragraph(p, document).text) for p in table.iter(qn("w:p")))
            for text in texts:
                if text and ("抄送" in text or text.endswith("印发")) and text not in seen:
                    seen.append(text)
                    out.append(Line(text, "版记"))
    return out
