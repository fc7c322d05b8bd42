"""Who gets which tasks, and safe file names."""

from __future__ import annotations

import pytest
from conftest import ROOT

from docgen.checked import prepare
from docgen.config import Settings
from docgen.notify.names import UniqueNames, safe_stem
from docgen.notify.recipients import LEAD, SUPPORT, UnknownRecipient, recipients, select


@pytest.fixture(scope="module")
def city():
    ctx, result = prepare([ROOT / "plans/city/three-year-plan.yaml"],
                          Settings(root=ROOT, registry=[ROOT / "plans/registry"]), base=ROOT)
    assert result.clean
    plan = ctx.plans[0]
    return plan, ctx.registry, ctx.org_of(plan)


def test_every_unit_gets_exactly_its_tasks(city):
    plan, registry, org = city
    got = {r.name: {(a.task.id, a.role) for a in r.tasks} for r in recipients(plan, registry, org)}
    expected: dict[str, set] = {}
    for task in plan.tasks():
        resp = task.effective_responsibility
        roles = {}
        for role, refs in ((LEAD, resp.lead), (SUPPORT, resp.support)):
            for ref in refs:
                for unit in registry.expand(org, ref.name):
                    roles.setdefault(unit, role)
        for unit, role in roles.items():
            expected.setdefault(unit, set()).add((task.id, role))
    assert got == expected
    assert {"东湖街道", "西岭街道", "南河镇", "北山镇", "市应急管理局"} <= set(got)  # groups expanded


def test_select_by_unit_alias_and_group(city):
    plan, registry, org = city
    everyone = recipients(plan, registry, org)
    picked, idle = select(everyone, ["市应急局", "各乡镇（街道）"], registry, org)
    everyone_order = [r.name for r in everyone]
    assert {r.name for r in picked} == {"市应急管理局", "东湖街道", "西岭街道", "南河镇", "北山镇"}
    assert [r.name for r in picked] == [n for n in everyone_order if n in {r.name for r in picked}]
    assert idle == []
    with pytest.raises(UnknownRecipient, match="市应急管理局"):
        select(everyone, ["市应急管理据"], registry, org)
    _, idle = select(everyone, ["市政协办公室"], registry, org)
    assert idle == ["市政协办公室"]


@pytest.mark.parametrize("name, stem", [
    ("市应急管理局", "市应急管理局"),
    ("a/b\\c:d*e?f\"g<h>i|j", "a_b_c_d_e_f_g_h_i_j"),
    ("..", "unit"),
    ("  .隐藏. ", "隐藏"),
    ("CON", "_CON"),
    ("com1.txt", "_com1.txt"),
    ("x\x00y\ny", "x_y_y"),
])
def test_safe_stem(name, stem):
    assert safe_stem(name) == stem


def test_long_names_are_cut_on_character_boundaries_and_names_are_unique():
    long = "很长的单位名称" * 40
    stem = safe_stem(long)
    assert len(stem.encode()) <= 180 and stem.startswith("很长")
    names = UniqueNames()
    assert [names.take(n) for n in ("单位", "单位", "单位/", "单位_")] == ["单位", "单位-2", "单位_", "单位_-2"]
