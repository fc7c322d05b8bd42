"""Read a PDF through pdfplumber: lines in reading order, re-joined into paragraphs; ruled tables.

Per page: words are grouped into printed lines by their baseline; running headers (the same text
at the top of most pages) and page numbers (— 3 —, 第3页, a lone number at the foot) are dropped;
ruled tables are taken whole (`find_tables`) and their area left out of the text. Lines are then
re-joined into paragraphs: a line that starts further right than the text block's left edge
(the two-character first-line indent), that is centred, or that follows a line ending well before
the right edge starts a new paragraph. A PDF with no text layer (a scan) is refused: OCR is out
of scope.

The file comes from outside: it is read within `docgen.untrusted.Limits`: its size, what its
compressed streams unpack to (counted in bounded steps before pdfminer decodes them whole), its
number of pages, and the time. Whatever pdfminer or pdfplumber raise while reading a damaged file
(a page whose MediaBox holds no numbers, a broken object) makes it unreadable, not an error of docgen.
"""

from __future__ import annotations

import itertools
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from docgen import untrusted
from docgen.ingest.blocks import STARTS_ITEM, Document, Line, Table, clean
from docgen.ingest.docx import Unreadable
from docgen.untrusted import Deadline, LimitExceeded, Limits

_PAGE_NUMBER = re.compile(r"^[-—－–\s]*\d+[-—－–\s]*$|^第\s*\d+\s*页(\s*[/共]\s*\d+\s*页?)?$|^\d+\s*/\s*\d+$")


@dataclass
class _Printed:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    page: int
    number: int  # line number on its page, 1-based


def _page_lines(page, page_no: int, skip_boxes: list[tuple]) -> list[_Printed]:
    def outside(obj) -> bool:
        cx, cy = (obj["x0"] + obj["x1"]) / 2, (obj["top"] + obj["bottom"]) / 2
        return not any(b[0] <= cx <= b[2] and b[1] <= cy <= b[3] for b in skip_boxes)

    chars = [c for c in page.chars if outside(c) and c.get("upright", True)]
    chars.sort(key=lambda c: (round(c["top"]), c["x0"]))
    rows: list[list[dict]] = []
    for c in chars:
        if rows and abs(rows[-1][0]["top"] - c["top"]) <= max(2.0, c["size"] * 0.3):
            rows[-1].append(c)
        else:
            rows.append([c])
    out = []
    for row in rows:
        row.sort(key=lambda c: c["x0"])
        text = ""
        prev = None
        for c in row:
            if prev is not None and c["x0"] - prev["x1"] > c["size"] * 0.6:
                text += " "
            text += c["text"]
            prev = c
        sizes = Counter(round(c["size"], 1) for c in row)
        out.append(_Printed(text, row[0]["x0"], row[-1]["x1"], min(c["top"] for c in row),
                            max(c["bottom"] for c in row), sizes.most_common(1)[0][0], page_no, 0))
    for i, line in enumerate(out, start=1):
        line.number = i
    return out


def read(path: Path, limits: Limits | None = None) -> Document:
    """Blocks of a PDF with a text layer; `Unreadable` when it is not one (or is a scan),
    `LimitExceeded` past a limit (module docstring)."""
    limits = limits or Limits.from_environment()
    deadline = Deadline(limits.time)
    try:
        data = untrusted.read_bytes(path, limits)
    except untrusted.Unreadable as exc:
        raise Unreadable(exc.message) from None
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise Unreadable("不是有效的 PDF 文件（文件开头没有 %PDF）。")
    untrusted.check_pdf_streams(data, limits, deadline)
    del data
    with deadline.guard():
        try:
            pages = _pages(path, limits, deadline)
        except (Unreadable, LimitExceeded):
            raise
        except RecursionError:
            raise Unreadable("PDF 文件的对象相互引用过深，文件已损坏或是恶意构造的。") from None
        except Exception as exc:  # noqa: BLE001 - pdfminer and pdfplumber raise many kinds on a damaged file
            raise Unreadable(f"PDF 文件已损坏，无法读取（{type(exc).__name__}: {str(exc)[:200]}）") from None
        if not any(lines for _, lines, _ in pages) and not any(t for _, _, t in pages):
            raise Unreadable("PDF 中没有文字层（可能是扫描件）。docgen 不做文字识别（OCR），"
                             "请向发文单位索取 Word 文件或带文字层的 PDF。")
        return _assemble(pages)


