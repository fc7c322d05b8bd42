"""The second PDF engine: a composed `Document` written as Typst markup and compiled in-process.

The same tree the .docx writer (`docgen.render.docx`) lays out goes to Typst (the `typst` package,
one compiler per process, reused for every document), with the faces LibreOffice prints the
official names with (`docgen.render.fonts.conf`): FandolFang for 仿宋, FandolKai for 楷体, Noto Sans
CJK SC for 黑体, Noto Serif CJK SC (Bold for 小标宋), Liberation Serif for Times New Roman, and a
fallback face with a large character set after each. Every figure comes from
`docgen.render.geometry` (GB/T 9704), as the Word template's do; a plan's own Word template
(`模板:`) changes the .docx only, so `pdf_engine` falls back to LibreOffice for it.

GB/T 9704 asks for a grid: 22 lines of 28 characters. Typst's Chinese typesetting compresses
punctuation (half-width marks at a line's ends and between two marks, clreq 3.1.6), which would put
29 characters on a line; every CJK mark is therefore set in a box of its own (no compression) and
tied to its neighbour with WORD JOINERs: a closing mark to the character before it, an opening mark
to the one after it, so that no line starts with a closing mark or ends with an opening one.

The PDF carries a fixed creation date (the document's date, or none) and fixed metadata, so the
same document gives the same bytes.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path

from docgen.compose.titles import break_lines, width
from docgen.compose.tree import (
    Attachment,
    Document,
    Emphasis,
    Head,
    Para,
    Picture,
    Role,
    Run,
    Signature,
    Table,
    cell_text,
)
from docgen.render import geometry as g
from docgen.render.errors import RenderError
from docgen.render.fit import first_page_scale, signed_first_page

INSTALL_HINT = "请安装 typst：pip install 'typst>=0.15'"
#: Where the faces are (Debian packages, see the Makefile's SYSTEM_PACKAGES): passed explicitly,
#: system fonts are ignored, so that the output does not depend on what else is installed.
FONT_DIRS = (
    Path("/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol"),
    Path("/usr/share/fonts/opentype/noto"),
    Path("/usr/share/fonts/truetype/liberation2"),
    Path("/usr/share/fonts/truetype/arphic"),
)
#: The files of `FONT_DIRS` the faces of `FACES` come from (regular, and bold for 小标宋 and the
#: Latin of titles): Typst scans only these, not the other weights and families beside them.
FONT_FILES = (
    FONT_DIRS[0] / "FandolFang-Regular.otf",
    FONT_DIRS[0] / "FandolKai-Regular.otf",
    FONT_DIRS[1] / "NotoSansCJK-Regular.ttc",
    FONT_DIRS[1] / "NotoSerifCJK-Regular.ttc",
    FONT_DIRS[1] / "NotoSerifCJK-Bold.ttc",
    FONT_DIRS[2] / "LiberationSerif-Regular.ttf",
    FONT_DIRS[2] / "LiberationSerif-Bold.ttf",
    FONT_DIRS[3] / "ukai.ttc",
)
#: The faces each official name prints with (first the stand-in, then its fallbacks).
LATIN = '(name: "Liberation Serif", covers: "latin-in-cjk")'
FACES = {
    "仿宋": f'({LATIN}, "FandolFang R", "Noto Serif CJK SC")',
    "楷体": f'({LATIN}, "FandolKai", "AR PL UKai", "Noto Serif CJK SC")',
    "黑体": f'({LATIN}, "Noto Sans CJK SC")',
    "宋体": '("Noto Serif CJK SC",)',
    "小标宋": f'({LATIN}, "Noto Serif CJK SC")',
}

PT = 1 / 20  # points per twip
LINE_PT = g.LINE * PT              # 28.95 pt: one line of the grid
TITLE_LINE_PT = round(g.LINE * 1.2) * PT
TRACKING_PT = g.CHAR_SPACING * PT  # -0.25 pt after each character of body text

#: Where the baseline sits in a line of the grid: this share of the line lies under it.
DESCENT = 0.2

#: The 信函's red double rules (points): a thick and a thin line this far apart (as LibreOffice
#: prints the .docx's thickThinSmallGap border: about 1 mm and 0.25 mm, 0.35 mm apart).
LETTER_RULE_THICK_PT, LETTER_RULE_THIN_PT, LETTER_RULE_GAP_PT = 2.85, 0.75, 1.0
LETTER_RULE_H_PT = LETTER_RULE_THICK_PT + LETTER_RULE_THIN_PT + LETTER_RULE_GAP_PT
#: A CJK face's character box reaches this share of its size above the baseline (as measured,
#: `docgen.render.measure.EM_ASCENT`).
EM_ASCENT = 0.88
#: The 发文机关标志's ideographs (Noto Serif CJK Bold) are inked over this share of their size
#: from the top of their ink (as `docgen.render.ooxml` reckons the 信函's rule under them).
NAME_INK = 0.94

#: CJK punctuation: closing marks (never at a line's start) and opening marks (never at its end).
CLOSING = "，。、；：？！”’）》〉〕】」』"
OPENING = "“‘（《〈〔【「『"
#: ZERO WIDTH SPACE the .docx writer adds as a break opportunity: Typst needs none.
_ZWSP = "\u200b"


def _edges(pitch: float, size: float) -> str:
    """Text edges that make every line exactly `pitch` points high, whatever its faces."""
    below = pitch * DESCENT if pitch < 2 * size else size * 0.25
    return f"top-edge: {pitch - below:.3f}pt, bottom-edge: -{below:.3f}pt"


def _string(text: str) -> str:
    """`text` as a Typst string literal."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n").replace("\r", "") + '"'


