"""Documents shaped like real received ones that the importer had not seen (tests/ingest/received.py):
red-head PDFs from a WPS-like template of our own, a web copy with its frame, a 实施意见 whose units
are its sentences' subjects with quotas by town and by year, a plan from a city the registry does
not know. On each: title, 发文字号, sections, tasks, units, deadlines and targets recovered in order
(at least 95% of each), and the rendered plan reads like the source (text similarity at least 0.97).

Also: a 通报 is recognised without `--kind`, and a 通报's tables and charts come back as titled
tables and figure captions (`图题`).
"""

from __future__ import annotations

import io
from pathlib import Path

import docx
import pytest
from pypdf import PdfReader
from ruamel.yaml import YAML

from docgen.config import Settings
from docgen.jobs.imports import import_documents
from docgen.jobs.render import render
from tests.conftest import ROOT
from tests.ingest.fidelity import recovered, round_trip, summary
from tests.ingest.received import DOCUMENTS, flood_notice, write

CASES = [(name, form) for name, (_, forms) in DOCUMENTS.items() for form in forms]


@pytest.mark.parametrize("name, form", CASES, ids=[f"{n}.{f}" for n, f in CASES])
def test_received_document_recovered_in_order_and_reads_like_its_source(tmp_path, name, form):
    doc = DOCUMENTS[name][0]()
    source = write(name, form, tmp_path)
    shown = None
    if form == "pdf":  # compared with the text it was set from
        shown = tmp_path / "shown.txt"
        shown.write_text(doc.text(), encoding="utf-8")
    trip = round_trip(source, doc.registry, tmp_path / "trip", shown=shown)
    got = recovered(doc.expected(), summary(trip.plan))
    short = {what: f"{n}/{of}" for what, (n, of) in got.items() if of and n / of < 0.95}
    assert not short, (short, summary(trip.plan))
    assert trip.comparison.ratio >= 0.97, "\n".join(trip.comparison.lines)
    messages = [p.message for p in trip.outcome.problems]
    assert not [m for m in messages if "标题未识别" in m or "没有导入" in m], messages


def test_the_wps_like_pdf_is_not_docgens_page(tmp_path):
    pdf = write("flood-notice", "pdf", tmp_path)
    reader = PdfReader(io.BytesIO(pdf.read_bytes()))
    assert reader.metadata.producer == "WPS 文字"
    import pdfplumber

    with pdfplumber.open(pdf) as document:
        page = document.pages[0]
        lines = page.extract_text().splitlines()
        left = min(c["x0"] for c in page.chars) * 25.4 / 72
    assert lines[:4] == ["澄湖市石桥区安全生产", "委员会办公室文件", "石安委办〔", "２０２５〕７ 号"]
    assert 24 < left < 27  # a 25 mm left margin, not GB/T 9704's 28 mm


def test_the_head_and_foot_of_the_wps_like_pdf(tmp_path):
    outcome = import_documents([write("flood-notice", "pdf", tmp_path)],
                               Settings(root=tmp_path, registry=[flood_notice().registry]),
                               out=tmp_path / "plan.yaml", base=tmp_path)
    plan = YAML(typ="safe").load(outcome.written.read_text(encoding="utf-8"))
    assert (plan["发文机关"], plan["发文字号"]) == ("澄湖市石桥区安全生产委员会办公室", "石安委办〔2025〕7号")
    assert plan["主送"] == ["各街道办事处、镇人民政府", "石桥经济开发区管委会", "区安委会各成员单位"]
    assert (plan["印发机关"], plan["印发日期"]) == ("澄湖市石桥区安全生产委员会办公室", "2025年5月8日")
    assert plan["抄送"] == ["区委办公室", "区人大常委会办公室", "区政府办公室"]
    # the closing request after the last task's lines is not the task's text
    last = plan["正文"][-1]
    assert last == {"段落": "请各单位于2025年10月10日前将汛期安全防范工作总结报区安委办。"} or \
        last["内容"][-1] == {"段落": "请各单位于2025年10月10日前将汛期安全防范工作总结报区安委办。"}


