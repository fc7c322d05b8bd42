"""Configuration found like ruff finds it, and every configuration problem located (DG020)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT

CITY = "plans/city/three-year-plan.yaml"


def _project(folder: Path, config: str = '[tool.docgen]\nregistry = ["plans/registry"]\n') -> Path:
    """A copy of the example project (registry and city plan) with its own pyproject.toml."""
    shutil.copytree(ROOT / "plans/registry", folder / "plans/registry")
    (folder / "plans/city").mkdir(parents=True)
    shutil.copy(ROOT / CITY, folder / CITY)
    (folder / "pyproject.toml").write_text(config, encoding="utf-8")
    return folder


def _lines(result) -> list[str]:
    return sorted(line.split(":", 1)[1] for line in result.stdout.splitlines())


def test_second_project_checked_from_inside_the_first_as_from_its_own_root(tmp_path, run):
    other = _project(tmp_path / "other")
    (other / "plans/city/three-year-plan.yaml").write_text(
        (other / CITY).read_text(encoding="utf-8").replace("牵头: [市委组织部, 市安委办]", "牵头: [市委组织部, 市安委会办]"),
        encoding="utf-8")
    own = run("check", "plans", cwd=other)
    assert own.exit_code == 1 and "DG202" in own.stdout
    from_main = run("check", other / "plans", cwd=ROOT)
    assert from_main.exit_code == own.exit_code
    assert _lines(from_main) == _lines(own)
    assert "DG203" not in from_main.stdout  # the main project's registry is not read twice


def test_render_uses_the_plans_own_project(tmp_path, run):
    """The 发文机关标志 comes from the plan's own registry, not the one of the working directory."""
    import docx

    other = _project(tmp_path / "other")
    registry = other / "plans/registry/qingxi.yaml"
    registry.write_text(registry.read_text(encoding="utf-8").replace(
        "标志: 清溪市安全生产委员会文件", "标志: 清溪市安全生产委员会（另一项目）文件"), encoding="utf-8")
    result = run("render", other / CITY, "-o", tmp_path / "out", cwd=ROOT)
    assert result.exit_code == 0, result.output
    document = docx.Document(tmp_path / "out/three-year-plan.docx")
    texts = [p.text for p in document.paragraphs]
    assert "清溪市安全生产委员会（另一项目）文件" in texts


def test_missing_registry_path_is_a_located_configuration_error(tmp_path, run):
    project = _project(tmp_path / "p", '[tool.docgen]\npaths = ["plans"]\nregistry = ["plans/units"]\n')
    result = run("check", "plans", cwd=project)
    assert result.exit_code == 2
    assert "pyproject.toml:3:1: 错误 DG020 [invalid-config]" in result.stderr
    assert "“plans/units”不存在" in result.stderr


def test_no_configuration_is_said_plainly(tmp_path, run):
    plan = tmp_path / "plan.yaml"
    shutil.copy(ROOT / CITY, plan)
    result = run("check", plan, cwd=tmp_path)
    assert result.exit_code == 2
    assert "没有找到 docgen 的配置" in result.stderr and "[tool.docgen]" in result.stderr
    assert "DG202" not in result.output  # not a flood of "unknown unit"


@pytest.mark.parametrize(("config", "line", "words"), [
    ('[tool.docgen\nregistry = ["plans/registry"]\n', 1, "不是合法的 TOML"),
    ('tool = "x"\n[tool.docgen]\n', 2, "不是合法的 TOML"),
    ('[tool]\ndocgen = [1]\n', 2, "[tool.docgen] 应为一个表"),
    ('[tool.docgen]\nregistry = ["plans/registry"]\nseverity = "x"\n', 3, "severity 应为一个表"),
    ('[tool.docgen]\nregistry = ["plans/registry"]\nselect = []\n', 3, "select 为空"),
    ('[tool.docgen]\nregistry = {a = 1}\n', 2, "registry 应为文字列表"),
    ('[tool.docgen]\nregistry = ["plans/registry"]\n\n[tool.docgen.severity]\nDG202 = 1\n', 4, "无效"),
])
def test_configuration_errors_are_located(tmp_path, run, config, line, words):
    project = _project(tmp_path / "p", config)
    result = run("check", project / "plans", cwd=project)
    assert result.exit_code == 2, result.output
    assert f"pyproject.toml:{line}:" in result.stderr and "DG020" in result.stderr
    assert words in result.stderr and "内部错误" not in result.output


def test_empty_select_on_the_command_line_is_refused(tmp_path, run):
    (tmp_path / "bad.yaml").write_text("文种: [\n", encoding="utf-8")
    result = run("check", tmp_path / "bad.yaml", "--select", "", cwd=ROOT)
    assert result.exit_code == 2 and "select 为空" in result.stderr


def test_cascade_children_follow_the_projects_severity_overrides(tmp_path, run):
    """A child that `docgen check` accepts (DG404 lowered to a warning) must not block a cascade."""
    project = _project(tmp_path / "p", '[tool.docgen]\nregistry = ["plans/registry"]\n'
                                       '[tool.docgen.severity]\nDG404 = "warning"\n')
    plan = project / CITY
    text = plan.read_text(encoding="utf-8")
    old = "推动各乡镇（街道）明确承担安全生产监管职责的工作机构，"
    assert old in text
    plan.write_text(text.replace(old, "推动各乡镇（街道）明确承担安全生产监管职责的工作机构,"), encoding="utf-8")
    checked = run("check", plan, cwd=project)
    assert "DG404" in checked.stdout and " 错误 " not in checked.stdout
    result = run("cascade", plan, "--to", "东湖街道", "--into", plan.parent, cwd=project)
    assert result.exit_code == 0, result.output
    assert (project / "plans/city/东湖街道/three-year-plan.yaml").is_file()
