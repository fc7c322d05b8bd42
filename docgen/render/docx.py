"""Write a composed `Document` into a Word template (docxtpl), as deterministic .docx bytes.

The template holds the look: page setup, footers, styles, the 红头 and the 版记. This module only
chooses styles by name (`STYLES`) and fills the template's fields: `{{r 发文机关标志 }}`,
`{{ 发文字号 }}`, `{{p 正文 }}` (everything from the title on, built as a sub-document) and, in the
版记 footer, `{{ 抄送 }}`, `{{ 印发机关 }}`, `{{ 印发日期 }}`. Plan text only ever enters as data:
escaped, with its braces written as character references, through a sandboxed Jinja.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from functools import lru_cache

from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.oxml import parse_xml
from docx.oxml.ns import qn
from docx.oxml.shape import CT_Inline
from docx.shared import Cm, Twips
from docx.text.paragraph import Paragraph
from docxtpl import DocxTemplate
from jinja2 import StrictUndefined, TemplateError
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from docgen import package, planpart
from docgen.compose.titles import break_lines
from docgen.compose.tree import Attachment, Document, Emphasis, Head, Para, Picture, Role, Signature, Table, cell_text
from docgen.render import geometry, ooxml
from docgen.render.errors import RenderError
from docgen.render.fit import first_page_scale, signed_first_page
from docgen.render.fonts import renames
from docgen.render.metrics import Metrics
from docgen.render.template import TemplateChoice, check_readable
from docgen.textchars import width

#: The template style used for each kind of paragraph.
STYLES = {
    Role.TITLE: "标题",
    Role.SUBTITLE: "公文正文",  # centred (`CENTRED`)
    Role.PLAN_TITLE: "方案标题",
    Role.RECIPIENTS: "主送机关",
    Role.BODY: "公文正文",
    Role.HEADING1: "一级标题",
    Role.HEADING2: "二级标题",
    Role.HEADING3: "三级标题",
    Role.HEADING4: "四级标题",
    Role.ATTACHMENT_NOTE: "附件说明",
    Role.ATTACHMENT_NOTE_ITEM: "附件说明续行",
    Role.REMARK: "附注",
    Role.ATTACHMENT_LABEL: "附件标识",
    Role.ATTACHMENT_TITLE: "附件标题",
}
MARK = "发文机关标志"
#: The template's own paragraphs above the composed text (the 版头).
HEAD = (MARK, "发文字号")
#: (署名, 成文日期) styles with and without a seal.
SIGNATURE_STYLES = {True: ("署名（用印）", "成文日期（用印）"), False: ("署名（不用印）", "成文日期（不用印）")}
LEAD = "引导句"
PLAIN = "正文文字"
TABLE = "公文表格"
TABLE_HEAD = "表格表头"
TABLE_TEXT = "表格文字"
SECTION_END = "分节"
REQUIRED_STYLES = (*STYLES.values(), MARK, *SIGNATURE_STYLES[True], *SIGNATURE_STYLES[False], LEAD, PLAIN,
                   TABLE, TABLE_HEAD, TABLE_TEXT, SECTION_END)
HEADINGS = {Role.HEADING1, Role.HEADING2, Role.HEADING3, Role.HEADING4}
TITLES = {Role.TITLE, Role.PLAN_TITLE, Role.ATTACHMENT_TITLE}
#: Paragraphs set centred and without indent in a style that is not.
CENTRED = {Role.SUBTITLE}
#: Paragraphs that never start a page: the 附件说明 stays with the text above it, the 附注 with
#: the date (and the signature, see `_Writer.signature`, with what precedes it).
KEPT_WITH_PREVIOUS = {Role.ATTACHMENT_NOTE, Role.ATTACHMENT_NOTE_ITEM, Role.REMARK}
#: Without a seal the date's first character stands this many characters right of the organ's
#: (GB/T 9704 7.3.5.2).
DATE_SHIFT = 2
#: Column widths, in characters of table text: a text column wider than this wraps…
WRAP_AT = 20
#: …and a page is turned landscape when its text columns cannot each get this much.
COMFORTABLE = 10
#: Properties of a document without 成文日期.
UNDATED = dt.date(2000, 1, 1)


def write(doc: Document, choice: TemplateChoice, font_set: str, plan_text: str | None = None) -> bytes:
    """`doc` filled into the template `choice`, as the bytes of a .docx file; with `plan_text` (the
    plan file it was composed from) carried inside it as a custom XML part (`docgen.planpart`)."""
    return DocxWriter(choice, font_set).write(doc, plan_text)


class DocxWriter:
    """Writes documents into one template, fast enough for thousands of notices.

    Everything that does not depend on the document is done once, here: the template is read,
    checked and cleaned of theme fonts; its fields (document body, headers, footers) are turned into
    compiled Jinja templates (sandboxed, autoescaped); every package part is serialised. `write`
    then only builds the body, fills the compiled fields and zips the changed parts with the rest.
    """

    def __init__(self, choice: TemplateChoice, font_set: str):
        check_readable(choice)
        self.choice = choice
        tpl = DocxTemplate(str(choice.path))
        try:
            docx = tpl.get_docx()
        except Exception as exc:  # noqa: BLE001 - python-docx raises many kinds on a damaged file
            raise RenderError(f"模板 {choice.path} 无法打开：{exc}", choice.location) from None
        _require(docx, choice)
        self.tpl, self.docx = tpl, docx
        self.metrics = Metrics(docx)
        self.names = renames(font_set)
        _clean_fonts(docx, self.names)
        self.env = SandboxedEnvironment(autoescape=True, undefined=StrictUndefined)
        self.body = self._compile(tpl.patch_xml(tpl.xml_to_string(docx.element)))
        self.parts: dict[str, object] = {}  # headers and footers with fields
        for uri in (tpl.HEADER_URI, tpl.FOOTER_URI):
            for _, part in tpl.get_headers_footers(uri):
                xml = tpl.patch_xml(tpl.get_part_xml(part))
                if "{{" in xml or "{%" in xml:
                    self.parts[part.partname.lstrip("/")] = self._compile(xml)
        saved = io.BytesIO()
        docx.save(saved)
        with zipfile.ZipFile(saved) as zf:  # every part deflated once; changed ones are replaced
            self.package = [package.deflate(info.filename, zf.read(info.filename)) for info in zf.infolist()]
            self.raw = {name: zf.read(name) for name in (RELS, CONTENT_TYPES)}
        self.core_name = ooxml.core_properties_part(docx).partname.lstrip("/")
        self.sub = ooxml.sub_document(docx)
        #: Title line breaks already found: a batch of notices shares its title.
        self.titles: dict[tuple, list[str]] = {}

    def _compile(self, xml: str):
        try:
            return self.env.from_string(re.sub(r"<w:p([ >])", r"\n<w:p\1", xml))
        except TemplateError as exc:
            raise RenderError(f"模板 {self.choice.path} 中的字段有误：{exc.message}。", self.choice.location) from None

    def _fill(self, template, context: dict) -> str:
        """docxtpl's rendering of one part, with the template already compiled."""
        try:
            xml = template.render(context)
        except TemplateError as exc:
            raise RenderError(f"模板 {self.choice.path} 中的字段有误：{exc.message}。可用的字段：{'、'.join(context)}。",
                              self.choice.location) from None
        xml = re.sub(r"\n<w:p([ >])", r"<w:p\1", xml)
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%").replace("%_}", "%}")
        # docxtpl's listing turns \t \a \n \f inside w:t into elements: nothing to do without them
        # (its regular expressions over every paragraph took longer than writing the body)
        return self.tpl.resolve_listing(xml) if _LISTING.search(xml) else xml

    def write(self, doc: Document, plan_text: str | None = None) -> bytes:
        """`doc` as the bytes of a .docx file (equal documents give equal bytes); `plan_text`, the
        plan it was composed from, is carried in a custom XML part."""
        return self.fill(self.context(doc), doc, plan_text)

    def context(self, doc: Document) -> dict:
        """The template's fields for `doc`: the body built as WordprocessingML, the rest as text."""
        body = self.sub.element.body
        for child in [c for c in body if c.tag != qn("w:sectPr")]:
            body.remove(child)
        _Writer(self.sub, self.metrics, doc, self.titles).write()
        closing = doc.closing
        return {
            MARK: _mark_run(self.metrics, doc.mark),
            "发文字号": ooxml.text_field(doc.doc_number),
            "正文": ooxml.literal(ooxml.body_xml(self.sub)),
            "抄送": ooxml.text_field(closing.cc or ""),
            "印发机关": ooxml.text_field(closing.printer or ""),
            "印发日期": ooxml.text_field(closing.print_date or ""),
        }

    def fill(self, context: dict, doc: Document, plan_text: str | None = None) -> bytes:
        """The package with `context` in the template's fields (what docxtpl's render and save do).

        Fonts need no cleaning here: the template was cleaned once, and the body only names styles.
        """
        tree = parse_xml(self._fill(self.body, context).encode("utf-8"))
        main = tree.find(qn("w:body"))
        if doc.head is Head.NONE:
            ooxml.drop_paragraphs(main, {self.metrics.style_ids[name] for name in HEAD})
        else:
            before = self.metrics.spacing(MARK).before
            if doc.head_lines and doc.head is not Head.LETTER:  # a letter has them under its rule
                before = max(before - self._head_lines(main, doc), 0)
                ooxml.set_space_before(main, self.metrics.style_ids[MARK], before)
            if doc.joint_marks:
                self._joint_mark(main, doc, before)
            if doc.signers:
                char = self.metrics.size(STYLES[Role.BODY])
                ooxml.signer_line(main, self.metrics.style_ids["发文字号"], doc.doc_number,
                                  "签发人：" + "　".join(doc.signers), self.metrics.width, char,
                                  self._fonts_of(STYLES[Role.HEADING2]))
        if doc.head is Head.LETTER:
            self._letter_head(main, doc)
        ooxml.drop_empty_sections(main)
        if not doc.closing:
            ooxml.drop_last_section(main)
        changed = {"word/document.xml": etree.tostring(tree, xml_declaration=True, encoding="UTF-8", standalone=True)}
        for name, template in self.parts.items():
            xml = self._fill(template, context)
            if doc.head is Head.LETTER:
                xml = ooxml.letter_closing(xml)
            changed[name] = xml.encode("utf-8")
        _properties(self.docx, doc)
        changed[self.core_name] = ooxml.core_properties_part(self.docx).blob
        media = _add_pictures(changed, self.raw, doc)
        if plan_text:
            carried = planpart.parts(plan_text, changed["word/document.xml"], changed.get(RELS, self.raw[RELS]),
                                     changed.get(CONTENT_TYPES, self.raw[CONTENT_TYPES]),
                                     planpart.fingerprint_of(tree))  # the tree just written: no parse again
            changed[RELS] = carried.pop(RELS)
            changed[CONTENT_TYPES] = carried.pop(CONTENT_TYPES)
            media.extend(carried.items())
        return package.zip_parts([*((e.name, changed[e.name]) if e.name in changed else e for e in self.package),
                                  *media])

    def _fonts_of(self, style: str) -> dict | None:
        """The font attributes (w:rFonts) of a paragraph style of the template, e.g. the 楷体 of
        the second-level heading, as cleaned for the chosen font set."""
        element = self.docx.styles[style].element
        rpr = element.find(qn("w:rPr"))
        fonts = rpr.find(qn("w:rFonts")) if rpr is not None else None
        return dict(fonts.attrib) if fonts is not None else None

    def _head_lines(self, main, doc: Document) -> int:
        """份号 (body type), 密级 and 紧急程度 (黑体, the first-level heading's type) above the mark."""
        body, bold = self.metrics.style_ids[STYLES[Role.BODY]], self.metrics.style_ids[STYLES[Role.HEADING1]]
        line = self.metrics.spacing(STYLES[Role.BODY]).line
        lines = [(text, body if is_number else bold) for text, is_number in doc.head_lines]
        return ooxml.head_lines(main, self.metrics.style_ids[MARK], lines, line)

    def _letter_head(self, main, doc: Document) -> None:
        """The 信函 head (GB/T 9704 10.1, `ooxml.letter_head`): 份号 in the body's type, 密级 and
        紧急程度 in 黑体 (the first-level heading's), under the first red double rule."""
        body, bold = self.metrics.style_ids[STYLES[Role.BODY]], self.metrics.style_ids[STYLES[Role.HEADING1]]
        heiti = self._fonts_of(STYLES[Role.HEADING1])
        lines = [(text, body, None) if is_number else (text, bold, heiti) for text, is_number in doc.head_lines]
        em, mark_line, gap, char, line = _letter_sizes(self.metrics, doc)
        ooxml.letter_head(main, self.metrics.style_ids[MARK], self.metrics.style_ids["发文字号"], em, mark_line, gap,
                          lines, self.metrics.width, char, line)

    def _joint_mark(self, main, doc: Document, before: int) -> None:
        """The stacked 发文机关标志 of a jointly issued document, fitted to the line as the single
        mark is (`_fitted`)."""
        names = max(width(m) for m in doc.joint_marks)
        word = width(doc.mark_word)
        gap = 1 if word else 0  # one character between the names and 文件
        slack = 0.5  # half a character, so that the longest name never wraps in its cell
        half_points, scale = _fitted(self.metrics, names + slack + gap + word)
        em = half_points * 10 if half_points else self.metrics.size(MARK)
        em = em * (scale or 100) / 100
        spacing = self.metrics.spacing(MARK)
        ooxml.joint_mark(main, self.metrics.style_ids[MARK], doc.joint_marks, doc.mark_word,
                         (round((names + slack) * em), round((gap + word) * em)), round(spacing.line),
                         round(before), half_points, scale)




