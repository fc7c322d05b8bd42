"""The example plans in plans/: clean, complete as the issue asks, and the negative corpus caught."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, expected_marks, found

from docgen.checked import prepare
from docgen.config import Settings
from docgen.model import Task

NEGATIVE = Path(__file__).parent / "examples" / "negative"


@pytest.fixture(scope="module")
def examples():
    settings = Settings(root=ROOT, registry=[ROOT / "plans/registry"])
    ctx, result = prepare([ROOT / "plans"], settings, base=ROOT)
    return ctx, result


def test_examples_are_clean(examples):
    _, result = examples
    assert result.clean, "\n".join(f"{p.location} {p.code} {p.message}" for p in result.problems)


def test_cli_check_plans_exits_0(run):
    result = run("check", "plans/", cwd=ROOT)
    assert result.exit_code == 0, result.output


def _plan(ctx, rel):
    return next(p for p in ctx.plans if p.path == ROOT / rel)


def test_city_plan_has_notice_ten_actions_and_enough_tasks(examples):
    ctx, _ = examples
    plan = _plan(ctx, "plans/city/three-year-plan.yaml")
    assert plan.kind == "实施方案" and plan.notice is not None
    actions = [s for s in plan.sections() if s.depth == 2 and any(isinstance(c, Task) for c in s.children)]
    assert len(actions) == 10
    tasks = plan.tasks()
    assert len(tasks) >= 25
    assert [t.number for t in tasks] == list(range(1, len(tasks) + 1))  # continuous across actions
    assert any(t.targets and t.targets[0].by_year for t in tasks)
    assert any(len(t.effective_deadline.milestones) > 1 for t in tasks)
    assert any(t.responsibility is None and t.effective_responsibility for t in tasks)  # per-action units
    assert {a.kind for a in plan.attachments} == {"任务分工表", "表格"}
    assert plan.basis and plan.basis[0].doc_number


def test_work_points_cover_one_year(examples):
    ctx, _ = examples
    plan = _plan(ctx, "plans/city/work-points-2025.yaml")
    assert plan.kind == "工作要点"
    assert plan.period_start.year == plan.period_end.year == 2025
    assert len(plan.tasks()) >= 10


def test_street_plan_is_derived_from_the_city_plan(examples):
    ctx, _ = examples
    street = _plan(ctx, "plans/donghu/three-year-plan.yaml")
    city = ctx.parent_of(street).plan
    assert city is _plan(ctx, "plans/city/three-year-plan.yaml")
    linked = [t for t in street.tasks() if t.parent_id]
    assert len(linked) >= 10
    assert all(t.parent_id.value in city.task_by_id() for t in linked)
    assert any(city.title.value in b.title.value for b in street.basis)
    assert ctx.org_of(street).level == "乡镇街道"


def test_negative_corpus_is_caught_exactly(run, tmp_path):
    for path in sorted(NEGATIVE.glob("*.yaml")):
        settings = Settings(root=ROOT, registry=[ROOT / "plans/registry"])
        _, result = prepare([path], settings, base=ROOT)
        text = path.read_text(encoding="utf-8")
        assert found(result.problems) == expected_marks(text), "\n".join(
            f"{p.location} {p.code} {p.message}" for p in result.problems)
