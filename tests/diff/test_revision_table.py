"""The 修订对照表 .docx: one row per change with its 序号 and the right 原文, 修改后 and 修改说明,
deletions and insertions marked, written by the writer of every document (template styles, landscape
page, rows kept whole, padded cells), reproducible bytes, and a PDF that LibreOffice can make."""

from __future__ import annotations

import re
import subprocess
import uuid
import zipfile

import docx
import pytest
from docx.oxml.ns import qn
from docx.shared import Pt
from plan_revisions import NOTES, docgen_in, git, make_repo
from pypdf import PdfReader

TITLE = "《清溪市安全生产治本攻坚三年行动实施方案》修订对照表"


@pytest.fixture(scope="module")
def table(tmp_path_factory):
    """The 修订对照表 of all five edits, written by `docgen diff … --docx`."""
    repo = make_repo(tmp_path_factory.mktemp("table") / "repo")
    git(repo, "tag", "送审稿", "HEAD~5")
    out = repo / "build/修订对照表.docx"
    result = docgen_in(repo, "diff", "HEAD~5", "HEAD", "--docx", out)
    again = docgen_in(repo, "diff", "HEAD~5", "HEAD", "--docx", out.with_name("again.docx"))
    assert result.exit_code == 1 and again.exit_code == 1, result.output
    assert f"修订对照表已写入 {out}" in result.stderr
    return out


def rows(path):
    document = docx.Document(str(path))
    [tbl] = document.tables
    return document, tbl, [[cell.text for cell in row.cells] for row in tbl.rows]


def test_one_row_per_change_in_document_order(table):
    _, _, cells = rows(table)
    assert cells[0] == ["序号", "原文", "修改后", "修改说明"]
    assert [row[0] for row in cells[1:]] == [str(n) for n in range(1, len(cells))]
    body = [row[1:] for row in cells[1:]]
    assert [row[2] for row in body] == [
        NOTES["added", "T31"], NOTES["added", "T32"], NOTES["reworded", "T07"], NOTES["moved", "T06"],
        NOTES["responsibility", "T23"], NOTES["deadline", "T23"], NOTES["renamed", "T35"],
    ]
    t31, t32, t07, t06, t23_units, t23_deadline, t35 = body
    assert t31[0] == "（无）" and t31[1].startswith("三、（一）1.建立安全生产大讲堂制度。每半年邀请专家")
    assert t31[1].endswith("责任单位：市安委办\n完成时限：每半年")
    assert t32[1].endswith("责任单位：市安委办（牵头），各乡镇（街道）（配合）\n完成时限：每年")
    assert t07[0].startswith("健全重大事故隐患排查整治机制。建立全市重大事故隐患数据库，")
    assert t07[1].startswith("健全重大事故隐患排查整治机制。建立全市统一的重大事故隐患信息库，")
    assert t06[:2] == ["位置：“开展安全素养提升行动”，列于三、（二）5.“深化全民安全宣传教育”之后",
                        "位置：“开展事故隐患动态清零行动”，列于三、（三）10.“加强重点场所和重点时段隐患排查”之后"]
    assert t23_units[:2] == ["责任单位：市消防救援支队、市应急管理局（牵头），市财政局（配合）",
                             "责任单位：市消防救援支队、市应急管理局（牵头），市财政局、市公安局（配合）"]
    assert t23_deadline[:2] == ["完成时限：2025年底前", "完成时限：2025年6月底前"]
    assert "完成时限由2025年底前调整为2025年6月底前" in t23_deadline[2]
    assert t35[:2] == ["编号：T30", "编号：T35"]


def test_deletions_struck_through_and_insertions_underlined(table):
    _, tbl, _ = rows(table)
    t31, t07 = tbl.rows[1], tbl.rows[3]
    struck = [r.text for r in t07.cells[1].paragraphs[0].runs if r.font.strike]
    inserted = [r.text for r in t07.cells[2].paragraphs[0].runs if r.font.underline and r.font.bold]
    assert struck == ["数据"] and inserted == ["统一的", "信息"]
    assert not any(r.font.strike for r in t07.cells[2].paragraphs[0].runs)
    new_task = t31.cells[2].paragraphs[0].runs
    assert all(r.font.underline and r.font.bold for r in new_task)  # an added task: all of it inserted


def _style_font(document, name: str):
    """(east Asian font, size) of the template style `name`, following its base styles."""
    style = document.styles[name]
    font = size = None
    while style is not None and (font is None or size is None):
        fonts = style.element.find(f"{qn('w:rPr')}/{qn('w:rFonts')}")
        font = font or (fonts.get(qn("w:eastAsia")) if fonts is not None else None)
        size = size or style.font.size
        style = style.base_style
    return font, size