# -- pictures (a 通报's charts) ---------------------------------------------------------------------
RELS = "word/_rels/document.xml.rels"
CONTENT_TYPES = "[Content_Types].xml"
_PIC_REL = "rIdDocgenPicture{}"
_PIC_PART = "word/media/docgen-picture{}.png"
_RELS_NS = "http://schemas.openxmlformats.org/package/2006/relationships"
_TYPES_NS = "http://schemas.openxmlformats.org/package/2006/content-types"


def _pictures(doc: Document) -> list[Picture]:
    """The document's pictures in body order: the n-th (from 1) is `_PIC_REL` n and `_PIC_PART` n."""
    return [b for b in doc.body if isinstance(b, Picture)]


def _add_pictures(changed: dict[str, bytes], raw: dict[str, bytes], doc: Document) -> list[tuple[str, bytes]]:
    """The media parts of `doc`'s pictures; their relationships and the png content type go into
    `changed` (the template's own parts are left as they were when there are none)."""
    pictures = _pictures(doc)
    if not pictures:
        return []
    rels = etree.fromstring(raw[RELS])
    for n in range(1, len(pictures) + 1):
        etree.SubElement(rels, f"{{{_RELS_NS}}}Relationship", Id=_PIC_REL.format(n), Type=RT.IMAGE,
                         Target=_PIC_PART.format(n).removeprefix("word/"))
    changed[RELS] = etree.tostring(rels, xml_declaration=True, encoding="UTF-8", standalone=True)
    types = etree.fromstring(raw[CONTENT_TYPES])
    if not any(d.get("Extension", "").lower() == "png" for d in types.iter(f"{{{_TYPES_NS}}}Default")):
        types.insert(0, etree.Element(f"{{{_TYPES_NS}}}Default", Extension="png", ContentType="image/png"))
    changed[CONTENT_TYPES] = etree.tostring(types, xml_declaration=True, encoding="UTF-8", standalone=True)
    return [(_PIC_PART.format(n), p.png) for n, p in enumerate(pictures, start=1)]


