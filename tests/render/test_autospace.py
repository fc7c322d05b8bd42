"""Numbers and Latin words inside Chinese text print as Word prints them: no extra space around them.

The documents switch off Word's automatic space between Asian and Latin text and digits
(`w:autoSpaceDE`/`w:autoSpaceDN` = 0 in the Normal style). LibreOffice does not read those settings
and would add 0.2 字 (3.2 pt) on each side of "2025", "T03" or "GB/T 9704" (its paragraph property
ParaIsCharacterDistance); the PDF conversion switches that off (`docgen.render.pdf`). Measured on
the PDF with pdfplumber: where Chinese meets a digit or a Latin letter, a character advances by its
natural width, and a line holding numbers holds as much text as a line of Chinese alone.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.config import load_settings
from docgen.jobs.render import render
from docgen.render import geometry
from docgen.render.measure import char_rows

ROOT = Path(__file__).resolve().parents[2]
#: The body's character spacing (w:spacing on the Normal style), points.
SPACING = geometry.CHAR_SPACING / 20
#: How far a character's advance may differ from its natural width, points.
TOLERANCE = 0.3
SHORT = ["2025年12月31日前完成T03、T04项任务。", "依据GB/T 9704执行，2026年起每季度报送1次。"]
#: A paragraph whose second line is 23 Chinese characters and 10 digits: 28 字 wide, a full line.
FIRST_LINE = "为从根本上消除事故隐患，全面提升本质安全水平，特通知"
SECOND_LINE = "自2024年至2026年每年12月底前完成全部重点企业的检查并报送"
LONG = FIRST_LINE + SECOND_LINE + "结果。"
#: A list of task numbers longer than a line: it must break after one of its 、.
LIST = "本通知涉及的上级任务编号为" + "、".join(f"T{i:02d}" for i in range(1, 19)) + "，请对照落实。"
#: A paragraph of Chinese alone: 26 characters on its first line, 28 on its second.
CHINESE = ["各乡镇人民政府要加强组织领导，明确责任分工，认真抓好", "结果，各单位要认真组织实施，确保各项任务按期完成见到实效",
           "切实抓好落实。"]
PLAN = (
    "文种: 通知\n"
    "标题: 清溪市安全生产委员会关于开展安全生产大检查工作的通知\n"
    "发文机关: 清溪市安全生产委员会\n"
    "发文字号: 清安委〔2025〕9号\n"
    "成文日期: 2025年3月3日\n"
    "主送: [各乡镇人民政府]\n"
    "正文:\n" + "".join(f"  - 段落: {text}\n" for text in (*SHORT, LONG, "".join(CHINESE), LIST))
)


def _cjk(ch: str) -> bool:
    return ord(ch) > 0x2E80


def _lines(pdf: Path) -> list[list[dict]]:
    """The characters (spaces too) of the 三号 lines of the portrait pages, each line left to right."""
    rows = [(page, row) for page, size, row in char_rows(pdf) if size == geometry.SANHAO]
    return [row for _, row in sorted(rows, key=lambda r: (r[0], r[1][0]["bottom"]))]


def _text(line: list[dict]) -> str:
    return "".join(c["text"] for c in line).replace(" ", "")


@pytest.fixture(scope="module")
def rendered(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("autospace")
    plan = out / "notice.yaml"
    plan.write_text(PLAN, encoding="utf-8")
    render([plan], load_settings(ROOT), out, pdf=True, base=ROOT, pdf_engine="libreoffice")
    return out / "notice.pdf"


@pytest.fixture(scope="module")
def printed(rendered) -> list[list[dict]]:
    return _lines(rendered)


def test_a_list_of_latin_items_breaks_after_a_mark(rendered, printed):
    """LibreOffice breaks "T01、T02、…" after a 、 (as Word does), the line before it full, not
    stretched: the writer puts a zero-width space after each such mark (`docx.breakable`), which
    prints nothing and is not in the PDF's text."""
    texts = [_text(line) for line in printed]
    start = next(i for i, t in enumerate(texts) if t.startswith("本通知涉及"))
    first, second = texts[start], texts[start + 1]
    assert first.endswith("、") and first + second in LIST.replace(" ", ""), (first, second)
    assert len(first) >= 24, first  # the list began on the first line: it was not moved down whole
    assert not any("\u200b" in t for t in texts)


@pytest.mark.parametrize("text", SHORT)
def test_no_extra_space_between_chinese_and_numbers_or_latin_words(printed, text):
    """On a line that is not justified (a paragraph's last line), where Chinese meets a digit or a
    Latin letter (either way) the first character advances by the font's natural width.

    Inside a run of one script a character advances by its width less the body's 0.25 pt of
    character spacing; LibreOffice leaves that spacing out after the last character of a run, so
    at the boundary the advance is the natural width (Word's is 0.25 pt less)."""
    [line] = [ln for ln in printed if _text(ln) == text.replace(" ", "")]
    boundaries = []
    for a, b in zip(line, line[1:]):
        if _cjk(a["text"]) != _cjk(b["text"]) and a["text"].isalnum() and b["text"].isalnum():
            boundaries.append((a["text"] + b["text"], round((b["x0"] - a["x0"]) - a["width"], 2)))
    assert len(boundaries) >= 5
    assert all(abs(gap) <= TOLERANCE for _, gap in boundaries), boundaries
    inside = [round((b["x0"] - a["x0"]) - a["width"], 2) for a, b in zip(line, line[1:])
              if _cjk(a["text"]) == _cjk(b["text"]) and a["text"].isalnum() and b["text"].isalnum()]
    assert inside and all(abs(gap - SPACING) <= TOLERANCE for gap in inside), inside


def _paragraph(printed, first: str) -> list[list[dict]]:
    """The lines of the paragraph whose first line is `first`."""
    starts = [i for i, ln in enumerate(printed) if _text(ln) == first]
    assert starts, [_text(ln) for ln in printed]
    return printed[starts[0]:]


def test_a_line_with_numbers_holds_28_characters(printed):
    """23 Chinese characters and 10 digits (5 字) fill a line of 28 字 as they do in Word; with
    LibreOffice's space around each number (6 x 2 x 3.2 pt) the line would break two characters
    before its end."""
    _, second, third = _paragraph(printed, FIRST_LINE)[:3]
    assert _text(second) == SECOND_LINE
    assert _text(third) == "结果。"
    assert second[0]["x0"] == pytest.approx(geometry.TEXT_LEFT, abs=0.5)
    assert second[-1]["x1"] == pytest.approx(geometry.TEXT_RIGHT, abs=2)


def test_a_line_of_chinese_still_holds_28_characters(printed):
    """A full line of Chinese alone holds 28 characters from edge to edge of the 156 mm line (the
    first line of a paragraph, indented 2 字, 26): the character grid is as before."""
    lines = _paragraph(printed, CHINESE[0])[:3]
    assert [_text(ln) for ln in lines] == CHINESE
    assert [len(text) for text in CHINESE[:2]] == [26, 28]
    assert lines[0][0]["x0"] == pytest.approx(geometry.TEXT_LEFT + 2 * geometry.SANHAO, abs=0.5)
    assert lines[1][0]["x0"] == pytest.approx(geometry.TEXT_LEFT, abs=0.5)
    assert lines[1][-1]["x1"] == pytest.approx(geometry.TEXT_RIGHT, abs=2)
