"""Import documents in the style of real ones (our own words): web text, Word with automatic
numbering and a landscape 任务分工表, a .doc through LibreOffice, a PDF from another template."""

from __future__ import annotations

import subprocess
from pathlib import Path

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls
from docx.shared import Cm, Pt

from docgen.config import Settings
from docgen.jobs.imports import import_documents
from docgen.load import load
from docgen.model import Plan
from docgen.render.pdf import convert
from tests.conftest import ROOT

HERE = Path(__file__).resolve().parent
SETTINGS = Settings(root=ROOT, registry=[ROOT / "plans" / "registry"])

#: What a drafter reading the street notice finds: sections, tasks, and per task (lead, units, deadline).
STREET_SECTIONS = ["工作目标", "重点任务", "开展燃气安全排查", "开展消防安全整治", "强化宣传教育", "保障措施",
                   "加强组织领导", "严格督导考核"]
STREET_TASKS = [
    ("排查餐饮场所燃气使用", ["安办", "城建办", "各村（社区）"], "2025年5月底前"),
    ("督促安装报警装置", ["安办", "城建办", "各村（社区）"], None),
    ("整治电动自行车违规充电", ["消防站", "综治办", "各村（社区）"], "2025年10月底前"),
    ("清理疏散通道", ["消防站", "各村（社区）"], "2025年10月底前"),
    ("开展消防演练", None, "2025年10月底前"),
    ("组织安全生产月活动", ["宣传办"], None),
    ("开展企业负责人培训", None, None),
]


def _plan(path: Path) -> Plan:
    source, problems = load(path, path.name)
    assert source is not None, problems
    return Plan.from_source(source)


def _import(files: list[Path], tmp_path: Path, name: str = "imported.yaml"):
    outcome = import_documents(files, SETTINGS, out=tmp_path / name, base=tmp_path)
    assert outcome.written is not None, [p.message for p in outcome.problems]
    return outcome, _plan(outcome.written)


def recovery(plan: Plan, sections: list[str], tasks: list[tuple]) -> dict[str, float]:
    """Share of expected sections, tasks, units and deadlines recovered, in order."""
    got_sections = [s.title.value for s in plan.sections()]
    got = plan.tasks()
    leads = [t.lead.value for t in got]
    units = deadlines = 0
    for (lead, want_units, want_deadline), task in zip(tasks, got):
        r = task.effective_responsibility
        units += (want_units is None and r is None) or (r is not None and [u.name for u in r.all()] == want_units)
        d = task.effective_deadline
        deadlines += (want_deadline is None and d is None) or (d is not None and d.text == want_deadline)
    return {
        "sections": sum(a == b for a, b in zip(got_sections, sections)) / len(sections),
        "tasks": sum(a == b[0] for a, b in zip(leads, tasks)) / len(tasks),
        "units": units / len(tasks),
        "deadlines": deadlines / len(tasks),
    }


# -- text in the style of a web page -------------------------------------------------------------

def test_web_text_recovers_notice_sections_tasks_units_and_deadlines(tmp_path):
    outcome, plan = _import([HERE / "fixtures" / "street-notice.txt"], tmp_path)
    assert plan.issuer.value == "清溪市东湖街道办事处"
    assert plan.title.value == "东湖街道2025年燃气和消防安全专项整治工作方案"
    assert plan.notice is not None and plan.notice.body.value.startswith("现将《东湖街道")
    # written with 、 only: one group, printed again as it was (not joined by ，)
    assert [r.value for r in plan.recipients] == ["各村（社区）、街道各办（站、所）"]
    assert plan.date.text == "2025年3月3日"
    assert plan.received
    assert recovery(plan, STREET_SECTIONS, STREET_TASKS) == {"sections": 1, "tasks": 1, "units": 1, "deadlines": 1}
    # the web page's clutter is reported as skipped, with where it was
    skipped = [p for p in outcome.problems if p.code == "DG705"]
    assert any("第1行" in p.message for p in skipped)
    # tasks 5 and 7 name no unit, 2, 6 and 7 no deadline: info findings only, listed for the drafter
    gaps = {g.lead: g.missing for g in outcome.gaps}
    assert gaps == {"督促安装报警装置": ["完成时限"], "开展消防演练": ["责任单位"],
                    "组织安全生产月活动": ["完成时限"], "开展企业负责人培训": ["责任单位", "完成时限"]}
    assert {p.code for p in outcome.problems if p.severity.value != "info"} <= {"DG702"}
    text = outcome.written.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    assert "任务: 排查餐饮场所燃气使用  # 原文第16行" in text
    assert "来源: 上级来文" in text