def _marked(text: str, tracking: float = TRACKING_PT) -> str:
    """`text` as Typst code (a content expression): plain text as strings, each CJK mark in a box one
    character wide (Typst does not compress it), tied to the character it belongs to by an invisible
    WORD JOINER (no line starts with a closing mark or ends with an opening one). See the module's
    docstring.

    Typst adds `tracking` after every glyph but the last of a run of text, and a box ends a run: a
    mark right after text gives the lost tracking back. No mark hangs into the margin at a line's
    end: as LibreOffice does, the line breaks before the character the mark follows."""
    text = text.replace(_ZWSP, "")
    parts: list[str] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            parts.append(_string("".join(run)))
            run.clear()

    after_text = False
    n = len(text)
    for i, ch in enumerate(text):
        closing, opening = ch in CLOSING, ch in OPENING
        if not (closing or opening):
            run.append(ch)
            continue
        had_text = bool(run) or after_text
        flush()
        w = f"1em + {(2 if had_text else 1) * tracking:.3f}pt"
        code = f'mark("{ch}", {"left" if closing else "right"}, w: {w})'
        if closing:
            if i > 0:
                parts.append(_JOIN)
            parts.append(code)
        else:
            parts.append(code)
            if i + 1 < n:
                parts.append(_JOIN)
        after_text = False
    flush()
    return "{" + "; ".join(parts) + "}" if parts else '""'


#: An invisible WORD JOINER: a text of its own (in another language than the text around it), so
#: that Typst draws no glyph for it while its line breaking still sees it.
_JOIN = 'text(lang: "en", "\\u{2060}")'


PREAMBLE = r"""
#let LINE = %(line).3fpt
#let pitch(p, size) = (top-edge: p - calc.min(p * %(descent)s, size * 0.25), bottom-edge: -calc.min(p * %(descent)s, size * 0.25))
#let fs = %(fs)s
#let kai = %(kai)s
#let hei = %(hei)s
#let song = %(song)s
#let xbs = %(xbs)s
#let mark(c, side, w: 1em - 0.25pt) = box(width: w, align(side, c))
#let fake-bold(body) = text(stroke: 0.38pt + black, body)
#let double-rule(thick-first) = {
  let red = rgb(255, 0, 0)
  let (a, b) = if thick-first { (%(thick)spt, %(thin)spt) } else { (%(thin)spt, %(thick)spt) }
  stack(dir: ttb, spacing: %(rulegap)spt, rect(width: %(rulelength)smm, height: a, fill: red, stroke: none),
    rect(width: %(rulelength)smm, height: b, fill: red, stroke: none))
}
#set text(font: fs, size: 16pt, lang: "zh", region: "cn", tracking: %(tracking)spt, cjk-latin-spacing: none,
  hyphenate: false, overhang: false, costs: (widow: 0%%, orphan: 0%%), ..pitch(LINE, 16pt))
#set par(justify: true, leading: 0pt, spacing: 0pt, first-line-indent: (amount: 32pt, all: true), linebreaks: "simple",
  justification-limits: (tracking: (min: 0pt, max: 0.5em)))
#set block(spacing: 0pt)
#set table(stroke: 0.5pt)
"""

PAGE_NUMBER = r"""
#let closing-pages() = query(<docgen-closing>).map(m => m.location().page())
#let page-number(first: true) = {
  let n = here().page()
  if n == 1 and not first { return }
  if n in closing-pages() { return }
  let label = text(font: song, size: 14pt, tracking: 0pt, overhang: false, top-edge: "ascender", bottom-edge: "descender",
    "— " + str(n) + " —")
  if page.flipped {
    // the page is turned: the number stands where it stands on portrait pages, turned with it
    let h = page.width
    let long = measure(label).width
    let y = if calc.odd(n) { h - %(right)smm - 14pt - long } else { %(left)smm + 14pt }
    place(top + left, dx: %(bottom)smm - %(gap)smm - 14pt, dy: y, rotate(90deg, reflow: true, label))
  } else {
    let y = %(top)smm + %(textheight)smm + %(gap)smm
    if calc.odd(n) {
      place(top + right, dx: -(%(right)smm + 14pt), dy: y, label)
    } else {
      place(top + left, dx: %(left)smm + 14pt, dy: y, label)
    }
  }
}
#set page(paper: "a4", margin: (top: %(top)smm, left: %(left)smm, right: %(right)smm, bottom: %(bottom)smm),
  foreground: context page-number())
"""


