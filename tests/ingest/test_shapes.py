"""Four received documents of other shapes (our own words), imported as .txt and as Word:

- a district 实施方案 whose 责任单位 and 完成时限 are only in the 任务分工表 at its end (district-plan);
- a street 工作要点 with 阶段安排 and "1.…（责任单位：…；完成时限：…）" restarting under each （一）
  (street-keypoints);
- a 通知 with 主送, 发文字号 under the title, dated duties (每月5日前, 2026年6月底前), a 联系人 line
  and two form attachments (district-notice);
- a 意见 (GB18030 text) with 总体要求/主要任务/保障措施 and tasks without deadlines (district-opinion).

Each must come back with every task, its units as registered (tests/ingest/fixtures/registry),
its deadlines readable, headings at the depth of their markers, its attachments, and no text of
the source lost; then check and render like any plan.
"""

from __future__ import annotations

import re
from pathlib import Path

import docx
import pytest
from ruamel.yaml import YAML

from docgen import numbering
from docgen.config import Settings
from docgen.jobs.imports import import_documents
from docgen.jobs.render import render
from docgen.load import load
from docgen.model import Plan
from tests.conftest import ROOT
from tests.ingest.wordsource import read_lines, to_docx

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "fixtures"
SETTINGS = Settings(root=ROOT, registry=[FIXTURES / "registry"])

PLAN_SECTIONS = [
    (1, "总体要求"), (2, "指导思想"), (2, "工作目标"), (1, "整治范围"), (1, "重点任务"), (2, "城镇燃气安全整治"),
    (2, "有限空间作业安全整治"), (2, "执法检查和宣传培训"), (2, "工作调度和评估"), (1, "实施步骤"),
    (2, "动员部署阶段（2026年3月）"), (2, "集中整治阶段（2026年4月至10月）"), (2, "总结提升阶段（2026年11月至12月）"),
    (1, "保障措施"), (2, "加强组织领导"), (2, "强化督导检查"), (2, "严格责任追究")]
#: (printed number, lead, 牵头, 配合, 完成时限) — units and deadlines all from the 任务分工表
PLAN_TASKS = [
    ("1", "开展燃气经营企业安全评估", ["区住房和城乡建设局"], ["区市场监督管理局", "区应急管理局"], "2026年5月底前"),
    # the table shortens the lead (液化气): matched by 序号, the body's wording kept
    ("2", "清理整顿瓶装液化石油气供应站点", ["区住建局", "区市场监管局", "各街道（镇）"], [], "2026年6月底前"),
    ("3", "推进老旧燃气管网更新改造", ["区住房和城乡建设局"], [], "2026年底前、2027年6月底前"),
    ("4", "督促餐饮场所安装燃气泄漏报警装置", ["区市场监督管理局", "区商务局", "各街道（镇）"], [], "2026年9月底前"),
    ("5", "摸清有限空间作业底数", ["区应急管理局", "区工业和信息化局", "石桥经济开发区"], [], "2026年4月底前"),
    ("6", "规范有限空间作业审批和现场监护", ["区应急管理局"], ["负有安全生产监督管理职责的部门"], "长期坚持"),
    ("7", "开展市政管网有限空间作业专项检查", ["区城市管理局", "区水利局"], [], "2026年主汛期前"),
    ("8", "配齐有限空间作业防护装备和救援器材", ["区应急管理局", "各街道（镇）"], [], "2026年8月底前"),
    ("9", "严厉打击违法违规行为", ["区应急管理局", "区住房和城乡建设局", "区公安分局"], [], "每季度通报一次"),
    ("10", "开展从业人员全员培训", ["区人力资源和社会保障局", "区应急管理局"], [], "2026年10月底前"),
    ("11", "建立专项整治工作台账", ["区安委办"], [], "每月5日前"),
    ("12", "组织整治成效评估", ["区安委办"], ["区安委会各成员单位"], "2026年12月20日前"),
]

