"""`docgen check` lints one file at a time and drops it: same findings as keeping every file,
registry findings once, and no plan left in memory once its file is checked."""

from __future__ import annotations

import gc
import shutil
import weakref
from pathlib import Path

from conftest import ROOT

from docgen import model
from docgen.checked import prepare
from docgen.config import Settings
from docgen.jobs.check import check


def _project(tmp_path: Path) -> tuple[list[Path], Settings]:
    """The example plans with findings planted in a plan, a child plan and the registry."""
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    city = tmp_path / "plans/city/work-points-2025.yaml"
    city.write_text(city.read_text(encoding="utf-8").replace("研究同意，", "研究同意,"), encoding="utf-8")  # DG404
    child = tmp_path / "plans/donghu/three-year-plan.yaml"
    text = child.read_text(encoding="utf-8")
    child.write_text(text.replace("上级任务: T", "备注: T"), encoding="utf-8")  # DG501: no task implements the parent's
    registry = tmp_path / "plans/registry/nanhe.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace("全称: ", "全称: \u200b", 1),
                        encoding="utf-8")  # DG408 in the registry
    return [tmp_path / "plans"], Settings(root=tmp_path, registry=[tmp_path / "plans/registry"])


def test_streaming_check_finds_what_a_whole_run_finds(tmp_path):
    paths, settings = _project(tmp_path)
    streamed = check(paths, settings, base=tmp_path).problems
    _, whole = prepare(paths, settings, base=tmp_path, keep=True)
    assert streamed == whole.problems
    codes = [p.code for p in streamed]
    assert {"DG404", "DG501", "DG408"} <= set(codes), codes
    registry_findings = [p for p in streamed if p.code == "DG408" and "registry" in p.location.file]
    assert len(registry_findings) == 1  # the registry is linted once, not once per plan


def test_no_plan_is_kept_once_its_file_is_checked(tmp_path, monkeypatch):
    paths, settings = _project(tmp_path)
    built: list[weakref.ref] = []
    original = model.Plan.from_source.__func__

    def recording(cls, source, registry=None):
        plan = original(cls, source, registry)
        built.append(weakref.ref(plan))
        return plan

    monkeypatch.setattr(model.Plan, "from_source", classmethod(recording))
    check(paths, settings, base=tmp_path)
    gc.collect()
    assert len(built) >= 6
    assert [ref for ref in built if ref() is not None] == []

    built.clear()
    ctx, _ = prepare(paths, settings, base=tmp_path, keep=True)
    gc.collect()
    assert len([ref for ref in built if ref() is not None]) >= len(ctx.plans) >= 6


def test_a_registry_given_on_the_command_line_is_checked_once(tmp_path):
    """A registry file named among the paths, outside the configured registry, is checked too:
    in block style it joins the registry; in flow style (not recognised before parsing) on its own."""
    from conftest import REGISTRY

    text = (REGISTRY / "city.yaml").read_text(encoding="utf-8")
    broken = text.replace("      - 名称: 市教育局\n", "      - 名称: 市教育局\n      - 名称: 市教育局\n")
    assert broken != text
    block = tmp_path / "other/block.yaml"
    block.parent.mkdir()
    block.write_text(broken, encoding="utf-8")
    import yaml

    flow = tmp_path / "other/flow.yaml"
    flow.write_text(yaml.safe_dump(yaml.safe_load(broken), allow_unicode=True, default_flow_style=True),
                    encoding="utf-8")
    settings = Settings(root=tmp_path, registry=[])
    for path in (block, flow):
        problems = check([path], settings, base=tmp_path).problems
        found = [p for p in problems if p.code == "DG203" and "市教育局" in p.message]
        assert len(found) == 1, [str(p) for p in problems]
