"""Measure a rendered PDF: where its text lines are, which font prints what, where red ink is.

Used by the tests and by `bench/render_layout.py` to check the layout against GB/T 9704 on the
PDF itself, not on the XML. Needs poppler-utils (`pdftotext`, `pdftoppm`) and pypdf. Lengths are
PDF points (1/72 inch) from the page's top left corner; `MM` converts.
"""

from __future__ import annotations

import re
import statistics
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

from docgen.render import geometry
from docgen.render.geometry import LINE_PITCH, MM, TEXT_BOTTOM, TEXT_LEFT, TEXT_RIGHT, TEXT_TOP

__all__ = ["LINE_PITCH", "MM", "TEXT_BOTTOM", "TEXT_LEFT", "TEXT_RIGHT", "TEXT_TOP"]
_XHTML = "{http://www.w3.org/1999/xhtml}"


@dataclass(frozen=True)
class Line:
    """A line of text as `pdftotext -bbox-layout` sees it."""

    x0: float
    top: float
    x1: float
    bottom: float
    text: str


@dataclass(frozen=True)
class Fragment:
    """A piece of text drawn in one font: baseline position, font name, size."""

    x: float
    baseline: float
    font: str
    size: float
    text: str


@dataclass
class Page:
    number: int
    width: float
    height: float
    lines: list[Line] = field(default_factory=list)
    fragments: list[Fragment] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines)

    @property
    def landscape(self) -> bool:
        return self.width > self.height

    def fragments_on(self, line: Line) -> list[Fragment]:
        """The font fragments drawn on `line`, left to right."""
        on = [f for f in self.fragments
              if line.top - 1 <= f.baseline <= line.bottom + 1 and line.x0 - 1 <= f.x <= line.x1 + 1]
        return sorted(on, key=lambda f: f.x)

    def leading_font(self, line: Line) -> str:
        """The font (subset prefix dropped) that prints the start of `line`."""
        return self.fragments_on(line)[0].font


def pages(pdf: Path) -> list[Page]:
    """Every page of `pdf` with its text lines and font fragments."""
    xml = subprocess.run(["pdftotext", "-bbox-layout", str(pdf), "-"], check=True, capture_output=True).stdout
    root = ET.fromstring(re.sub(rb"<!DOCTYPE[^>]*>", b"", xml, count=1))
    out: list[Page] = []
    for number, page in enumerate(root.iter(f"{_XHTML}page"), start=1):
        p = Page(number, float(page.get("width")), float(page.get("height")))
        for line in page.iter(f"{_XHTML}line"):
            words = [w.text or "" for w in line.iter(f"{_XHTML}word")]
            p.lines.append(Line(float(line.get("xMin")), float(line.get("yMin")), float(line.get("xMax")),
                                float(line.get("yMax")), " ".join(words)))
        p.lines = _merged(p.lines)
        out.append(p)
    for p, reader_page in zip(out, PdfReader(str(pdf)).pages):
        height = p.height

        def visit(text, cm, tm, font, size, p=p, height=height):
            if text.strip() and font:
                name = str(font.get("/BaseFont", "")).lstrip("/")
                # the text origin in page space: the text matrix, then the current transformation
                # (LibreOffice positions text by the text matrix, Typst by the transformation)
                x = tm[4] * cm[0] + tm[5] * cm[2] + cm[4]
                y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
                p.fragments.append(Fragment(x, height - y, name.split("+", 1)[-1], size, text))

        reader_page.extract_text(visitor_text=visit)
    return out


def _merged(lines: list[Line]) -> list[Line]:
    """Pieces of one printed line joined: pdftotext splits a line where a fallback face takes over
    (a rare character the main face lacks) and where text is far apart (the 版记's 印发 date, a
    信函's 份号 and 发文字号). Its boxes reach as far as each face's ascent and descent in the PDF, so
    pieces of one line in different faces may end up to 2 points apart: pieces whose boxes overlap
    by most of the shorter one's height are one line too."""
    rows: list[list[Line]] = []
    for line in sorted(lines, key=lambda ln: (ln.bottom, ln.x0)):
        turned = (line.bottom - line.top) > 2 * (line.x1 - line.x0)  # a turned page's number: its own line
        if (rows and not turned and _same_row(rows[-1][0], line)
                and (line.bottom - line.top) < 2 * LINE_PITCH
                and not (rows[-1][0].bottom - rows[-1][0].top) > 2 * (rows[-1][0].x1 - rows[-1][0].x0)):
            rows[-1].append(line)
        else:
            rows.append([line])
    out = []
    for row in rows:
        row.sort(key=lambda ln: ln.x0)
        out.append(Line(min(ln.x0 for ln in row), min(ln.top for ln in row), max(ln.x1 for ln in row),
                        max(ln.bottom for ln in row), " ".join(ln.text for ln in row)))
    out.sort(key=lambda ln: (round(ln.top, 1), ln.x0))
    return out