KEYPOINTS_SECTIONS = [
    (1, "总体目标"), (1, "阶段安排"), (2, "动员部署阶段（2026年3月1日—3月20日）"),
    (2, "排查整治阶段（2026年3月21日—10月31日）"), (2, "巩固提升阶段（2026年11月1日—12月25日）"), (1, "重点任务"),
    (2, "压实安全生产责任"), (2, "深化重点领域整治"), (2, "夯实基层基础"), (1, "工作要求"), (2, "加强统筹调度"),
    (2, "严格考核问责")]
KEYPOINTS_TASKS = [
    ("三（一）1", "修订街道安全生产责任清单", ["党政办", "应急管理办"], [], "2026年3月底前"),
    ("三（一）2", "落实领导干部包保制度", ["街道安委办"], [], "每季度"),
    ("三（一）3", "开展安全生产述职", ["党政办"], [], "2026年12月底前"),
    ("三（二）1", "整治餐饮场所燃气安全隐患", ["城市管理办", "枫林市场监管所"], [], "2026年5月底前"),
    ("三（二）2", "治理电动自行车违规停放充电", ["消防工作站"], ["各社区", "平安建设办"], "2026年9月底前"),
    ("三（二）3", "加强建筑工地安全巡查", ["城市管理办"], [], "长期坚持"),
    ("三（二）4", "排查低洼易涝区域和危旧房屋", ["应急管理办", "各社区"], [], "2026年主汛期前"),
    ("三（三）1", "建设社区微型消防站", ["消防工作站", "各社区"], [], "2026年6月底前"),
    ("三（三）2", "组织安全生产月活动", ["党政办", "应急管理办"], [], "2026年6月30日前"),
    ("三（三）3", "开展小微企业负责人培训", ["经济服务办", "应急管理办"], [], None),
]

NOTICE_SECTIONS = [(1, "排查重点"), (1, "时间安排"), (1, "报送要求"), (1, "工作要求")]
NOTICE_TASKS = [
    ("二1", "自查自纠", None, None, "2026年4月30日前"),
    ("二2", "集中整治", None, None, "2026年5月31日前"),
    ("二3", "督导检查", None, None, "2026年6月底前"),
    ("三1", "各街道（镇）和各有关部门于每月5日前将上月排查整治情况报区安委办", None, None, "每月5日前"),
    ("三2", "各单位于2026年6月底前报送专项整治工作总结，包括主要做法、隐患整改情况和下一步打算", None, None,
     "2026年6月底前"),
    ("三3", "排查中发现的重大事故隐患，应于发现后24小时内报告区安委办", None, None, None),
]

OPINION_SECTIONS = [(1, "总体要求"), (2, "指导思想"), (2, "基本原则"), (2, "工作目标"), (1, "主要任务"), (1, "保障措施"),
                    (2, "加强组织协调"), (2, "强化服务指导"), (2, "严格督促考核")]
OPINION_TASKS = [
    ("1", "全面开展企业自评", None, None, None),
    ("2", "分类推进达标创建", ["区应急管理局", "区工业和信息化局"], [], "2026年底前"),
    ("3", "提升评审工作质量", ["区应急管理局"], [], None),
    ("4", "强化达标企业动态管理", None, None, None),
    ("5", "加大政策激励力度", ["区财政局", "区应急管理局", "区发展和改革局"], [], None),
    ("6", "发挥示范引领作用", None, None, None),
]

EXPECTED = {
    "district-plan": (PLAN_SECTIONS, PLAN_TASKS),
    "street-keypoints": (KEYPOINTS_SECTIONS, KEYPOINTS_TASKS),
    "district-notice": (NOTICE_SECTIONS, NOTICE_TASKS),
    "district-opinion": (OPINION_SECTIONS, OPINION_TASKS),
}


