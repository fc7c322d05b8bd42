"""The pieces of recovery: numbering markers, the forms of 责任单位, deadlines, targets, text cleaning."""

from __future__ import annotations

import pytest

from docgen.ingest.blocks import Table, clean
from docgen.ingest.recover import marker_of, parse_stages, parse_targets, parse_units, split_units


@pytest.mark.parametrize("text, expected", [
    ("一、总体要求", ("一、", 1, "总体要求")),
    ("十二、其他", ("一、", 12, "其他")),
    ("（三）开展排查", ("（一）", 3, "开展排查")),
    ("4.强化培训。内容", ("1.", 4, "强化培训。内容")),
    ("4、强化培训。内容", ("1.", 4, "强化培训。内容")),
    ("（2）细化措施", ("（1）", 2, "细化措施")),
    ("5.12防灾减灾日开展活动", None),
    ("3.5个百分点", None),
    ("2024年底前完成", None),
    ("10月底前完成", None),
])
def test_numbering_markers(text, expected):
    assert marker_of(text) == expected


@pytest.mark.parametrize("text, lead, support", [
    ("责任单位：市应急局、市公安局（牵头），市交通局、各乡镇（街道）（配合）。",
     ["市应急局", "市公安局"], ["市交通局", "各乡镇（街道）"]),
    ("牵头单位：消防站；配合单位：综治办、各村（社区）", ["消防站"], ["综治办", "各村（社区）"]),
    ("责任部门：安办、消防站、各村（社区）等。", ["安办", "消防站", "各村（社区）"], []),
    ("责任单位：负有安全生产监督管理职责的部门，其他负有安全生产管理责任的行业领域主管部门，各村（社区）等。",
     ["负有安全生产监督管理职责的部门", "其他负有安全生产管理责任的行业领域主管部门", "各村（社区）"], []),
    ("市应急局牵头，市公安局、市交通局配合", ["市应急局"], ["市公安局", "市交通局"]),
    ("市住房和城乡建设局", ["市住房和城乡建设局"], []),
])
def test_responsibility_forms(text, lead, support):
    units = parse_units(text, "第1段")
    assert (units.lead, units.support) == (lead, support)


def test_unit_lists_keep_names_with_brackets_and_and():
    assert split_units("市住房和城乡建设局、各乡镇（街道）、村（社区）等") == ["市住房和城乡建设局", "各乡镇（街道）", "村（社区）"]


def test_deadline_stages():
    stages = parse_stages("2024年底前，完成摸底；2025年6月底前，完成整治。")
    assert [(s.phrase, s.content) for s in stages] == [("2024年底前", "完成摸底"), ("2025年6月底前", "完成整治")]


@pytest.mark.parametrize("text, expected", [
    # a table cell: the phrase runs into what is due, the year left out after the first
    ("2026年底前完成年度改造计划；9月底前全面完成", [("2026年底前", "完成年度改造计划"), ("9月底前", "全面完成")]),
    ("每月5日前报送进展", [("每月5日前", "报送进展")]),
    ("每季度通报一次", [("每季度通报一次", "")]),
    ("2026年主汛期前", [("2026年主汛期前", "")]),  # a registered period: read when checked
])
def test_deadline_phrase_run_into_its_content(text, expected):
    assert [(s.phrase, s.content) for s in parse_stages(text)] == expected


def test_tab_separated_lines_of_a_text_file_are_a_table(tmp_path):
    from docgen.ingest import text
    from docgen.ingest.blocks import Line, Table

    source = tmp_path / "t.txt"
    source.write_text("\t一、总体要求\n联系人：张三\t电话：123\n附件\n序号\t工作任务\t责任单位\n1\t排查隐患\t安办\n"
                      "统计表\n单位\t户数\t隐患数\n", encoding="utf-8")
    blocks = text.read(source).blocks
    # an indenting tab is no table; one line of two cells is text; a lone header of three is a form
    assert [type(b) for b in blocks] == [Line, Line, Line, Table, Line, Table]
    assert blocks[3].rows == [["序号", "工作任务", "责任单位"], ["1", "排查隐患", "安办"]]
    assert blocks[3].where == "第4行（表格）" and blocks[1].text == "联系人：张三电话：123"
    assert blocks[5].rows == [["单位", "户数", "隐患数"]]