def _same_row(a: Line, b: Line) -> bool:
    """Whether pdftotext's pieces `a` and `b` stand on one printed line (see `_merged`)."""
    if abs(a.bottom - b.bottom) < 1.0:
        return True
    overlap = min(a.bottom, b.bottom) - max(a.top, b.top)
    apart = a.x1 <= b.x0 or b.x1 <= a.x0
    return apart and abs(a.bottom - b.bottom) < 2.0 and overlap > 0.8 * min(a.bottom - a.top, b.bottom - b.top)


@dataclass(frozen=True)
class Band:
    """A horizontal band of coloured ink: its rows (top, bottom) and its extent (left, right)."""

    top: float
    bottom: float
    left: float
    right: float

    @property
    def thickness(self) -> float:
        return self.bottom - self.top


def ink_bands(pdf: Path, page: int, colour: str = "red", dpi: int = 300) -> list[Band]:
    """Bands of consecutive pixel rows holding `colour` ink ("red" or "dark") on `page` (1-based)."""
    from PIL import Image, ImageChops  # noqa: PLC0415 - Pillow comes with pdfplumber

    with tempfile.TemporaryDirectory(prefix="docgen-measure-") as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf), f"{tmp}/p"],
                       check=True, capture_output=True)
        with Image.open(next(Path(tmp).glob("p*.ppm"))) as image:
            r, g, b = image.convert("RGB").split()
    if colour == "red":
        masks = (r.point(lambda v: 255 if v > 180 else 0), g.point(lambda v: 255 if v < 90 else 0),
                 b.point(lambda v: 255 if v < 90 else 0))
    else:
        masks = tuple(c.point(lambda v: 255 if v < 100 else 0) for c in (r, g, b))
    mask = ImageChops.multiply(ImageChops.multiply(masks[0], masks[1]), masks[2])
    width = mask.width
    scale = 72 / dpi
    bands: list[Band] = []
    for y, inked in enumerate(mask.getprojection()[1]):
        if not inked:
            continue
        x0, _, x1, _ = mask.crop((0, y, width, y + 1)).getbbox()
        if bands and abs(bands[-1].bottom - y * scale) < 1.5 * scale:
            band = bands[-1]
            bands[-1] = Band(band.top, (y + 1) * scale, min(band.left, x0 * scale), max(band.right, (x1 - 1) * scale))
        else:
            bands.append(Band(y * scale, (y + 1) * scale, x0 * scale, (x1 - 1) * scale))
    return bands


def rules(pdf: Path, page: int, min_width: float, dpi: int = 300) -> list[Band]:
    """Horizontal dark rules at least `min_width` points long on `page` (text is not that wide)."""
    bands = ink_bands(pdf, page, "dark", dpi)
    return [b for b in bands if b.right - b.left >= min_width and b.thickness < 3]


# -- the GB/T 9704 figures, measured -------------------------------------------------------------
PAGE_NUMBER = re.compile(r"^— (\d+) —$")


def page_number(page: Page) -> Line | None:
    """The `— N —` line of `page`, if it has one."""
    found = [line for line in page.lines if PAGE_NUMBER.match(line.text)]
    return found[-1] if found else None


def body_lines(page: Page) -> list[Line]:
    """The text lines of `page` without its page number."""
    number = page_number(page)
    return [line for line in page.lines if line is not number]


def printed_rows(page: Page) -> list[float]:
    """The baselines of `page`'s text without its page number, top to bottom: one per printed row
    (a table's row of cells is one, however pdftotext splits it into lines by the faces' metrics)."""
    number = page_number(page)
    skip = set(map(id, page.fragments_on(number))) if number else set()
    rows: list[float] = []
    for baseline in sorted(f.baseline for f in page.fragments if id(f) not in skip):
        if not rows or baseline - rows[-1] > 1.0:
            rows.append(baseline)
    return rows