def _require(docx, choice: TemplateChoice) -> None:
    names = {s.name for s in docx.styles}
    missing = [name for name in REQUIRED_STYLES if name not in names]
    if missing:
        raise RenderError(
            f"模板 {choice.path} 缺少样式：{'、'.join(missing)}。docgen 按名称使用这些样式，"
            "请不要删除或改名；可从 docgen 自带的模板中复制。", choice.location)
    if not ooxml.has_field(etree.tostring(docx.element.body, encoding="unicode"), "正文"):
        raise RenderError(f"模板 {choice.path} 中没有 {{{{p 正文 }}}} 字段，docgen 不知道把正文放在哪里。",
                          choice.location)


#: A long 发文机关标志 is narrowed down to this share of its width before it is made smaller.
NARROWEST = 70


def _fitted(metrics: Metrics, ems: float) -> tuple[int | None, int | None]:
    """(half-points, per cent width) that fit a 发文机关标志 `ems` characters wide on one line.

    A head too long for the line keeps its height, so that its top stays 35 mm under the text
    area's top (GB/T 9704 7.2.3), and is narrowed (w:w, as 红头 often are); only one that would need
    narrowing beyond `NARROWEST` per cent is also made smaller."""
    natural = ems * metrics.size(MARK)
    if natural <= metrics.width:
        return None, None
    scale = math.floor(100 * metrics.width / natural)
    if scale >= NARROWEST:
        return None, scale
    return math.floor(metrics.width / ems / 10 * 100 / NARROWEST), NARROWEST


