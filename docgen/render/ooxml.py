"""The only place that touches WordprocessingML below python-docx's public API.

Small explicit helpers: literal text for template fields, section properties (copy, landscape,
ending a section), table row and cell properties, font names and theme attributes in styles, and a
deterministic zip. Lengths are twips unless named otherwise.
"""

from __future__ import annotations

import copy
import re
from xml.sax.saxutils import escape

import docx
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from lxml import etree

from docgen import package
from docgen.render import geometry
from markupsafe import Markup

_THEME_ATTRS = tuple(qn(f"w:{a}") for a in ("asciiTheme", "hAnsiTheme", "eastAsiaTheme", "cstheme"))
_FONT_ATTRS = tuple(qn(f"w:{a}") for a in ("ascii", "hAnsi", "eastAsia", "cs"))


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
    for sect_pr in body.findall(qn("w:sectPr")):
        body.remove(sect_pr)
    return re.sub(r"^<w:body[^>]*>|</w:body>$|^<w:body[^>]*/>$", "", etree.tostring(body, encoding="unicode"))


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
    last = body[-1] if len(body) else None
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