def on_grid(lines: list[Line]) -> bool:
    """Whether consecutive lines are one 28.95 pt line pitch apart (body text, not titles or tables)."""
    tops = sorted({round(line.top, 1) for line in lines})
    return len(tops) > 1 and all(abs((b - a) - LINE_PITCH) < 0.6 for a, b in zip(tops, tops[1:]))


def full_pages(pages: list[Page]) -> list[Page]:
    """Portrait pages of plain body text filled from the top to the bottom of the text area (a page
    that begins with a chart or a table is not one: its text starts lower down)."""
    out = []
    for page in pages:
        lines = body_lines(page)
        if (not page.landscape and on_grid(lines) and lines[-1].bottom > TEXT_BOTTOM - LINE_PITCH / 2
                and lines[0].top < TEXT_TOP + LINE_PITCH):
            out.append(page)
    return out


def cjk_only(text: str) -> bool:
    return bool(text) and all(ord(ch) > 0x2E80 for ch in text.replace(" ", ""))


def full_lines(pages: list[Page]) -> list[Line]:
    """Body lines that run from the left edge of the text area to its right edge, Chinese only."""
    out = []
    for page in full_pages(pages):
        for line in body_lines(page):
            if abs(line.x0 - TEXT_LEFT) < 1.5 and line.x1 > TEXT_RIGHT - 16 and cjk_only(line.text):
                out.append(line)
    return out


#: Punctuation LibreOffice lets hang into the right margin at the end of a line.
HANGING = "，。、；：！？）》”’"


def text_box(pages: list[Page]) -> tuple[float, float, float, float]:
    """Left, top, right and bottom edges (mm) of the body text on full pages.

    With exact line spacing a line's box is one pitch tall and ends just under its glyphs, so the
    top edge is taken as the first line's bottom less one pitch.
    """
    full = full_pages(pages)
    lines = [line for page in full for line in body_lines(page)]
    left = min(line.x0 for line in lines)
    # a closing mark hanging into the margin is not text area (every line of a page may end with one)
    right = max(line.x1 - (geometry.SANHAO if line.text[-1:] in HANGING and line.x1 > TEXT_RIGHT + 2 else 0)
                for line in lines)
    top = min(body_lines(page)[0].bottom for page in full) - LINE_PITCH
    bottom = max(body_lines(page)[-1].bottom for page in full)
    return left / MM, top / MM, right / MM, bottom / MM


# -- the measured check ----------------------------------------------------------------------------
@dataclass(frozen=True)
class Figure:
    """One measured figure of a PDF against GB/T 9704: what, the measured value, the expected one."""

    what: str
    measured: str
    expected: str
    ok: bool

    def __str__(self) -> str:
        mark = "ok " if self.ok else "BAD"
        return f"{mark} {self.what}: {self.measured} (GB/T 9704: {self.expected})"


def _mm(points: float) -> float:
    return points / MM


def _near(value: float, want: float, tol: float) -> bool:
    return abs(value - want) <= tol


def _portrait_text(pages: list[Page]) -> list[Page]:
    return [p for p in pages if not p.landscape and body_lines(p)]


def _chars(line: Line) -> int:
    """Characters on `line` in 字 (ASCII counts ½), less a closing mark hanging into the margin."""
    text = line.text.replace(" ", "")
    if line.x1 > TEXT_RIGHT + 2:
        text = text.rstrip(HANGING)
    return round(sum(1 if ord(ch) > 0x2E80 else 0.5 for ch in text))


def _sanhao(page: Page, line: Line) -> bool:
    """Whether `line` is set in 三号 (the body's size; the 版记's 四号 lines hold more characters)."""
    sizes = [f.size for f in page.fragments_on(line)]
    return not sizes or max(sizes) > geometry.SIHAO + 1


def embedded_fonts(pdf: Path) -> list[tuple[str, bool]]:
    """(font name without subset prefix, embedded?) for every font `pdffonts` lists."""
    out = subprocess.run(["pdffonts", str(pdf)], check=True, capture_output=True, text=True).stdout
    fonts = []
    for row in out.splitlines()[2:]:
        parts = row.split()
        if len(parts) >= 5:
            # name type… encoding emb sub uni id gen: count from the right, types have spaces
            fonts.append((parts[0].split("+", 1)[-1], parts[-5] == "yes"))
    return fonts


