"""Kinds of received document the first fixtures lacked, copied from a web page (tests/ingest/fixtures/blind):
a 转发通知 with the forwarded text, a 安全生产形势通报 and a 挂牌督办通知 with tables in the text, and a
实施方案 whose tasks restart at 1、 under each （一） with "牵头单位：A；配合单位：B" and "时间节点：" lines.

Written before the importer was read (a blind test); each test here failed then.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from docgen.config import Settings
from docgen.jobs.imports import import_documents
from docgen.load import load
from docgen.model import BodyTable, Plan
from tests.ingest.fidelity import round_trip

BLIND = Path(__file__).resolve().parent / "fixtures" / "blind"
REGISTRY = BLIND.parent / "registry"


def _import(tmp_path: Path, name: str):
    out = tmp_path / f"{name}.yaml"
    outcome = import_documents([BLIND / f"{name}.txt"], Settings(root=tmp_path, registry=[REGISTRY]), out=out,
                               base=tmp_path)
    assert outcome.written is not None, [p.message for p in outcome.problems]
    source, problems = load(out, out.name)
    return Plan.from_source(source), [p.message for p in outcome.problems], out.read_text(encoding="utf-8")


@pytest.mark.parametrize("name, title", [
    ("forward-notice", "澄湖市石桥区安全生产委员会办公室关于转发《澄湖市安全生产委员会关于开展城镇燃气安全隐患“清零”行动的通知》的通知"),
    ("situation-bulletin", "石桥区2026年5月份安全生产形势通报"),
    ("hazard-supervision", "澄湖市石桥区安全生产委员会关于对5项重大事故隐患实行挂牌督办的通知"),
    ("restart-plan", "枫林街道电动自行车安全隐患全链条整治实施方案"),
])
def test_the_title_is_found_below_tab_separated_publication_details(tmp_path, name, title):
    # "索引号：…<tab>发布机构：…" is the page's header, not a table that hides the title
    plan, messages, _ = _import(tmp_path, name)
    assert plan.title.value == title
    assert not any("没有找到文件标题" in m for m in messages)
    assert any(m.startswith("（第2行）网页信息“索引号") for m in messages), messages


def test_the_pages_buttons_and_footer_are_web_frame(tmp_path):
    _, messages, _ = _import(tmp_path, "hazard-supervision")
    assert "（第25行）网页信息“【打印】【关闭】”不属于公文，已跳过。" in messages
    assert any(m.startswith("（第26行）网页信息“主办单位：") for m in messages)
    assert not any("正文之后的文字" in m for m in messages)


def test_the_document_number_among_the_publication_details_and_no_breadcrumb_letterhead(tmp_path):
    # "文号：石安委〔2026〕8号" in the header; "首页 > 政务公开 > 部门文件" is no 发文机关标志
    plan, _, text = _import(tmp_path, "hazard-supervision")
    assert plan.doc_number.value == "石安委〔2026〕8号"
    assert "版头: false" in text


def test_one_line_lead_and_support_and_the_time_node_label_are_kept(tmp_path):
    plan, _, text = _import(tmp_path, "restart-plan")
    assert "牵头配合写法: 同行" in text and "时限标签: 时间节点" in text and "编号方式: 分章重排" in text
    trip = round_trip(BLIND / "restart-plan.txt", REGISTRY, tmp_path / "trip")
    assert "牵头单位：枫林市场监管所；配合单位：综合执法队、各社区" in trip.rendered_text
    assert "时间节点：2026年6月底前" in trip.rendered_text
    assert "完成时限" not in trip.rendered_text
    assert trip.comparison.ratio >= 0.99, "\n".join(trip.comparison.lines)


def test_a_forwarded_text_is_one_located_finding_not_one_a_paragraph(tmp_path):
    plan, messages, _ = _import(tmp_path, "forward-notice")
    about = [m for m in messages if "附件" in m and "没有导入" in m]
    assert len(about) == 1, about
    assert "另行导入为一份收到的方案" in about[0]
    assert about[0].startswith("（第18行）附件“澄湖市安全生产委员会关于开展城镇燃气安全隐患") and "17段" in about[0]
    # the notice's own requirements are its tasks; a date without a year is in the 发文字号's year
    tasks = plan.tasks()
    assert [t.lead.value for t in tasks] == ["迅速部署启动", "压实部门责任", "按时报送情况"]
    assert tasks[0].effective_deadline is not None


def test_the_forwarded_document_is_imported_as_a_received_plan_of_its_own(tmp_path):
    out = tmp_path / "forward-notice.yaml"
    outcome = import_documents([BLIND / "forward-notice.txt"], Settings(root=tmp_path, registry=[REGISTRY]), out=out,
                               base=tmp_path)
    assert outcome.attached == [tmp_path / "forward-notice-附件.yaml"]
    source, problems = load(outcome.attached[0], "forward-notice-附件.yaml")
    forwarded = Plan.from_source(source)
    assert forwarded.title.value == "澄湖市安全生产委员会关于开展城镇燃气安全隐患“清零”行动的通知"
    assert forwarded.doc_number.value == "澄安委〔2026〕5号"
    assert forwarded.received
    assert [s.title.value for s in forwarded.sections()][:2] == ["行动范围", "重点内容"]


def test_the_forward_notice_renders_without_error(tmp_path):
    trip = round_trip(BLIND / "forward-notice.txt", REGISTRY, tmp_path)
    assert trip.refused == []
    assert "现将《澄湖市安全生产委员会关于开展城镇燃气安全隐患“清零”行动的通知》（澄安委〔2026〕5号）转发给你们" \
        in trip.rendered_text


@pytest.mark.parametrize("name, columns, before, cell", [
    ("situation-bulletin", ["单位", "事故起数（起）", "同比", "死亡人数（人）", "同比", "受伤人数（人）", "同比"],
     "1—5月各街道（镇）、开发区生产安全事故情况如下：", "石桥经济开发区"),
    ("hazard-supervision", ["序号", "隐患单位", "所属行业", "主要问题", "督办责任单位", "整改时限"],
     "挂牌督办的重大事故隐患清单如下：", "澄湖枫顺化工仓储有限公司"),
])
def test_a_table_in_the_body_is_imported_where_it_stands(tmp_path, name, columns, before, cell):
    plan, messages, text = _import(tmp_path, name)
    assert not any("正文中的表格" in m for m in messages), messages
    (section,) = [s for s in plan.sections() if any(isinstance(b, BodyTable) for b in s.children)]
    at = next(i for i, b in enumerate(section.children) if isinstance(b, BodyTable))
    table = section.children[at]
    assert section.children[at - 1].text.value == before  # a sentence ending in ：is no table title
    assert table.title is None and [c.value for c in table.columns] == columns
    assert all(len(row) == len(columns) for row in table.rows) and len(table.rows) == 5
    trip = round_trip(BLIND / f"{name}.txt", REGISTRY, tmp_path / "trip")
    assert cell in trip.rendered_text
    assert trip.comparison.ratio >= 0.99, "\n".join(trip.comparison.lines)


TITLED = """\
澄湖市石桥区安全生产委员会办公室关于报送隐患整改情况的通知
各街道办事处、镇人民政府：
一、整改情况
截至6月底，各地整改情况如下。
2026年上半年各街道（镇）隐患整改情况统计表
单位\t排查隐患（项）\t已整改（项）
枫林街道\t12\t10
青溪镇\t8\t8
二、工作要求
请于7月10日前报送整改进展。
澄湖市石桥区安全生产委员会办公室
2026年7月1日
"""


def test_the_title_line_above_a_body_table_is_its_title(tmp_path):
    source = tmp_path / "titled.txt"
    source.write_text(TITLED, encoding="utf-8")
    out = tmp_path / "titled.yaml"
    outcome = import_documents([source], Settings(root=tmp_path, registry=[REGISTRY]), out=out, base=tmp_path)
    assert outcome.written is not None, [p.message for p in outcome.problems]
    text = out.read_text(encoding="utf-8")
    assert "- 标题: 2026年上半年各街道（镇）隐患整改情况统计表  # 原文第6行（表格）" in text, text
    plan = Plan.from_source(load(out, out.name)[0])
    (table,) = [b for b in plan.walk() if isinstance(b, BodyTable)]
    assert [[c.value for c in row] for row in table.rows] == [["枫林街道", "12", "10"], ["青溪镇", "8", "8"]]
    # the title is printed once, centred above the table
    trip = round_trip(source, REGISTRY, tmp_path / "trip")
    assert trip.rendered_text.count("2026年上半年各街道（镇）隐患整改情况统计表") == 1
    assert trip.comparison.ratio >= 0.99, "\n".join(trip.comparison.lines)


def test_a_word_table_in_the_body_keeps_its_centred_title(tmp_path):
    import docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document()
    lines = TITLED.split("\n")
    for line in lines[:4]:
        document.add_paragraph(line)
    document.add_paragraph("各街道（镇）整改进度").alignment = WD_ALIGN_PARAGRAPH.CENTER  # named by its place only
    rows = [line.split("\t") for line in lines[5:8]]
    table = document.add_table(rows=len(rows), cols=3)
    for row, cells in zip(table.rows, rows):
        for cell, value in zip(row.cells, cells):
            cell.text = value
    for line in lines[8:]:
        if line:
            document.add_paragraph(line)
    source = tmp_path / "titled.docx"
    document.save(str(source))
    out = tmp_path / "titled.yaml"
    outcome = import_documents([source], Settings(root=tmp_path, registry=[REGISTRY]), out=out, base=tmp_path)
    assert outcome.written is not None, [p.message for p in outcome.problems]
    plan = Plan.from_source(load(out, out.name)[0])
    (table,) = [b for b in plan.walk() if isinstance(b, BodyTable)]
    assert table.title.value == "各街道（镇）整改进度"
    assert [c.value for c in table.columns] == ["单位", "排查隐患（项）", "已整改（项）"]
    assert not any("正文中的表格" in p.message for p in outcome.problems)