def _import(source: Path, tmp_path: Path):
    outcome = import_documents([source], SETTINGS, out=tmp_path / f"{source.stem}.yaml", base=tmp_path)
    assert outcome.written is not None, [p.message for p in outcome.problems]
    loaded, problems = load(outcome.written, outcome.written.name)
    assert loaded is not None, problems
    return outcome, Plan.from_source(loaded)


def structure(plan: Plan):
    sections = [(s.depth, s.title.value) for s in plan.sections()]
    tasks = []
    for t in plan.tasks():
        r, d = t.effective_responsibility, t.effective_deadline
        tasks.append((t.label, t.lead.value, [u.name for u in r.lead] if r else None,
                      [u.name for u in r.support] if r else None, d.text if d else None))
    return sections, tasks


def _codes(outcome, severity: str | None = None) -> set[str]:
    return {p.code for p in outcome.problems if severity is None or p.severity.value == severity}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_every_section_task_unit_and_deadline_recovered(tmp_path, name):
    outcome, plan = _import(FIXTURES / f"{name}.txt", tmp_path)
    assert structure(plan) == EXPECTED[name]
    # every deadline readable against the registry's periods (主汛期), every unit registered
    assert not _codes(outcome) & {"DG302", "DG202", "DG702", "DG701", "DG704"}
    assert "error" not in {p.severity.value for p in outcome.problems}


def test_district_plan_merges_its_task_table(tmp_path):
    outcome, plan = _import(FIXTURES / "district-plan.txt", tmp_path)
    assert (plan.kind, plan.issuer.value, plan.doc_number.value) == (
        "实施方案", "澄湖市石桥区安全生产委员会", "石安委〔2026〕3号")
    assert [r.value for r in plan.recipients] == ["各街道办事处、镇人民政府", "石桥经济开发区管委会", "区安委会各成员单位"]
    assert plan.notice is not None and plan.date.text == "2026年3月6日"
    assert [(b.title.value, b.doc_number.value) for b in plan.basis] == [
        ("澄湖市安全生产委员会关于开展城镇燃气和有限空间作业安全专项整治的通知", "澄安委〔2026〕2号")]
    # the table (tab-separated rows of the web page) is the plan's 任务分工表, generated from the tasks
    assert [(a.title.value, a.kind) for a in plan.attachments] == [("任务分工表", "任务分工表")]
    # a cell with two phrases run into their content: two milestones
    assert [(m.phrase, m.content) for m in plan.tasks()[2].deadline.milestones] == [
        ("2026年底前", "完成年度改造计划"), ("2027年6月底前", "全面完成")]
    renamed = [p.message for p in outcome.problems if p.code == "DG703"]
    assert renamed == ["原文的“石桥经济开发区管委会”按相似名称对应为单位库中的“石桥经济开发区”，请核对。"]


def test_street_keypoints_keep_numbering_restarting_under_each_group(tmp_path):
    outcome, plan = _import(FIXTURES / "street-keypoints.txt", tmp_path)
    assert plan.numbering == "分章重排"
    # no 版头 and no signature: the issuer is the registered organ of the street the title names
    assert plan.issuer.value == "澄湖市石桥区枫林街道办事处"
    found = [p for p in outcome.problems if p.code == "DG706"]
    assert len(found) == 1 and "按标题所称的组织取为“澄湖市石桥区枫林街道办事处”" in found[0].message
    assert found[0].location.line == 1
    assert plan.period is not None and plan.period[0].text == "2026年1月1日"


def test_notice_reads_its_head_dated_duties_and_forms(tmp_path):
    outcome, plan = _import(FIXTURES / "district-notice.txt", tmp_path)
    assert plan.kind == "通知" and plan.doc_number.value == "石安委办〔2026〕9号"
    assert [r.value for r in plan.recipients] == ["各街道办事处、镇人民政府", "石桥经济开发区管委会", "区安委会有关成员单位"]
    assert (plan.issuer.value, plan.date.text) == ("澄湖市石桥区安全生产委员会办公室", "2026年4月8日")
    monthly = plan.tasks()[3].deadline.milestones[0]
    assert (monthly.kind.value, monthly.error) == ("recurring", None)
    forms = [(a.title.value, a.kind, a.columns[:2], len(a.rows)) for a in plan.attachments]
    assert forms == [("汛前安全隐患排查整治情况统计表", "表格", ["填报单位", "排查单位数（家）"], 0),
                     ("重大事故隐患清单", "表格", ["序号", "单位名称"], 1)]