def char_rows(pdf: Path, min_size: float = 10.0) -> list[tuple[int, float, list[dict]]]:
    """(page, font size, its characters left to right) for each line of text of the portrait
    pages of `pdf` set in `min_size` points or more, as pdfplumber reads them."""
    import pdfplumber  # noqa: PLC0415 - only the check needs character positions

    out = []
    with pdfplumber.open(str(pdf)) as doc:
        for page in doc.pages:
            if page.width > page.height:
                continue
            rows: dict[tuple[int, int], list[dict]] = {}
            for ch in page.chars:
                if ch["size"] >= min_size:  # a row is a baseline (faces differ in their descent)
                    rows.setdefault((round(page.height - ch["matrix"][5]), round(ch["size"])), []).append(ch)
            for (_, size), row in rows.items():
                out.append((page.page_number, size, sorted(row, key=lambda c: c["x0"])))
    return out


def _cjk(ch: str) -> bool:
    return ord(ch[0]) > 0x2E80


def stretched(rows: list[tuple[int, float, list[dict]]], size: float = 16.0) -> list[tuple[int, float, str]]:
    """(page, median space between Chinese characters in points, text) for each body line of
    `rows` (`char_rows`).

    A justified line LibreOffice could not fill is spread: the space between its characters grows.
    """
    out = []
    for page, row_size, row in rows:
        if abs(row_size - size) < 0.5:
            gaps = sorted(b["x0"] - a["x1"] for a, b in zip(row, row[1:]) if _cjk(a["text"]) and _cjk(b["text"]))
            if len(gaps) >= 8:
                out.append((page, gaps[len(gaps) // 2], "".join(c["text"] for c in row)))
    return out


def latin_spacing(rows: list[tuple[int, float, list[dict]]]) -> list[tuple[int, float, str]]:
    """(page, share of the font size, text) for each place of `rows` (`char_rows`) where a
    Chinese character meets a Latin letter or digit: how much further the first one advances
    than characters of its kind usually do on that line (as justified).

    Word adds no space there when the document says so (w:autoSpaceDE/w:autoSpaceDN = 0, as
    docgen's do); LibreOffice's "space between Asian and non-Asian text" adds 0.2 of the size.
    A tab or a table's next cell (a gap of half a character or more) is not such a place.
    """
    out = []
    for page, size, row in rows:
        pairs = [(a, b, (b["x0"] - a["x0"]) - a["width"]) for a, b in zip(row, row[1:])
                 if a["text"].isalnum() and b["text"].isalnum()]
        usual = {kind: statistics.median(gaps) if gaps else 0.0
                 for kind in (True, False)
                 for gaps in [[g for a, b, g in pairs if _cjk(a["text"]) == _cjk(b["text"]) == kind]]}
        for a, b, gap in pairs:
            if _cjk(a["text"]) != _cjk(b["text"]) and gap < size / 2:
                out.append((page, (gap - usual[_cjk(a["text"])]) / size, "".join(c["text"] for c in row)))
    return out


#: A line is stretched when the space between its characters exceeds this share of a character.
STRETCH_LIMIT = 0.15
#: Where Chinese meets a number or a Latin word, the space added (median of a document) may be at
#: most this share of a character (LibreOffice's autospace: 0.2).
LATIN_SPACING_LIMIT = 0.05


def check(pdf: Path, measured: list[Page] | None = None) -> list[Figure]:
    """The GB/T 9704 layout of `pdf`, measured: every figure with what the standard asks.
    `measured` is `pages(pdf)` when the caller has it already."""
    ps = measured if measured is not None else pages(pdf)
    figures: list[Figure] = []

    def add(what: str, measured: str, expected: str, ok: bool) -> None:
        figures.append(Figure(what, measured, expected, bool(ok)))

    sizes = sorted({tuple(sorted((round(_mm(p.width)), round(_mm(p.height))))) for p in ps})
    add("page size", ", ".join(f"{a} x {b} mm" for a, b in sizes), "A4 210 x 297 mm", sizes == [(210, 297)])

    portrait = _portrait_text(ps)
    letter = is_letter(pdf)
    # a 信函's name stands above the text area (30 mm under the top edge), measured by `letter_head`
    lines = [ln for p in portrait for ln in body_lines(p)
             if not (letter and p.number == 1 and _mm(ln.top) < geometry.TOP_MM - 1)]
    left = min(ln.x0 for ln in lines)
    right = max(ln.x1 for ln in lines if ln.text[-1:] not in HANGING)
    top = min(ln.top for ln in lines)
    bottom = max(ln.bottom for ln in lines)
    add("text area left edge", f"{_mm(left):.1f} mm", f"{geometry.LEFT_MM} mm (订口)", _near(_mm(left), geometry.LEFT_MM, 0.6))
    add("text area right edge", f"{_mm(right):.1f} mm",
        f"<= {geometry.LEFT_MM + geometry.TEXT_W_MM} mm (a closing mark may hang)",
        _mm(right) <= geometry.LEFT_MM + geometry.TEXT_W_MM + 0.5)
    add("text area top", f"{_mm(top):.1f} mm", f">= {geometry.TOP_MM} mm (天头)", _mm(top) >= geometry.TOP_MM - 0.5)
    add("text area bottom", f"{_mm(bottom):.1f} mm", f"<= {geometry.TOP_MM + geometry.TEXT_H_MM} mm",
        _mm(bottom) <= geometry.TOP_MM + geometry.TEXT_H_MM + 0.5)
    full = full_pages(ps)
    if full:
        l, t, r, b = text_box(ps)
        add("text area on full pages", f"{l:.1f}/{t:.1f} mm, {r - l:.1f} x {b - t:.1f} mm",
            f"{geometry.LEFT_MM}/{geometry.TOP_MM} mm, {geometry.TEXT_W_MM} x {geometry.TEXT_H_MM} mm",
            _near(l, geometry.LEFT_MM, 1) and _near(t, geometry.TOP_MM, 1) and _near(r - l, geometry.TEXT_W_MM, 1.5)
            and _near(b - t, geometry.TEXT_H_MM, 1.5))
    counts = Counter(len(body_lines(p)) for p in full)
    add("lines on full pages", f"{dict(counts)} over {len(full)} pages", f"{geometry.LINES}",
        set(counts) <= {geometry.LINES})
    most = max((len(body_lines(p)) for p in portrait if on_grid(body_lines(p))), default=0)
    add("lines on any page", f"at most {most}", f"<= {geometry.LINES}", most <= geometry.LINES)
    per_line = Counter(_chars(ln) for ln in full_lines(ps))
    if per_line:
        short = _unexplained_short_lines(full)
        add("characters on full lines", f"{dict(sorted(per_line.items()))}" + (
            f"; short for no reason: {'; '.join(short[:3])}" if short else ""),
            f"{geometry.CHARS} (fewer only where the next line may not start: a closing mark, a number)",
            max(per_line) <= geometry.CHARS and not short)
    widest = max((_chars(ln) for p in portrait for ln in body_lines(p) if on_grid(body_lines(p)) and _sanhao(p, ln)),
                 default=0)
    add("characters on any body line", f"at most {widest}", f"<= {geometry.CHARS}", widest <= geometry.CHARS)

    figures += letter_head(pdf, ps) if letter else _red_head(pdf, ps)
    figures += _page_numbers(ps, letter)
    figures += _closing(pdf, ps)

    fonts = embedded_fonts(pdf)
    add("fonts embedded", ", ".join(sorted({n for n, _ in fonts})) or "none", "all embedded",
        fonts and all(e for _, e in fonts))
    rows = char_rows(pdf)
    spread = sorted(stretched(rows), key=lambda s: -s[1])
    worst = spread[0] if spread else (0, 0.0, "")
    limit = STRETCH_LIMIT * geometry.SANHAO
    add("space between characters", f"{worst[1]:.2f} pt at most (page {worst[0]}: {worst[2][:12]}…)",
        f"<= {limit:.1f} pt (no stretched line)", worst[1] <= limit)
    around = sorted(latin_spacing(rows), key=lambda s: -s[1])
    median = statistics.median(s[1] for s in around) if around else 0.0
    add("space around numbers and Latin words",
        f"{median:.2f} 字 added (median of {len(around)} places; most {around[0][1]:.2f} 字, page {around[0][0]}: "
        f"{around[0][2][:12]}…)" if around else "no such place",
        f"<= {LATIN_SPACING_LIMIT} 字 (w:autoSpaceDE/DN = 0; LibreOffice's autospace adds 0.2 字)",
        median <= LATIN_SPACING_LIMIT)
    return figures


def _unexplained_short_lines(full: list[Page]) -> list[str]:
    """Full-width Chinese lines of full pages holding fewer than 28 characters although the text
    that follows could have started on them: the next line starts with neither a character
    followed by a closing mark (which may not begin a line), nor a Latin word or number (which
    does not break), nor an opening mark."""
    out = []
    for page in full:
        lines = body_lines(page)
        for line, after in zip(lines, lines[1:]):
            text, rest = line.text.replace(" ", ""), after.text.replace(" ", "")
            if not (abs(line.x0 - TEXT_LEFT) < 1.5 and line.x1 > TEXT_RIGHT - 16 and cjk_only(line.text)):
                continue
            if _chars(line) >= geometry.CHARS or not rest:
                continue
            if (len(rest) > 1 and rest[1] in HANGING) or rest[0].isascii() or rest[0] in "“‘（《〈〔【":
                continue
            out.append(f"page {page.number}: {text}")
    return out


def _red_head(pdf: Path, ps: list[Page]) -> list[Figure]:
    out: list[Figure] = []
    red = ink_bands(pdf, 1)
    rule = next((b for b in red if b.right - b.left > 150 * MM and b.thickness < 3), None)
    marks = [b for b in red if rule is None or b.bottom < rule.top]
    if not marks:
        return [Figure("发文机关标志", "none on page 1", "red, 35 mm under the text area (文件 only)", True)]
    mark = Band(marks[0].top, marks[-1].bottom, min(b.left for b in marks), max(b.right for b in marks))
    centre = _mm(mark.left + mark.right) / 2
    want_centre = geometry.LEFT_MM + geometry.TEXT_W_MM / 2
    out.append(Figure("发文机关标志", f"red, top {_mm(mark.top) - geometry.TOP_MM:.1f} mm under the text area, "
                      f"centre {centre:.1f} mm", f"red, {geometry.MARK_TOP_MM} mm under, centred at {want_centre:.0f} mm",
                      _near(_mm(mark.top) - geometry.TOP_MM, geometry.MARK_TOP_MM, 1) and _near(centre, want_centre, 1)))
    if rule is None:
        out.append(Figure("red rule", "none", "full width under the 发文字号", False))
        return out
    number = next((ln for ln in body_lines(ps[0]) if "〔" in ln.text and ln.bottom < rule.top), None)
    out.append(Figure("red rule", f"{_mm(rule.left):.1f}–{_mm(rule.right):.1f} mm, {rule.thickness:.2f} pt",
                      f"{geometry.LEFT_MM}–{geometry.LEFT_MM + geometry.TEXT_W_MM} mm",
                      _near(_mm(rule.left), geometry.LEFT_MM, 0.5)
                      and _near(_mm(rule.right), geometry.LEFT_MM + geometry.TEXT_W_MM, 0.5) and rule.thickness < 2))
    if number is None:
        out.append(Figure("发文字号", "none above the red rule", "centred, 4 mm above the red rule", False))
        return out
    centre = _mm(number.x0 + number.x1) / 2
    gap = _mm(rule.top - number.bottom)
    out.append(Figure("发文字号", f"centre {centre:.1f} mm, {gap:.1f} mm above the red rule, "
                      f"{_mm(number.top - mark.bottom):.1f} mm under the mark",
                      f"centred at {want_centre:.0f} mm, {geometry.SEPARATOR_GAP_MM} mm above the rule",
                      _near(centre, want_centre, 1) and _near(gap, geometry.SEPARATOR_GAP_MM, 1)))
    return out


# -- 信函格式 (GB/T 9704 10.1) ----------------------------------------------------------------------
#: A CJK face's character box reaches this share of its size above the baseline (Noto CJK, Fandol).
EM_ASCENT = 0.88
#: The two lines of a double rule are at most this far apart (points).
_DOUBLE_GAP = 2.0


@dataclass(frozen=True)
class DoubleRule:
    """Two red rules one over the other (GB/T 9704 10.1's 红色双线): upper and lower line."""

    upper: Band
    lower: Band

    @property
    def top(self) -> float:
        return self.upper.top

    @property
    def bottom(self) -> float:
        return self.lower.bottom

    @property
    def left(self) -> float:
        return min(self.upper.left, self.lower.left)

    @property
    def right(self) -> float:
        return max(self.upper.right, self.lower.right)

    @property
    def thick_over_thin(self) -> bool:
        return self.upper.thickness > self.lower.thickness


def double_rules(pdf: Path, page: int = 1) -> list[DoubleRule]:
    """The red double rules of `page`, top to bottom: pairs of red rules wider than the text area
    (a 文件's single red rule is as wide as the text area, 156 mm), close one over the other."""
    long = [b for b in ink_bands(pdf, page) if b.right - b.left > (geometry.TEXT_W_MM + 4) * MM and b.thickness < 5]
    out: list[DoubleRule] = []
    i = 0
    while i + 1 < len(long):
        if long[i + 1].top - long[i].bottom <= _DOUBLE_GAP:
            out.append(DoubleRule(long[i], long[i + 1]))
            i += 2
        else:
            i += 1
    return out


def em_top(page: Page, line: Line) -> float:
    """The top of the character boxes of `line` (points from the page's top): its baseline less
    `EM_ASCENT` of its font size (a line box of pdftotext reaches higher, to the face's ascent)."""
    frags = page.fragments_on(line)
    if not frags:
        return line.top
    return min(f.baseline - EM_ASCENT * f.size for f in frags)


def letter_head(pdf: Path, ps: list[Page]) -> list[Figure]:
    """The 信函 head of page 1, measured (GB/T 9704 10.1): the organ's name 30 mm under the top edge;
    a red double rule (thick over thin) 4 mm under it and another (thin over thick) 20 mm above
    the bottom edge, both 170 mm and centred on the text area; 份号 flush left and 发文字号 flush
    right on one line, 7/8 of a 三号 character under the first rule; no page number on page 1."""
    out: list[Figure] = []
    red = ink_bands(pdf, 1)
    rules_ = double_rules(pdf, 1)
    want_centre = geometry.LEFT_MM + geometry.TEXT_W_MM / 2
    if len(rules_) != 2:
        return [Figure("信函 red double rules", f"{len(rules_)} on page 1", "2 (under the name, at the foot)", False)]
    head, foot = rules_
    marks = [b for b in red if b.bottom < head.top]
    if not marks:
        return [Figure("信函 发文机关标志", "none on page 1", "red, above the first double rule", False)]
    mark = Band(marks[0].top, marks[-1].bottom, min(b.left for b in marks), max(b.right for b in marks))
    centre = _mm(mark.left + mark.right) / 2
    out.append(Figure("信函 发文机关标志", f"red, top {_mm(mark.top):.1f} mm under the top edge, centre {centre:.1f} mm",
                      f"red, {geometry.LETTER_MARK_TOP_MM} mm under the top edge, centred at {want_centre:.0f} mm",
                      _near(_mm(mark.top), geometry.LETTER_MARK_TOP_MM, 1) and _near(centre, want_centre, 1)))
    for name, rule, thick_first, where, want in (
            ("first", head, True, _mm(head.top - mark.bottom), geometry.LETTER_RULE_GAP_MM),
            ("second", foot, False, geometry.PAGE_H_MM - _mm(foot.bottom), geometry.LETTER_FOOT_MM)):
        length, mid = _mm(rule.right - rule.left), _mm(rule.left + rule.right) / 2
        order = "thick over thin" if rule.thick_over_thin else "thin over thick"
        anchor = "under the name" if thick_first else "above the bottom edge"
        out.append(Figure(f"信函 {name} double rule", f"red, {order}, {where:.1f} mm {anchor}, {length:.1f} mm long, "
                          f"centre {mid:.1f} mm",
                          f"red, {'thick over thin' if thick_first else 'thin over thick'}, {want} mm {anchor}, "
                          f"{geometry.LETTER_RULE_MM} mm, centred at {want_centre:.0f} mm",
                          rule.thick_over_thin == thick_first and _near(where, want, 0.7)
                          and _near(length, geometry.LETTER_RULE_MM, 1) and _near(mid, want_centre, 1)))
    page = ps[0]
    under = [ln for ln in body_lines(page) if head.bottom < ln.top and ln.bottom < foot.top]
    number = next((ln for ln in under if "〔" in ln.text), None)
    gap_want = geometry.LETTER_ELEMENT_GAP * geometry.SANHAO / 72 * 25.4
    if number is None:
        out.append(Figure("信函 发文字号", "none under the first rule", "flush right under the first rule", False))
    else:
        gap = _mm(em_top(page, number) - head.bottom)
        right = geometry.LEFT_MM + geometry.TEXT_W_MM
        out.append(Figure("信函 发文字号", f"right edge {_mm(number.x1):.1f} mm, {gap:.1f} mm under the first rule",
                          f"flush right ({right} mm), {gap_want:.1f} mm (7/8 of a 三号 character) under it",
                          _near(_mm(number.x1), right, 0.7) and _near(gap, gap_want, 0.7) and number is under[0]))
        copy = re.match(r"\d{6}", number.text)
        if copy or (under and re.match(r"\d{6}$", under[0].text)):
            left = _mm(number.x0 if copy else under[0].x0)
            out.append(Figure("信函 份号", f"{'on the 发文字号 line' if copy else 'on its own line'}, left edge {left:.1f} mm",
                              f"on the 发文字号's line, flush left ({geometry.LEFT_MM} mm)",
                              bool(copy) and _near(left, geometry.LEFT_MM, 0.5)))
    numbered = page_number(page)
    out.append(Figure("信函 page 1 number", numbered.text if numbered else "none", "none (GB/T 9704 10.1)",
                      numbered is None))
    return out


def is_letter(pdf: Path) -> bool:
    """Whether page 1 of `pdf` has the 信函 head: red double rules wider than the text area."""
    return bool(double_rules(pdf, 1))


def _page_numbers(ps: list[Page], letter: bool = False) -> list[Figure]:
    text_bottom = geometry.TOP_MM + geometry.TEXT_H_MM
    inner_right = geometry.LEFT_MM + geometry.TEXT_W_MM - geometry.SMALL_CHAR_MM
    inner_left = geometry.LEFT_MM + geometry.SMALL_CHAR_MM
    seen: Counter = Counter()
    bad: list[str] = []
    for page in ps[:-1]:
        if not body_lines(page) or (letter and page.number == 1):  # a 信函's first page has none
            continue
        number = page_number(page)
        if number is None:
            bad.append(f"page {page.number}: none")
            continue
        if number.text != f"— {page.number} —":
            bad.append(f"page {page.number}: {number.text}")
        if page.landscape:
            seen["landscape (turned)"] += 1
            continue
        below = _mm(number.top) - text_bottom
        side = "odd, right" if page.number % 2 else "even, left"
        inset = (inner_right - _mm(number.x1)) if page.number % 2 else (_mm(number.x0) - inner_left)
        seen[f"{side} {inset + geometry.SMALL_CHAR_MM:.1f} mm in, {below:.1f} mm under"] += 1
        if not (_near(inset, 0, 0.8) and _near(below, geometry.PAGE_NUMBER_GAP_MM, 1)):
            bad.append(f"page {page.number}: {side}, {inset:+.1f} mm, {below:.1f} mm under")
        sizes = {round(f.size) for f in page.fragments_on(number)}
        fonts = {f.font.split("-")[0] for f in page.fragments_on(number)}
        if sizes != {geometry.SIHAO} or not fonts <= {"NotoSerifCJKjp", "NotoSerifCJKsc"}:
            bad.append(f"page {page.number}: {sizes} pt {fonts}")
    return [Figure("page numbers", "; ".join(f"{k} ({v})" for k, v in sorted(seen.items())) + (
                       f"; wrong: {', '.join(bad)}" if bad else ""),
                   f"— N — 四号宋体, {geometry.PAGE_NUMBER_GAP_MM} mm under the text area, odd right / even left, "
                   "one character in", not bad)]


def _closing(pdf: Path, ps: list[Page]) -> list[Figure]:
    last = ps[-1]
    found = rules(pdf, last.number, min_width=150 * MM)
    text = last.text.replace(" ", "")
    if not text.endswith("印发"):
        return [Figure("版记", "none", "at the bottom of the last (even) page", True)]
    bottom = _mm(found[-1].bottom) if found else 0.0
    text_bottom = geometry.TOP_MM + geometry.TEXT_H_MM
    numbered = page_number(last) is not None
    return [Figure("版记", f"{len(found)} rules, the last at {bottom:.1f} mm, on page {last.number} of {len(ps)}"
                   f"{', numbered' if numbered else ''}",
                   f"its last rule on the text area's bottom ({text_bottom} mm), on the last page, even, unnumbered",
                   len(found) >= 2 and _near(bottom, text_bottom, 1) and last.number % 2 == 0 and not numbered)]