def test_web_text_whose_line_breaks_were_lost_gives_the_same_plan(tmp_path):
    lines = (HERE / "fixtures" / "street-notice.txt").read_text(encoding="utf-8").splitlines()
    # the body pasted as one line (the header lines keep theirs)
    flat = tmp_path / "flat.txt"
    cut = lines.index("东湖街道2025年燃气和消防安全专项整治工作方案")
    flat.write_text("\n".join(lines[:cut + 1]) + "\n" + "".join(l.strip() for l in lines[cut + 1:]) + "\n",
                    encoding="utf-8")
    _, plan = _import([flat], tmp_path)
    rates = recovery(plan, STREET_SECTIONS, STREET_TASKS)
    assert rates == {"sections": 1, "tasks": 1, "units": 1, "deadlines": 1}
    # "一、工作目标" ran into its paragraph with nothing to split on: the heading word is known
    goal = plan.sections()[0]
    assert goal.title.value == "工作目标" and goal.children[0].text.value.startswith("通过专项整治")


def test_dates_and_decimals_do_not_split_lines(tmp_path):
    source = tmp_path / "note.txt"
    source.write_text("清溪市东湖街道办事处关于做好节前安全检查的通知\n各村（社区）：\n"
                      "一、检查重点。围绕5.12防灾减灾日开展检查，隐患整改率提高3.5个百分点。二、工作要求。按时报送。\n",
                      encoding="utf-8")
    _, plan = _import([source], tmp_path)
    assert [s.title.value for s in plan.sections()] == ["检查重点", "工作要求"]
    assert "5.12防灾减灾日" in plan.sections()[0].intro.value


# -- Word with automatic numbering and a landscape 任务分工表 -------------------------------------

def _numbering(document) -> None:
    """A list whose levels Word shows as 一、 （一） 1. (chineseCounting, chineseCounting, decimal)."""
    numbering = document.part.numbering_part.element
    levels = [("chineseCounting", "%1、"), ("chineseCounting", "（%2）"), ("decimal", "%3.")]
    lvls = "".join(
        f'<w:lvl w:ilvl="{i}"><w:start w:val="1"/><w:numFmt w:val="{fmt}"/><w:lvlText w:val="{text}"/>'
        f'<w:lvlJc w:val="left"/></w:lvl>' for i, (fmt, text) in enumerate(levels))
    numbering.append(parse_xml(f'<w:abstractNum {nsdecls("w")} w:abstractNumId="90">{lvls}</w:abstractNum>'))
    numbering.append(parse_xml(f'<w:num {nsdecls("w")} w:numId="90"><w:abstractNumId w:val="90"/></w:num>'))


def _numbered(document, text: str, level: int):
    p = document.add_paragraph(text)
    p._p.get_or_add_pPr().append(parse_xml(
        f'<w:numPr {nsdecls("w")}><w:ilvl w:val="{level}"/><w:numId w:val="90"/></w:numPr>'))
    return p


WORD_TASKS = [
    ("修订街道安全生产责任清单", ["街道安委办"], ["党政办", "各村（社区）"], "2025年4月底前"),
    ("开展出租房消防安全检查", ["消防站"], ["综治办"], "2025年6月底前"),
    ("整治沿街商铺燃气隐患", ["城建办"], ["市场监管所"], "2025年9月底前"),
    ("组织村（社区）应急演练", ["安办"], ["各村（社区）"], "每季度"),
]


def build_word_document(path: Path, *, font: str = "仿宋", margins_cm: float = 2.6, size: int = 16,
                        header: str | None = None, pages: int = 1) -> None:
    document = docx.Document()
    _numbering(document)
    section = document.sections[0]
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(margins_cm))
    style = document.styles["Normal"]
    style.font.name, style.font.size = font, Pt(size)
    style.element.rPr.rFonts.set("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia", font)
    if header:
        section.header.paragraphs[0].text = header
    document.add_paragraph("清溪市东湖街道办事处文件")
    document.add_paragraph("东湖街办〔2025〕7号")
    document.add_paragraph("东湖街道2025年安全生产重点工作安排")
    document.add_paragraph("各村（社区）、街道各有关部门：")
    document.add_paragraph("为落实全年安全生产目标任务，现就重点工作安排如下。")
    _numbered(document, "工作目标", 0)
    document.add_paragraph("全年生产安全事故起数和死亡人数继续下降，重大事故隐患动态清零。")
    _numbered(document, "重点工作", 0)
    for chunk in range(pages):
        _numbered(document, "压实责任" if chunk == 0 else f"压实责任（续{chunk}）", 1)
        for i, (lead, *_rest) in enumerate(WORD_TASKS):
            if chunk:
                lead = f"{lead}（第{chunk + 1}批）"
            _numbered(document, f"{lead}。" + "按照街道统一部署，逐项明确工作措施和责任人，确保按期完成。" * 3, 2)
    _numbered(document, "工作要求", 0)
    _numbered(document, "加强调度。街道安委办每月调度一次进展。", 1)
    document.add_paragraph("附件：任务分工表")
    document.add_paragraph("清溪市东湖街道办事处")
    document.add_paragraph("2025年3月10日")
    landscape = document.add_section()
    landscape.orientation = WD_ORIENT.LANDSCAPE
    landscape.page_width, landscape.page_height = section.page_height, section.page_width
    document.add_paragraph("附件")
    document.add_paragraph("任务分工表")
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["序号", "工作任务", "牵头单位", "配合单位", "完成时限"]):
        cell.text = text
    n = 0
    for chunk in range(pages):
        for lead, lead_units, support, deadline in WORD_TASKS:
            n += 1
            row = table.add_row().cells
            name = lead if not chunk else f"{lead}（第{chunk + 1}批）"
            for cell, text in zip(row, [str(n), name, "、".join(lead_units), "、".join(support), deadline]):
                cell.text = text
    row = table.add_row().cells
    for cell, text in zip(row, [str(n + 1), "建设智慧消防物联网平台", "消防站", "", "2025年底前"]):
        cell.text = text
    document.save(str(path))