def _preamble() -> str:
    values = {
        "line": LINE_PT, "descent": DESCENT, "fs": FACES["仿宋"], "kai": FACES["楷体"], "hei": FACES["黑体"],
        "song": FACES["宋体"], "xbs": FACES["小标宋"], "top": g.TOP_MM, "left": g.LEFT_MM, "right": g.RIGHT_MM,
        "bottom": g.BOTTOM_MM, "tracking": TRACKING_PT, "textheight": g.TEXT_H_MM, "gap": g.PAGE_NUMBER_GAP_MM,
        "thick": LETTER_RULE_THICK_PT, "thin": LETTER_RULE_THIN_PT, "rulegap": LETTER_RULE_GAP_PT,
        "rulelength": g.LETTER_RULE_MM,
    }
    return (PREAMBLE % values) + (PAGE_NUMBER % values)


def _require():
    """The `typst` module; `RenderError` when it or a font file is missing."""
    try:
        import typst  # noqa: PLC0415 - only the Typst engine needs it
    except ImportError:
        raise RenderError(f"用 Typst 生成 PDF 需要 typst 包，但没有安装。{INSTALL_HINT}，或用 --pdf-engine libreoffice。") from None
    missing = [str(f) for f in FONT_FILES if not f.is_file()]
    if missing:
        raise RenderError(f"用 Typst 生成 PDF 缺少字体文件：{'、'.join(missing)}。请安装 fonts-noto-cjk、"
                          "texlive-lang-chinese、fonts-liberation2 和 fonts-arphic-ukai。")
    return typst


class Typesetter:
    """Compiles documents with one Typst compiler: the font files scanned and loaded once per
    process. One at a time: two compilers in two threads of one process do not run at once
    (measured: the wall clock equals the CPU time, and the CPU time grows), so `pdfs` compiles
    one document after another."""

    def __init__(self):
        self.typst = typst = _require()
        self.root = Path(tempfile.mkdtemp(prefix="docgen-typst-"))
        # Typst scans folders: one of its own, holding links to the files the faces need
        fonts = self.root / "fonts"
        fonts.mkdir()
        for i, path in enumerate(FONT_FILES):
            (fonts / f"{i:02d}-{path.name}").symlink_to(path)
        self.fonts = typst.Fonts(include_system_fonts=False, include_embedded_fonts=False, font_paths=[str(fonts)])
        self.compiler = self._compiler()
        self.lock = threading.Lock()
        self.preamble = _preamble()
        self._metrics = None

    def _compiler(self):
        global _started
        _started = True
        return self.typst.Compiler(root=str(self.root), font_paths=self.fonts, ignore_system_fonts=True)

    @property
    def metrics(self):
        """The numbers of docgen's own Word template (for `docgen.render.fit`), read once."""
        if self._metrics is None:
            from docx import Document as open_docx  # noqa: PLC0415 - only a signed first page needs it

            from docgen.render.metrics import Metrics  # noqa: PLC0415
            from docgen.render.template import default_template  # noqa: PLC0415

            self._metrics = Metrics(open_docx(str(default_template().path)))
        return self._metrics

    def markup(self, doc: Document) -> str:
        return self.preamble + _Markup(doc, self).write()

    def picture_path(self, png: bytes) -> str:
        name = f"pic-{hashlib.sha256(png).hexdigest()[:24]}.png"
        path = self.root / name
        if not path.exists():
            path.write_bytes(png)
        return name

    def pdf(self, doc: Document) -> bytes:
        """`doc` as PDF bytes (equal documents give equal bytes)."""
        when = dt.datetime.combine(doc.date or dt.date(2000, 1, 1), dt.time(), tzinfo=dt.UTC)
        with self.lock:  # the pictures it writes, then the compiler
            source = self.markup(doc).encode("utf-8")
            try:
                return self.compiler.compile(input=source, format="pdf", timestamp=when)
            except self.typst.TypstError as exc:  # a bug of ours, never bad input: the text is escaped
                raise RenderError(f"Typst 排版失败：{exc.message}。请用 --pdf-engine libreoffice 生成 PDF，并报告此问题。") from None

    def pdfs(self, docs) -> Iterator[bytes]:
        """The PDFs of `docs`, in their order (one compiler: its fonts and caches shared by all)."""
        return map(self.pdf, docs)


_shared: Typesetter | None = None
_shared_lock = threading.Lock()
#: Whether a Typst compiler was made in this process (or in the one it was forked from). Typst's
#: Rust runtime starts threads of its own; a process forked after that hangs in its first compile,
#: whatever compiler it makes (measured), so batches fork only before (`forkable`).
_started = False


def forkable() -> bool:
    """Whether a process forked now can still print with Typst (no compiler was made here yet)."""
    return not _started


def typesetter() -> Typesetter:
    """The process's Typesetter (the compiler and its fonts are loaded once)."""
    global _shared
    with _shared_lock:
        if _shared is None:
            _shared = Typesetter()
        return _shared


