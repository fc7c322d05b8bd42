"""Red-head documents as offices print them, made here: a Word-like one (标志 on one line, a
发文字号 with full-width digits, a title over two lines, 版记 in a table) and WPS-like ones (the
标志 over two lines, a joint 标志 with 文件 beside it, a 发文字号 broken over two lines, 抄送 and
印发 on one line), printed to PDF by LibreOffice and imported from the PDF and the .docx alike."""

from __future__ import annotations

from pathlib import Path

import docx
import pytest
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.shared import Pt, RGBColor
from ruamel.yaml import YAML

from docgen.config import Settings
from docgen.jobs.imports import import_documents
from docgen.render.pdf import convert
from tests.conftest import ROOT

SETTINGS = Settings(root=ROOT, registry=[ROOT / "plans" / "registry"])
pytestmark = pytest.mark.slow

BODY = [
    "为切实加强城镇燃气安全管理，现就有关事项通知如下。",
    "一、全面排查隐患",
    "（一）排查经营企业。各乡镇（街道）对辖区燃气经营企业逐一检查，2024年5月31日前完成。",
    "（二）排查餐饮场所。市城市管理局牵头，对餐饮场所用气设施开展检查，2024年6月30日前完成。",
    "二、强化整改落实",
    "（一）建立问题清单。对排查发现的问题建立清单，逐项销号，2024年8月31日前完成。",
]


def _para(document, text: str, *, size: int = 16, red: bool = False, centre: bool = False, bold: bool = False):
    p = document.add_paragraph()
    run = p.add_run(text)
    run.font.size = Pt(size)
    run.bold = bold
    if red:
        run.font.color.rgb = RGBColor(0xE0, 0, 0)
    if centre:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    return p


def _word_like(path: Path) -> Path:
    d = docx.Document()
    _para(d, "清溪市安全生产委员会文件", size=36, red=True, centre=True)
    _para(d, "清安委〔２０２４〕１１号", centre=True)
    _para(d, "清溪市安全生产委员会关于加强", size=22, centre=True, bold=True)
    _para(d, "城镇燃气安全管理的通知", size=22, centre=True, bold=True)
    _para(d, "各乡镇人民政府、街道办事处，市安委会各成员单位：")
    for text in BODY:
        _para(d, text)
    _para(d, "清溪市安全生产委员会")
    _para(d, "2024年4月10日")
    table = d.add_table(rows=2, cols=1)
    table.cell(0, 0).text = "抄送：市委办公室，市人大常委会办公室。"
    table.cell(1, 0).text = "清溪市安全生产委员会办公室　　　2024年4月11日印发"
    d.save(str(path))
    return path


def _wps_like(path: Path, *, joint: bool) -> Path:
    d = docx.Document()
    if joint:
        table = d.add_table(rows=1, cols=2)
        first = table.cell(0, 0)
        first.paragraphs[0].add_run("清溪市安全生产委员会").font.size = Pt(30)
        first.add_paragraph().add_run("清溪市减灾委员会").font.size = Pt(30)
        table.cell(0, 1).paragraphs[0].add_run("文件").font.size = Pt(30)
    else:
        _para(d, "清溪市安全生产", size=36, red=True, centre=True)
        _para(d, "委员会办公室文件", size=36, red=True, centre=True)
    _para(d, "清安办〔" if not joint else "清安委〔", centre=True)
    _para(d, "２０２４〕１２号", centre=True)
    _para(d, "关于加强城镇燃气安全管理的通知", size=22, centre=True, bold=True)
    _para(d, "各乡镇人民政府、街道办事处，")
    _para(d, "市安委会各成员单位：")
    for text in BODY:
        _para(d, text)
    if joint:
        _para(d, "清溪市安全生产委员会")
        _para(d, "清溪市减灾委员会")
    else:
        _para(d, "清溪市安全生产委员会办公室")
    _para(d, "2024年4月10日")
    _para(d, "抄送：市委办公室，市人大常委会办公室。清溪市安全生产委员会办公室　2024年4月11日印发", size=14)
    d.save(str(path))
    return path


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("redhead")
    sources = [_word_like(folder / "word.docx"), _wps_like(folder / "wps.docx", joint=False),
               _wps_like(folder / "joint.docx", joint=True)]
    pdfs = convert(sources, folder / "pdf")
    return {**{s.stem + ".docx": s for s in sources}, **{p.stem + ".pdf": p for p in pdfs}}