def _check_word_plan(plan: Plan, outcome, pages: int = 1) -> None:
    assert plan.issuer.value == "清溪市东湖街道办事处"
    assert plan.doc_number.value == "东湖街办〔2025〕7号"
    assert [s.title.value for s in plan.sections()][:3] == ["工作目标", "重点工作", "压实责任"]
    tasks = plan.tasks()
    # the table's last row has no item in the body: it is added after the last task, not lost
    assert len(tasks) == len(WORD_TASKS) * pages + 1
    extra = tasks[-1]
    assert (extra.lead.value, [u.name for u in extra.responsibility.all()], extra.deadline.text) == (
        "建设智慧消防物联网平台", ["消防站"], "2025年底前")
    for (lead, lead_units, support, deadline), task in zip(WORD_TASKS * pages, tasks):
        assert task.lead.value.split("（第")[0] == lead
        r = task.responsibility
        assert [u.name for u in r.lead] == lead_units and [u.name for u in r.support] == support
        assert task.deadline.text == deadline
    attachment = plan.attachments[0]
    assert (attachment.title.value, attachment.kind, attachment.landscape) == ("任务分工表", "任务分工表", True)
    unmatched = [p for p in outcome.problems if p.code == "DG704"]
    assert len(unmatched) == 1 and "建设智慧消防物联网平台" in unmatched[0].message
    assert "已作为任务补入方案（接在“组织村（社区）应急演练" in unmatched[0].message


def test_word_automatic_numbering_and_landscape_task_table(tmp_path):
    source = tmp_path / "安排.docx"
    build_word_document(source)
    # python-docx alone does not see the numbers Word shows
    assert not any(p.text.startswith(("一、", "（一）", "1.")) for p in docx.Document(str(source)).paragraphs)
    outcome, plan = _import([source], tmp_path)
    _check_word_plan(plan, outcome)
    assert [s.title.value for s in plan.sections()] == ["工作目标", "重点工作", "压实责任", "工作要求", "加强调度"]


@pytest.mark.parametrize("suffix", ["doc", "odt", "rtf"])
def test_doc_converted_by_libreoffice(tmp_path, suffix):
    """A Word 97 .doc (as offices still send), .odt or .rtf: LibreOffice turns it into .docx first."""
    from docgen.jobs.render import render

    render([ROOT / "plans" / "city" / "work-points-2025.yaml"], SETTINGS, tmp_path, pdf=False, base=ROOT)
    legacy = tmp_path / "legacy"
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation={(tmp_path / 'profile').as_uri()}",
                    "--convert-to", suffix, "--outdir", str(legacy), str(tmp_path / "work-points-2025.docx")],
                   check=True, capture_output=True, timeout=180)
    doc = legacy / f"work-points-2025.{suffix}"
    magic = {"doc": bytes.fromhex("d0cf11e0a1b11ae1"), "odt": b"PK", "rtf": b"{\\rtf"}[suffix]
    assert doc.read_bytes().startswith(magic)
    _, plan = _import([doc], tmp_path)
    original = _plan(ROOT / "plans" / "city" / "work-points-2025.yaml")
    assert [s.title.value for s in plan.sections()] == [s.title.value for s in original.sections()]
    assert len(plan.tasks()) == 18
    for old, new in zip(original.tasks(), plan.tasks()):
        assert new.lead.value == old.lead.value
        assert [u.name for u in new.effective_responsibility.all()] == [u.name for u in old.effective_responsibility.all()]
        assert new.effective_deadline.text == old.effective_deadline.text
        assert [(t.name, t.value) for t in new.targets] == [(t.name, t.value) for t in old.targets]