def _letter_sizes(metrics: Metrics, doc: Document) -> tuple[int, int, int, int, int]:
    """The sizes `ooxml.letter_head` lays out the 信函 head with (twips): the name's character (as
    `_mark_run` fits it) and line, the gap under the first rule (7/8 of a 三号 character), the
    body's character and line."""
    half_points, _ = _fitted(metrics, width(doc.mark))
    em = half_points * 10 if half_points else metrics.size(MARK)
    char = metrics.size(STYLES[Role.BODY])
    return (em, round(metrics.spacing(MARK).line), round(char * geometry.LETTER_ELEMENT_GAP), char,
            round(metrics.spacing(STYLES[Role.BODY]).line))


def _mark_run(metrics: Metrics, mark: str):
    """The 发文机关标志's run, fitted to the line (`_fitted`)."""
    return ooxml.run_xml(mark, *_fitted(metrics, width(mark)))


def _clean_fonts(docx, names: dict[str, str]) -> None:
    ooxml.clean_fonts(docx.element, names)
    ooxml.clean_fonts(docx.styles.element, names)
    for rel in docx.part.rels.values():
        if rel.is_external:
            continue
        part = rel.target_part
        if hasattr(part, "element"):
            ooxml.clean_fonts(part.element, names)
        elif rel.reltype == RT.FONT_TABLE:
            root = parse_xml(part.blob)
            ooxml.clean_fonts(root, names)
            part._blob = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)