def test_joint_signature_wrapped_over_two_lines_is_the_two_organs(tmp_path):
    outcome = import_documents([write("gas-joint-notice", "pdf", tmp_path)],
                               Settings(root=tmp_path, registry=[flood_notice().registry]),
                               out=tmp_path / "plan.yaml", base=tmp_path)
    plan = YAML(typ="safe").load(outcome.written.read_text(encoding="utf-8"))
    assert plan["发文机关"] == "澄湖市石桥区安全生产委员会"
    assert plan["联合发文机关"] == ["澄湖市石桥区人民政府办公室"]
    assert plan.get("署名") in (None, "澄湖市石桥区安全生产委员会")  # never "室"


# -- 通报 -------------------------------------------------------------------------------------------

def _import_text(tmp_path: Path, text: str) -> dict:
    source = tmp_path / "来文.txt"
    source.write_text(text, encoding="utf-8")
    outcome = import_documents([source], Settings(root=tmp_path, registry=[ROOT / "plans" / "registry"]),
                               out=tmp_path / "plan.yaml", base=tmp_path)
    assert outcome.written is not None, [p.message for p in outcome.problems]
    return YAML(typ="safe").load(outcome.written.read_text(encoding="utf-8"))


@pytest.mark.parametrize("title, opening, kind", [
    ("清溪市2025年第三季度安全生产形势通报", "三季度，全市安全生产形势总体平稳。", "通报"),
    ("关于2025年度安全生产考核结果的通报", "经考核，现将结果通报如下。", "通报"),
    ("清溪市燃气安全专项整治工作情况通报（第3期）", "整治开展以来，各单位积极推进。", "通报"),
    # the title names no kind (cut short on a web page): the 通报's own words say it
    ("清溪市2025年10月安全生产情况", "现将10月份全市安全生产情况通报如下：", "通报"),
    ("清溪市2025年10月安全生产情况", "各单位要认真落实。", "工作要点"),
    # a 通知 stays one, whatever its sentences say
    ("关于开展燃气安全检查的通知", "现将有关情况通报如下：", "通知"),
])
def test_a_bulletin_is_recognised_without_kind(tmp_path, title, opening, kind):
    plan = _import_text(tmp_path, f"{title}\n市安委会各成员单位：\n{opening}\n一、总体情况\n"
                                  "全市共检查企业120家，发现隐患35处，已整改30处。\n清溪市安全生产委员会办公室\n2025年11月3日\n")
    assert plan["文种"] == kind


@pytest.fixture(scope="module")
def work_bulletin(tmp_path_factory) -> Path:
    """docgen's own 通报 (a table and a chart from its data file), rendered, its carried plan removed."""
    from tests.ingest.test_roundtrip import strip_plan

    folder = tmp_path_factory.mktemp("bulletin")
    render([ROOT / "plans" / "bulletins" / "2024-work-bulletin.yaml"],
           Settings(root=ROOT, registry=[ROOT / "plans" / "registry"]), folder / "out", pdf=False, base=ROOT)
    return strip_plan(folder / "out" / "2024-work-bulletin.docx", folder / "stripped.docx")


