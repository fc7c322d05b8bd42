"""pre-commit and CI: a changed registry or parent plan checks the plans that depend on it; warnings
alone pass unless fail-on says otherwise; --exit-zero; summaries that add up."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, plan_text
from ruamel.yaml import YAML

BIN = Path(sys.executable).parent
HOOKS = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
LOCAL = YAML(typ="safe").load((ROOT / ".pre-commit-config.yaml").read_text(encoding="utf-8"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def hook(project: Path, *staged: str, entry: str | None = None) -> subprocess.CompletedProcess[str]:
    """Run the hook as pre-commit does: its entry followed by the staged files that match `files`."""
    [manifest] = HOOKS
    files = re.compile(manifest["files"])
    command = shlex.split(entry or manifest["entry"])
    command[0] = str(BIN / command[0])
    return subprocess.run(command + [f for f in staged if files.search(f)], cwd=project, capture_output=True,
                          text=True)


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def test_hooks_check_dependents():
    [manifest] = HOOKS
    assert manifest["entry"] == "docgen check --dependents" and manifest["pass_filenames"] is True
    [local] = LOCAL["repos"][0]["hooks"]
    assert (local["entry"], local["files"]) == (manifest["entry"], manifest["files"])


def test_registry_rename_blocks_the_commit(project: Path):
    """A consistent rename inside the registry passes on its own, but a plan still names the old unit."""
    registry = project / "plans/registry/donghu.yaml"
    text = registry.read_text(encoding="utf-8")
    assert text.count("环保站") == 2  # the unit and its group membership
    registry.write_text(text.replace("环保站", "生态环境站"), encoding="utf-8")
    alone = hook(project, "plans/registry/donghu.yaml", entry="docgen check")
    assert alone.returncode == 0  # what the hook did before: the staged file alone is fine
    blocked = hook(project, "plans/registry/donghu.yaml")
    assert blocked.returncode == 1
    assert blocked.stdout.splitlines() == [
        "plans/donghu/three-year-plan.yaml:273:31: 错误 DG202 [unknown-unit] 责任单位“环保站”不在“东湖街道”的单位库中。"
        "您是否想写：“生态环境站”（全称“东湖街道生态环境保护站”）？"]
    plans = sorted(p.relative_to(project).as_posix() for p in (project / "plans").rglob("*.yaml")
                   if "registry" not in p.parts)
    registry_files = len(list((project / "plans/registry").glob("*.yaml")))
    assert f"另外检查依赖于这些文件的 {len(plans)} 个方案：{'、'.join(plans)}" in blocked.stderr
    assert blocked.stderr.splitlines()[-1] == \
        f"检查了 {len(plans) + registry_files} 个文件，在其中 1 个文件中发现 1 个错误。"


def test_summary_counts_every_file_with_a_finding(project: Path):
    """Findings in other registry files are counted among the files checked (was: 检查了 1 个文件，在 5 个文件中…)."""
    edit(project / "plans/registry/qingxi.yaml", "      - 名称: 市总工会\n", "      - 名称: 市工会\n")
    alone = hook(project, "plans/registry/qingxi.yaml", entry="docgen check")
    registry_files = len(list((project / "plans/registry").glob("*.yaml")))  # a registry file is checked whole
    assert alone.stderr.splitlines()[-1] == f"检查了 {registry_files} 个文件，在其中 5 个文件中发现 5 个错误。"
    blocked = hook(project, "plans/registry/qingxi.yaml")
    assert "plans/city/three-year-plan.yaml:144:20: 错误 DG202 [unknown-unit] 责任单位“市总工会”不在“清溪市”的单位库中。" \
           "您是否想写：“市工会”（全称“清溪市总工会”）？" in blocked.stdout.splitlines()
    files = len(list((project / "plans").rglob("*.yaml")))  # every plan, data file and registry file
    assert blocked.stderr.splitlines()[-1] == f"检查了 {files} 个文件，在其中 6 个文件中发现 7 个错误。"


def test_parent_plan_change_checks_the_plans_below_it(project: Path):
    edit(project / "plans/city/three-year-plan.yaml", "编号: T03\n", "编号: T93\n")
    blocked = hook(project, "plans/city/three-year-plan.yaml")
    assert blocked.returncode == 1
    assert "另外检查依赖于这些文件的 1 个方案：plans/donghu/three-year-plan.yaml" in blocked.stderr
    assert any(line.startswith("plans/donghu/three-year-plan.yaml:78:") and "T03" in line
               for line in blocked.stdout.splitlines()), blocked.stdout
    # A plan nobody depends on adds nothing.
    edit(project / "plans/city/three-year-plan.yaml", "编号: T93\n", "编号: T03\n")
    clean = hook(project, "plans/city/work-points-2025.yaml")
    assert clean.returncode == 0 and "另外检查" not in clean.stderr
    registry_files = len(list((project / "plans/registry").glob("*.yaml")))
    assert clean.stderr.strip() == f"检查了 {1 + registry_files} 个文件，没有发现问题。"


WARNING_ONLY = """
- 任务: 开展检查
  编号: T01
  责任单位: 市应急管理局
  完成时限:
    - {时限: 2025年9月底前, 内容: 完成整改}
    - {时限: 2025年3月底前, 内容: 完成摸底}
"""


@pytest.fixture
def warned(tmp_path: Path) -> Path:
    registry = ROOT / "tests/fixtures/registry"
    (tmp_path / "plans").mkdir()
    (tmp_path / "pyproject.toml").write_text(f'[tool.docgen]\nregistry = ["{registry.as_posix()}"]\n', encoding="utf-8")
    (tmp_path / "plans/plan.yaml").write_text(plan_text(WARNING_ONLY), encoding="utf-8")
    return tmp_path


def check(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(BIN / "docgen"), "check", *args], cwd=project, capture_output=True, text=True)


def test_warnings_alone_pass_by_default(warned: Path):
    result = check(warned)
    assert " 警告 DG305 [milestones-out-of-order] " in result.stdout
    assert result.returncode == 0
    assert "发现 1 个警告。只有警告，不算失败" in result.stderr


def test_fail_on_warning_from_config_and_option(warned: Path):
    assert check(warned, "--fail-on", "warning").returncode == 1
    config = warned / "pyproject.toml"
    config.write_text(config.read_text(encoding="utf-8") + 'fail-on = "warning"\n', encoding="utf-8")
    assert check(warned).returncode == 1
    assert check(warned, "--fail-on", "error").returncode == 0
    config.write_text(config.read_text(encoding="utf-8").replace('"warning"', '"warnings"'), encoding="utf-8")
    bad = check(warned)
    assert bad.returncode == 2 and "fail-on = 'warnings' 无效" in bad.stdout + bad.stderr


def test_exit_zero_reports_but_passes(warned: Path):
    plan = warned / "plans/plan.yaml"
    edit(plan, "开展检查", "开展检查,整改")
    failing = check(warned)
    assert failing.returncode == 1 and "DG404" in failing.stdout
    passing = check(warned, "--exit-zero")
    assert passing.returncode == 0 and passing.stdout == failing.stdout
    assert "（--exit-zero：不算失败）" in passing.stderr