def test_opinion_keeps_units_written_in_a_task_on_that_task(tmp_path):
    _, plan = _import(FIXTURES / "district-opinion.txt", tmp_path)
    assert plan.kind == "工作意见" and plan.valid_until.text == "2028年12月31日"
    main = next(s for s in plan.sections() if s.title.value == "主要任务")
    assert main.responsibility is None  # "（责任单位：…）" inside task 2 is task 2's, not the section's
    assert plan.tasks()[2].body.value.endswith("依法依规处理。")  # "（区应急管理局负责）" taken out


# -- no text lost -------------------------------------------------------------------------------

_MARK = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|（[一二三四五六七八九十]{1,3}）|\d{1,2}\.)")
_KEYS = re.compile(r"(?:责任单位|完成时限)：")
_ROLE = re.compile(r"(?:牵头|配合|负责)$")


def _squash(text: str) -> str:
    return re.sub(r"[\s，。；：、“”（）《》〈〉]", "", text)


def _strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from _strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from _strings(value)
    elif node is not None:
        yield str(node)


def lost_text(source: Path, plan_file: Path) -> list[str]:
    """Clauses of the source (cut at punctuation, numbering markers and 责任单位/完成时限 labels
    left out) that appear nowhere in the plan's text."""
    have = _squash("".join(_strings(YAML(typ="safe").load(plan_file.read_text(encoding="utf-8")))))
    out = []
    for line in read_lines(source):
        for cell in line.split("\t"):
            text = _KEYS.sub("", _MARK.sub("", cell.strip(" \u3000")))
            for clause in re.split(r"[，。；：、（）]", text):
                if _squash(_ROLE.sub("", clause)) and _squash(_ROLE.sub("", clause)) not in have:
                    out.append(clause)
    return out


#: What a plan does not keep as text, by design: web-page clutter and the 版头 (reported as
#: skipped), the 附件 labels (printed from the attachments) and the table's own wording of a task
#: (the table is generated from the tasks, under the source's headers).
NOT_KEPT = {
    "district-plan": ["首页 > 信息公开 > 通知公告", "澄湖市石桥区安全生产委员会文件", "发布日期", "2026-03-09\u3000\u3000来源",
                      "附件", "附件", "清理整顿瓶装液化气供应站点", "规范有限空间作业审批和监护",
                      "严厉打击燃气和有限空间作业违法违规行为"],
    "street-keypoints": [],
    "district-notice": ["附件", "1.汛前安全隐患排查整治情况统计表", "附件1", "附件2"],
    "district-opinion": [],
}


@pytest.mark.parametrize("name", list(EXPECTED))
def test_no_text_of_the_source_is_lost(tmp_path, name):
    outcome, _ = _import(FIXTURES / f"{name}.txt", tmp_path)
    assert lost_text(FIXTURES / f"{name}.txt", outcome.written) == NOT_KEPT[name]


# -- copied from a web page with the line breaks lost ----------------------------------------------

