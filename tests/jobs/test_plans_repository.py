"""A repository that keeps only plans: configuration in docgen.toml, schemas written by `docgen schema`."""

from __future__ import annotations

import json
import shutil

from conftest import ROOT


def _plans_only(tmp_path):
    repo = tmp_path / "plans-repo"
    shutil.copytree(ROOT / "plans" / "registry", repo / "plans" / "registry")
    shutil.copytree(ROOT / "plans" / "city", repo / "plans" / "city")
    (repo / ".git").mkdir()  # the top of a repository: nothing above it is looked at
    return repo


def test_docgen_toml_configures_a_plans_only_repository(tmp_path, run):
    repo = _plans_only(tmp_path)
    (repo / "plans" / "registry").rename(repo / "单位库")
    (repo / "docgen.toml").write_text('registry = ["单位库"]\npaths = ["plans"]\nignore = ["DG409"]\n', encoding="utf-8")
    result = run("check", cwd=repo)
    assert result.exit_code == 0, result.output
    assert "没有发现问题" in result.stderr
    (repo / "docgen.toml").write_text('registry = ["没有这个目录"]\n', encoding="utf-8")
    broken = run("check", "plans/", cwd=repo)
    assert broken.exit_code == 2 and "docgen.toml:1" in broken.stderr


def test_without_any_configuration_plans_registry_is_used(tmp_path, run):
    repo = _plans_only(tmp_path)
    result = run("check", "three-year-plan.yaml", cwd=repo / "plans" / "city")
    assert result.exit_code == 0, result.output


def test_schema_writes_what_the_plans_first_line_points_at(tmp_path, run):
    repo = _plans_only(tmp_path)
    (repo / "docgen.toml").write_text('registry = ["plans/registry"]\n', encoding="utf-8")
    plan = repo / "plans" / "city" / "three-year-plan.yaml"
    pointer = plan.read_text(encoding="utf-8").splitlines()[0].split("$schema=")[1]
    assert not (plan.parent / pointer).exists()
    result = run("schema", cwd=repo)
    assert result.exit_code == 0
    schema = json.loads((plan.parent / pointer).resolve().read_text(encoding="utf-8"))
    assert schema == json.loads((ROOT / "schemas" / "plan.schema.json").read_text(encoding="utf-8"))
    assert (repo / "schemas" / "registry.schema.json").is_file()
    again = run("schema", cwd=repo)
    assert "（已是最新）" in again.stdout
    printed = run("schema", "--print", "registry", cwd=repo)
    assert json.loads(printed.stdout)["$id"] == "urn:docgen:schema:registry"