def _properties(docx, doc: Document) -> None:
    when = dt.datetime.combine(doc.date or UNDATED, dt.time())
    props = docx.core_properties
    props.title = doc.title
    props.author = doc.author
    props.last_modified_by = "docgen"
    props.created = when
    props.modified = when
    props.revision = 1


class _Writer:
    """Adds the composed body and attachments to a sub-document of the template."""

    def __init__(self, sub, metrics: Metrics, doc: Document, titles: dict | None = None):
        self.sub = sub
        self.titles = {} if titles is None else titles
        self.metrics = metrics
        self.doc = doc
        #: True right after a section break: what comes next starts a page anyway.
        self.after_break = False
        #: The last paragraph written.
        self.last = None
        #: GB/T 9704 7.3.5.4: the first page's spacing is closed up by this factor, if set.
        head = list(HEAD) if doc.head is Head.FILE else []
        # the 信函's name and rules stand in frames: only its 发文字号, 份号… lines take room
        letter = ooxml.letter_head_height(*_letter_sizes(metrics, doc), len(doc.head_lines)) \
            if doc.head is Head.LETTER else 0
        self.scale = first_page_scale(doc, metrics, STYLES, head, SIGNATURE_STYLES.__getitem__, self.title_lines,
                                      letter)
        self.tightened = {id(b) for b in signed_first_page(doc)} if self.scale else set()
        #: Pictures written so far (the n-th uses relationship `_PIC_REL` n, see `_add_pictures`).
        self.pictures = 0

    def _style_id(self, name: str | None) -> str | None:
        return self.metrics.style_ids[name] if name else None

    def _add_paragraph(self, text: str, style: str, runs=()):
        """A paragraph of style `style` holding `text` or `runs` ((text, run style name) pairs)."""
        pairs = [(text, None)] if text else [(t, self._style_id(s)) for t, s in runs]
        return Paragraph(ooxml.add_paragraph(self.sub.element.body, self._style_id(style), pairs), self.sub._body)

    def write(self) -> None:
        for block in self.doc.body:
            if isinstance(block, Signature):
                self.signature(block)
            elif isinstance(block, Table):
                if self.last is not None:  # a table's caption never ends a page without it
                    self.last.paragraph_format.keep_with_next = True
                self.table(block, self.width)
            elif isinstance(block, Picture):
                self.picture(block)
            else:
                self.paragraph(block)
        for attachment in self.doc.attachments:
            self.attachment(attachment)
        if self.doc.landscape:
            self._end_section(self.metrics.landscape)

    @property
    def width(self) -> int:
        """The text width of the document's own pages."""
        return ooxml.text_width(self.metrics.landscape) if self.doc.landscape else self.metrics.width

    def title_lines(self, para: Para, text_width: int | None = None) -> list[str]:
        capacity = (text_width or self.width) / self.metrics.size(STYLES[para.role])
        key = (para.text, capacity, frozenset(w for w in self.doc.keep_together if w in para.text))  # others no matter
        if key not in self.titles:
            self.titles[key] = break_lines(para.text, capacity, self.doc.keep_together)
        return self.titles[key]

    def paragraph(self, para: Para, text_width: int | None = None):
        style = STYLES[para.role]
        if para.role in KEPT_WITH_PREVIOUS and self.last is not None:
            self.last.paragraph_format.keep_with_next = True
        first = self.last is None
        titled = para.role in TITLES
        # Plain runs are built straight in XML (fast); struck-through or inserted text (the
        # 修订对照表) gets direct formatting through python-docx below.
        marked = any(run.emphasis in (Emphasis.DELETED, Emphasis.INSERTED) for run in para.runs)
        runs = () if titled or marked else [
            (breakable(run.text), self._run_style(para.role, run.emphasis)) for run in para.runs]
        p = self.last = self._add_paragraph("", style, runs)
        if first and para.role is Role.PLAN_TITLE:  # a document's first page needs no break
            p.paragraph_format.page_break_before = False
        self.after_break = False
        if id(para) in self.tightened:
            self._tighten(p, style)
        if titled:
            lines = self.title_lines(para, text_width)
            for i, line in enumerate(lines):
                run = p.add_run(line)
                if i < len(lines) - 1:
                    run.add_break()
            return p
        if para.role in CENTRED:
            p.alignment = WD_ALIGN_PARAGRAPH.CENTER
            p.paragraph_format.first_line_indent = 0
        if marked:
            for run in para.runs:
                self._run(p, breakable(run.text), self._run_style(para.role, run.emphasis), run.emphasis)
        return p

    def _run(self, p, text: str, style: str | None, emphasis: Emphasis) -> None:
        run = p.add_run(text)
        ooxml.set_style(run, self._style_id(style))
        if emphasis is Emphasis.DELETED:
            run.font.strike = True
        elif emphasis is Emphasis.INSERTED:
            run.font.bold = run.font.underline = True

    def _tighten(self, p, style: str) -> None:
        spacing = self.metrics.spacing(style)
        fmt = p.paragraph_format
        fmt.line_spacing_rule = WD_LINE_SPACING.EXACTLY
        fmt.line_spacing = Twips(round(spacing.line * self.scale))
        fmt.space_before = Twips(round(spacing.before * self.scale))
        fmt.space_after = Twips(round(spacing.after * self.scale))

    @staticmethod
    def _run_style(role: Role, emphasis: Emphasis) -> str | None:
        if emphasis is Emphasis.LEAD:
            return LEAD
        if emphasis is Emphasis.NONE and role in HEADINGS:
            return PLAIN
        return None

    def signature(self, s: Signature) -> None:
        """署名 and 成文日期 in the sealed or unsealed layout (GB/T 9704 7.3.5).

        A jointly issued document signs every organ, lead organ first, one under another; the date
        goes under the last.
        """
        name_style, date_style = SIGNATURE_STYLES[s.sealed]
        char = self.metrics.size(STYLES[Role.BODY])
        date_w = width(s.date) * char
        names = (s.name, *s.joint)
        placed = []
        for i, organ in enumerate(names):
            name_w = width(organ) * char
            if s.sealed:  # the organ centred over the date
                date_in = self.metrics.indent(date_style)
                name_in = date_in + (date_w - name_w) / 2
            else:  # the date's first character DATE_SHIFT characters right of the (last) organ's
                name_in = self.metrics.indent(name_style)
                date_in = name_in + name_w - DATE_SHIFT * char - date_w
                least = self.metrics.indent(date_style)
                if date_in < least:
                    name_in += least - date_in
                    date_in = least
            placed.append((organ, name_in))
        if self.last is not None:  # never a page with the signature alone (7.3.5)
            fmt = self.last.paragraph_format
            fmt.keep_with_next = True
            # Lines of body text go with it: LibreOffice moves no line of a paragraph for
            # keep-with-next unless widow control lets it split the paragraph (the template turns
            # widow control off so that every page holds 22 lines).
            fmt.widow_control = True
        written = []
        for i, (organ, name_in) in enumerate(placed):
            name = self.last = self._add_paragraph(organ, name_style)
            name.paragraph_format.right_indent = Twips(max(round(name_in), 0))
            written.append((name, name_style))
            if i < len(placed) - 1 or s.date:
                name.paragraph_format.keep_with_next = True
        if s.date:
            date = self.last = self._add_paragraph(s.date, date_style)
            date.paragraph_format.right_indent = Twips(max(round(date_in), 0))
            written.append((date, date_style))
        if id(s) in self.tightened:
            for p, style in written:
                self._tighten(p, style)
        self.after_break = False

    def picture(self, pic: Picture) -> None:
        """A picture centred in its own paragraph, kept with its caption (the paragraph after it)."""
        self.pictures += 1
        n = self.pictures
        p = self.last = self._add_paragraph("", STYLES[Role.BODY])
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
        p.paragraph_format.first_line_indent = 0
        p.paragraph_format.keep_with_next = True
        p.paragraph_format.line_spacing_rule = WD_LINE_SPACING.SINGLE  # the style's exact spacing would clip it
        inline = CT_Inline.new_pic_inline(n, _PIC_REL.format(n), pic.name or f"picture{n}.png",
                                          Cm(pic.width_cm), Cm(pic.height_cm))
        run = p.add_run()
        drawing = run._r.add_drawing(inline)
        del drawing
        self.after_break = False

    def attachment(self, a: Attachment) -> None:
        """附件N, its title and its table, on a new page; landscape when the table needs it."""
        turn = a.table.landscape or self._needs_width(a.table)
        section = self.metrics.landscape if turn else self.metrics.section
        if turn and not self.after_break:
            self._end_section(self.metrics.section)
        starts_page = self.after_break
        label = self.paragraph(Para.plain(Role.ATTACHMENT_LABEL, a.label))
        if starts_page:
            label.paragraph_format.page_break_before = False
        self.paragraph(Para.plain(Role.ATTACHMENT_TITLE, a.title), ooxml.text_width(section))
        if a.table.columns or a.table.rows:  # an attachment may be a title only (its text is sent separately)
            self.table(a.table, ooxml.text_width(section))
        if turn:
            self._end_section(section)

    def _end_section(self, sect_pr) -> None:
        ooxml.end_section(self._add_paragraph("", SECTION_END), sect_pr)
        self.after_break = True

    def _needs_width(self, table: Table) -> bool:
        char = self.metrics.size(TABLE_TEXT)
        natural = _natural_widths(table)
        wanted = sum((n if i in table.narrow else min(n, COMFORTABLE)) + 1 for i, n in enumerate(natural))
        return wanted * char > self.metrics.width

    def table(self, t: Table, text_width: int) -> None:
        """`t` as a fixed-width table: its head rows through python-docx (merged cells), its body
        rows built straight in XML (python-docx's cell access walks the whole table per row: a
        table of thousands of rows took seconds); the same XML either way."""
        widths = _column_widths(t, text_width, self.metrics.size(TABLE_TEXT))
        heads = 2 if t.groups else 1 if t.columns else 0  # a form to fill in has no head row
        table = self.sub.add_table(rows=heads, cols=_column_count(t))
        table.style = self.sub.styles[TABLE]
        ooxml.table_layout(table, widths)
        top = []
        for label, span in t.groups:
            top += [label] + [""] * (span - 1)
        head_rows = (tuple(top), t.columns) if t.groups else (t.columns,) if t.columns else ()
        for row, values in zip(table.rows, head_rows):
            ooxml.row_properties(row, header=True)
            for cell, value in zip(row.cells, values):
                p = cell.paragraphs[0]
                ooxml.set_style(p, self._style_id(TABLE_HEAD))
                self._cell_text(p, value)
        height = round(self.metrics.size(TABLE_TEXT) * FORM_ROW) if t.form else None
        ooxml.add_rows(table._tbl, t.rows, widths, self._style_id(TABLE_TEXT), t.narrow, height, breakable,
                       lambda p, value: self._cell_text(Paragraph(p, self.sub._body), value))
        if t.groups:
            self._merge_head(table, t)
        self.after_break = False

    def _cell_text(self, p: Paragraph, value) -> None:
        """A head cell's text, or a cell of runs (struck-through or inserted text)."""
        if isinstance(value, str):
            p.add_run(breakable(value))
        else:
            for run in value:
                self._run(p, breakable(run.text), None, run.emphasis)

    @staticmethod
    def _merge_head(table, t: Table) -> None:
        """The two head rows merged: a group's label across its columns, a column without a group
        down both rows."""
        upper, lower = table.rows[0].cells, table.rows[1].cells
        c = 0
        for label, span in t.groups:
            if span > 1:
                merged = upper[c].merge(upper[c + span - 1])
                for extra in merged.paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)
            elif not label:
                text = lower[c].text
                merged = upper[c].merge(lower[c])
                for extra in merged.paragraphs[1:]:
                    extra._p.getparent().remove(extra._p)
                if merged.paragraphs[0].runs:
                    merged.paragraphs[0].runs[0].text = text
            c += span


