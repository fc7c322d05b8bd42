"""The Typst PDF engine (`docgen.render.typeset`): the same composed tree printed in-process.

Quick tests print the example plans' documents and measure them (no LibreOffice); the slow one
compares page counts with LibreOffice's PDFs of the same documents."""

from __future__ import annotations

import re
import subprocess
from collections import Counter
from pathlib import Path

import pytest
from click.testing import CliRunner

from docgen.bulletin.model import Bulletin
from docgen.checked import prepare_plans
from docgen.cli import cli
from docgen.compose import compose
from docgen.compose.bulletin import compose_bulletin
from docgen.compose.tree import Table
from docgen.config import load_settings
from docgen.render import typeset
from docgen.render.measure import TEXT_LEFT, TEXT_RIGHT, body_lines, check, is_letter, pages, printed_rows

from .gallery import ROOT

#: Every example plan of plans/ (实施方案, 工作要点, 意见, a jointly issued 通知, 通报 with tables and
#: charts, a 信函).
PASSING = ("city/three-year-plan", "city/work-points-2025", "donghu/three-year-plan", "beishan/work-points-2025",
           "city/fire-grid-opinions", "city/flood-season-notice", "bulletins/2024-work-bulletin",
           "bulletins/2025-10-accidents-bulletin", "bulletins/2025-hazards-notice", "bulletins/2024-assessment-bulletin",
           "bulletins/2025-10-donghu-inspection", "bulletins/2025-11-hazards-notice", "bulletins/2025-11-national-letter")


@pytest.fixture(scope="module")
def documents():
    ctx, result = prepare_plans([ROOT / "plans"], load_settings(ROOT), ROOT)
    assert not result.errors
    out = {}
    for plan in [*ctx.plans, *ctx.bulletins]:
        name = plan.path.resolve().relative_to((ROOT / "plans").resolve()).with_suffix("").as_posix()
        out[name] = compose_bulletin(plan, ctx.registry) if isinstance(plan, Bulletin) else compose(plan, ctx.registry)
    return out


@pytest.fixture(scope="module")
def printed(documents, tmp_path_factory):
    folder = tmp_path_factory.mktemp("typst")
    out = {}
    for (name, doc), data in zip(documents.items(), typeset.pdfs(documents.values())):
        assert typeset.supports(doc)
        path = folder / (name.replace("/", "_") + ".pdf")
        path.write_bytes(data)
        out[name] = path
    return out


def _text(pdf: Path) -> str:
    text = subprocess.run(["pdftotext", "-raw", str(pdf), "-"], check=True, capture_output=True, text=True).stdout
    return re.sub(r"\s", "", re.sub(r"—\s*\d+\s*—", "", text))


def _document_chars(doc) -> Counter:
    """Every character the document holds (body, tables, attachments, 版记)."""
    parts = [doc.mark, doc.doc_number, *(text for text, _ in doc.head_lines)] if doc.head.value != "无" else []
    for block in doc.body:
        if isinstance(block, Table):
            parts += [*block.columns, *(c if isinstance(c, str) else "".join(r.text for r in c)
                                        for row in block.rows for c in row)]
        elif hasattr(block, "runs"):
            parts.append(block.text)
        elif hasattr(block, "sealed"):
            parts += [block.name, *block.joint, block.date]
    for a in doc.attachments:
        parts += [a.label, a.title, *a.table.columns, *(c if isinstance(c, str) else "".join(r.text for r in c)
                                                        for row in a.table.rows for c in row)]
    c = doc.closing
    parts.append(f"抄送：{c.cc}" if c.cc else "")
    if doc.head.value != "信函":  # a 信函's 版记 is its 抄送 only (GB/T 9704 10.1)
        parts += [c.printer or "", f"{c.print_date}印发" if c.print_date else ""]
    return Counter(re.sub(r"\s", "", "".join(parts)).replace("\u200b", ""))


@pytest.mark.slow
@pytest.mark.parametrize("name", PASSING)
def test_typst_pdf_passes_the_measured_gb9704_check(printed, name):
    figures = check(printed[name])
    assert [str(f) for f in figures if not f.ok] == []
    what = {f.what for f in figures}
    assert {"lines on full pages", "characters on any body line", "page numbers", "fonts embedded"} <= what


def test_every_character_printed_and_no_line_starts_with_a_closing_mark(documents, printed):
    for name, doc in documents.items():
        if name not in printed:
            continue
        got = Counter(_text(printed[name]))
        wanted = _document_chars(doc)
        assert dict(wanted - got) == {}, (name, dict(wanted - got))
        for page in pages(printed[name]):
            for line in body_lines(page):  # body text: from the left edge or two characters in
                if not (abs(line.x0 - TEXT_LEFT) < 1.5 or abs(line.x0 - TEXT_LEFT - 32) < 2):
                    continue
                text = line.text.replace(" ", "")
                assert not text or text[0] not in "，。、；：？！”’）》", (name, page.number, text)
                # no mark hangs into the margin: the line breaks before its character, as LibreOffice does
                assert page.landscape or line.x1 <= TEXT_RIGHT + 1, (name, page.number, text)