def _pages(path: Path, limits: Limits, deadline: Deadline) -> list:
    import pdfplumber
    from pdfminer.pdfpage import PDFPage

    try:
        pdf = pdfplumber.open(str(path))
    except Exception as exc:  # noqa: BLE001 - pdfminer raises many kinds
        raise Unreadable(f"不是有效的 PDF 文件：{str(exc)[:200] or type(exc).__name__}") from None
    with pdf:
        count = sum(1 for _ in itertools.islice(PDFPage.create_pages(pdf.doc), limits.pages + 1))
        if count > limits.pages:
            raise LimitExceeded("pages", limits.pages, f"PDF 有超过 {limits.pages} 页")
        pages = []
        for page_no, page in enumerate(pdf.pages, start=1):
            deadline.check()
            ruled = len(page.rects) + len(page.lines) >= 4  # a page without rules has no ruled table
            # (a ruled row of three cells or more alone: the header of a form to fill in)
            tables = [t for t in page.find_tables() if len(t.rows) >= 2 and len(t.rows[0].cells) >= 2
                      or len(t.rows) == 1 and len(t.rows[0].cells) >= 3] if ruled else []
            lines = _page_lines(page, page_no, [t.bbox for t in tables])
            landscape = page.width > page.height
            found = [(t.bbox[1], Table([[clean(c or "") for c in row] for row in t.extract()],
                                       f"第{page_no}页（表格）", landscape)) for t in tables]
            pages.append((_Page(page.page_number), lines, found))
            page.close()
    return pages


@dataclass
class _Page:
    page_number: int


def _running(pages) -> set[str]:
    """Texts printed at the top or foot of at least half the pages (running headers/footers)."""
    if len(pages) < 3:
        return set()
    seen: Counter = Counter()
    for _, lines, _ in pages:
        ends = {l.text.strip() for l in lines[:1] + lines[-1:]}
        seen.update(ends)
    return {t for t, n in seen.items() if n >= max(3, len(pages) // 2) and not _PAGE_NUMBER.match(t)}


_LATIN_START = re.compile(r"^[0-9A-Za-z@._%\-]+")


def _pushed_down(previous: _Printed, line: _Printed, right: float) -> bool:
    """Whether `line` starts with a number or Latin word that did not fit at the end of `previous`
    (which does not end a sentence): the line broke before it, the paragraph goes on."""
    word = _LATIN_START.match(line.text)
    if not word or previous.text.rstrip()[-1:] in "。；：！？":
        return False
    return len(word.group(0)) * line.size * 0.5 > right - previous.x1


_DATE_LINE = re.compile(r"^\s*\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日\s*$")


def _above_date(printed: list, at: int) -> bool:
    """Whether the line at `at` is a short line (a signature) right above a date alone."""
    line = printed[at]
    after = printed[at + 1] if at + 1 < len(printed) else None
    return (isinstance(after, _Printed) and bool(_DATE_LINE.match(after.text)) and len(line.text.strip()) <= 40
            and not re.search(r"[。，；]", line.text))


def _assemble(pages) -> Document:
    running = _running(pages)
    printed: list[_Printed | tuple[float, Table, int]] = []
    for page, lines, tables in pages:
        kept = [l for l in lines if not _PAGE_NUMBER.match(l.text.strip()) and l.text.strip() not in running]
        items: list = kept + [(top, t, page.page_number) for top, t in tables]
        items.sort(key=lambda it: it.top if isinstance(it, _Printed) else it[0])
        printed.extend(items)
    text_lines = [p for p in printed if isinstance(p, _Printed)]
    if not text_lines:
        return Document([t for _, t, _ in printed])
    body_size = Counter(round(l.size) for l in text_lines).most_common(1)[0][0]
    lefts = Counter(round(l.x0) for l in text_lines if round(l.size) == body_size)
    # (a short document may have no two lines ending alike: then its widest line sets the edge)
    left = min((x for x, n in lefts.items() if n >= max(2, lefts.most_common(1)[0][1] // 10)), default=min(lefts))
    rights = Counter(round(l.x1) for l in text_lines if round(l.size) == body_size)
    right = max((x for x, n in rights.items() if n >= max(2, rights.most_common(1)[0][1] // 10)), default=max(rights))
    blocks: list = []
    current: list[_Printed] = []

    def flush() -> None:
        if current:
            first = current[0]
            text = clean("".join(l.text for l in current))
            if text:
                mid = (first.x0 + first.x1) / 2
                centered = abs(mid - (left + right) / 2) < body_size * 2 and first.x0 > left + body_size * 2.5
                blocks.append(Line(text, f"第{first.page}页第{first.number}行",
                                   style="large" if first.size > body_size * 1.15 else "", centered=centered))
            current.clear()

    previous: _Printed | None = None
    for at, item in enumerate(printed):
        if not isinstance(item, _Printed):
            flush()
            blocks.append(item[1])
            previous = None
            continue
        starts = (
            previous is None
            or item.x0 > left + body_size * 0.8  # first-line indent, centred or right-aligned text
            # the previous line ended early, not for a number or word too wide to fit (0000-12345678)
            or previous.x1 < right - body_size * 1.5 and not _pushed_down(previous, item, right)
            # a sentence (or a bracketed note) ended and the next line opens a numbered item (text
            # set without indents), or is the signature above the date
            or previous.text.rstrip()[-1:] in "。；：！？）" and STARTS_ITEM.match(item.text)
            or previous.text.rstrip()[-1:] == "。" and _above_date(printed, at)
            or abs(item.size - previous.size) > 0.5
            or item.page == previous.page and item.top - previous.bottom > body_size * 1.6
        )
        if starts:
            flush()
        current.append(item)
        previous = item
    flush()
    return Document(blocks)