def test_a_bulletins_table_and_chart_titles_come_back_as_such(work_bulletin, tmp_path):
    settings = Settings(root=tmp_path, registry=[ROOT / "plans" / "registry"])
    outcome = import_documents([work_bulletin], settings, out=tmp_path / "plan.yaml", base=tmp_path)  # no --kind
    text = outcome.written.read_text(encoding="utf-8")
    plan = YAML(typ="safe").load(text)
    assert plan["文种"] == "通报"

    def blocks(items):
        for item in items:
            yield item
            yield from blocks(item.get("内容") if isinstance(item.get("内容"), list) else [])

    found = list(blocks(plan["正文"]))
    assert [b["标题"] for b in found if "行" in b] == ["各专项隐患排查整改情况"]
    assert [b["图题"] for b in found if "图题" in b] == ["各专项排查隐患和已整改隐患数"]
    assert not [b for b in found if str(b.get("段落", "")).startswith("图1")]
    # printed again: the caption, numbered, centred where the chart stood
    render([outcome.written], settings, tmp_path / "out", pdf=False, base=tmp_path)
    paragraphs = docx.Document(str(tmp_path / "out" / "plan.docx")).paragraphs
    caption = next(p for p in paragraphs if p.text.startswith("图1"))
    assert caption.text == "图1　各专项排查隐患和已整改隐患数"
    assert caption.alignment == 1 or caption.style.paragraph_format.alignment == 1  # centred


def test_headings_ending_in_a_full_stop_are_printed_so(tmp_path):
    doc = DOCUMENTS["campaign-notice"][0]()
    source = write("campaign-notice", "pdf", tmp_path)
    shown = tmp_path / "shown.txt"
    shown.write_text(doc.text(), encoding="utf-8")
    trip = round_trip(source, doc.registry, tmp_path / "trip", shown=shown)
    assert "标题句号: true" in trip.plan_file.read_text(encoding="utf-8")
    lines = trip.rendered_text.splitlines()
    assert "一、排查整治重点。" in lines and "（一）危险化学品和工贸企业。" in lines
    # a contact line closes the notice: not the last task's text
    assert lines[lines.index("联系人：区应急管理局综合科，电话：0000-87650021。") - 1].startswith("（四）及时总结报送。")


@pytest.mark.slow
def test_a_two_row_table_head_comes_back_from_the_pdf(tmp_path):
    from tests.ingest.test_roundtrip import strip_plan

    render([ROOT / "plans" / "bulletins" / "2025-10-accidents-bulletin.yaml"],
           Settings(root=ROOT, registry=[ROOT / "plans" / "registry"]), tmp_path / "first", pdf=True, base=ROOT)
    received = strip_plan(tmp_path / "first" / "2025-10-accidents-bulletin.pdf", tmp_path / "received.pdf")
    outcome = import_documents([received], Settings(root=tmp_path, registry=[ROOT / "plans" / "registry"]),
                               out=tmp_path / "plan.yaml", base=tmp_path)
    plan = YAML(typ="safe").load(outcome.written.read_text(encoding="utf-8"))
    tables = [b for s in plan["正文"] for b in s.get("内容", []) if "行" in b]
    assert [t["表头分组"] for t in tables] == [["", "事故起数", "事故起数", "事故起数", "死亡人数", "死亡人数", "死亡人数"]] * 2
    assert tables[1]["列"] == ["类型", "本期", "上年同期", "同比", "本期", "上年同期", "同比"]
    assert tables[1]["行"][0] == ["道路交通", 17, 21, "下降19.0%", 11, 15, "下降26.7%"]


def test_a_two_row_table_head_comes_back_as_printed(tmp_path):
    """A 通报's table with 本期/上年同期/同比 under 事故起数 and 死亡人数: the upper row becomes
    `表头分组`, and the table prints again as it was (two head rows, the groups merged)."""
    from docgen.ingest.blocks import Table
    from docgen.jobs.imports import read_document
    from tests.ingest.test_roundtrip import strip_plan

    settings = Settings(root=tmp_path, registry=[ROOT / "plans" / "registry"])
    render([ROOT / "plans" / "bulletins" / "2025-10-accidents-bulletin.yaml"],
           Settings(root=ROOT, registry=[ROOT / "plans" / "registry"]), tmp_path / "first", pdf=False, base=ROOT)
    received = strip_plan(tmp_path / "first" / "2025-10-accidents-bulletin.docx", tmp_path / "received.docx")
    outcome = import_documents([received], settings, out=tmp_path / "plan.yaml", base=tmp_path)
    plan = YAML(typ="safe").load(outcome.written.read_text(encoding="utf-8"))
    tables = [b for s in plan["正文"] for b in s.get("内容", []) if "行" in b]
    assert tables[0]["表头分组"] == ["", "事故起数", "事故起数", "事故起数", "死亡人数", "死亡人数", "死亡人数"]
    assert tables[0]["列"] == ["乡镇（街道）", "本期", "上年同期", "同比", "本期", "上年同期", "同比"]
    assert "第4列" not in outcome.written.read_text(encoding="utf-8")
    render([outcome.written], settings, tmp_path / "again", pdf=False, base=tmp_path)

    def tables_of(path):
        return [(b.rows, b.head_spans) for b in read_document(path).blocks if isinstance(b, Table)]
    assert tables_of(tmp_path / "again" / "plan.docx") == tables_of(received)


