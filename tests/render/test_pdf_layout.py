"""The example plans as PDFs, measured against GB/T 9704-2012 (figures in millimetres)."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from docgen.render.measure import (
    LINE_PITCH,
    MM,
    body_lines,
    full_lines,
    full_pages,
    ink_bands,
    page_number,
    rules,
    text_box,
)

from .conftest import EXAMPLES

ONE_CHAR = 16 / 72 * 25.4       # 三号: 5.64 mm
SMALL_CHAR = 14 / 72 * 25.4     # 四号: 4.94 mm


def _mm(points: float) -> float:
    return points / MM


def _line(example, text: str, start: int = 1):
    """The first line containing `text`, on or after page `start`, and its page."""
    for page in example.pages[start - 1:]:
        for line in body_lines(page):
            if text in line.text.replace(" ", ""):
                return page, line
    raise AssertionError(f"{text} not found in {example.name}")


@pytest.mark.parametrize("name", EXAMPLES)
def test_a4_pages_portrait_and_landscape(examples, name):
    for page in examples[name].pages:
        size = sorted((round(_mm(page.width)), round(_mm(page.height))))
        assert size == [210, 297], (page.number, size)


@pytest.mark.parametrize("name", EXAMPLES)
def test_text_area_margins(examples, name):
    left, top, right, bottom = text_box(examples[name].pages)
    assert left == pytest.approx(28, abs=1)        # 订口
    assert top == pytest.approx(37, abs=1)         # 天头
    assert 210 - right == pytest.approx(26, abs=1)
    assert 297 - bottom == pytest.approx(35, abs=1)


@pytest.mark.parametrize("name", EXAMPLES)
def test_22_lines_on_every_full_page(examples, name):
    pages = examples[name].pages
    full = full_pages(pages)
    assert len(full) >= 3
    assert {len(body_lines(p)) for p in full} == {22}
    portrait_text = [p for p in pages if not p.landscape and body_lines(p)]
    assert max(len(body_lines(p)) for p in portrait_text) <= 22


@pytest.mark.parametrize("name", EXAMPLES)
def test_28_characters_on_a_full_line(examples, name):
    counts = Counter(len(line.text.replace(" ", "").rstrip("，。、；：！？）》”")) for line in full_lines(examples[name].pages))
    assert counts.most_common(1)[0][0] == 28 and max(counts) == 28, counts


@pytest.mark.parametrize("name", EXAMPLES)
def test_page_numbers_alternate_sides_one_character_in(examples, name):
    pages = examples[name].pages
    for page in pages[:-1]:
        if not body_lines(page):  # the blank page before an even 版记 page
            assert page_number(page) is None
            continue
        number = page_number(page)
        assert number is not None and number.text == f"— {page.number} —", page.number
        if page.landscape:  # turned with the page: where it stands on the portrait pages (8)
            assert number.bottom - number.top > number.x1 - number.x0
            assert 35 - _mm(number.x1) == pytest.approx(7, abs=1), page.number
            if page.number % 2:
                assert _mm(number.bottom) == pytest.approx(210 - 26 - SMALL_CHAR, abs=0.8), page.number
            else:
                assert _mm(number.top) == pytest.approx(28 + SMALL_CHAR, abs=0.8), page.number
        else:
            if page.number % 2:
                assert _mm(number.x1) == pytest.approx(210 - 26 - SMALL_CHAR, abs=0.8), page.number
            else:
                assert _mm(number.x0) == pytest.approx(28 + SMALL_CHAR, abs=0.8), page.number
            assert _mm(number.top) - (297 - 35) == pytest.approx(7, abs=1), page.number
        assert {f.font.split("-")[0] for f in page.fragments_on(number)} == {"NotoSerifCJKjp"}  # 宋体
    assert page_number(pages[-1]) is None and len(pages) % 2 == 0  # the 版记 page: even, unnumbered


# The Noto CJK collections share one set of outlines named "…CJKjp" by all their faces; the SC
# face prints (tests/render/test_faces.py checks the glyphs).
FONTS = {  # element: (how its line starts, PDF font of the Linux stand-in, first page to look at)
    "发文机关标志 (小标宋)": ("清溪市", "NotoSerifCJKjp-Bold", 1),
    "title (小标宋)": ("关于印发", "NotoSerifCJKjp-Bold", 1),
    "heading 一、 (黑体)": ("一、", "NotoSansCJKjp", 2),
    "heading （一） (楷体)": ("（一）", "FandolKai", 2),
    "task lead 1. (仿宋)": ("1.", "LiberationSerif", 2),
    "attachment label (黑体)": (re.compile(r"附件\d*"), "NotoSansCJKjp", 3),
    "table head (黑体)": ("序号", "NotoSansCJKjp", 3),
}


@pytest.mark.parametrize("name", EXAMPLES)
@pytest.mark.parametrize("element", FONTS)
def test_fonts_per_element(examples, name, element):
    start, font, first_page = FONTS[element]
    for page in examples[name].pages[first_page - 1:]:
        line = next((ln for ln in body_lines(page) if _starts(ln.text.replace(" ", ""), start)), None)
        if line is not None:
            assert page.leading_font(line).startswith(font), (element, page.number, page.fragments_on(line))
            return
    raise AssertionError(f"no line starts with {start}")


def _starts(text: str, start) -> bool:
    return bool(start.fullmatch(text)) if isinstance(start, re.Pattern) else text.startswith(start)


@pytest.mark.parametrize("name", EXAMPLES)
def test_body_text_font(examples, name):
    pages = examples[name].pages
    for line in full_lines(pages):
        page = next(p for p in pages if line in p.lines)
        assert {f.font for f in page.fragments_on(line)} == {"FandolFang-Regular"}, line.text


@pytest.mark.parametrize("name", EXAMPLES)
def test_red_head(examples, name):
    example = examples[name]
    mark, separator = ink_bands(example.pdf, 1)[:2]
    assert _mm(mark.top) - 37 == pytest.approx(35, abs=1)                      # 35 mm under the text area top
    assert (_mm(mark.left) + _mm(mark.right)) / 2 == pytest.approx(106, abs=1)  # centred
    assert _mm(separator.left) == pytest.approx(28, abs=0.5) and _mm(separator.right) == pytest.approx(184, abs=0.5)
    assert separator.thickness < 2
    page, number = _line(example, "〔")
    assert page.number == 1 and (_mm(number.x0) + _mm(number.x1)) / 2 == pytest.approx(106, abs=1)
    assert _mm(separator.top) - _mm(number.bottom) == pytest.approx(4, abs=1)


@pytest.mark.parametrize("name", EXAMPLES)
def test_titles_centred_and_long_ones_balanced(examples, name):
    example = examples[name]
    page = example.pages[0]
    lines = [ln for ln in body_lines(page) if ln.top > 120 * MM][:2]
    assert "关于印发" in lines[0].text and "的通知" in lines[1].text
    for line in lines:
        assert (_mm(line.x0) + _mm(line.x1)) / 2 == pytest.approx(106, abs=1.5)
    widths = [_mm(line.x1 - line.x0) for line in lines]
    assert abs(widths[0] - widths[1]) <= 4 * 22 / 72 * 25.4
    plan_title, _ = _line(example, example.plan.title.value[:6], 2)
    assert plan_title.number == 2 and body_lines(plan_title)[0].text.replace(" ", "").startswith(
        example.plan.title.value[:6])


@pytest.mark.parametrize("name", EXAMPLES)
def test_first_page_recipients_body_signature_and_note(examples, name):
    example = examples[name]
    page, recipients = _line(example, "：")
    assert page.number == 1 and _mm(recipients.x0) == pytest.approx(28, abs=0.5)      # 主送 flush left
    _, body = _line(example, "印发给你们"[:2])
    first = [ln for ln in body_lines(page) if ln.top > recipients.top and _mm(ln.x0) > 30][0]
    assert _mm(first.x0) == pytest.approx(28 + 2 * ONE_CHAR, abs=0.5)                # two characters in
    _, date = _line(example, "日")
    signature = [ln for ln in body_lines(page) if ln.bottom <= date.top + 1][-1]
    assert _mm(date.x1) == pytest.approx(184 - 4 * ONE_CHAR, abs=0.6)               # 4 characters in (seal)
    # centred over the date as Word lays it out (no space around the date's digits: test_autospace.py)
    assert (signature.x0 + signature.x1) / 2 == pytest.approx((date.x0 + date.x1) / 2, abs=1 * MM)
    note_page, note = _line(example, "（此件公开发布）")
    assert note_page.number == 1 and _mm(note.x0) == pytest.approx(28 + 2 * ONE_CHAR, abs=0.5)
    assert all(_mm(ln.bottom) <= 262.5 for ln in body_lines(page))


@pytest.mark.parametrize("name", EXAMPLES)
def test_headings_and_body_indented_two_characters(examples, name):
    example = examples[name]
    for text in ("一、", "（一）", "1."):
        _, line = _line(example, text, 2)
        assert _mm(line.x0) == pytest.approx(28 + 2 * ONE_CHAR, abs=0.5), text


def test_attachment_note_aligned(examples):
    example = examples["city/three-year-plan"]
    page, first = _line(example, "附件：1.重点项目清单", 2)
    _, second = _line(example, "2.任务分工表", page.number)
    assert _mm(first.x0) == pytest.approx(28 + 2 * ONE_CHAR, abs=0.5)
    x_one = first.x0 + 3 * ONE_CHAR * MM                 # where "1." starts after "附件："
    assert second.x0 == pytest.approx(x_one, abs=0.6 * MM)


@pytest.mark.parametrize("name", EXAMPLES)
def test_attachments_each_on_a_new_page_and_table_head_on_every_page(examples, name):
    example = examples[name]
    labels = [a.title.value for a in example.plan.attachments]
    first_table_page = None
    for i, title in enumerate(labels, start=1):
        label = "附件" if len(labels) == 1 else f"附件{i}"
        page = next(p for p in example.pages if body_lines(p) and body_lines(p)[0].text.replace(" ", "") == label)
        lines = body_lines(page)
        assert _mm(lines[0].x0) == pytest.approx(page.landscape and 35 or 28, abs=0.5)
        assert lines[1].text.replace(" ", "") == title
        assert (lines[1].top - lines[0].top) == pytest.approx(2 * LINE_PITCH, abs=8)  # title on line 3
        first_table_page = first_table_page or page.number
        assert page.landscape  # both tables need the width
    later = [p for p in example.pages[first_table_page:] if body_lines(p) and p.landscape]
    for page in later:
        first = body_lines(page)[0].text.replace(" ", "")
        assert first.startswith("序号") or first.startswith("附件"), page.number


@pytest.mark.parametrize("name", EXAMPLES)
def test_closing_block_at_the_foot_of_the_last_page(examples, name):
    example = examples[name]
    last = example.pages[-1]
    text = last.text.replace(" ", "")
    assert text.startswith("抄送：") and text.endswith("印发")
    found = rules(example.pdf, last.number, min_width=150 * MM)
    assert len(found) == 3
    assert all(_mm(r.left) == pytest.approx(28, abs=0.5) and _mm(r.right) == pytest.approx(184, abs=0.5)
               for r in found)
    assert _mm(found[-1].bottom) == pytest.approx(262, abs=1)                      # on the text area's bottom
    assert found[0].thickness > found[1].thickness < found[2].thickness            # thick, thin, thick
    printer = [ln for ln in body_lines(last) if ln.text.replace(" ", "").endswith("印发")]
    assert _mm(printer[0].x1) == pytest.approx(184 - SMALL_CHAR, abs=0.6)         # one character in
    assert _mm(min(ln.x0 for ln in body_lines(last))) == pytest.approx(28 + SMALL_CHAR, abs=0.6)


@pytest.mark.parametrize("name", EXAMPLES)
def test_no_page_holds_only_a_signature_or_note(examples, name):
    for page in examples[name].pages:
        texts = [ln.text.replace(" ", "") for ln in body_lines(page)]
        if texts and all(t.endswith("日") or t.startswith("（此件") or "委员会" == t[-3:] or t.endswith("办事处")
                         for t in texts):
            raise AssertionError(f"page {page.number} holds only {texts}")
