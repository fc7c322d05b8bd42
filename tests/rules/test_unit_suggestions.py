"""Suggestions for a unit not in the registry: by alias, 对口, level words and pinyin, never a unit of
another kind when one of the same kind is close; `docgen units` lists and searches the registry."""

from __future__ import annotations

import json

import pytest
from conftest import ROOT

from docgen import unitmatch
from docgen.checked import Loaded, load_registry
from docgen.config import Settings


@pytest.fixture(scope="module")
def registry():
    settings = Settings(root=ROOT, registry=[ROOT / "plans" / "registry"])
    return load_registry(settings, Loaded(), ROOT).registry


def _names(registry, org, name):
    return [s.name for s in unitmatch.suggest(registry, registry.orgs[org], name)]


def test_an_alias_leads_to_the_unit(registry):
    suggestions = unitmatch.suggest(registry, registry.orgs["北山镇"], "镇应急管理所")
    assert [s.name for s in suggestions] == ["安办"]
    assert "别名“应急办”" in unitmatch.sentence(suggestions)


def test_a_unit_of_another_kind_is_not_offered(registry):
    assert "交通管理站" not in _names(registry, "北山镇", "镇应急管理站")
    assert _names(registry, "北山镇", "镇应急管理站") == ["安办"]


def test_a_unit_of_the_level_above_hints_its_counterpart(registry):
    [suggestion] = unitmatch.suggest(registry, registry.orgs["北山镇"], "市应急管理局")
    assert suggestion.name == "安办" and "对口" in suggestion.why and not suggestion.clear


def test_a_homophone_is_one_clear_match(registry):
    suggestions = unitmatch.suggest(registry, registry.orgs["清溪市"], "市应急管理据")
    assert [s.name for s in suggestions] == ["市应急管理局"]
    assert unitmatch.clear_match(suggestions).write == "市应急管理局"


def test_a_vague_name_has_no_clear_match(registry):
    assert unitmatch.clear_match(unitmatch.suggest(registry, registry.orgs["北山镇"], "安全办")) is None


def test_check_message_for_the_misspelt_town_unit(tmp_path, run):
    import shutil

    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    plan = tmp_path / "plans/beishan/work-points-2025.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("{牵头: 安办,", "{牵头: 镇应急管理所,", 1), encoding="utf-8")
    result = run("check", plan, cwd=tmp_path)
    assert "责任单位“镇应急管理所”不在“北山镇”的单位库中。您是否想写：“安办”（别名“应急办”）？" in result.stdout


def test_units_lists_and_searches(run):
    result = run("units", "应急", cwd=ROOT)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[:2] == ["全国", "  应急管理部（单位）  plans/registry/national.yaml:22:9"]  # from the top down
    assert "清溪市" in lines
    assert any(line.startswith("  市应急管理局（单位）  全称：清溪市应急管理局；别名：市应急局") for line in lines)
    assert "  安办（单位）  全称：北山镇应急管理和安全生产办公室；别名：应急办；对口：市应急管理局" in result.stdout
    assert "plans/registry/beishan.yaml:" in result.stdout


def test_units_of_one_organisation_as_json(run):
    result = run("units", "--org", "北山镇", "--format", "json", cwd=ROOT)
    entries = json.loads(result.stdout)
    assert {e["组织"] for e in entries} == {"北山镇"}
    office = next(e for e in entries if e["名称"] == "安办")
    assert office["别名"] == ["应急办"] and office["对口"] == ["市应急管理局"]


def test_units_offers_the_closest_when_nothing_contains_the_word(run):
    result = run("units", "应急管理所", "--org", "北山镇", cwd=ROOT)
    assert result.exit_code == 1
    assert "安办（单位）" in result.stdout and "最接近" in result.stderr