#: The characters docxtpl's `resolve_listing` rewrites.
_LISTING = re.compile("[\t\a\n\f]")
#: A Chinese list mark between two Latin letters or digits ("T03、T04", "95%，100%").
_LATIN_LIST = re.compile(r"(?<=[0-9A-Za-z%])([、，；])(?=[0-9A-Za-z])")
#: ZERO WIDTH SPACE: an invisible place where a line may break.
BREAK_OPPORTUNITY = "\u200b"


def breakable(text: str) -> str:
    """`text` with a break opportunity after each Chinese list mark that joins Latin words.

    LibreOffice (7.4) finds no place to break in "（T03、T04、…、T30）": it moves the whole list to
    the next line, which leaves the line before it stretched, and then breaks it before a 、. An
    invisible zero-width space after each mark lets it (and Word) break there; it prints nothing.
    """
    return _LATIN_LIST.sub(r"\1" + BREAK_OPPORTUNITY, text) if text.isascii() is False else text


#: A form's rows are this many characters of table text high (room to write by hand).
FORM_ROW = 4


def _column_count(table: Table) -> int:
    return len(table.columns) or max((len(r) for r in table.rows), default=1)


@lru_cache(maxsize=65536)
def _text_width(text: str) -> float:
    """`width` of a cell's text (a table of thousands of rows repeats its figures)."""
    return width(text)


