"""The only place that touches WordprocessingML below python-docx's public API.

Small explicit helpers: literal text for template fields, section properties (copy, landscape,
ending a section), table row and cell properties, font names and theme attributes in styles, and a
deterministic zip. Lengths are twips unless named otherwise.
"""

from __future__ import annotations

import copy
import re

import docx
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from lxml import etree
from markupsafe import Markup

from docgen import package
from docgen.render import geometry

_THEME_ATTRS = tuple(qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"))
_FONT_ATTRS = tuple(qn(f"w:{a}") for a in ("ascii", "hAnsi", "eastAsia", "cs"))


def escape(text: str) -> str:
    """`text` as XML character data (``&``, ``<``, ``>`` escaped), as xml.sax.saxutils writes it
    (which imports urllib, http and ssl: a tenth of a second for every command that renders)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(value: str) -> str:
    """`value` as a double-quoted XML attribute value (that parses back to `value`)."""
    value = escape(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    return '"' + value + '"'


# -- literal data for template fields ------------------------------------------------------------
def literal(xml: str) -> Markup:
    """XML to put into a template field as it is: braces become character references.

    docxtpl post-processes the rendered XML (it turns ``{_{`` into ``{{``); with the braces of
    plan text written as ``&#123;``/``&#125;`` nothing in the data can be read as template syntax.
    """
    return Markup(xml.replace("{", "&#123;").replace("}", "&#125;"))


def text_field(text: str) -> Markup:
    """Plain text for a ``{{ field }}`` inside a run."""
    return literal(escape(text))


def run_xml(text: str, half_points: int | None = None, scale: int | None = None) -> Markup:
    """A whole run (for a ``{{r field }}``), with an optional font size override and characters
    narrowed to `scale` per cent of their width (w:w)."""
    r = OxmlElement("w:r")
    if half_points or scale:
        rpr = etree.SubElement(r, qn("w:rPr"))
        if scale:
            etree.SubElement(rpr, qn("w:w")).set(qn("w:val"), str(scale))
        if half_points:
            for tag in ("w:sz", "w:szCs"):
                etree.SubElement(rpr, qn(tag)).set(qn("w:val"), str(half_points))
    t = etree.SubElement(r, qn("w:t"))
    t.text = text
    t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return literal(etree.tostring(r, encoding="unicode"))


# -- the composed body ---------------------------------------------------------------------------
def sub_document(main):
    """An empty python-docx document whose paragraphs and tables resolve `main`'s styles.

    What docxtpl's `Subdoc` does without a file, minus its docxcompose dependency: the new
    body's XML goes into the template's ``{{p 正文 }}`` field (see `body_xml`).
    """
    sub = docx.Document()
    sub._part = main.part
    return sub


def body_xml(sub) -> str:
    """The block content of `sub`'s body, without its own section properties.

    The body is serialised whole, so that namespaces are declared once, on the ``w:body`` tag
    that is then cut off (the template's root declares them again).
    """
    body = sub.element.body
    kept = body.findall(qn("w:sectPr"))
    for sect_pr in kept:
        body.remove(sect_pr)
    xml = etree.tostring(body, encoding="unicode")
    body.extend(kept)  # put back: the next document written into `sub` lays out its sections from them
    return re.sub(r"^<w:body[^>]*>|</w:body>$|^<w:body[^>]*/>$", "", xml)


def add_paragraph(body, style_id: str | None, runs=()):
    """A ``w:p`` with paragraph style `style_id` and `runs` ((text, run style id or None) pairs),
    added at the end of `body` (before its section properties); returns the element.

    The same XML python-docx writes (``add_paragraph`` + ``add_run`` + ``style``), built directly
    with lxml: python-docx's schema-ordered insertion costs more than the rest of a notice. Text
    with tabs or line breaks goes through python-docx, which turns them into ``w:tab``/``w:br``.
    """
    p = body.makeelement(_P, {})
    if style_id:
        ppr = etree.SubElement(p, _PPR)
        etree.SubElement(ppr, _PSTYLE).set(_VAL, style_id)
    for text, run_style in runs:
        add_run(p, text, run_style)
    # lxml's len() walks every child; body[-1] starts from the last one (linear to any length)
    try:
        last = body[-1]
    except IndexError:
        last = None
    if last is not None and last.tag == _SECT_PR:
        last.addprevious(p)
    else:
        body.append(p)
    return p


def add_run(p, text: str, style_id: str | None = None):
    """A ``w:r`` holding `text` (style `style_id`) at the end of paragraph element `p`."""
    r = etree.SubElement(p, _R)
    if style_id:
        rpr = etree.SubElement(r, _RPR)
        etree.SubElement(rpr, _RSTYLE).set(_VAL, style_id)
    if "\t" in text or "\n" in text or "\r" in text:
        r.text = text  # python-docx's CT_R.text setter: tabs and breaks as elements
    elif text:
        t = etree.SubElement(r, _T)
        t.text = text
        if len(text.strip()) < len(text):
            t.set(_SPACE, "preserve")
    return r


_PPR, _PSTYLE, _R, _RPR, _RSTYLE, _T, _VAL = (qn(f"w:{n}") for n in ("pPr", "pStyle", "r", "rPr", "rStyle", "t", "val"))
_SECT_PR = qn("w:sectPr")
_SPACE = "{http://www.w3.org/XML/1998/namespace}space"


# -- sections ------------------------------------------------------------------------------------
def end_section(paragraph, sect_pr) -> None:
    """Make `paragraph` the last one of a section laid out by `sect_pr` (a copy is inserted)."""
    ppr = paragraph._p.get_or_add_pPr()
    ppr.append(copy.deepcopy(sect_pr))


def landscape(sect_pr):
    """A copy of portrait `sect_pr` turned landscape (for templates without a landscape section).

    The page turns a quarter anticlockwise, so the table's head faces the binding: the binding
    margin (left) becomes the top, the top margin the right. The page number keeps its distance
    under the text area.
    """
    out = copy.deepcopy(sect_pr)
    size = out.find(qn("w:pgSz"))
    width, height = size.get(qn("w:w")), size.get(qn("w:h"))
    size.set(qn("w:w"), height)
    size.set(qn("w:h"), width)
    size.set(qn("w:orient"), "landscape")
    mar = out.find(qn("w:pgMar"))
    top, right, bottom, left = (int(mar.get(qn(f"w:{s}"))) for s in ("top", "right", "bottom", "left"))
    footer = int(mar.get(qn("w:footer")))
    mar.set(qn("w:top"), str(left))
    mar.set(qn("w:right"), str(top))
    mar.set(qn("w:bottom"), str(right))
    mar.set(qn("w:left"), str(bottom))
    mar.set(qn("w:footer"), str(max(right - (bottom - footer), 0)))
    return out


def text_width(sect_pr) -> int:
    size, mar = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
    return int(size.get(qn("w:w"))) - int(mar.get(qn("w:left"))) - int(mar.get(qn("w:right")))


def text_height(sect_pr) -> int:
    size, mar = sect_pr.find(qn("w:pgSz")), sect_pr.find(qn("w:pgMar"))
    return int(size.get(qn("w:h"))) - int(mar.get(qn("w:top"))) - int(mar.get(qn("w:bottom")))


def drop_last_section(body) -> None:
    """Remove the last section of `body`; the section before it becomes the last one.

    Used when a document has no 版记: the template's 版记 section would be an empty page. The
    paragraph that ended the section before stays (the body must not end with a table).
    """
    ends = [p for p in body.iterchildren(_P) if _ends_section(p)]
    if not ends:
        return
    sect_pr = ends[-1].find(_SECTION_IN_PARAGRAPH)
    for sibling in list(ends[-1].itersiblings()):
        body.remove(sibling)
    sect_pr.getparent().remove(sect_pr)
    body.append(sect_pr)


def drop_empty_sections(body) -> None:
    """Remove a section-end paragraph that directly follows another one and holds no text.

    A section of the composed text may end right where the template's own section ends (a
    landscape table last): the template's paragraph would otherwise open a blank page.
    """
    ends = [_ends_section(child) for child in body.iterchildren()]
    children = list(body.iterchildren())
    for i in range(1, len(children)):
        if ends[i - 1] and ends[i] and not "".join(children[i].itertext()).strip():
            body.remove(children[i])


def drop_paragraphs(body, style_ids: set[str]) -> None:
    """Remove the paragraphs of `body` (its own, not inside tables) whose style is in `style_ids`.

    Used for a document without a 版头: the template's 发文机关标志 and 发文字号 paragraphs go.
    """
    for p in list(body.iterchildren(_P)):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) in style_ids and p.find(_SECTION_IN_PARAGRAPH) is None:
            body.remove(p)


_P = qn("w:p")
_SECTION_IN_PARAGRAPH = f"{qn('w:pPr')}/{qn('w:sectPr')}"


def _ends_section(element) -> bool:
    return element.tag == _P and element.find(_SECTION_IN_PARAGRAPH) is not None


# -- tables --------------------------------------------------------------------------------------
def table_layout(table, widths: list[int]) -> None:
    """Fixed column `widths` and a full-width table."""
    tbl = table._tbl
    tbl_pr = tbl.tblPr
    tbl_w = tbl_pr.find(qn("w:tblW"))
    if tbl_w is None:
        tbl_w = OxmlElement("w:tblW")
        tbl_pr.append(tbl_w)
    tbl_w.set(qn("w:w"), str(sum(widths)))
    tbl_w.set(qn("w:type"), "dxa")
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    look = tbl_pr.find(qn("w:tblLook"))
    (look.addprevious if look is not None else tbl_pr.append)(layout)
    for col, width in zip(tbl.tblGrid.iterchildren(qn("w:gridCol")), widths):
        col.set(qn("w:w"), str(width))
    for row in table.rows:
        for cell, width in zip(row.cells, widths):
            tc_pr = cell._tc.get_or_add_tcPr()
            tc_w = tc_pr.find(qn("w:tcW"))
            if tc_w is None:
                tc_w = OxmlElement("w:tcW")
                tc_pr.insert(0, tc_w)
            tc_w.set(qn("w:w"), str(width))
            tc_w.set(qn("w:type"), "dxa")


def add_rows(tbl, rows, widths: list[int], style_id: str | None, centred, height: int | None, text, runs) -> None:
    """Body rows of `rows` (texts, or tuples of runs) appended to table element `tbl`: the XML
    python-docx writes for `add_table` rows filled cell by cell after `table_layout` and
    `row_properties` (rows never split), built directly.

    Each cell of width `widths[i]` holds a paragraph of style `style_id`, centred when its column
    is in `centred`; a row shorter than the table leaves its last cells empty (no style), as
    python-docx's ``zip(row.cells, values)`` did. `height`: a form's rows are at least this high.
    A cell's text is written as `text(value)`; a cell of runs by `runs(paragraph element, runs)`
    (python-docx, direct formatting).

    Rows of plain text (most of them: thousands in a 通报's tables) are written as XML text and
    parsed in one go; a row with runs, tabs or breaks is built element by element.
    """
    row_head = "<w:tr><w:trPr><w:cantSplit/>" + (
        f'<w:trHeight w:val="{height}" w:hRule="atLeast"/>' if height is not None else "") + "</w:trPr>"
    style = f"<w:pStyle w:val={quoteattr(style_id)}/>" if style_id else ""
    cells = [f'<w:tc><w:tcPr><w:tcW w:type="dxa" w:w="{width}"/></w:tcPr>' for width in widths]
    centre = '<w:jc w:val="center"/>'
    opened = [f"<w:p><w:pPr>{style}{centre if c in centred else ''}</w:pPr>" for c in range(len(widths))]
    pending: list[str] = []
    for values in rows:
        texts = [text(v) if isinstance(v, str) else None for v in values[:len(widths)]]
        if any(t is None or "\t" in t or "\n" in t or "\r" in t for t in texts):
            _flush_rows(tbl, pending)
            _add_row(tbl, values, widths, style_id, centred, height, text, runs)
            continue
        xml = [row_head]
        for c, cell in enumerate(cells):
            if c >= len(texts):
                xml.append(cell + "<w:p/></w:tc>")
                continue
            t = texts[c]
            if not t:
                run = "<w:r/>"
            elif len(t.strip()) < len(t):
                run = f'<w:r><w:t xml:space="preserve">{escape(t)}</w:t></w:r>'
            else:
                run = f"<w:r><w:t>{escape(t)}</w:t></w:r>"
            xml.append(f"{cell}{opened[c]}{run}</w:p></w:tc>")
        xml.append("</w:tr>")
        pending.append("".join(xml))
    _flush_rows(tbl, pending)


def _flush_rows(tbl, pending: list[str]) -> None:
    """The rows written as XML text in `pending`, parsed and appended to `tbl` (`pending` emptied)."""
    if not pending:
        return
    wrapper = parse_xml(f"<w:tbl {nsdecls('w')}>{''.join(pending)}</w:tbl>")
    pending.clear()
    tbl.extend(list(wrapper))


def _add_row(tbl, values, widths: list[int], style_id: str | None, centred, height: int | None, text, runs) -> None:
    """One body row of `add_rows`, element by element."""
    sub = etree.SubElement
    tr = sub(tbl, _TR)
    tr_pr = sub(tr, _TR_PR)
    sub(tr_pr, _CANT_SPLIT)
    if height is not None:
        sub(tr_pr, _TR_HEIGHT, {_VAL: str(height), qn("w:hRule"): "atLeast"})
    for c, width in enumerate(widths):
        tc = sub(tr, _TC)
        sub(sub(tc, _TC_PR), _TC_W, {qn("w:type"): "dxa", qn("w:w"): str(width)})
        p = sub(tc, _P)
        if c >= len(values):
            continue
        ppr = sub(p, _PPR)
        if style_id:
            sub(ppr, _PSTYLE, {_VAL: style_id})
        if c in centred:
            sub(ppr, _JC, {_VAL: "center"})
        value = values[c]
        if isinstance(value, str):
            add_run(p, text(value))
        else:
            runs(p, value)


_TR, _TR_PR, _CANT_SPLIT, _TR_HEIGHT, _TC, _TC_PR, _TC_W, _JC = (
    qn(f"w:{n}") for n in ("tr", "trPr", "cantSplit", "trHeight", "tc", "tcPr", "tcW", "jc"))


def row_height(row, twips: int) -> None:
    """At least `twips` high (a form's rows, for handwriting)."""
    tr_pr = row._tr.get_or_add_trPr()
    height = OxmlElement("w:trHeight")
    height.set(qn("w:val"), str(twips))
    height.set(qn("w:hRule"), "atLeast")
    tr_pr.append(height)


def row_properties(row, *, header: bool) -> None:
    """Rows never split across pages; the head row repeats at the top of every page."""
    tr_pr = row._tr.get_or_add_trPr()
    tr_pr.append(OxmlElement("w:cantSplit"))
    if header:
        tr_pr.append(OxmlElement("w:tblHeader"))


# -- fonts ---------------------------------------------------------------------------------------
def clean_fonts(root, names: dict[str, str]) -> None:
    """Drop theme font attributes (they override names) and rename fonts by `names`."""
    for fonts in root.iter(qn("w:rFonts")):
        for attr in _THEME_ATTRS:
            fonts.attrib.pop(attr, None)
        for attr in _FONT_ATTRS:
            value = fonts.get(attr)
            if value in names:
                fonts.set(attr, names[value])
    for font in root.iter(qn("w:font")):
        name = font.get(qn("w:name"))
        if name in names:
            font.set(qn("w:name"), names[name])


# -- package -------------------------------------------------------------------------------------
def deterministic_zip(data: bytes) -> bytes:
    """`data` (a .docx) re-zipped with fixed timestamps, entries in their original order."""
    return package.reproducible(data)


def set_style(proxy, style_id: str | None) -> None:
    """Give a paragraph or run (python-docx proxy) the style `style_id`, without python-docx's
    by-name search through every style (which costs more than writing the whole paragraph)."""
    element = getattr(proxy, "_p", None)
    if element is None:
        element = proxy._r
    element.style = style_id


def core_properties_part(document):
    """The part holding `document`'s core properties (title, author, dates)."""
    return document.part.package._core_properties_part


def default_font_size(styles) -> int:
    """The document's default font size in twips (`w:docDefaults`), 三号 when it names none."""
    sz = styles.find(f"{qn('w:docDefaults')}/{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:sz')}")
    return int(sz.get(qn("w:val"))) * 10 if sz is not None else geometry.CHAR


def character_spacing(style) -> int | None:
    """The ``w:spacing`` (twips between characters) in a style's run properties, if it sets one."""
    found = style.find(f"{qn('w:rPr')}/{qn('w:spacing')}")
    return int(found.get(qn("w:val"))) if found is not None else None


def bottom_border(style) -> int | None:
    """Twips taken under a paragraph by a style's bottom border (its space and width), if any."""
    found = style.find(f"{qn('w:pPr')}/{qn('w:pBdr')}/{qn('w:bottom')}")
    if found is None or found.get(qn("w:val")) in ("nil", "none"):
        return None
    return int(found.get(qn("w:space"), "0")) * 20 + int(found.get(qn("w:sz"), "0")) * 20 // 8


def has_field(xml: str, name: str) -> bool:
    """Whether the template XML `xml` has a ``{{ name }}``-style field (any prefix, tags inside)."""
    plain = re.sub(r"<[^>]+>", "", xml)
    return re.search(r"\{\{[pr]?\s*" + re.escape(name) + r"\s*\}\}", plain) is not None


# -- the head of a jointly issued document -------------------------------------------------------
def _el(tag: str, parent=None, **attrs):
    element = OxmlElement(tag) if parent is None else etree.SubElement(parent, qn(tag))
    for key, value in attrs.items():
        element.set(qn(f"w:{key}"), str(value))
    return element


def joint_mark(body, style_id: str, marks: tuple[str, ...], word: str, widths: tuple[int, int],
               line: int, before: int, half_points: int | None, scale: int | None) -> None:
    """Replace the 发文机关标志 paragraph (style `style_id`) of `body` with the joint head.

    GB/T 9704 7.2.3: the organs' marks one under another, lead organ first, aligned at both ends
    (distributed), and `word` (文件) to their right, vertically centred. Laid out as a borderless
    two-column table of `widths` (twips), centred, under a spacer of `before` twips that keeps the
    first line where the single mark stands; every line is `line` twips (exact). `half_points`
    and `scale` (per cent width, w:w) fit a head too wide for the line.
    """
    target = None
    for p in body.iterchildren(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) == style_id:
            target = p
            break
    if target is None:
        return

    def paragraph(text: str, jc: str, space: int = 0, height: int = line):
        p = _el("w:p")
        ppr = _el("w:pPr", p)
        _el("w:pStyle", ppr, val=style_id)
        _el("w:spacing", ppr, before=space, after=0, line=height, lineRule="exact")
        _el("w:jc", ppr, val=jc)
        if text:
            r = _el("w:r", p)
            if half_points or scale:
                rpr = _el("w:rPr", r)
                if scale:
                    _el("w:w", rpr, val=scale)
                if half_points:
                    _el("w:sz", rpr, val=half_points)
                    _el("w:szCs", rpr, val=half_points)
            t = _el("w:t", r)
            t.text = text
            t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        return p

    spacer = paragraph("", "center", 0, max(before, 20))
    tbl = _el("w:tbl")
    tpr = _el("w:tblPr", tbl)
    _el("w:tblW", tpr, w=sum(widths), type="dxa")
    _el("w:jc", tpr, val="center")
    borders = _el("w:tblBorders", tpr)
    for side in ("top", "left", "bottom", "right", "insideH", "insideV"):
        _el(f"w:{side}", borders, val="nil")
    _el("w:tblLayout", tpr, type="fixed")
    margins = _el("w:tblCellMar", tpr)
    for side in ("left", "right"):
        _el(f"w:{side}", margins, w=0, type="dxa")
    grid = _el("w:tblGrid", tbl)
    for w in widths:
        _el("w:gridCol", grid, w=w)
    tr = _el("w:tr", tbl)
    for i, w in enumerate(widths):
        tc = _el("w:tc", tr)
        tcpr = _el("w:tcPr", tc)
        _el("w:tcW", tcpr, w=w, type="dxa")
        _el("w:vAlign", tcpr, val="center")
        if i == 0:
            for mark in marks:
                tc.append(paragraph(mark, "distribute"))
        else:
            tc.append(paragraph(word, "right"))
    target.addprevious(spacer)
    target.addprevious(tbl)
    body.remove(target)


# -- lines above the mark; the 签发人 line ---------------------------------------------------------
def _first_with_style(body, style_id: str):
    for p in body.iterchildren(qn("w:p")):
        style = p.find(f"{qn('w:pPr')}/{qn('w:pStyle')}")
        if style is not None and style.get(qn("w:val")) == style_id:
            return p
    return None


def _text_paragraph(style_id: str, text: str, line: int, fonts: dict[str, str] | None = None,
                    tabs: list[tuple[str, int]] | None = None, indent: int = 0):
    p = _el("w:p")
    ppr = _el("w:pPr", p)
    _el("w:pStyle", ppr, val=style_id)
    if tabs:
        tab_el = _el("w:tabs", ppr)
        for kind, pos in tabs:
            _el("w:tab", tab_el, val=kind, pos=pos)
    _el("w:spacing", ppr, before=0, after=0, line=line, lineRule="exact")
    _el("w:ind", ppr, left=indent, right=0, firstLine=0, firstLineChars=0)
    _el("w:jc", ppr, val="left")
    for i, part in enumerate(text.split("\t")):
        if i:
            _el("w:tab", _el("w:r", p))
        if not part:
            continue
        r = _el("w:r", p)
        if fonts:
            rpr = _el("w:rPr", r)
            _el("w:rFonts", rpr, **fonts)
        t = _el("w:t", r)
        t.text = part
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
    return p


def head_lines(body, mark_style: str, lines: list[tuple[str, str]], line: int) -> int:
    """Put `lines` (text, paragraph style id) flush left above the first 发文机关标志 paragraph,
    one per `line` twips; returns the height they take, for the mark to move up by as much."""
    mark = _first_with_style(body, mark_style)
    if mark is None:
        return 0
    for text, style_id in lines:
        mark.addprevious(_text_paragraph(style_id, text, line))
    return line * len(lines)


_AFTER_SPACING = {qn(f"w:{t}") for t in ("ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
                                         "textDirection", "textAlignment", "textboxTightWrap",
                                         "outlineLvl", "divId", "cnfStyle", "rPr", "sectPr", "pPrChange")}


def set_space_before(body, style_id: str, before: int) -> None:
    """Override the space before the first paragraph of style `style_id`."""
    p = _first_with_style(body, style_id)
    if p is None:
        return
    ppr = p.find(qn("w:pPr"))
    spacing = ppr.find(qn("w:spacing"))
    if spacing is None:  # in schema order: before ind, jc and the rest
        spacing = _el("w:spacing")
        later = next((c for c in ppr if c.tag in _AFTER_SPACING), None)
        (later.addprevious(spacing) if later is not None else ppr.append(spacing))
    spacing.set(qn("w:before"), str(before))


def signer_line(body, number_style: str, number: str, signers: str, width: int, char: int,
                name_fonts: dict | None = None) -> None:
    """The 发文字号 of an upward document: the number one character in from the left, "签发人："
    and the names (in `name_fonts`, the 楷体 of the template) ending one character in from the
    right, on one line (GB/T 9704 7.2.5)."""
    p = _first_with_style(body, number_style)
    if p is None:
        return
    ppr = p.find(qn("w:pPr"))
    for tag in ("w:jc", "w:ind", "w:tabs"):
        for old in ppr.findall(qn(tag)):
            ppr.remove(old)
    tabs = _el("w:tabs")
    _el("w:tab", tabs, val="right", pos=width - char)
    style = ppr.find(qn("w:pStyle"))
    # schema order: pStyle, keepNext…, tabs, …, spacing, ind, jc
    (style if style is not None else ppr[0]).addnext(tabs)
    spacing = ppr.find(qn("w:spacing"))
    ind = _el("w:ind")
    ind.set(qn("w:left"), str(char))
    ind.set(qn("w:firstLine"), "0")
    ind.set(qn("w:firstLineChars"), "0")
    (spacing.addnext(ind) if spacing is not None else ppr.append(ind))
    jc = _el("w:jc")
    jc.set(qn("w:val"), "left")
    ind.addnext(jc)
    for r in p.findall(qn("w:r")):
        p.remove(r)
    label, _, names = signers.partition("：")
    for i, (part, fonts) in enumerate(((number, None), (label + "：", None), (names, name_fonts))):
        if i == 1:
            _el("w:tab", _el("w:r", p))
        r = _el("w:r", p)
        if fonts:
            rpr = _el("w:rPr", r)
            rfonts = _el("w:rFonts", rpr)
            for key, value in fonts.items():
                rfonts.set(key, value)
        t = _el("w:t", r)
        t.text = part
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")


# -- 信函格式 (GB/T 9704 10.1) ----------------------------------------------------------------------
_RED = "FF0000"
_MM = 1440 / 25.4
#: The 信函's double rules start this far from the page's left edge (centred on the text area).
LETTER_RULE_LEFT_MM = geometry.LEFT_MM + geometry.TEXT_W_MM / 2 - geometry.LETTER_RULE_MM / 2
#: How LibreOffice lays out a frame holding one exact line, measured on its PDFs (twips): the
#: double rule (a 3 pt bottom border) starts this far under the top of its 1 pt frame, and is this
#: thick.
_RULE_OFFSET = 23
_RULE_THICK = 91
#: The name's characters are inked over this share of their box, from its top (Noto Serif CJK's
#: ideographs: 12.0 of 12.7 mm at 36 pt): the rule is 4 mm under the ink a reader sees.
_INK = 0.95
#: LibreOffice sets a body line's baseline this much lower than a character box centred on the
#: line would have it (twips; measured: the box starts 3.25 mm under a 28.95 pt line's top).
_BODY_DROP = 54


def letter_head(body, mark_style: str, number_style: str, em: int, mark_line: int, gap: int,
                lines: list[tuple[str, str, dict | None]], text_width: int, char: int, line: int) -> None:
    """The 信函 head (GB/T 9704 10.1), placed on the page whatever the text area's top margin:

    - the organ's name (the mark paragraph, `em` twips per character on `mark_line` twips) in a
      frame with its top edge 30 mm under the page's top edge, centred on the text area;
    - a red double rule (thick over thin), 170 mm, 4 mm under the name;
    - under it, `gap` twips (7/8 of a 三号 character) from the rule, the first of `lines` (份号,
      else 密级, else 紧急程度: (text, paragraph style id, fonts)) flush left and the 发文字号 flush
      right on the same line (lines of `line` twips, characters of `char` twips, `text_width`
      twips wide), the other `lines` under it flush left;
    - the second double rule (thin over thick), 170 mm, 20 mm above the bottom edge of page 1;
    - no page number on the first page."""
    mark = _first_with_style(body, mark_style)
    if mark is None:
        return
    mark_top, rule_top, before = _letter_positions(em, mark_line, gap, char, line)
    ppr = mark.get_or_add_pPr()
    _put(ppr, _frame(round(geometry.LETTER_RULE_MM * _MM), mark_line, round(LETTER_RULE_LEFT_MM * _MM), mark_top))
    _put(ppr, parse_xml(f'<w:spacing {nsdecls("w")} w:before="0" w:after="0"/>'), merge=True)
    mark.addnext(_rule_frame("thickThinSmallGap", rule_top))
    number = _first_with_style(body, number_style)
    if number is None:
        return
    ppr = number.get_or_add_pPr()
    _put(ppr, parse_xml(f'<w:pBdr {nsdecls("w")}><w:top w:val="nil"/><w:bottom w:val="nil"/></w:pBdr>'))
    _put(ppr, parse_xml(f'<w:spacing {nsdecls("w")} w:before="{before}" w:after="0" w:line="{line}" '
                        'w:lineRule="exact"/>'), merge=True)
    _put(ppr, parse_xml(f'<w:tabs {nsdecls("w")}><w:tab w:val="right" w:pos="{text_width}"/></w:tabs>'))
    _put(ppr, parse_xml(f'<w:jc {nsdecls("w")} w:val="left"/>'))
    # the first element in its own type (份号 the body's, 密级 and 紧急程度 黑体), a tab to the number
    runs = []
    if lines:
        text, _, fonts = lines[0]
        run = _el("w:r")
        if fonts:
            rfonts = _el("w:rFonts", _el("w:rPr", run))
            for key, value in fonts.items():
                rfonts.set(key, value)
        t = _el("w:t", run)
        t.text = text
        t.set("{http://www.w3.org/XML/1998/namespace}space", "preserve")
        runs.append(run)
    runs.append(_el("w:r"))
    _el("w:tab", runs[-1])
    first = number.find(qn("w:r"))
    for run in runs:
        (first.addprevious(run) if first is not None else number.append(run))
    last = number
    for text, style_id, _ in lines[1:]:  # in their paragraph style's type
        p = _text_paragraph(style_id, text, line)
        last.addnext(p)
        last = p
    last.addnext(_rule_frame("thinThickSmallGap", round((geometry.PAGE_H_MM - geometry.LETTER_FOOT_MM) * _MM) - _RULE_THICK))
    first_section = body.find(f".//{qn('w:sectPr')}")
    if first_section is not None and first_section.find(qn("w:titlePg")) is None:
        title_pg = OxmlElement("w:titlePg")
        grid = first_section.find(qn("w:docGrid"))
        (grid.addprevious if grid is not None else first_section.append)(title_pg)


def _letter_positions(em: int, mark_line: int, gap: int, char: int, line: int) -> tuple[int, int, int]:
    """Where `letter_head` puts the 信函 head (twips): the top of the name's frame and of the first
    double rule under the page's top edge, and the space before the 发文字号's line (the first of
    the text area), whose character boxes start `gap` under the rule."""
    mark_top = round(geometry.LETTER_MARK_TOP_MM * _MM) - _em_offset(em, mark_line)
    rule_top = mark_top + _em_offset(em, mark_line) + round(_INK * em) + round(geometry.LETTER_RULE_GAP_MM * _MM)
    first_top = rule_top + _RULE_THICK + gap - _em_offset(char, line) - _BODY_DROP
    return mark_top, rule_top, max(0, first_top - round(geometry.TOP_MM * _MM))


def letter_head_height(em: int, mark_line: int, gap: int, char: int, line: int, lines: int) -> int:
    """The height the 信函 head of `letter_head` takes in the text area of page 1 (twips): the
    发文字号's line with its space before and the other `lines` - 1 of 份号, 密级, 紧急程度 (the
    name and the rules are in frames, out of the text's flow)."""
    return _letter_positions(em, mark_line, gap, char, line)[2] + line * max(1, lines)


def _em_offset(em: int, line: int) -> int:
    """How far under the top of an exact line of `line` twips LibreOffice draws the top of the
    character box (`em` twips) of a CJK face: half the leading, as measured on its PDFs."""
    return round((line - em) / 2)


def _frame(width: int, height: int, x: int, y: int):
    """Paragraph frame properties: a box `width` x `height` twips whose top left corner is (x, y)
    from the page's top left corner; the text of the page flows through it, not around it."""
    return parse_xml(f'<w:framePr {nsdecls("w")} w:w="{width}" w:h="{height}" w:hRule="exact" w:hSpace="0" '
                     f'w:vSpace="0" w:wrap="through" w:vAnchor="page" w:hAnchor="page" w:x="{x}" w:y="{y}"/>')


def _rule_frame(kind: str, top: int):
    """An empty paragraph in a 1 pt frame whose bottom border is a red double rule of `kind`
    (thickThin: thick over thin), 170 mm long, centred on the text area, its top `top` twips under
    the page's top edge: it moves no text."""
    height = 20  # one point: the frame holds only the rule
    frame = etree.tostring(_frame(round(geometry.LETTER_RULE_MM * _MM), height, round(LETTER_RULE_LEFT_MM * _MM),
                                  top - _RULE_OFFSET), encoding="unicode")
    return parse_xml(
        f'<w:p {nsdecls("w")}><w:pPr>{frame}'
        f'<w:pBdr><w:bottom w:val="{kind}" w:sz="24" w:space="0" w:color="{_RED}"/></w:pBdr>'
        '<w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/><w:ind w:left="0" w:right="0" '
        'w:firstLine="0"/></w:pPr></w:p>')


_PPR_ORDER = ("pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
              "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
              "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd", "snapToGrid",
              "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc")


def _put(ppr, element, merge: bool = False) -> None:
    """`element` into paragraph properties `ppr` in schema order (replacing one of its kind, or with
    `merge` adding its attributes to it)."""
    old = ppr.find(element.tag)
    if old is not None:
        if merge:
            for k, v in element.attrib.items():
                old.set(k, v)
            return
        old.addprevious(element)
        ppr.remove(old)
        return
    name = element.tag.split("}")[1]
    later = _PPR_ORDER[_PPR_ORDER.index(name) + 1:] if name in _PPR_ORDER else ()
    for child in ppr:
        if child.tag.split("}")[1] in later or child.tag.split("}")[1] in ("rPr", "sectPr", "pPrChange"):
            child.addprevious(element)
            return
    ppr.append(element)


def letter_closing(footer_xml: str) -> str:
    """The 版记 of a 信函: the 抄送 line only, without 印发机关, 印发日期 and rules."""
    if "<w:tbl>" not in footer_xml:
        return footer_xml
    footer_xml = re.sub(r"<w:tr>(?:(?!<w:tr>).)*?<w:tab/>.*?</w:tr>", "", footer_xml, count=1, flags=re.S)
    return re.sub(r"<w:tblBorders>.*?</w:tblBorders>", "", footer_xml, count=1, flags=re.S)