def test_a_bulletin_that_assigns_work_prints_its_tasks(tmp_path):
    """A received 通报 whose 下一步工作 item carries 责任单位 and 完成时限 lines: a task, printed again
    with its lines (the 通报 composer dropped tasks before)."""
    plan = _import_text(tmp_path, "清溪市2025年10月安全生产情况通报\n市安委会各成员单位：\n现将有关情况通报如下：\n"
                                  "一、总体情况\n全市共检查企业120家，发现隐患35处。\n二、下一步工作\n"
                                  "（一）加强燃气检查。对餐饮场所开展燃气安全检查。\n责任单位：市应急管理局\n"
                                  "完成时限：2025年11月30日前\n清溪市安全生产委员会办公室\n2025年11月3日\n")
    assert plan["文种"] == "通报" and plan["正文"][-1]["内容"][0]["任务"] == "加强燃气检查"
    settings = Settings(root=tmp_path, registry=[ROOT / "plans" / "registry"])
    render([tmp_path / "plan.yaml"], settings, tmp_path / "out", pdf=False, base=tmp_path)
    printed = [p.text for p in docx.Document(str(tmp_path / "out" / "plan.docx")).paragraphs if p.text.strip()]
    at = printed.index("（一）加强燃气检查。对餐饮场所开展燃气安全检查。")
    assert printed[at + 1:at + 3] == ["责任单位：市应急管理局", "完成时限：2025年11月30日前"]


def test_a_bulletins_next_steps_that_set_dates_are_tasks(tmp_path):
    """"四、下一步工作措施" whose items name their units as subjects and set dates in their sentences:
    tasks for cascade and notify (units and deadlines stay in the text, 正文写明); its other parts
    stay headings."""
    blind = Path(__file__).resolve().parent / "fixtures" / "blind"
    settings = Settings(root=tmp_path, registry=[blind.parent / "registry"])
    outcome = import_documents([blind / "situation-bulletin.txt"], settings, out=tmp_path / "plan.yaml", base=tmp_path)
    plan = YAML(typ="safe").load(outcome.written.read_text(encoding="utf-8"))
    assert plan["文种"] == "通报"
    steps = plan["正文"][-1]
    assert steps["标题"] == "下一步工作措施"
    tasks = steps["内容"]
    assert [t["任务"] for t in tasks] == ["紧盯道路运输领域", "强化汛期安全防范", "加强开发区安全监管", "严格事故调查处理"]
    assert tasks[0]["责任单位"] == ["区交通运输局", "区公安分局"] and tasks[0]["完成时限"] == "2026年6月底前"
    assert tasks[1]["完成时限"] == "主汛期前"
    assert all("任务" not in b for part in plan["正文"][:-1] if isinstance(part.get("内容"), list) for b in part["内容"])