def _import(printed, name: str, tmp_path: Path) -> dict:
    outcome = import_documents([printed[name]], SETTINGS, out=tmp_path / "plan.yaml", base=tmp_path)
    assert outcome.written is not None, [p.message for p in outcome.problems]
    assert not [p for p in outcome.problems if "版头前的文字" in p.message], [p.message for p in outcome.problems]
    return YAML(typ="safe").load(outcome.written.read_text(encoding="utf-8"))


def _tasks(items):
    for item in items:
        if "任务" in item:
            yield item
        yield from _tasks(item.get("内容") if isinstance(item.get("内容"), list) else [])


def _body_is_whole(plan: dict) -> None:
    assert [t["任务"] for t in _tasks(plan["正文"])] == ["排查经营企业", "排查餐饮场所", "建立问题清单"]
    assert [t.get("完成时限") for t in _tasks(plan["正文"])] == ["2024年5月31日前", "2024年6月30日前", "2024年8月31日前"]


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_word_like_red_head(printed, tmp_path, suffix):
    plan = _import(printed, "word" + suffix, tmp_path)
    assert plan["发文机关"] == "清溪市安全生产委员会" and "版头" not in plan
    assert plan["发文字号"] == "清安委〔2024〕11号"
    assert plan["标题"] == "清溪市安全生产委员会关于加强城镇燃气安全管理的通知"
    assert plan["主送"] == ["各乡镇人民政府、街道办事处", "市安委会各成员单位"]
    assert plan["成文日期"] == "2024年4月10日"
    assert (plan.get("印发机关"), plan.get("印发日期")) == ("清溪市安全生产委员会办公室", "2024年4月11日")
    assert plan["抄送"] == ["市委办公室", "市人大常委会办公室"]
    _body_is_whole(plan)


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_wps_like_mark_over_two_lines_and_number_broken_over_lines(printed, tmp_path, suffix):
    plan = _import(printed, "wps" + suffix, tmp_path)
    assert plan["发文机关"] == "清溪市安全生产委员会办公室" and "版头" not in plan
    assert plan["发文字号"] == "清安办〔2024〕12号"
    assert plan["标题"] == "关于加强城镇燃气安全管理的通知"
    assert plan["主送"] == ["各乡镇人民政府、街道办事处", "市安委会各成员单位"]
    assert (plan["印发机关"], plan["印发日期"]) == ("清溪市安全生产委员会办公室", "2024年4月11日")
    assert plan["抄送"] == ["市委办公室", "市人大常委会办公室"]
    _body_is_whole(plan)


@pytest.mark.parametrize("suffix", [".docx", ".pdf"])
def test_wps_like_joint_mark_with_file_beside_it(printed, tmp_path, suffix):
    plan = _import(printed, "joint" + suffix, tmp_path)
    assert plan["发文机关"] == "清溪市安全生产委员会"
    assert plan["联合发文机关"] == ["清溪市减灾委员会"]
    assert plan["发文字号"] == "清安委〔2024〕12号"
    assert "署名" not in plan
    _body_is_whole(plan)


def test_a_scanned_pdf_is_refused_plainly(tmp_path):
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (1240, 1754), "white")
    ImageDraw.Draw(image).rectangle((200, 200, 1040, 260), fill=(220, 0, 0))  # a red head, as pixels only
    scan = tmp_path / "扫描件.pdf"
    image.save(scan, "PDF", resolution=150)
    outcome = import_documents([scan], SETTINGS, out=tmp_path / "x.yaml", base=tmp_path)
    assert outcome.unreadable and not (tmp_path / "x.yaml").exists()
    assert outcome.problems[0].code == "DG700" and "扫描件" in outcome.problems[0].message
