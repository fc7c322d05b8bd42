"""One wording: a 完成时限 reads the same in the rendered plan, its 任务分工表, a unit's notice, the
unit's ledger and the diff (text and 修订对照表), as a user opens each file."""

from __future__ import annotations

import datetime as dt
import json

import docx
import pytest
from conftest import REGISTRY
from openpyxl import load_workbook
from render.helpers import PLAN, docx_lines, write_plan

from docgen import wording
from docgen.checked import prepare
from docgen.compose import compose
from docgen.config import Settings
from docgen.diff.sources import compare
from docgen.jobs.notify import notify
from docgen.jobs.revisions import write_revision_table
from docgen.render.docx import DocxWriter
from docgen.render.template import default_template

#: Task T2's 完成时限 in the helpers' plan, worded once.
WORDED = "2024年底前，培训危险化学品企业负责人；2025年6月底前，培训建筑施工企业负责人"
T2_DEADLINE = """\
            完成时限:
              - {时限: 2024年底前, 内容: 培训危险化学品企业负责人}
              - {时限: 2025年6月底前, 内容: 培训建筑施工企业负责人}
"""


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("wording")
    assert T2_DEADLINE in PLAN
    plan_path = write_plan(tmp, PLAN)
    old_path = write_plan(tmp, PLAN.replace(T2_DEADLINE, "            完成时限: 2025年底前\n"), "old.yaml")
    settings = Settings(root=tmp, registry=[REGISTRY])
    ctx, _ = prepare([plan_path], settings, base=tmp)
    rendered = tmp / "plan.docx"
    rendered.write_bytes(DocxWriter(default_template(), "gb2312").write(compose(ctx.plans[0], ctx.registry)))
    outcome = notify(plan_path, settings, tmp / "notify", units=["市应急管理局"], base=tmp)
    [unit] = outcome.units
    result = compare([str(old_path), str(plan_path)], None, tmp, settings)
    table = tmp / "修订对照表.docx"
    write_revision_table(result, table, "gb2312")
    return rendered, unit.docx, unit.xlsx, result, table


def test_the_plan_and_its_task_table(outputs):
    rendered, *_ = outputs
    lines = docx_lines(rendered)
    assert f"完成时限：{WORDED}。" in lines  # the line under task T2
    assert WORDED in lines  # its cell in the 任务分工表


def test_the_notice(outputs):
    _, notice, *_ = outputs
    text = "\n".join(p.text for p in docx.Document(str(notice)).paragraphs)
    assert f"完成时限：{WORDED}。" in text


def test_the_ledger(outputs):
    *_, ledger, _, _ = outputs
    rows = list(load_workbook(ledger)["台账"].iter_rows(values_only=True))
    head = next(r for r in rows if "完成时限" in r)
    # one row per phase ("第1阶段：…"), each worded as the phase is everywhere else
    phases = [r[head.index("完成时限")] for r in rows if r[0] == "T2"]
    assert [p.split("：", 1)[0] for p in phases] == ["第1阶段", "第2阶段"]
    assert "；".join(p.split("：", 1)[1] for p in phases) == WORDED


def test_the_diff_and_its_revision_table(outputs):
    *_, result, table = outputs
    [change] = [c for c in result.files[0].changes if c.field == "完成时限"]
    assert change.new == f"完成时限：{WORDED}"
    rows = [[cell.text for cell in row.cells] for row in docx.Document(str(table)).tables[0].rows]
    assert any(row[2] == f"完成时限：{WORDED}" for row in rows)


def test_a_milestone_without_content_and_a_single_phrase():
    class M:
        def __init__(self, phrase, content=None):
            self.phrase, self.content = phrase, content

    class D:
        def __init__(self, *milestones):
            self.milestones = milestones

    assert wording.deadline(D(M("2025年底前"))) == "2025年底前"
    assert wording.deadline(D(M("2024年底前", "完成摸底。"), M("9月底前"))) == "2024年底前，完成摸底；9月底前"
    assert wording.deadline_line(D(M("每季度"))) == "完成时限：每季度。"
    assert wording.deadline_phrases(D(M("2024年底前", "x"), M("2025年6月底前"))) == "2024年底前、2025年6月底前"
    assert wording.deadline(None) == ""


def test_numbers_and_dates():
    assert wording.date(dt.date(2024, 3, 8)) == "2024年3月8日"
    assert [wording.number(v) for v in (40.0, 0.3, 12, 1e6, 0.005)] == ["40", "0.3", "12", "1000000", "0.005"]
    assert wording.number(15.534, places=2) == "15.53" and wording.number(0.125, places=2) == "0.13"
    assert wording.rate(1, 8) == "12.5%" and wording.change(4, 3) == "同比上升33.3%"


def test_units_and_ledger_title():
    class U:
        def __init__(self, name):
            self.name = name

    class R:
        def __init__(self, lead, support=()):
            self.lead, self.support = tuple(map(U, lead)), tuple(map(U, support))

    assert wording.units_lines(R(["市应急管理局"])) == ["责任单位：市应急管理局。"]
    assert wording.units(R(["甲", "乙"], ["丙"])) == "甲、乙（牵头），丙（配合）"
    # as received documents write them (牵头配合写法, 分行句号)
    both = R(["甲"], ["乙", "丙"])
    assert wording.units_lines(both, "后缀", stop="") == ["责任单位：甲牵头，乙、丙配合"]
    assert wording.units_lines(both, "分列") == ["牵头单位：甲。", "配合单位：乙、丙。"]
    assert wording.units_lines(R([], ["乙"]), "后缀") == ["配合单位：乙。"]
    assert wording.bracket_note(both, None) == "（牵头单位：甲；配合单位：乙、丙）"
    assert wording.bracket_note(both, None, "后缀") == "（责任单位：甲牵头，乙、丙配合）"
    assert wording.ledger_title("市应急管理局") == "市应急管理局任务落实台账"


def test_json_diff_shows_the_same_words(outputs):
    *_, result, _ = outputs
    import io

    from docgen.diff.formats import FORMATS

    out = io.StringIO()
    FORMATS["json"]().write(result, out)
    assert f"完成时限：{WORDED}" in json.dumps(json.loads(out.getvalue()), ensure_ascii=False)
