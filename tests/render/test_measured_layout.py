"""Every kind of printed document, measured on its PDF: every character printed, the GB/T 9704
figures (`docgen.render.measure.check`), the signature never alone, titles broken between words."""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from collections import Counter
from pathlib import Path

import pytest
from lxml import etree

from docgen.compose.titles import word_starts
from docgen.render import geometry
from docgen.render.docx import BREAK_OPPORTUNITY
from docgen.render.measure import MM, Figure, body_lines, check
from docgen.textchars import width

from .gallery import CLOSING_MARKS, OPENING_MARKS, RARE

KINDS = ("city/three-year-plan", "city/work-points-2025", "donghu/three-year-plan", "通知", "任务通知", "进展通报",
         "督办通知")
#: The other example documents of plans/: a jointly issued notice, an 意见, a street's 工作要点, the 通报.
EXAMPLE_KINDS = ("city/flood-season-notice", "city/fire-grid-opinions", "beishan/work-points-2025",
                 "bulletins/2024-work-bulletin", "bulletins/2025-10-accidents-bulletin", "bulletins/2025-hazards-notice",
                 "bulletins/2024-assessment-bulletin", "bulletins/2025-11-hazards-notice",
                 "bulletins/2025-10-donghu-inspection")
W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
SIGNATURE_STYLES = ("GwSignatureSealed", "GwSignature")


def document_text(docx: Path) -> tuple[str, list[str]]:
    """The text of every paragraph of `docx` (body, tables, the 版记 once; not page numbers),
    without whitespace, and the text of each table's repeated head row."""
    paras, heads, seen = [], [], set()
    with zipfile.ZipFile(docx) as zf:
        names = ["word/document.xml"] + sorted(n for n in zf.namelist() if re.fullmatch(r"word/footer\d+\.xml", n))
        for name in names:
            data = zf.read(name)
            if name != "word/document.xml" and (b"PAGE" in data or data in seen):
                continue  # page numbers; the 版记 footer of odd and even pages is one text
            seen.add(data)
            root = etree.fromstring(data)
            paras += ["".join(t.text or "" for t in p.iter(f"{W}t")) for p in root.iter(f"{W}p")]
            heads += ["".join(t.text or "" for t in tr.iter(f"{W}t")) for tr in root.iter(f"{W}tr")
                      if tr.find(f"{W}trPr/{W}tblHeader") is not None]
    # the writer's break opportunities (docgen.render.docx.breakable) print nothing
    strip = lambda text: re.sub(r"\s", "", text).replace(BREAK_OPPORTUNITY, "")  # noqa: E731
    return strip("".join(paras)), [strip(h) for h in heads]


def printed_text(pdf: Path) -> str:
    """The text of `pdf` in drawing order, page numbers (also turned ones) and whitespace removed."""
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s", "", re.sub(r"—\s*\d+\s*—", "", text))


@pytest.mark.parametrize("kind", KINDS + EXAMPLE_KINDS)
def test_every_character_of_the_document_is_printed(gallery, kind):
    """The PDF holds exactly the document's characters: none lost at a line's end, none added
    (a table's head row repeated on each of its pages is counted once per page)."""
    item = gallery[kind]
    document, heads = document_text(item.docx)
    printed = printed_text(item.pdf)
    wanted, got = Counter(document), Counter(printed)
    for head in heads:
        for _ in range(printed.count(head) - document.count(head)):
            got -= Counter(head)
    assert dict(wanted - got) == {} and dict(got - wanted) == {}, (dict(wanted - got), dict(got - wanted))


def test_lines_end_with_every_closing_mark_and_begin_after_every_opening_mark(gallery):
    item = gallery["通知"]
    lines = [ln.text.replace(" ", "") for page in item.pages for ln in body_lines(page)]
    for mark in CLOSING_MARKS:
        assert any(line.endswith(mark) for line in lines), mark
    for mark in OPENING_MARKS:
        assert any(line.startswith(mark) for line in lines), mark
        assert not any(line.endswith(mark) for line in lines), mark
    assert not any(line[0] in CLOSING_MARKS for line in lines if line), [ln for ln in lines if ln[0] in CLOSING_MARKS]


@pytest.fixture(scope="module")
def figures(gallery) -> dict[str, dict[str, Figure]]:
    """The measured check of every kind, by figure."""
    return {kind: {f.what: f for f in check(item.pdf, item.pages)} for kind, item in gallery.items()}


@pytest.mark.parametrize("kind", KINDS + EXAMPLE_KINDS)
def test_gb9704_figures_measured_on_the_pdf(figures, kind):
    figures = list(figures[kind].values())
    assert [str(f) for f in figures if not f.ok] == []
    what = {f.what for f in figures}
    assert {"page size", "text area left edge", "lines on any page", "发文机关标志", "page numbers",
            "fonts embedded", "space between characters"} <= what