def test_official_page_set_up_and_fonts(table):
    document, tbl, _ = rows(table)
    [section] = document.sections
    assert (section.page_width.twips, section.page_height.twips) == (16838, 11906)  # A4 landscape
    # 28 / 26 / 35 / 37 mm: GB/T 9704's margins turned with the page
    assert [m.twips for m in (section.top_margin, section.bottom_margin, section.left_margin, section.right_margin)] == [
        1587, 1474, 1984, 2098]
    title = document.paragraphs[0]  # no 版头: no 发文机关标志, no 发文字号, no red rule
    assert title.text == TITLE and title.style.name == "方案标题"
    assert not title.paragraph_format.page_break_before  # the first page is not preceded by a blank one
    assert _style_font(document, "方案标题") == ("方正小标宋简体", Pt(22))
    assert document.styles["方案标题"].paragraph_format.alignment == 1  # centred
    labels = document.paragraphs[1]
    # the revisions as a reviewer knows them: a tag, the day of a commit
    assert labels.text == "（原文：送审稿；修改后：2025年3月5日稿）" and labels.alignment == 1
    assert not any(p.style.name in ("发文机关标志", "发文字号") for p in document.paragraphs)
    head = tbl.rows[0]
    assert head._tr.trPr.find(qn("w:tblHeader")) is not None  # repeated on every page
    assert {c.paragraphs[0].style.name for c in head.cells} == {"表格表头"}
    assert _style_font(document, "表格表头")[0] == "黑体"
    body = tbl.rows[1].cells[3].paragraphs[0]
    assert body.style.name == "表格文字" and _style_font(document, "表格文字") == ("仿宋_GB2312", Pt(12))
    defaults = document.styles.element.find(qn("w:docDefaults")).find(f".//{qn('w:rFonts')}")
    assert defaults.get(qn("w:eastAsiaTheme")) is None  # theme fonts would override the names


def test_rows_kept_whole_cells_padded_and_columns_shared(table):
    _, tbl, _ = rows(table)
    assert all(row._tr.trPr.find(qn("w:cantSplit")) is not None for row in tbl.rows)  # never split over pages
    margins = tbl.style.element.find(f"{qn('w:tblPr')}/{qn('w:tblCellMar')}")
    padding = {side: int(margins.find(qn(f"w:{side}")).get(qn("w:w"))) for side in ("top", "left", "bottom", "right")}
    assert min(padding.values()) > 0, padding
    widths = [int(c.get(qn("w:w"))) for c in tbl._tbl.tblGrid.iterchildren(qn("w:gridCol"))]
    assert sum(widths) == 16838 - 1984 - 2098  # the full landscape text width
    number, old, new, note = widths
    assert number < note and old == new and abs(old - 2 * note) <= 2  # 原文 : 修改后 : 修改说明 = 2 : 2 : 1
    assert all(row.cells[0].paragraphs[0].alignment == 1 for row in tbl.rows[1:])  # 序号 centred


def test_written_twice_byte_identical(table):
    assert table.read_bytes() == table.with_name("again.docx").read_bytes()
    with zipfile.ZipFile(table) as package:
        assert {info.date_time for info in package.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        core = package.read("docProps/core.xml").decode()
        assert "2000-01-01T00:00:00Z" in core


def test_libreoffice_makes_a_pdf_with_every_row(table, tmp_path):
    profile = tmp_path / f"lo-{uuid.uuid4().hex}"
    proc = subprocess.run(
        ["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{profile}",
         "--convert-to", "pdf", "--outdir", str(tmp_path), str(table)],
        capture_output=True, text=True, timeout=180)
    pdf = tmp_path / (table.stem + ".pdf")
    assert proc.returncode == 0 and pdf.is_file(), proc.stderr
    reader = PdfReader(str(pdf))
    page = reader.pages[0].mediabox
    assert round(float(page.width)) == 842 and round(float(page.height)) == 595  # A4 landscape
    text = re.sub(r"\s+", "", "".join(p.extract_text() for p in reader.pages))
    for expected in ["修订对照表", "原文", "修改后", "修改说明", "三、（一）1.建立安全生产大讲堂制度", "三、（一）2.推行安全生产述职评议",
                     "统一的重大事故隐患信息库", "列于三、（三）10.“加强重点场所和重点时段隐患排查”之后", "市财政局、市公安局（配合）", "完成时限：2025年6月底前",
                     "编号：T35"]:
        assert expected in text, expected


def test_no_changes_still_writes_a_table(tmp_path, run):
    from conftest import ROOT

    plan = ROOT / "plans/city/work-points-2025.yaml"
    out = tmp_path / "same.docx"
    result = run("diff", plan, plan, "--docx", out)
    assert result.exit_code == 0
    document = docx.Document(str(out))
    title, labels, text = [p.text for p in document.paragraphs if p.text]
    assert (title, text) == ("修订对照表", "没有实质性修改。") and labels.startswith("（原文：")