def test_same_document_same_bytes(documents):
    doc = documents["city/work-points-2025"]
    first = typeset.pdf(doc)
    assert first == typeset.pdf(doc)
    assert b"D:2025" in first or b"CreationDate" not in first  # the document's date, not today's


def test_tables_repeat_their_head_row_on_turned_pages(printed):
    ps = pages(printed["city/three-year-plan"])
    turned = [p for p in ps if p.landscape]
    assert len(turned) >= 3
    heads = [p for p in turned if any(ln.text.startswith("序号") for ln in body_lines(p))]
    assert len(heads) >= 3


def test_marks_never_start_a_line_nor_an_opening_mark_end_one():
    text = "".join(f"安全生产责任制落实到岗位人员各项工作措施逐项推进见{m}“两个”（配合）《规定》" for m in "，。、；：")
    doc_code = typeset._marked(text)
    assert "\u2060" not in doc_code  # no joiner character ends up in the PDF's text
    assert 'mark("，", left' in doc_code and 'mark("（", right' in doc_code


def test_typst_is_the_default_pdf_engine(tmp_path, monkeypatch):
    """`docgen render --pdf` prints with Typst unless told otherwise: no LibreOffice needed."""
    with monkeypatch.context() as patched:
        patched.setenv("PATH", "/nonexistent")  # no soffice anywhere
        result = CliRunner().invoke(cli, ["render", str(ROOT / "plans/bulletins/2025-11-national-letter.yaml"),
                                          "-o", str(tmp_path), "--pdf"])
    assert result.exit_code == 0, result.output
    pdf = tmp_path / "2025-11-national-letter.pdf"
    assert pdf.read_bytes().startswith(b"%PDF") and is_letter(pdf)
    help_text = CliRunner().invoke(cli, ["render", "--help"]).output
    assert "[默认：typst]" in help_text and "libreoffice" in help_text


def test_cli_render_with_typst_needs_no_libreoffice(tmp_path, monkeypatch):
    import os

    path = os.environ["PATH"]
    monkeypatch.setenv("PATH", "/nonexistent")  # no soffice anywhere
    result = CliRunner().invoke(cli, ["render", str(ROOT / "plans/city/flood-season-notice.yaml"), "-o", str(tmp_path),
                                      "--pdf", "--pdf-engine", "typst"])
    assert result.exit_code == 0, result.output
    monkeypatch.setenv("PATH", path)
    pdf = tmp_path / "flood-season-notice.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    assert "通知" in _text(pdf)


@pytest.mark.slow
def test_same_pages_as_libreoffice_within_one_row(documents, printed, gallery):
    """Every example's pages against LibreOffice's for the same tree: as many pages, and on each
    page as many printed rows (text baselines: body lines, table rows, captions) within one."""
    off = {}
    for name in PASSING:
        ours, theirs = pages(printed[name]), pages(gallery[name].pdf)
        assert len(ours) == len(theirs), name
        rows = [(p.number, len(printed_rows(q)) - len(printed_rows(p))) for p, q in zip(ours, theirs)]
        off.update({f"{name} p{n}": d for n, d in rows if abs(d) > 1})
    assert off == {}


@pytest.mark.slow
def test_notice_kinds_pass_the_measured_check_with_typst(tmp_path):
    """The 通知 whose lines end with every closing mark (rare names in the fallback face) and a
    member unit's task notice (`docgen notify --pdf-engine typst`)."""
    import datetime as dt

    from docgen.jobs.notify import notify
    from docgen.jobs.render import render

    from .gallery import CITY, RARE, _notice_plan

    settings = load_settings(ROOT)
    notice = tmp_path / "notice" / "notice.yaml"
    notice.parent.mkdir()
    notice.write_text(_notice_plan(), encoding="utf-8")
    render([notice], settings, tmp_path / "notice", pdf=True, base=ROOT, pdf_engine="typst")
    outcome = notify(CITY, settings, tmp_path / "notify", units=["市应急管理局"], pdf=True, base=ROOT,
                     date=dt.date(2024, 3, 20), number="清安办〔2024〕5号", pdf_engine="typst")
    assert outcome.pdf_count == 1 and outcome.pdf_processes == 0  # no LibreOffice process
    for pdf in (tmp_path / "notice" / "notice.pdf", outcome.units[0].pdf):
        assert [str(f) for f in check(pdf) if not f.ok] == []
    fragments = [f for page in pages(tmp_path / "notice" / "notice.pdf") for f in page.fragments
                 if any(ch in f.text for ch in RARE)]
    assert fragments and all(not f.font.startswith("Fandol") for f in fragments)


def test_a_letter_is_printed_by_typst(printed):
    """The 信函格式 (GB/T 9704 10.1) printed by Typst: the head measured on page 1 (the full
    figures for both engines: tests/render/test_letter_layout.py), no page number on page 1, the
    版记 without 印发机关, 印发日期 and rules."""
    pdf = printed["bulletins/2025-11-national-letter"]
    figures = {f.what: f for f in check(pdf)}
    for what in ("信函 发文机关标志", "信函 first double rule", "信函 second double rule", "信函 发文字号",
                 "信函 page 1 number"):
        assert figures[what].ok, str(figures[what])
    last = pages(pdf)[-1].text.replace(" ", "")
    assert "抄送：" in last and "印发" not in last