def pdf(doc: Document) -> bytes:
    return typesetter().pdf(doc)


def pdfs(docs) -> Iterator[bytes]:
    """The PDFs of `docs` in their order (`Typesetter.pdfs`)."""
    return typesetter().pdfs(docs)


def supports(doc: Document) -> bool:
    """Whether Typst prints `doc`: every composed document (文件, 信函 and headless ones); a plan's
    own Word template goes to LibreOffice (`docgen.render.pdf.engine_for`)."""
    return isinstance(doc, Document)


def check_available() -> None:
    """`RenderError` now, before anything is written, when the Typst engine cannot run (the
    compiler itself is made in the process that prints: a batch's workers are forked)."""
    _require()


# -- the markup ------------------------------------------------------------------------------------
TITLES = {Role.TITLE, Role.PLAN_TITLE, Role.ATTACHMENT_TITLE}
HEADINGS = {Role.HEADING1: "hei", Role.HEADING2: "kai", Role.HEADING3: "fs", Role.HEADING4: "fs"}
KEPT_WITH_NEXT = {Role.RECIPIENTS, Role.HEADING1, Role.HEADING2, Role.HEADING3, Role.HEADING4, Role.TITLE,
                  Role.PLAN_TITLE, Role.ATTACHMENT_LABEL, Role.ATTACHMENT_TITLE}
KEPT_WITH_PREVIOUS = {Role.ATTACHMENT_NOTE, Role.ATTACHMENT_NOTE_ITEM, Role.REMARK}
#: GB/T 9704 7.3.5.2: without a seal the date's first character stands two characters right of the organ's.
DATE_SHIFT = 2
CHAR_PT = g.SANHAO
TEXT_W_PT = g.TEXT_W * PT
LANDSCAPE_W_PT = (g.PAGE_H - g.TOP - g.BOTTOM) * PT  # the turned page's text width
#: Table column widths (see `docgen.render.docx`).
WRAP_AT, COMFORTABLE = 20, 10
TABLE_CHAR_PT = g.XIAOSI
#: A cell's margin above and below its text (the template's 57 twips, 2.85 pt) with half of the
#: 0.5 pt rule: LibreOffice makes a row that much higher than its lines (Typst's rules take no room).
TABLE_INSET_Y_PT = 2.85 + 0.25


