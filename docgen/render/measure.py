"""Measure a rendered PDF: where its text lines are, which font prints what, where red ink is.

Used by the tests and by `bench/render_layout.py` to check the layout against GB/T 9704 on the
PDF itself, not on the XML. Needs poppler-utils (`pdftotext`, `pdftoppm`) and pypdf. Lengths are
PDF points (1/72 inch) from the page's top left corner; `MM` converts.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass, field
from pathlib import Path

from pypdf import PdfReader

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
        p.lines.sort(key=lambda ln: (round(ln.top, 1), ln.x0))
        out.append(p)
    for p, reader_page in zip(out, PdfReader(str(pdf)).pages):
        height = p.height

        def visit(text, cm, tm, font, size, p=p, height=height):
            if text.strip() and font:
                name = str(font.get("/BaseFont", "")).lstrip("/")
                p.fragments.append(Fragment(tm[4], height - tm[5], name.split("+", 1)[-1], size, text))

        reader_page.extract_text(visitor_text=visit)
    return out


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
    with tempfile.TemporaryDirectory(prefix="docgen-measure-") as tmp:
        subprocess.run(["pdftoppm", "-r", str(dpi), "-f", str(page), "-l", str(page), str(pdf), f"{tmp}/p"],
                       check=True, capture_output=True)
        data = next(Path(tmp).glob("p*.ppm")).read_bytes()
    magic, dims, maxval, pixels = data.split(b"\n", 3)
    width, height = map(int, dims.split())
    scale = 72 / dpi
    rows: list[tuple[int, int, int]] = []
    for y in range(height):
        row = pixels[y * width * 3:(y + 1) * width * 3]
        xs = [x for x in range(0, width, 2) if _is(colour, row[3 * x], row[3 * x + 1], row[3 * x + 2])]
        if xs:
            rows.append((y, xs[0], xs[-1]))
    bands: list[Band] = []
    for y, x0, x1 in rows:
        if bands and abs(bands[-1].bottom - y * scale) < 1.5 * scale:
            b = bands[-1]
            bands[-1] = Band(b.top, (y + 1) * scale, min(b.left, x0 * scale), max(b.right, x1 * scale))
        else:
            bands.append(Band(y * scale, (y + 1) * scale, x0 * scale, x1 * scale))
    return bands


def _is(colour: str, r: int, g: int, b: int) -> bool:
    if colour == "red":
        return r > 180 and g < 90 and b < 90
    return r < 100 and g < 100 and b < 100


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


def on_grid(lines: list[Line]) -> bool:
    """Whether consecutive lines are one 28.95 pt line pitch apart (body text, not titles or tables)."""
    tops = sorted({round(line.top, 1) for line in lines})
    return len(tops) > 1 and all(abs((b - a) - LINE_PITCH) < 0.6 for a, b in zip(tops, tops[1:]))


def full_pages(pages: list[Page]) -> list[Page]:
    """Portrait pages of plain body text filled to the bottom of the text area."""
    out = []
    for page in pages:
        lines = body_lines(page)
        if not page.landscape and on_grid(lines) and lines[-1].bottom > TEXT_BOTTOM - LINE_PITCH / 2:
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
    right = max(line.x1 for line in lines if line.text[-1:] not in HANGING)
    top = min(body_lines(page)[0].bottom for page in full) - LINE_PITCH
    bottom = max(body_lines(page)[-1].bottom for page in full)
    return left / MM, top / MM, right / MM, bottom / MM