def test_a_plan_from_a_city_not_registered_imports_and_cascade_and_notify_say_what_to_register(tmp_path, run):
    import shutil

    shutil.copytree(flood_notice().registry, tmp_path / "registry")
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["registry"]\n', encoding="utf-8")
    write("other-city-plan", "pdf", tmp_path)
    imported = run("import", "other-city-plan.pdf", "-o", "plan.yaml", "--propose-registry", "proposed.yaml",
                   cwd=tmp_path)
    assert imported.exit_code in (0, 1), imported.output
    assert "江陵市安全生产委员会" in (tmp_path / "proposed.yaml").read_text(encoding="utf-8")
    for command, out in (("cascade", "kids"), ("notify", "notes")):
        result = run(command, "plan.yaml", "-o", out, cwd=tmp_path)
        assert result.exit_code == 1, result.output  # a located finding, never an internal error
        assert "plan.yaml:" in result.output and "DG204" in result.output and "江陵市安全生产委员会" in result.output
        assert not (tmp_path / out).exists() or not any((tmp_path / out).iterdir())


def test_a_target_in_the_last_clause_of_a_sentence_but_not_a_norm_for_each(tmp_path):
    plan = _import_text(tmp_path, "清溪市2025年燃气安全工作要点\n各乡镇人民政府、街道办事处：\n一、重点任务\n"
                                  "（一）开展企业检查。组织专业力量逐一检查，检查企业不少于200家。\n责任单位：市应急管理局\n"
                                  "（二）开展巡查。落实网格巡查制度，做到每月检查不少于1次。\n责任单位：市应急管理局\n")
    first, second = plan["正文"][0]["内容"]
    assert first["指标"] == [{"名称": "检查企业", "要求": "不少于", "目标值": 200, "单位": "家"}]
    assert "指标" in first["正文写明"] and first["内容"].endswith("检查企业不少于200家。")
    assert "指标" not in second


def test_a_bulletins_paragraph_with_items_comes_back_as_docgen_wrote_it(work_bulletin, tmp_path):
    """"前文：一是…；二是…；三是…。" run into a （一） heading: the section's paragraph with its 分项,
    as the 通报 was written (not a 导语 holding the items as text)."""
    from docgen.ingest.emit import _items

    assert _items("一是甲；二是乙；三是丙。") == ["甲；", "乙；", "丙。"]
    outcome = import_documents([work_bulletin], Settings(root=tmp_path, registry=[ROOT / "plans" / "registry"]),
                               out=tmp_path / "plan.yaml", base=tmp_path)
    plan = YAML(typ="safe").load(outcome.written.read_text(encoding="utf-8"))
    first = plan["正文"][1]["内容"][0]
    assert first["标题"] == "健全方案体系，分领域推进" and "导语" not in first
    assert first["内容"][0]["段落"] == "围绕三年行动总体部署，各牵头部门结合行业实际细化专项方案"
    assert len(first["内容"][0]["分项"]) == 3


def test_dates_in_chinese_numerals_under_the_signature_and_in_the_printing_line(tmp_path):
    """Offices dated documents "二〇一二年十二月三十一日" before GB/T 9704-2012: the foot is still read."""
    from docgen.ingest.recover import _cn_number

    assert [_cn_number(n) for n in ("五", "十", "十二", "二十", "三十一")] == [5, 10, 12, 20, 31]
    plan = _import_text(tmp_path, "清溪市安全生产委员会文件\n清安委〔2012〕5号\n清溪市安全生产委员会关于加强燃气安全管理的通知\n"
                                  "各乡镇人民政府、街道办事处：\n现将有关事项通知如下。\n一、重点任务\n"
                                  "（一）开展燃气检查。对餐饮场所开展燃气安全检查。\n责任单位：市应急管理局\n"
                                  "完成时限：2012年11月30日前\n清溪市安全生产委员会\n二〇一二年十二月三十一日\n"
                                  "抄送：市委办公室。\n清溪市安全生产委员会办公室　　二〇一三年一月四日印发\n")
    assert plan["成文日期"] == "2012年12月31日"
    assert (plan["印发机关"], plan["印发日期"]) == ("清溪市安全生产委员会办公室", "2013年1月4日")
    assert all("段落" not in b for b in plan["正文"][-1]["内容"])  # the signature is not body text