def test_table_row_broken_over_a_page_is_joined():
    from docgen.ingest.blocks import Document, Line
    from docgen.ingest.recover import recover

    header = ["序号", "工作任务", "责任单位", "完成时限"]
    page1 = Table([header, ["1", "排查隐患", "安办", "2026年5月底前"], ["2", "规范作业", "区应急管理局牵", "长期坚持"]],
                  "第5页（表格）")
    page2 = Table([header, ["", "审批", "头，消防站配合", ""], ["3", "开展培训", "安办", "2026年9月底前"]], "第6页（表格）")
    outline = recover(Document([Line("石桥区2026年工作要点", "第1页第1行"), Line("一、重点任务", "第1页第2行"),
                                Line("附件", "第2页第1行"), Line("任务分工表", "第2页第2行"), page1, page2]))
    rows = outline.attachments[0].table.rows
    assert rows[2] == ["2", "规范作业审批", "区应急管理局牵头，消防站配合", "长期坚持"]
    assert len(rows) == 4


def test_targets_as_printed():
    targets = parse_targets("新增达标企业不少于40家（2024年10家，2025年15家，2026年15家）；隐患整改率达到100%。")
    assert [(t.name, t.op, t.value, t.unit, t.by_year) for t in targets] == [
        ("新增达标企业", "不少于", 40, "家", {2024: 10, 2025: 15, 2026: 15}),
        ("隐患整改率", "达到", 100, "%", {}),
    ]
    assert parse_targets("森林火灾受害率控制在0.3‰以内。")[0].value == 0.3
    assert parse_targets("加强宣传教育，提高全民安全意识。") is None


def test_clean_makes_web_text_plan_text():
    assert clean("(一)指导思想:坚持 安全第一, 预防为主") == "（一）指导思想：坚持安全第一，预防为主"
    assert clean("2024 年 3 月 15 日") == "2024年3月15日"
    assert clean("各村(社区)、街道各办(站、所):") == "各村（社区）、街道各办（站、所）："
    assert clean("5.12 和 3.5%") == "5.12和3.5%"


@pytest.mark.parametrize("text", [
    "",
    "1.。\n2.\n责任单位：\n完成时限：，\n（一）\n一、。\n",
    "责任单位：市应急局\n完成时限：2025年底前\n",
    "关于印发《》的通知\n附件：\n附件1\n",
    "一、\n（一）（二）（三）1.2.3.\n" + "。" * 500,
    "抄送：\n印发\n2025年1月1日\n",
])
def test_odd_text_never_breaks_the_import(tmp_path, text):
    from docgen.config import Settings
    from docgen.jobs.imports import import_documents
    from tests.conftest import ROOT

    source = tmp_path / "odd.txt"
    source.write_text(text or " ", encoding="utf-8")
    settings = Settings(root=ROOT, registry=[ROOT / "plans" / "registry"])
    outcome = import_documents([source], settings, out=tmp_path / "odd.yaml", base=tmp_path)
    if outcome.unreadable:
        assert outcome.written is None and outcome.problems[0].code == "DG700"
    else:
        assert outcome.written.is_file()
        assert not [p for p in outcome.problems if p.code.startswith("DG0")]


def _city_matcher():
    from docgen.checked import Loaded, load_registry
    from docgen.config import Settings
    from docgen.ingest.units import Matcher
    from tests.conftest import ROOT

    settings = Settings(root=ROOT, registry=[ROOT / "plans" / "registry"])
    registry = load_registry(settings, Loaded(), ROOT).registry
    return Matcher(registry, registry.organisation_of("清溪市安全生产委员会"))