def test_pdf_from_another_template(tmp_path):
    """Narrow margins, a 14-point serif font, a running header on every page, three pages and more."""
    source = tmp_path / "另一模板.docx"
    build_word_document(source, font="Noto Serif CJK SC", margins_cm=2.0, size=14, header="东湖街道办事处 内部资料",
                        pages=4)
    pdf = convert([source], tmp_path)[0]
    outcome, plan = _import([pdf], tmp_path)
    assert all("内部资料" not in (t.body.value if t.body else "") for t in plan.tasks())
    _check_word_plan(plan, outcome, pages=4)
    assert [t.lead.value for t in plan.tasks()][4:6] == ["修订街道安全生产责任清单（第2批）", "开展出租房消防安全检查（第2批）"]
    # the table runs over two landscape pages: one attachment
    assert len(plan.attachments) == 1


def test_pdf_without_text_layer_is_refused(tmp_path):
    from pypdf import PdfWriter

    scan = tmp_path / "扫描件.pdf"
    writer = PdfWriter()
    writer.add_blank_page(595, 842)
    with scan.open("wb") as f:
        writer.write(f)
    outcome = import_documents([scan], SETTINGS, out=tmp_path / "x.yaml", base=tmp_path)
    assert outcome.unreadable and outcome.written is None
    assert not (tmp_path / "x.yaml").exists()
    assert outcome.problems[0].code == "DG700" and "文字层" in outcome.problems[0].message


def test_pdf_of_a_district_plan_whose_task_table_runs_over_a_page(tmp_path):
    """The district plan as Word (automatic numbering) printed to PDF by LibreOffice: its notice
    title breaks over two lines and a row of the 任务分工表 breaks over the page."""
    from tests.ingest.test_shapes import EXPECTED, structure
    from tests.ingest.test_shapes import SETTINGS as SHAPES
    from tests.ingest.wordsource import to_docx

    source = to_docx(HERE / "fixtures" / "district-plan.txt", tmp_path / "district-plan.docx", automatic=True,
                     continuous=True)
    pdf = convert([source], tmp_path / "pdf")[0]
    outcome = import_documents([pdf], SHAPES, out=tmp_path / "imported.yaml", base=tmp_path)
    plan = _plan(outcome.written)
    sections, tasks = structure(plan)
    want_sections, want_tasks = EXPECTED["district-plan"]
    assert sections == want_sections
    # the numbers are as LibreOffice printed them; what each task is and carries is the same
    assert [t[1:] for t in tasks] == [t[1:] for t in want_tasks]
    assert plan.title.value == "石桥区城镇燃气和有限空间作业安全专项整治实施方案"
    assert [(a.title.value, a.kind, a.landscape) for a in plan.attachments] == [("任务分工表", "任务分工表", True)]
    assert not {p.code for p in outcome.problems} & {"DG704", "DG705", "DG302"}


@pytest.fixture(scope="module")
def printed(tmp_path_factory) -> dict[str, Path]:
    """Every fixture as Word (typed numbers) printed to PDF by LibreOffice, in one run."""
    from tests.ingest.test_fidelity import BUDGET
    from tests.ingest.wordsource import to_docx

    folder = tmp_path_factory.mktemp("printed")
    words = [to_docx(HERE / "fixtures" / f"{name}.txt", folder / f"{name}.docx", automatic=False) for name in BUDGET]
    return {pdf.stem: pdf for pdf in convert(words, folder / "pdf")}


@pytest.mark.parametrize("name", ["district-notice", "district-opinion", "district-plan", "street-keypoints",
                                  "street-notice"])
def test_pdf_reads_as_the_source_once_imported_and_rendered(tmp_path, printed, name):
    """Each fixture printed to PDF reads, imported and rendered, as the text does (within the same
    budget): a line broken before a number too wide to fit ("电话：0000-" / "12345678") goes on
    the same paragraph; a numbered item after a line ending in a bracketed note, and a signature
    above its date, start their own; the header row of a form to fill in (a ruled table of one
    row) stays a table."""
    from tests.ingest.fidelity import round_trip
    from tests.ingest.test_fidelity import BUDGET

    text = HERE / "fixtures" / f"{name}.txt"
    registry = ROOT / "plans" / "registry" if name == "street-notice" else HERE / "fixtures" / "registry"
    trip = round_trip(printed[name], registry, tmp_path, shown=text)
    c = trip.comparison
    assert sum(c.missing.values()) + sum(c.added.values()) <= BUDGET[name], "\n".join(c.lines)
    if name == "district-notice":
        forms = [(a.title.value, a.columns[:2]) for a in trip.plan.attachments]
        assert forms == [("汛前安全隐患排查整治情况统计表", ["填报单位", "排查单位数（家）"]),
                         ("重大事故隐患清单", ["序号", "单位名称"])]