class _Markup:
    def __init__(self, doc: Document, setter: Typesetter):
        self.doc = doc
        self.setter = setter
        self.out: list[str] = []
        #: GB/T 9704 7.3.5.4: the first page's lines closed up by this factor, if set (as the .docx).
        self.scale = None
        self.tightened: set[int] = set()
        if signed_first_page(doc):
            from docgen.render import docx as docx_writer  # noqa: PLC0415 - its style names
            from docgen.render import ooxml  # noqa: PLC0415

            metrics = setter.metrics
            head = list(docx_writer.HEAD) if doc.head is Head.FILE else []
            # the 信函's head as the .docx reckons it (`docgen.render.ooxml.letter_head_height`)
            letter = ooxml.letter_head_height(*docx_writer._letter_sizes(metrics, doc), len(doc.head_lines)) \
                if doc.head is Head.LETTER else 0
            self.scale = first_page_scale(doc, metrics, docx_writer.STYLES, head,
                                          docx_writer.SIGNATURE_STYLES.__getitem__,
                                          lambda para: self.title_lines(para, TEXT_W_PT), letter)
            self.tightened = {id(b) for b in signed_first_page(doc)} if self.scale else set()
        self.current = None
        self.turned = False

    def emit(self, code: str) -> None:
        """One statement of the document's code block (code mode: no stray spaces between blocks)."""
        if code:
            self.out.append(code[1:] if code.startswith("#") else code)

    def lines(self, n: float) -> str:
        """`n` lines of the grid, closed up on a tightened first page."""
        return f"{n * LINE_PT * (self.current or 1):.3f}pt"

    def tight(self, code: str, size: float = 16) -> str:
        """`code` (a block) with its lines closed up when it is on a tightened first page."""
        if not self.current:
            return code
        return f"{{ set text(..pitch({LINE_PT * self.current:.3f}pt, {size}pt)); {code} }}"

    def write(self) -> str:
        doc = self.doc
        date = doc.date or dt.date(2000, 1, 1)
        self.emit(f"#set document(title: {_string(doc.title)}, author: {_string(doc.author)}, "
                  f"date: datetime(year: {date.year}, month: {date.month}, day: {date.day}), keywords: ())")
        if doc.landscape:
            self.emit(f"#set page(flipped: true, margin: (top: {g.LEFT_MM}mm, right: {g.TOP_MM}mm, "
                      f"bottom: {g.RIGHT_MM}mm, left: {g.BOTTOM_MM}mm))")
        if doc.head is Head.FILE:
            self.head()
        elif doc.head is Head.LETTER:
            self.letter_head()
        body = list(doc.body)
        skip = -1
        for i, block in enumerate(body):
            if i == skip:
                continue
            nxt = body[i + 1] if i + 1 < len(body) else None
            self.current = self.scale if id(block) in self.tightened else None
            if isinstance(block, Signature):
                self.signature(block)
            elif isinstance(block, Table):
                self.table(block, LANDSCAPE_W_PT if doc.landscape else TEXT_W_PT, whole=True)
            elif isinstance(block, Picture):
                self.picture(block, nxt if isinstance(nxt, Para) else None)
                skip = i + 1 if isinstance(nxt, Para) else -1
            else:
                # a table's caption never ends a page without it (as the .docx keeps it with the table)
                sticky = isinstance(nxt, Signature | Table) or (isinstance(nxt, Para) and nxt.role in KEPT_WITH_PREVIOUS)
                self.paragraph(block, sticky=sticky)
        self.current = None
        for attachment in doc.attachments:
            self.attachment(attachment)
        if doc.closing:
            self.closing()
        return "#{\n" + "\n".join(self.out) + "\n}\n"

    # -- 版头 -------------------------------------------------------------------------------------
    def head(self) -> None:
        doc = self.doc
        lines = [(text, "fs" if number else "hei") for text, number in doc.head_lines]
        for text, face in lines:
            self.emit(f"#block(above: 0pt, below: 0pt, width: 100%, par(first-line-indent: 0pt, "
                      f"text(font: {face}, {_string(text)})))")
        gap = max(g.MARK_TOP_MM - len(lines) * LINE_PT / g.MM, 0)
        self.emit(f"#v({gap:.3f}mm)")
        if doc.joint_marks:
            self.joint_mark()
        else:
            self.emit(self._mark_text(doc.mark))
        self.emit(f"#v({2 * LINE_PT:.3f}pt)")
        number = doc.doc_number
        if doc.signers:
            names = "　".join(doc.signers)
            self.emit(
                f"#block(width: 100%, par(first-line-indent: 0pt, justify: false, {{ h(16pt); {_marked(number)}; h(1fr); "
                f"{_marked('签发人：')}; text(font: kai, {_string(names)}); h(16pt) }}))")
        else:
            self.emit(f"#block(width: 100%, align(center, par(first-line-indent: 0pt, {_marked(number)})))")
        # the red rule 4 mm under the 发文字号's glyphs
        below = min(LINE_PT * DESCENT, 16 * 0.25)
        descent = 16 * 0.12
        self.emit(f"#v({g.SEPARATOR_GAP_MM:.1f}mm - {below - descent:.3f}pt)")
        self.emit("#line(length: 100%, stroke: 1pt + rgb(255, 0, 0))")
        self.after_head = True

    def _mark_size(self, ems: float) -> tuple[float, float]:
        """(font size, horizontal scale %) that fit a mark `ems` characters wide on one line (as
        `docgen.render.docx._fitted`: narrowed down to 70 %, then made smaller)."""
        natural = ems * g.MARK_SIZE
        if natural <= TEXT_W_PT:
            return g.MARK_SIZE, 100
        scale = int(100 * TEXT_W_PT / natural)
        if scale >= 70:
            return g.MARK_SIZE, scale
        return TEXT_W_PT / ems * 100 / 70, 70

    def _mark_inner(self, mark: str) -> str:
        """The red 发文机关标志 `mark` as a box as high as its ink, fitted to the line."""
        size, scale = self._mark_size(width(mark))
        inner = (f'text(font: xbs, weight: "bold", size: {size:.2f}pt, tracking: 0pt, fill: rgb(255, 0, 0), '
                 f'top-edge: "bounds", bottom-edge: "bounds", {_string(mark)})')
        if scale != 100:
            inner = f"scale(x: {scale}%, reflow: true, {inner})"
        return inner

    def _mark_text(self, mark: str) -> str:
        return f"#block(width: 100%, align(center, {self._mark_inner(mark)}))"

    def letter_head(self) -> None:
        """The 信函 head (GB/T 9704 10.1), as `docgen.render.ooxml.letter_head` lays it out: the
        organ's name in red, its ink 30 mm under the page's top edge, centred on the text area; a
        red double rule (thick over thin) of 170 mm 4 mm under the name and another (thin over
        thick) 20 mm above the bottom edge; 份号 flush left and 发文字号 flush right on the first
        line, its characters 7/8 of a 三号 character under the rule; 密级 and 紧急程度 under it
        flush left in 黑体; no page number on page 1. The name and rules are placed (they take no
        room in the text); the lines under the rule start where the rule ends."""
        doc = self.doc
        self.emit("#set page(foreground: context page-number(first: false))")
        top = g.LETTER_MARK_TOP_MM - g.TOP_MM  # from the text area's top (above it: negative)
        foot = g.PAGE_H_MM - g.LETTER_FOOT_MM - g.TOP_MM - LETTER_RULE_H_PT / g.MM
        # the first line's character boxes start this far under the top of its line
        em_top = LINE_PT - min(LINE_PT * DESCENT, g.SANHAO * 0.25) - EM_ASCENT * g.SANHAO
        gap = g.LETTER_ELEMENT_GAP * g.SANHAO
        # the name's box is its ink's top; its ideographs are inked over `NAME_INK` of their size
        size, _ = self._mark_size(width(doc.mark))
        rule = top + g.LETTER_RULE_GAP_MM + NAME_INK * size / g.MM
        self.emit(f"#place(top + center, dy: {top:.3f}mm, {self._mark_inner(doc.mark)})")
        self.emit(f"#place(top + center, dy: {rule:.3f}mm, double-rule(true))")
        self.emit(f"#place(top + center, dy: {foot:.3f}mm, double-rule(false))")
        self.emit(f"#v({rule:.3f}mm + {LETTER_RULE_H_PT + gap - em_top:.3f}pt)")
        lines = list(doc.head_lines)
        first = ""
        if lines:
            text, is_number = lines.pop(0)
            first = _marked(text) if is_number else f"text(font: hei, {_marked(text)})"
        number = _marked(doc.doc_number) if doc.doc_number else '""'
        self.emit(f"#block(width: 100%, sticky: true, par(first-line-indent: 0pt, justify: false, "
                  f"{{ {first or '[]'}; h(1fr); {number} }}))")
        for text, is_number in lines:
            face = "fs" if is_number else "hei"
            self.emit(f"#block(width: 100%, sticky: true, par(first-line-indent: 0pt, justify: false, "
                      f"text(font: {face}, {_marked(text)})))")
        self.after_head = True

    def joint_mark(self) -> None:
        doc = self.doc
        names = max(width(m) for m in doc.joint_marks)
        word = width(doc.mark_word)
        size, scale = self._mark_size(names + 0.5 + (1 if word else 0) + word)
        style = (f'font: xbs, weight: "bold", size: {size:.2f}pt, fill: rgb(255, 0, 0), '
                 f'top-edge: "bounds", bottom-edge: "bounds"')

        def spread(mark: str) -> str:
            """A name as wide as the longest, its characters spread out (aligned at both ends, as
            the .docx's distributed paragraphs)."""
            gaps = len(mark) - 1
            extra = (names - width(mark)) * size / gaps if gaps > 0 else 0
            return f"text({style}, tracking: {extra:.3f}pt, {_string(mark)})"

        rows = ", ".join(spread(m) for m in doc.joint_marks)
        stack = f"stack(dir: ttb, spacing: {size * 0.25:.2f}pt, {rows})"
        inner = (f"grid(columns: 2, column-gutter: {size:.2f}pt, align: horizon, {stack}, "
                 f"text({style}, tracking: 0pt, {_string(doc.mark_word)}))")
        if scale != 100:
            inner = f"scale(x: {scale}%, reflow: true, {inner})"
        self.emit(f"#block(width: 100%, align(center, {inner}))")

    # -- paragraphs -------------------------------------------------------------------------------
    def _runs(self, para: Para, tracking: float = TRACKING_PT) -> str:
        out = []
        plain_face = "fs" if para.role in HEADINGS else None
        bold_face = para.role is Role.HEADING3
        for run in para.runs:
            code = _marked(run.text, tracking)
            if para.role in HEADINGS:
                if run.emphasis is Emphasis.HEADING:
                    code = f"text(font: {HEADINGS[para.role]}, {code})"
                    if bold_face:
                        code = f"fake-bold({code})"
                elif run.emphasis in (Emphasis.NONE, Emphasis.LEAD) and plain_face:
                    code = f"text(font: fs, {code})"
            if run.emphasis is Emphasis.LEAD:
                code = f"fake-bold({code})"
            elif run.emphasis is Emphasis.DELETED:
                code = f"strike({code})"
            elif run.emphasis is Emphasis.INSERTED:
                code = f"underline(fake-bold({code}))"
            out.append(code)
        return "{" + "; ".join(out) + "}" if out else '""'

    def title_lines(self, para: Para, text_width: float) -> list[str]:
        capacity = text_width / g.ERHAO
        return break_lines(para.text, capacity, self.doc.keep_together)

    def paragraph(self, para: Para, *, sticky: bool = False, text_width: float | None = None) -> None:
        role = para.role
        text_width = text_width or (LANDSCAPE_W_PT if self.doc.landscape else TEXT_W_PT)
        sticky = sticky or role in KEPT_WITH_NEXT
        if role in TITLES:
            lines = self.title_lines(para, text_width)
            body = " + linebreak() + ".join(f"text({_string(line)})" for line in lines)
            k = self.current or 1
            before = {Role.TITLE: 2 * LINE_PT, Role.PLAN_TITLE: 0, Role.ATTACHMENT_TITLE: LINE_PT}[role] * k
            if role is Role.TITLE and not getattr(self, "after_head", False):
                before = 0
            if role is Role.PLAN_TITLE and self.out and len(self.out) > 1:
                self.emit("#pagebreak(weak: true)")
            self.emit(f"#block(above: {before:.3f}pt, below: {LINE_PT * k:.3f}pt, width: 100%, sticky: true, "
                      f"align(center, par(first-line-indent: 0pt, justify: false, "
                      f'text(font: xbs, weight: "bold", size: {g.ERHAO}pt, tracking: 0pt, '
                      f"..pitch({TITLE_LINE_PT * k:.3f}pt, {g.ERHAO}pt), {body}))))")
            return
        content = self._runs(para)
        above = LINE_PT * (self.current or 1) if role is Role.ATTACHMENT_NOTE else 0
        if role is Role.ATTACHMENT_LABEL:
            if not self.turned:
                self.emit("#pagebreak(weak: true)")
            code = f"par(first-line-indent: 0pt, text(font: hei, {content}))"
        elif role is Role.RECIPIENTS:
            code = f"par(first-line-indent: 0pt, {content})"
        elif role is Role.SUBTITLE:
            code = f"align(center, par(first-line-indent: 0pt, {content}))"
        elif role is Role.ATTACHMENT_NOTE:
            code = (f"pad(left: {2 * CHAR_PT}pt, par(first-line-indent: 0pt, hanging-indent: {3 * CHAR_PT}pt, "
                    f"{content}))")
        elif role is Role.ATTACHMENT_NOTE_ITEM:
            code = f"pad(left: {5 * CHAR_PT}pt, par(first-line-indent: 0pt, {content}))"
        else:  # body, headings, 附注: two characters in
            code = f"par({content})"
        self.emit(f"#block(above: {above}pt, width: 100%, sticky: {'true' if sticky else 'false'}, {self.tight(code)})")

    def signature(self, s: Signature) -> None:
        """署名 and 成文日期 (GB/T 9704 7.3.5), as `docgen.render.docx._Writer.signature` places them."""
        char = CHAR_PT
        date_w = width(s.date) * char
        names = (s.name, *s.joint)
        placed = []
        date_in = 0.0
        for organ in names:
            name_w = width(organ) * char
            if s.sealed:
                date_in = 4 * char
                name_in = date_in + (date_w - name_w) / 2
            else:
                name_in = 2 * char
                date_in = name_in + name_w - DATE_SHIFT * char - date_w
                if date_in < 2 * char:
                    name_in += 2 * char - date_in
                    date_in = 2 * char
            placed.append((organ, name_in))
        before = (2 if s.sealed else 1) * LINE_PT * (self.current or 1)
        rows = []
        for i, (organ, name_in) in enumerate(placed):
            rows.append((organ, max(name_in, 0), before if i == 0 else 0))
        if s.date:
            rows.append((s.date, max(date_in, 0), 0))
        for i, (text, right, above) in enumerate(rows):
            sticky = "true" if i < len(rows) - 1 else "false"
            line = f"align(right, pad(right: {right:.3f}pt, par(first-line-indent: 0pt, justify: false, {_marked(text)})))"
            self.emit(f"#block(above: {above:.3f}pt, width: 100%, sticky: {sticky}, {self.tight(line)})")

    def picture(self, pic: Picture, caption) -> None:
        name = self.setter.picture_path(pic.png)
        image = f'image("{name}", width: {pic.width_cm:.3f}cm, height: {pic.height_cm:.3f}cm)'
        parts = [f"align(center, {image})"]
        if isinstance(caption, Para):
            parts.append(f"align(center, par(first-line-indent: 0pt, {self._runs(caption)}))")
        self.emit(f"#block(width: 100%, breakable: false, {{ {'; '.join(parts)} }})")

    # -- attachments and tables ---------------------------------------------------------------------
    def _needs_width(self, table: Table) -> bool:
        natural = _natural_widths(table)
        wanted = sum((n if i in table.narrow else min(n, COMFORTABLE)) + 1 for i, n in enumerate(natural))
        return wanted * TABLE_CHAR_PT > TEXT_W_PT

    def attachment(self, a: Attachment) -> None:
        turn = (a.table.landscape or self._needs_width(a.table)) and not self.doc.landscape
        text_width = LANDSCAPE_W_PT if (turn or self.doc.landscape) else TEXT_W_PT
        self.turned = turn
        if turn:
            self.emit(f"#page(flipped: true, margin: (top: {g.LEFT_MM}mm, right: {g.TOP_MM}mm, "
                      f"bottom: {g.RIGHT_MM}mm, left: {g.BOTTOM_MM}mm), {{")
        self.paragraph(Para.plain(Role.ATTACHMENT_LABEL, a.label), text_width=text_width)
        self.paragraph(Para.plain(Role.ATTACHMENT_TITLE, a.title), text_width=text_width)
        if a.table.columns or a.table.rows:  # an attachment may be a title only
            self.table(a.table, text_width)
        if turn:
            self.emit("})")
        self.turned = False

    def table(self, t: Table, text_width: float, whole: bool = False) -> None:
        """A table as `docgen.render.docx` writes it: the same column widths, a head row (two with
        groups, none for a form to fill in) repeated on every page, rows never split. A `whole`
        table (one in the body, under its caption) goes to the next page whole when it fits on
        one, as LibreOffice moves it there."""
        from docgen.render import docx as docx_writer  # noqa: PLC0415 - its column widths, in twips

        twips = docx_writer._column_widths(t, round(text_width * 20), round(TABLE_CHAR_PT * 20))
        widths = [w / 20 for w in twips]  # the .docx's, which LibreOffice prints as they are (a fixed layout)
        if min(widths) < TABLE_CHAR_PT:  # narrow columns left another less than a character: share by text
            wanted = [min(n, WRAP_AT) + 1 for n in _natural_widths(t)]
            widths = [text_width * n / sum(wanted) for n in wanted]
        cols = ", ".join(f"{w:.3f}pt" for w in widths)
        count = len(widths)

        def cell(value, head: bool, centred: bool, extra: str = "") -> str:
            if isinstance(value, str):
                content = _marked(value, 0.0)
            else:
                content = self._runs(Para(Role.BODY, tuple(value)), 0.0)
            face = "hei" if head else "fs"
            align = "center" if head or centred else "left"
            return (f"table.cell({extra}breakable: false, align: {align} + horizon, par(first-line-indent: 0pt, "
                    f"justify: false, text(font: {face}, {content})))")

        head_cells = []
        if t.groups:
            c = 0
            below = []
            for label, span in t.groups:
                if span > 1:
                    head_cells.append(cell(label, True, True, f"colspan: {span}, "))
                    below += [cell(t.columns[i], True, True) for i in range(c, c + span)]
                elif not label:  # the column's own head down both rows
                    head_cells.append(cell(t.columns[c], True, True, "rowspan: 2, "))
                else:
                    head_cells.append(cell(label, True, True))
                    below.append(cell(t.columns[c], True, True))
                c += span
            head_cells += below
        elif t.columns:
            head_cells = [cell(c, True, True) for c in t.columns]
        rows = []
        height = f"{TABLE_CHAR_PT * docx_writer.FORM_ROW}pt" if t.form else "auto"
        for row in t.rows:
            values = list(row) + [""] * (count - len(row))
            rows.append(", ".join(cell(v, False, i in t.narrow or i in t.numeric) for i, v in enumerate(values)))
        body = ",\n".join(rows)
        header = f"table.header(repeat: true, {', '.join(head_cells)})," if head_cells else ""
        heads = 2 if t.groups else 1 if t.columns else 0
        rows_arg = f"rows: ({', '.join(['auto'] * heads + [height] * len(t.rows))},)," if t.form else ""
        code = (f"block(width: 100%, above: 0pt, below: 0pt, {{ set text(size: {g.XIAOSI}pt, tracking: 0pt, "
                f"..pitch(18pt, {g.XIAOSI}pt)); align(center, table(columns: ({cols},), {rows_arg} "
                f"inset: (x: 4.25pt, y: {TABLE_INSET_Y_PT}pt), {header}\n{body})) }})")
        if whole:
            code = (f"context {{ let t = {code}; let h = measure(width: {text_width:.3f}pt, t).height; "
                    f"block(breakable: h > {g.TEXT_H_MM:.3f}mm, t) }}")
        self.emit("#" + code)

    # -- 版记 -------------------------------------------------------------------------------------
    def closing(self) -> None:
        c = self.doc.closing
        small = g.SIHAO
        rows = []
        if c.cc:
            rows.append(f"pad(left: {small}pt, right: {small}pt, par(first-line-indent: 0pt, hanging-indent: "
                        f"{3 * small}pt, justify: true, {_marked('抄送：' + c.cc, 0.0)}))")
        letter = self.doc.head is Head.LETTER  # GB/T 9704 10.1: 抄送 only, without 印发 line and rules
        if letter and not rows:
            return
        if not letter:
            printer = _marked(c.printer or "", 0.0)
            date = _marked(f"{c.print_date}印发", 0.0) if c.print_date else '""'
            rows.append(f"pad(left: {small}pt, right: {small}pt, par(first-line-indent: 0pt, justify: false, "
                        f"{{ {printer}; h(1fr); {date} }}))")
        cells = ", ".join(f"block(width: 100%, inset: (y: 0pt), {r})" for r in rows)
        stroke = "none" if letter else (f"(x, y) => (top: if y == 0 {{ 0.35mm }} else {{ 0.25mm }}, "
                                        f"bottom: if y == {len(rows) - 1} {{ 0.35mm }} else {{ none }})")
        table = f"table(columns: (100%,), inset: 0pt, stroke: {stroke}, {cells})"
        self.emit("#pagebreak(to: \"even\", weak: true)" if self.out else "")
        self.emit("[#metadata(none) <docgen-closing>]")
        self.emit(f"place(bottom + left, float: false, "
                  f"{{ set text(size: {small}pt, tracking: 0pt, ..pitch(LINE, {small}pt)); {table} }})")


def _natural_widths(table: Table) -> list[float]:
    count = len(table.columns) or max((len(r) for r in table.rows), default=1)
    return [max(width(cell_text(row[i])) if i < len(row) else 0 for row in (table.columns, *table.rows))
            for i in range(count)]


__all__ = ["Run", "Typesetter", "forkable", "pdf", "pdfs", "typesetter"]
