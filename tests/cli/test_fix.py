"""`docgen check --fix` and `--diff`: safe, deterministic fixes written as exact text edits."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import ROOT


@pytest.fixture
def project(tmp_path):
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


PLAN = "plans/city/work-points-2025.yaml"


def _edit(project, *pairs):
    path = project / PLAN
    text = path.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text, old
        text = text.replace(old, new, 1)
    path.write_text(text, encoding="utf-8")
    return text


BROKEN = (
    ("发文字号: 清安委〔2025〕1号", "发文字号: 清安委[2025]1号   # 定稿时编号"),
    ("牵头: 市应急管理局\n", "牵头: 市应急管理据\n"),
    ("- 时限: 2025年3月底前\n                内容: 修订印发市级职责清单",
     "- 时限: 3月底前\n                内容: 修订印发市级职责清单,按期报送"),
)


def test_fix_corrects_brackets_punctuation_unit_and_year_and_keeps_the_rest(project, run):
    original = (project / PLAN).read_text(encoding="utf-8")
    _edit(project, *BROKEN)
    result = run("check", "plans/", "--fix", cwd=project)
    assert result.exit_code == 0, result.output
    assert result.stdout == ""
    assert "已改正 plans/city/work-points-2025.yaml：4 处。" in result.stderr
    fixed = (project / PLAN).read_text(encoding="utf-8")
    expected = original.replace("发文字号: 清安委〔2025〕1号", "发文字号: 清安委〔2025〕1号   # 定稿时编号", 1)
    expected = expected.replace("内容: 修订印发市级职责清单", "内容: 修订印发市级职责清单，按期报送", 1)
    assert fixed == expected  # comment, spacing and every other byte kept


def test_diff_shows_the_fixes_without_writing(project, run):
    broken = _edit(project, *BROKEN)
    result = run("check", "plans/", "--diff", cwd=project)
    assert result.exit_code == 1
    assert (project / PLAN).read_text(encoding="utf-8") == broken
    assert "-发文字号: 清安委[2025]1号   # 定稿时编号\n+发文字号: 清安委〔2025〕1号   # 定稿时编号\n" in result.stdout
    assert "+              牵头: 市应急管理局\n" in result.stdout
    assert "+              - 时限: 2025年3月底前\n" in result.stdout
    assert "可以自动改正 1 个文件中的 4 处问题（加 --fix 写入）。" in result.stderr


def test_no_fix_without_one_clear_match(project, run):
    _edit(project, ("牵头: 市应急管理局\n", "牵头: 市安全局\n"))
    result = run("check", "plans/", "--fix", cwd=project)
    assert result.exit_code == 1 and " DG202 " in result.stdout
    assert "市安全局" in (project / PLAN).read_text(encoding="utf-8")


def test_a_year_is_not_guessed_when_the_period_spans_years(project, run):
    plan = project / "plans/city/three-year-plan.yaml"
    text = plan.read_text(encoding="utf-8")
    plan.write_text(text.replace("完成时限: 2024年9月30日前", "完成时限: 9月30日前", 1), encoding="utf-8")
    result = run("check", plan, "--fix", cwd=project)
    assert result.exit_code == 1 and "没有写年份" in result.stdout
    assert "完成时限: 9月30日前" in plan.read_text(encoding="utf-8")


def test_fix_keeps_a_byte_order_mark(project, run):
    _edit(project, BROKEN[0])
    path = project / PLAN
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = run("check", PLAN, "--fix", cwd=project)
    assert result.exit_code == 0, result.output
    assert path.read_bytes().startswith(b"\xef\xbb\xbf") and "清安委〔2025〕1号".encode() in path.read_bytes()


def test_json_gives_end_positions_and_fixes(project, run):
    _edit(project, BROKEN[0])
    result = run("check", PLAN, "--format", "json", cwd=project)
    [finding] = json.loads(result.stdout)
    assert finding["code"] == "DG401"
    assert (finding["line"], finding["column"], finding["end_line"], finding["end_column"]) == (11, 7, 11, 18)
    assert finding["fix"] == {"title": "改为“清安委〔2025〕1号”", "line": 11, "column": 7, "end_line": 11,
                              "end_column": 18, "old": "清安委[2025]1号", "new": "清安委〔2025〕1号"}


def test_json_gives_an_end_to_findings_without_a_fix(project, run):
    _edit(project, ("牵头: 市应急管理局\n", "牵头: 市安全局   # 待定\n"))
    result = run("check", PLAN, "--format", "json", cwd=project)
    [finding] = json.loads(result.stdout)
    assert finding["code"] == "DG202" and "fix" not in finding
    assert finding["end_line"] == finding["line"] and finding["end_column"] == finding["column"] + len("市安全局")
