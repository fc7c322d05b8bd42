"""Root cause first: a broken registry file is reported once, first; what it causes is counted, not listed.
And one schema error in a plan does not hide the rule findings of the rest of the plan."""

from __future__ import annotations

import shutil

from conftest import ROOT


def _examples(tmp_path):
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path / "plans" / "registry" / "qingxi.yaml"


def test_a_duplicate_key_in_the_registry_is_the_only_finding(tmp_path, run):
    registry = _examples(tmp_path)
    text = registry.read_text(encoding="utf-8").replace("        别名: [市政府办]\n",
                                                      "        别名: [市政府办]\n        别名: [市府办]\n", 1)
    registry.write_text(text, encoding="utf-8")
    plan = tmp_path / "plans/city/work-points-2025.yaml"  # a finding in a plan that sorts before the registry
    plan.write_text(plan.read_text(encoding="utf-8").replace("清安委〔2025〕1号", "清安委[2025]1号"), encoding="utf-8")
    result = run("check", "plans/", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert lines[0].startswith("plans/registry/qingxi.yaml:") and " DG004 " in lines[0]  # the registry's first
    assert len(lines) == 2 and " DG401 " in lines[1], result.stdout  # still whole: no DG203 / DG302 in the plans
    assert result.exit_code == 1


def test_a_registry_that_cannot_be_read_comes_first_and_its_consequences_are_counted(tmp_path, run):
    registry = _examples(tmp_path)
    text = registry.read_text(encoding="utf-8").replace("别名: [市政府办]", "别名: [市政府办", 1)
    registry.write_text(text, encoding="utf-8")
    result = run("check", "plans/", cwd=tmp_path)
    lines = result.stdout.splitlines()
    assert " DG001 " in lines[0] and lines[0].startswith("plans/registry/qingxi.yaml:")
    assert not any(" DG203 " in line or " DG302 " in line for line in lines), result.stdout
    assert lines[-1].startswith("另有 ") and "个问题由此引起" in lines[-1]
    caused = int(lines[-1].split()[1])
    assert caused > 50
    assert f"另有 {caused} 个问题由单位库的错误引起" in result.stderr
    assert result.exit_code == 1


def test_a_schema_error_does_not_hide_the_rule_findings(tmp_path, run):
    _examples(tmp_path)
    plan = tmp_path / "plans" / "city" / "work-points-2025.yaml"
    text = plan.read_text(encoding="utf-8").replace("文种: 工作要点", "文种: 工作计划", 1)
    text = text.replace("发文字号: 清安委〔2025〕1号", "发文字号: 清安委[2025]1号", 1)
    plan.write_text(text, encoding="utf-8")
    result = run("check", plan, cwd=tmp_path)
    codes = [line.split()[2] for line in result.stdout.splitlines()]
    assert codes == ["DG013", "DG401"], result.stdout  # the 文种 error and, still, the 发文字号 rule


def test_a_plan_with_a_schema_error_is_not_used_as_a_parent(tmp_path, run):
    _examples(tmp_path)
    parent = tmp_path / "plans" / "city" / "three-year-plan.yaml"
    text = parent.read_text(encoding="utf-8").replace("文种: 实施方案", "文种: 实施计划", 1)
    parent.write_text(text, encoding="utf-8")
    result = run("check", tmp_path / "plans" / "donghu" / "three-year-plan.yaml", cwd=tmp_path)
    assert " DG102 " in result.stdout and "three-year-plan.yaml" in result.stdout