@pytest.mark.parametrize("written, registered, how", [
    ("市应急管理局", "市应急管理局", None),          # exact
    ("市应急局", "市应急局", None),                  # a registered alias stays as written
    ("应急管理局", "市应急管理局", "层级用语"),        # the level word put in front
    ("区应急管理局", "市应急管理局", "层级用语"),      # another level's word swapped
    ("市应急管理据", "市应急管理局", "相似名称"),      # a typo
    ("市住房城乡建设局", "市住房和城乡建设局", "相似名称"),
    ("市航天局", "市航天局", "unknown"),             # kept as written and reported
])
def test_units_matched_against_the_registry(written, registered, how):
    matcher = _city_matcher()
    assert matcher.match(written) == registered
    if how == "unknown":
        assert matcher.unknown == [written]
    elif how:
        assert matcher.changed[written] == (registered, how)
    else:
        assert not matcher.changed and not matcher.unknown


def test_a_gap_in_numbering_is_reported_at_its_line(tmp_path):
    from docgen.config import Settings
    from docgen.jobs.imports import import_documents
    from tests.conftest import ROOT

    source = tmp_path / "gap.txt"
    source.write_text("清溪市安全生产委员会关于开展安全检查的通知\n各乡镇人民政府、街道办事处：\n一、检查任务\n"
                      "1.检查燃气。检查餐饮场所。\n责任单位：市住建局\n2.检查消防。检查商场。\n责任单位：市消防支队\n"
                      "4.检查工地。检查在建工地。\n责任单位：市住建局\n", encoding="utf-8")
    settings = Settings(root=ROOT, registry=[ROOT / "plans" / "registry"])
    outcome = import_documents([source], settings, out=tmp_path / "gap.yaml", base=tmp_path)
    gaps = [p for p in outcome.problems if p.code == "DG701"]
    assert len(gaps) == 1 and gaps[0].location.line == 8 and "“2.”之后是“4.”" in gaps[0].message


def test_units_and_deadline_in_one_line_or_bracket_and_lead_support_on_two_lines(tmp_path):
    from docgen.config import Settings
    from docgen.jobs.imports import import_documents
    from docgen.load import load
    from docgen.model import Plan
    from tests.conftest import ROOT

    source = tmp_path / "forms.txt"
    source.write_text(
        "清溪市安全生产委员会关于开展夏季安全检查的通知\n各乡镇人民政府、街道办事处：\n一、检查任务\n"
        "1.检查燃气场所。逐户检查餐饮场所。（责任单位：市住建局；完成时限：2025年6月底前）\n"
        "2.检查消防设施。检查商场和市场。\n责任单位：市消防支队；完成时限：2025年7月底前。\n"
        "3.检查在建工地。检查深基坑和高支模。（2025年8月底前完成）\n牵头单位：市住建局\n配合单位：市应急局、市城管局\n",
        encoding="utf-8")
    settings = Settings(root=ROOT, registry=[ROOT / "plans" / "registry"])
    outcome = import_documents([source], settings, out=tmp_path / "forms.yaml", base=tmp_path)
    plan = Plan.from_source(load(outcome.written, "forms.yaml")[0])
    got = [([u.name for u in t.responsibility.lead], [u.name for u in t.responsibility.support], t.deadline.text)
           for t in plan.tasks()]
    assert got == [(["市住建局"], [], "2025年6月底前"), (["市消防支队"], [], "2025年7月底前"),
                   (["市住建局"], ["市应急局", "市城管局"], "2025年8月底前")]
    assert plan.tasks()[0].body.value == "逐户检查餐饮场所。"


def test_items_numbered_100_and_above_and_chinese_hundreds_are_kept():
    from docgen.ingest.blocks import Document, Line
    from docgen.ingest.recover import marker_of, recover

    assert marker_of("100.开展排查。") == ("1.", 100, "开展排查。")
    assert marker_of("1000、开展排查。") == ("1.", 1000, "开展排查。")
    assert marker_of("（一百零一）加强领导") == ("（一）", 101, "加强领导")
    assert marker_of("2026年底前完成") is None
    lines = ["某区2026年安全生产工作要点", "一、重点任务"]
    for n in range(1, 106):
        lines += [f"{n}.开展第{n}项排查。逐一整改。", "责任单位：区应急管理局"]
    outline = recover(Document([Line(t, f"第{i}行") for i, t in enumerate(lines, 1)]))
    assert len(outline.tasks()) == 105
    assert not [f for f in outline.findings if f[0] == "numbering-gap"]