@pytest.mark.parametrize("name, head", [("street-keypoints", 2), ("district-notice", 3), ("district-opinion", 2)])
def test_body_whose_line_breaks_were_lost_gives_the_same_plan(tmp_path, name, head):
    """The body pasted as one line (the lines above it, and the 附件 list and signature below it,
    keep theirs): headings that ran into their text, the 联系人 line and every task come back."""
    lines = read_lines(FIXTURES / f"{name}.txt")
    end = next((i for i, line in enumerate(lines) if line.lstrip("\u3000").startswith(("附件：", "本意见"))), len(lines))
    flat = tmp_path / "flat" / f"{name}.txt"
    flat.parent.mkdir()
    flat.write_text("\n".join(lines[:head] + ["".join(line.strip(" \u3000") for line in lines[head:end])]
                              + lines[end:]) + "\n", encoding="utf-8")
    from_text, _ = _import(FIXTURES / f"{name}.txt", tmp_path)
    from_flat, plan = _import(flat, tmp_path / "flat")
    assert _data(from_flat.written) == _data(from_text.written)
    assert structure(plan) == EXPECTED[name]


# -- Word versions --------------------------------------------------------------------------------

def _data(path: Path) -> dict:
    data = YAML(typ="safe").load(path.read_text(encoding="utf-8"))
    for attachment in data.get("附件", []):
        attachment.pop("横向", None)  # only Word knows the table's page is landscape
    return data


@pytest.mark.parametrize("name, automatic", [("district-plan", True), ("street-keypoints", False)])
def test_word_version_gives_the_same_plan(tmp_path, name, automatic):
    """Word with automatic numbering (tasks running on across groups through w:lvlRestart, the
    table a Word table on a landscape page) or with typed numbers and bold lead sentences."""
    source = to_docx(FIXTURES / f"{name}.txt", tmp_path / f"{name}.docx", automatic=automatic, continuous=True)
    typed = any(p.text.startswith(("一、", "（一）", "1.")) for p in docx.Document(str(source)).paragraphs)
    assert typed is not automatic
    from_text, _ = _import(FIXTURES / f"{name}.txt", tmp_path / "text")
    from_word, plan = _import(source, tmp_path / "word")
    assert _data(from_word.written) == _data(from_text.written)
    assert structure(plan) == EXPECTED[name]


# -- check and render -------------------------------------------------------------------------------

def test_imported_plans_render_with_every_task(tmp_path):
    written = [_import(FIXTURES / f"{name}.txt", tmp_path)[0].written for name in EXPECTED]
    render(written, SETTINGS, tmp_path / "out", pdf=False, base=tmp_path)
    for path in written:
        text = "\n".join(p.text for p in docx.Document(str(tmp_path / "out" / f"{path.stem}.docx")).paragraphs)
        source, _ = load(path, path.name)
        plan = Plan.from_source(source)
        for task in plan.tasks():  # at its level, with the number the source printed
            assert f"{numbering.heading(len(task.sections) + 1, task.number)}{task.lead.value}。" in text
        for section in plan.sections():
            assert f"{numbering.heading(section.depth, section.number)}{section.title.value}" in text


# -- the source's numbers -----------------------------------------------------------------------

def test_numbers_the_source_skips_are_kept(tmp_path):
    """A gap (3. missing, 二、 missing) is reported and the plan prints the source's numbers."""
    source = tmp_path / "gap.txt"
    source.write_text("枫林街道2026年消防安全工作要点\n一、重点任务\n"
                      "1.排查出租房。逐户检查。（责任单位：消防工作站；完成时限：2026年5月底前）\n"
                      "2.清理楼道杂物。集中清理。（责任单位：各社区；完成时限：2026年6月底前）\n"
                      "4.开展消防演练。每个社区一次。（责任单位：消防工作站；完成时限：2026年9月底前）\n"
                      "三、工作要求\n（一）加强调度。每月调度。\n", encoding="utf-8")
    outcome, plan = _import(source, tmp_path)
    gaps = sorted(p.message for p in outcome.problems if p.code == "DG701")
    assert gaps == ["（第5行）序号不连续：“2.”之后是“4.”，请核对原文是否漏了条目。",
                    "（第6行）序号不连续：“一、”之后是“三、”，请核对原文是否漏了条目。"]
    assert [t.number for t in plan.tasks()] == [1, 2, 4]
    assert [s.number for s in plan.sections() if s.depth == 1] == [1, 3]
    assert plan.numbering == "连续"
