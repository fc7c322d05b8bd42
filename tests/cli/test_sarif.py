"""`--format sarif`: a SARIF 2.1.0 log, valid against the official schema (vendored beside this test from
the OASIS sarif-spec repository, sarif-2.1/schema/sarif-schema-2.1.0.json)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from conftest import ROOT
from jsonschema import Draft4Validator

SCHEMA = json.loads((Path(__file__).parent / "sarif-schema-2.1.0.json").read_text(encoding="utf-8"))


@pytest.fixture
def project(tmp_path):
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    plan = tmp_path / "plans/city/work-points-2025.yaml"
    text = plan.read_text(encoding="utf-8").replace("发文字号: 清安委〔2025〕1号", "发文字号: 清安委[2025]1号", 1)
    plan.write_text(text.replace("牵头: 市应急管理局\n", "牵头: 市安全局\n", 1), encoding="utf-8")
    return tmp_path


def test_sarif_is_valid_and_locates_each_finding(project, run):
    result = run("check", "plans/", "--format", "sarif", cwd=project)
    assert result.exit_code == 1
    log = json.loads(result.stdout)
    errors = sorted(Draft4Validator(SCHEMA).iter_errors(log), key=str)
    assert not errors, errors[:3]
    assert log["version"] == "2.1.0"
    [run_] = log["runs"]
    assert run_["columnKind"] == "unicodeCodePoints"
    rules = run_["tool"]["driver"]["rules"]
    by_rule = {r["ruleId"]: r for r in run_["results"]}
    number = by_rule["DG401"]
    assert rules[number["ruleIndex"]]["id"] == "DG401" and number["level"] == "error"
    location = number["locations"][0]["physicalLocation"]
    assert location["artifactLocation"]["uri"] == "plans/city/work-points-2025.yaml"
    assert location["region"] == {"startLine": 11, "startColumn": 7, "endLine": 11, "endColumn": 18}
    [fix] = number["fixes"]
    [replacement] = fix["artifactChanges"][0]["replacements"]
    assert replacement["insertedContent"]["text"] == "清安委〔2025〕1号"
    assert "fixes" not in by_rule["DG202"]  # no one clear match: no fix
    assert by_rule["DG202"]["locations"][0]["physicalLocation"]["region"]["endColumn"] > 0


def test_a_clean_run_is_an_empty_valid_log(tmp_path, run):
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    result = run("check", "plans/", "--format", "sarif", cwd=tmp_path)
    assert result.exit_code == 0
    log = json.loads(result.stdout)
    assert not list(Draft4Validator(SCHEMA).iter_errors(log))
    assert log["runs"][0]["results"] == []


def test_chinese_file_names_are_percent_encoded_uris(tmp_path, run):
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    source = tmp_path / "plans/city/work-points-2025.yaml"
    target = tmp_path / "plans/city/工作要点.yaml"
    target.write_text(source.read_text(encoding="utf-8").replace("清安委〔2025〕1号", "清安委[2025]1号"), encoding="utf-8")
    source.unlink()
    log = json.loads(run("check", target, "--format", "sarif", cwd=tmp_path).stdout)
    uri = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "plans/city/%E5%B7%A5%E4%BD%9C%E8%A6%81%E7%82%B9.yaml"
    assert not list(Draft4Validator(SCHEMA).iter_errors(log))


def test_the_schema_check_would_catch_a_wrong_log():
    wrong = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "docgen"}},
                                           "results": [{"message": {"text": "x"}, "level": "fatal"}]}]}
    assert list(Draft4Validator(SCHEMA).iter_errors(wrong))
