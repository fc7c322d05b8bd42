"""A received document, imported and rendered again, reads as the source did (tests/ingest/fidelity.py).

Each fixture, as text and as Word: the rendered .docx has (nearly) the source's text — its 责任单位
and 完成时限 where the source had them (lines, brackets, only the 任务分工表, or only in a task's
own sentence), its numbers (1、, 一、 then 1.), no 版头 or signature it did not have.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ruamel.yaml import YAML

from docgen.model import DIVISION_BRACKETS, DIVISION_TABLE, STATED_DEADLINE, STATED_UNITS
from tests.conftest import ROOT
from tests.ingest.fidelity import DIVISION_LINE, round_trip
from tests.ingest.wordsource import to_docx

FIXTURES = Path(__file__).resolve().parent / "fixtures"
REGISTRY = FIXTURES / "registry"
#: Characters (missing + added) by which the rendering may differ from the source, and why.
BUDGET = {
    "district-notice": 0,
    "street-keypoints": 0,
    # "（区应急管理局负责）" printed as "（责任单位：区应急管理局）"
    "district-opinion": 8,
    # the 任务分工表 is generated: the body's task names, registered unit names, "A（牵头）"
    "district-plan": 35,
    # "等" after the units left out
    "street-notice": 2,
}


def _trip(tmp_path: Path, name: str, word: bool):
    source = FIXTURES / f"{name}.txt"
    registry = ROOT / "plans" / "registry" if name == "street-notice" else REGISTRY
    if word:
        docx = to_docx(source, tmp_path / f"{name}.docx", automatic=name != "street-keypoints", continuous=True)
        return round_trip(docx, registry, tmp_path, shown=source)
    return round_trip(source, registry, tmp_path)


@pytest.mark.parametrize("word", [False, True], ids=["text", "word"])
@pytest.mark.parametrize("name", list(BUDGET))
def test_rendered_import_reproduces_the_source(tmp_path, name, word):
    trip = _trip(tmp_path, name, word)
    c = trip.comparison
    differing = sum(c.missing.values()) + sum(c.added.values())
    assert trip.refused == []  # `docgen render` takes the imported plan as it is
    assert differing <= BUDGET[name] and c.ratio >= 0.99, "\n".join(c.lines)
    # no 责任单位 or 完成时限 line the source did not have
    source_lines = [line for line in trip.source if DIVISION_LINE.match(line)]
    rendered_lines = [line for line in trip.lines if DIVISION_LINE.match(line)]
    assert len(rendered_lines) <= len(source_lines), rendered_lines


def test_units_in_brackets_are_printed_in_brackets_and_not_twice(tmp_path):
    trip = _trip(tmp_path, "street-keypoints", False)
    plan = trip.plan
    assert plan.division == DIVISION_BRACKETS
    assert all("责任单位" not in (t.body.value if t.body else "") for t in plan.tasks())
    assert "1.修订街道安全生产责任清单。结合机构职能调整，逐项明确各办所和社区的安全生产职责，做到责任到岗到人。" \
           "（责任单位：党政办、应急管理办；完成时限：2026年3月底前）" in trip.rendered_text
    # "（责任单位：消防工作站牵头，各社区、平安建设办配合；…）": the units as the source wrote them
    assert plan.units_form == "后缀"
    assert "（责任单位：消防工作站牵头，各社区、平安建设办配合；完成时限：2026年9月底前）" in trip.rendered_text


def test_units_only_in_the_task_table_are_printed_only_there(tmp_path):
    trip = _trip(tmp_path, "district-plan", False)
    plan = trip.plan
    assert plan.division == DIVISION_TABLE
    table = plan.attachments[0]
    assert (table.kind, table.columns) == ("任务分工表", ["序号", "工作任务", "责任单位", "完成时限"])
    assert all(t.effective_responsibility and t.effective_deadline for t in plan.tasks())
    body = trip.lines[:trip.lines.index("任务分工表")]
    assert not [line for line in body if DIVISION_LINE.match(line)]
    assert "区住房和城乡建设局(牵头),区市场监督管理局、区应急管理局(配合)" in trip.lines  # normalised cell


def test_deadlines_found_in_the_text_are_kept_but_not_printed_again(tmp_path):
    """A 通知's duties name their dates in their sentences: notices and ledgers need them (the
    plan has them, no DG301 gap), the body does not print them twice."""
    trip = _trip(tmp_path, "district-notice", False)
    tasks = trip.plan.tasks()
    assert [t.deadline.text if t.deadline else None for t in tasks] == [
        "2026年4月30日前", "2026年5月31日前", "2026年6月底前", "每月5日前", "2026年6月底前", None]
    assert all(t.stated == {STATED_DEADLINE} for t in tasks[:5])
    assert not any(line.startswith("完成时限") for line in trip.lines)
    assert not [g for g in trip.outcome.gaps if "完成时限" in g.missing and g.task_id != "T06"]
    data = YAML(typ="safe").load(trip.plan_file.read_text(encoding="utf-8"))
    written = [task for section in data["正文"] for task in section.get("内容", []) if "任务" in task]
    assert [task.get("正文写明") for task in written] == [["完成时限"]] * 5 + [None]


def test_a_document_written_several_ways_keeps_each_way(tmp_path):
    """The street notice: shared lines for two tasks, one task's units in brackets, units in a
    task's own sentence (kept in it), a deadline in a task's text, numbers written 1、."""
    trip = _trip(tmp_path, "street-notice", False)
    plan = trip.plan
    tasks = plan.tasks()
    assert plan.division == "分行" and plan.markers == ("一、", "（一）", "1、")
    assert [t.division for t in tasks] == [None, None, "括注", None, None, None, None]
    assert [sorted(t.stated) for t in tasks] == [[STATED_DEADLINE], [], [], [STATED_UNITS], [], [STATED_UNITS], []]
    assert tasks[3].body.value.endswith("消防站牵头，各村（社区）配合。")  # kept in its sentence
    text = trip.rendered_text
    assert "3、整治电动自行车违规充电。对住宅小区楼道和出租房集中开展夜查，发现一处清理一处。" \
           "（牵头单位：消防站；配合单位：综治办、各村（社区））" in text
    assert "6、组织安全生产月活动。围绕年度主题开展宣传咨询和警示教育活动，由宣传办负责。\n7、" in text
    # a copy of a web page: no 发文机关标志, 主送 as written
    assert not plan.letterhead and "清溪市东湖街道办事处文件" not in text
    assert "各村（社区）、街道各办（站、所）：" in text


def test_a_document_without_signature_is_printed_without_one(tmp_path):
    trip = _trip(tmp_path, "street-keypoints", False)
    assert trip.plan.date is None and trip.plan.signature is None
    assert trip.lines[-1].startswith("(二)严格考核问责")  # no signature, no （征求意见稿）
    assert "(征求意见稿)" not in trip.lines
