"""The 信函格式 (GB/T 9704 10.1) measured on the PDF of each engine (LibreOffice converting the .docx,
Typst printing the composed tree): the organ's name
30 mm under the top edge, two red double rules of 170 mm (thick over thin 4 mm under the name, thin
over thick 20 mm above the bottom edge), 份号 flush left and 发文字号 flush right on one line under
the first rule, 密级 and 紧急程度 under 份号, no page number on page 1, a 版记 without 印发 line."""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.config import load_settings
from docgen.jobs.render import render
from docgen.render import geometry, ooxml
from docgen.render.measure import (
    LINE_PITCH,
    MM,
    body_lines,
    check,
    double_rules,
    em_top,
    ink_bands,
    is_letter,
    page_number,
    pages,
    rules,
)

from .gallery import ROOT

SETTINGS = load_settings(ROOT)
NATIONAL = ROOT / "plans/bulletins/2025-11-national-letter.yaml"
FILLER = "为做好危险化学品运输环节安全检查工作，经研究，商请贵局派员参加联合检查组，请于3月10日前将人员名单报送我办。"


def _plan(paragraphs: int = 14) -> str:
    body = "\n".join(f"  - 段落: {FILLER}" for _ in range(paragraphs))
    return (
        "文种: 通知\n版式: 信函\n"
        "标题: 清溪市安全生产委员会办公室关于商请协助开展危险化学品专项检查的通知\n"
        "发文机关: 清溪市安全生产委员会办公室\n发文字号: 清安办〔2025〕9号\n"
        "份号: 12\n密级: 秘密\n保密期限: 1年\n紧急程度: 特急\n"
        "主送: [清溪市交通运输局]\n成文日期: 2025年3月3日\n抄送: [市委办公室]\n"
        "印发机关: 清溪市安全生产委员会办公室\n印发日期: 2025年3月4日\n"
        f"正文:\n{body}\n")


ENGINES = ("libreoffice", "typst")


def _render(folder: Path, text: str, engine: str) -> Path:
    plan = folder / "letter.yaml"
    folder.mkdir(parents=True, exist_ok=True)
    plan.write_text(text, encoding="utf-8")
    render([plan], SETTINGS, folder / "out", pdf=True, base=ROOT, pdf_engine=engine)
    return folder / "out" / "letter.pdf"


@pytest.fixture(scope="module", params=ENGINES)
def letters(request, tmp_path_factory) -> dict[str, Path]:
    """A two-page 信函 with 份号, 密级 and 紧急程度, and the national example of plans/, printed by
    each engine."""
    out = tmp_path_factory.mktemp(f"letters-{request.param}")
    render([NATIONAL], SETTINGS, out / "national", pdf=True, base=ROOT, pdf_engine=request.param)
    return {"letter": _render(out / "letter", _plan(), request.param),
            "national": out / "national" / "2025-11-national-letter.pdf"}


@pytest.mark.parametrize("name", ["letter", "national"])
def test_letter_measured_on_the_pdf_meets_gb9704(letters, name):
    figures = check(letters[name])
    assert [str(f) for f in figures if not f.ok] == []
    assert {"信函 发文机关标志", "信函 first double rule", "信函 second double rule", "信函 发文字号",
            "信函 page 1 number"} <= {f.what for f in figures}


def test_letter_head_figures(letters):
    pdf = letters["letter"]
    ps = pages(pdf)
    head, foot = double_rules(pdf, 1)
    name = [b for b in ink_bands(pdf, 1) if b.bottom < head.top]
    # the organ's name: red, its top 30 mm under the page's top edge (the text area starts at 37 mm)
    assert abs(name[0].top / MM - geometry.LETTER_MARK_TOP_MM) < 1
    # the first double rule: thick over thin, 4 mm under the name; the second: thin over thick,
    # its lower edge 20 mm above the bottom edge; both 170 mm, from 21 to 191 mm (centred on the text area)
    assert head.thick_over_thin and not foot.thick_over_thin
    assert abs((head.top - name[-1].bottom) / MM - 4) < 0.7
    assert abs(geometry.PAGE_H_MM - foot.bottom / MM - 20) < 0.7
    for rule in (head, foot):
        assert abs(rule.left / MM - 21) < 0.7 and abs(rule.right / MM - 191) < 0.7
    # 份号 flush left and 发文字号 flush right on the first line under the rule, 7/8 of 三号 under it;
    # 密级★保密期限 and 紧急程度 flush left on the next lines
    first, secret, urgency = body_lines(ps[0])[1:4]
    assert first.text.startswith("000012") and first.text.endswith("清安办〔2025〕9号")
    assert abs(first.x0 / MM - geometry.LEFT_MM) < 0.5 and abs(first.x1 / MM - 184) < 0.7
    assert abs((em_top(ps[0], first) - head.bottom) / MM - 7 / 8 * 16 * 25.4 / 72) < 0.7
    assert (secret.text, urgency.text) == ("秘密★1年", "特急")
    # one line pitch apart, baseline to baseline (pdftotext's boxes reach each face's descent: a line
    # with Latin digits ends lower than one of Chinese characters only)
    for line, above in ((secret, first), (urgency, secret)):
        assert abs(line.x0 / MM - geometry.LEFT_MM) < 0.5
        assert abs(_baseline(ps[0], line) - _baseline(ps[0], above) - LINE_PITCH) < 0.6
    # nothing of the head stays above the name
    assert all(line.top > head.bottom for line in body_lines(ps[0])[1:])
    # the head's height in the text area, as the first page's fitting reckons it: its last line
    # ends about a fifth of a line under its baseline (pdftotext's boxes end at each face's descent)
    height = ooxml.letter_head_height(720, 860, 280, 320, 579, 3) / (1440 / 25.4)
    assert abs((_baseline(ps[0], urgency) + LINE_PITCH / 5) / MM - (geometry.TOP_MM + height)) < 1


def _baseline(page, line) -> float:
    return max(f.baseline for f in page.fragments_on(line))


def test_letter_pages_and_closing(letters):
    pdf = letters["letter"]
    ps = pages(pdf)
    assert is_letter(pdf) and len(ps) >= 2
    assert page_number(ps[0]) is None and page_number(ps[1]).text == "— 2 —"
    assert not double_rules(pdf, 2)  # the double rules are the first page's only
    last = ps[-1].text.replace(" ", "")
    # the 版记: 抄送 only, without 印发机关, 印发日期 and the separator rules
    assert "抄送：市委办公室。" in last and "印发" not in last
    assert rules(pdf, ps[-1].number, min_width=150 * MM) == []


@pytest.mark.parametrize("engine", ENGINES)
def test_measuring_finds_a_misplaced_letter_head(engine, tmp_path, monkeypatch):
    """A 信函 whose name sits at the text area's top (37 mm) and whose foot rule is 30 mm up is
    reported, figure by figure."""
    with monkeypatch.context() as patched:
        patched.setattr(geometry, "LETTER_MARK_TOP_MM", 37)
        patched.setattr(geometry, "LETTER_FOOT_MM", 30)
        pdf = _render(tmp_path / "off", _plan(1), engine)
    bad = {f.what for f in check(pdf) if not f.ok}
    assert {"信函 发文机关标志", "信函 second double rule"} <= bad
    assert "信函 first double rule" not in bad  # still 4 mm under the name, wherever it is