def test_full_pages_and_lines_are_measured(figures):
    """The figures of the long documents come from full pages: 22 lines of 28 characters."""
    measured = figures
    for kind in ("city/three-year-plan", "city/work-points-2025", "donghu/three-year-plan", "任务通知"):
        figures = measured[kind]
        assert figures["lines on full pages"].ok and "{22:" in figures["lines on full pages"].measured
        assert figures["characters on full lines"].ok
        counts = eval(figures["characters on full lines"].measured.split(";")[0])  # noqa: S307 - our own repr
        assert max(counts, key=counts.get) == geometry.CHARS, counts
        assert figures["text area on full pages"].ok


def _signatures(docx: Path) -> list[str]:
    with zipfile.ZipFile(docx) as zf:
        root = etree.fromstring(zf.read("word/document.xml"))
    out = []
    for p in root.iter(f"{W}p"):
        style = p.find(f"{W}pPr/{W}pStyle")
        if style is not None and style.get(f"{W}val") in SIGNATURE_STYLES:
            out.append("".join(t.text or "" for t in p.iter(f"{W}t")))
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_signature_keeps_body_text_on_its_page(gallery, kind):
    """GB/T 9704 7.3.5: never a page with the signature and date alone."""
    item = gallery[kind]
    names = _signatures(item.docx)
    assert names, "every kind is signed"
    for name in names:
        page, index = next((p, i) for p in item.pages for i, ln in enumerate(body_lines(p))
                           if ln.text.replace(" ", "") == name and ln.x0 > geometry.TEXT_LEFT + 10)
        assert index > 0, f"page {page.number} starts with the signature {name}"


def test_signature_after_a_full_page_takes_lines_with_it(gallery):
    """The 通知's last paragraph would end on a full page: its lines move with the signature."""
    item = gallery["通知"]
    name = _signatures(item.docx)[0]
    page = next(p for p in item.pages if any(ln.text.replace(" ", "") == name for ln in body_lines(p)))
    before = page.number - 1
    assert len(body_lines(item.pages[before - 1])) == geometry.LINES  # the page before is full
    lines = body_lines(page)
    at = next(i for i, ln in enumerate(lines) if ln.text.replace(" ", "") == name)
    assert at >= 2 and all(abs(ln.x0 - geometry.TEXT_LEFT) < 1.5 or ln.x0 > geometry.TEXT_LEFT for ln in lines[:at])


def _title_lines(item) -> list[str]:
    """The lines of the title on page 1: the text printed at 二号 (22 pt) under the red rule."""
    page = item.pages[0]
    out = []
    for line in body_lines(page):
        sizes = {round(f.size) for f in page.fragments_on(line)}
        if sizes == {geometry.ERHAO} and line.top > 90 * MM:
            out.append(line.text.replace(" ", ""))
    return out


@pytest.mark.parametrize("kind", KINDS)
def test_titles_break_between_words_into_balanced_lines(gallery, kind):
    lines = _title_lines(gallery[kind])
    assert lines, kind
    title = "".join(lines)
    starts = word_starts(title)
    at = 0
    for line in lines[:-1]:
        at += len(line)
        assert at in starts, (lines, at)
    if len(lines) > 1:
        assert max(map(width, lines)) - min(map(width, lines)) <= 4, lines


def test_rare_characters_print_in_a_face_that_has_them(gallery):
    """堃喆昇珺镕垚 are not in the Fandol faces (GB 2312): they print in the fallback face, never as
    a blank, in body text, headings and 导语."""
    item = gallery["通知"]
    found = []
    for page in item.pages:
        for fragment in page.fragments:
            for ch in RARE:
                if ch in fragment.text:
                    found.append((ch, fragment.font))
    assert {ch for ch, _ in found} == set(RARE)
    assert all(not font.startswith("Fandol") for _, font in found), found
    assert {font.split("-")[0] for _, font in found} <= {"NotoSerifCJKjp", "NotoSansCJKjp", "UKaiCN"}, found


def test_measuring_command_on_any_docx_and_pdf_without_a_document_number(gallery, tmp_path):
    """`python bench/render_layout.py FILE…` measures a .docx (converted first) and a PDF, also one
    whose 版头 has no 发文字号 (a notice sent without --number), and says which figure is off."""
    from docgen.config import load_settings
    from docgen.jobs.notify import notify

    from .gallery import CITY, ROOT

    outcome = notify(CITY, load_settings(ROOT), tmp_path, units=["市教育局"], base=ROOT)
    docx = outcome.units[0].docx
    result = subprocess.run([sys.executable, str(ROOT / "bench/render_layout.py"), str(docx),
                             str(gallery["通知"].pdf)], capture_output=True, text=True, timeout=600)
    assert "Traceback" not in result.stderr
    out = result.stdout
    # A notice sent without --number is a plain notice (no 版头), so no 发文字号 is looked for.
    assert "发文字号" not in out.split("\n\n")[0] or "BAD 发文字号" not in out, out
    assert out.count("ok  page size: 210 x 297 mm") == 2
    assert "face FandolFang-Regular: 仿宋_GB2312" in out
    bad = [line for line in out.splitlines() if line.strip().startswith("BAD")]
    assert result.returncode == (1 if bad else 0)
    assert not bad, bad