def _natural_widths(table: Table) -> list[float]:
    """Each column's widest text, in full-width characters."""
    return [max(_text_width(cell_text(row[i])) if i < len(row) else 0 for row in (table.columns, *table.rows))
            for i in range(_column_count(table))]


def _column_widths(table: Table, text_width: int, char: int) -> list[int]:
    """Column widths in twips filling `text_width`: narrow columns fit their text, the others
    share the rest by the table's `shares`, else by how much text they hold (counted up to
    `WRAP_AT` characters)."""
    natural = _natural_widths(table)
    widths = [round((n + 1) * char) if i in table.narrow else 0 for i, n in enumerate(natural)]
    if table.shares:
        weights = {i: table.shares[i] for i in range(len(natural)) if i not in table.narrow}
    else:
        weights = {i: min(n, WRAP_AT) + 1 for i, n in enumerate(natural) if i not in table.narrow}
    rest = text_width - sum(widths)
    total = sum(weights.values()) or 1
    for i, w in weights.items():
        widths[i] = round(rest * w / total)
    _fit_words(table, widths, char)
    widths[-1] += text_width - sum(widths)
    return widths


#: A head or cell of at most this many characters is one word: never broken inside (道路交通).
HEAD_WORD = 6
#: Cells that are one word however long: figures, percentages, dates (2025年12月20日).
_UNBROKEN = re.compile(r"^[-+]?[0-9.,%]+$|^[0-9]{4}年[0-9]{1,2}月([0-9]{1,2}日)?$|^(上升|下降|增加|减少)[0-9.]+%$")


def _fit_words(table: Table, widths: list[int], char: int) -> None:
    """Widen columns too narrow for their longest word (a short head, a figure) at the expense of
    the widest ones, so that no word breaks inside a narrow column ("道路交/通")."""
    if not table.columns:
        return  # a form: its label column is shared as asked
    least = []
    for i, head in enumerate(table.columns):
        words = [width(cell_text(head))] if width(cell_text(head)) <= HEAD_WORD else [2.0]
        words += [_text_width(cell_text(row[i])) for row in table.rows
                  if i < len(row) and (_text_width(cell_text(row[i])) <= HEAD_WORD or _UNBROKEN.match(cell_text(row[i])))]
        least.append(round((max(words) + 0.8) * char))
    short = {i: least[i] - w for i, w in enumerate(widths) if w < least[i]}
    need = sum(short.values())
    if not need:
        return
    spare = {i: w - least[i] for i, w in enumerate(widths) if i not in short and w > least[i]}
    room = sum(spare.values())
    if room < need:
        return  # nothing fits: leave the shares as they are
    for i, add in short.items():
        widths[i] += add
    for i, extra in spare.items():
        widths[i] -= round(need * extra / room)
