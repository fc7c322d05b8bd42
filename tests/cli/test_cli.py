"""`docgen check` and `docgen rules` as a user runs them: formats, exit codes, selection, config."""

from __future__ import annotations

import json
import shutil

import pytest
from conftest import REGISTRY, plan_text

BAD = plan_text("""
    - 段落: 开展检查,整改隐患。
    - 任务: 开展培训
      编号: T1
      责任单位: 市应急管理据
      完成时限: 2025年底前
""")


@pytest.fixture
def project(tmp_path):
    """A project folder with a pyproject.toml, the fixture registry and one bad plan."""
    shutil.copytree(REGISTRY, tmp_path / "registry")
    (tmp_path / "plans").mkdir()
    (tmp_path / "plans/bad.yaml").write_text(BAD, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text(
        '[tool.docgen]\nregistry = ["registry"]\npaths = ["plans"]\n', encoding="utf-8")
    return tmp_path


def test_text_format_and_exit_1(project, run):
    result = run("check", cwd=project)
    assert result.exit_code == 1
    lines = result.stdout.strip().split("\n")
    assert lines == [
        "plans/bad.yaml:9:13: 错误 DG404 [half-width-punctuation] 中文文字中有半角标点“,”，请改为全角“，”。",
        lines[1],
    ]
    assert lines[1].startswith("plans/bad.yaml:12:11: 错误 DG202 [unknown-unit] 责任单位“市应急管理据”")
    assert "发现 2 个错误" in result.stderr and "发现" not in result.stdout


def test_json_format(project, run):
    result = run("check", "--format", "json", cwd=project)
    data = json.loads(result.stdout)
    assert result.exit_code == 1
    assert [(d["file"], d["line"], d["column"], d["code"], d["severity"]) for d in data] == [
        ("plans/bad.yaml", 9, 13, "DG404", "error"),
        ("plans/bad.yaml", 12, 11, "DG202", "error"),
    ]
    assert all(d["message"] and d["name"] for d in data)


def test_github_format(project, run):
    result = run("check", "--format", "github", cwd=project)
    first = result.stdout.split("\n")[0]
    assert first.startswith("::error file=plans/bad.yaml,line=9,col=13,title=DG404 half-width-punctuation::")
    assert "%2C" not in first.split("::", 2)[2]  # message keeps its text; only properties are escaped


def test_clean_run_exits_0_with_empty_json(project, run):
    (project / "plans/bad.yaml").unlink()
    (project / "plans/good.yaml").write_text(plan_text("- 段落: 内容。"), encoding="utf-8")
    result = run("check", "--format", "json", cwd=project)
    assert result.exit_code == 0 and json.loads(result.stdout) == []


@pytest.mark.parametrize("args, codes", [
    (["--select", "DG404"], {"DG404"}),
    (["--select", "unknown-unit"], {"DG202"}),
    (["--ignore", "DG4"], {"DG202"}),
    (["--ignore", "DG404,DG202"], set()),
])
def test_select_and_ignore(project, run, args, codes):
    result = run("check", "--format", "json", *args, cwd=project)
    assert {d["code"] for d in json.loads(result.stdout)} == codes
    assert result.exit_code == (1 if codes else 0)


def test_unknown_rule_is_a_usage_error(project, run):
    result = run("check", "--select", "DG999", cwd=project)
    assert result.exit_code == 2 and "DG999" in result.output


def test_config_select_ignore_and_severity(project, run):
    (project / "pyproject.toml").write_text(
        '[tool.docgen]\nregistry = ["registry"]\npaths = ["plans"]\nignore = ["DG202"]\n'
        '[tool.docgen.severity]\nhalf-width-punctuation = "warning"\n', encoding="utf-8")
    result = run("check", "--format", "json", cwd=project)
    data = json.loads(result.stdout)
    assert [(d["code"], d["severity"]) for d in data] == [("DG404", "warning")]


def test_bad_config_is_exit_2_with_a_message(project, run):
    (project / "pyproject.toml").write_text('[tool.docgen]\nregistri = ["x"]\n', encoding="utf-8")
    result = run("check", cwd=project)
    assert result.exit_code == 2 and "registri" in result.stderr


def test_suppression_comments(project, run):
    text = BAD.replace("整改隐患。", "整改隐患。  # docgen: disable=DG404")
    text = text.replace("    责任单位: 市应急管理据", "    # docgen: disable=unknown-unit\n    责任单位: 市应急管理据")
    text += "  - 段落: 多余的忽略。  # docgen: disable=DG406\n"
    (project / "plans/bad.yaml").write_text(text, encoding="utf-8")
    data = json.loads(run("check", "--format", "json", cwd=project).stdout)
    assert [(d["code"], d["line"]) for d in data] == [("DG009", 15)]  # only the unused one remains
    (project / "plans/bad.yaml").write_text("# docgen: disable-file=DG4,DG2\n" + BAD, encoding="utf-8")
    assert json.loads(run("check", "--format", "json", cwd=project).stdout) == []
    (project / "plans/bad.yaml").write_text(BAD + "# docgen: disable=DG777\n", encoding="utf-8")
    data = json.loads(run("check", "--format", "json", cwd=project).stdout)
    assert any(d["code"] == "DG009" and "DG777" in d["message"] for d in data)


def test_paths_files_and_folders(project, run):
    result = run("check", "plans/bad.yaml", "registry", "--format", "json", cwd=project)
    assert {d["file"] for d in json.loads(result.stdout)} == {"plans/bad.yaml"}
    assert "检查了 2 个文件" in result.stderr


def test_rules_listing_and_explanation(run):
    listing = run("rules")
    assert listing.exit_code == 0
    assert "DG202  unknown-unit" in listing.stdout
    explain = run("rules", "unknown-unit")
    assert explain.exit_code == 0 and explain.stdout.startswith("DG202 unknown-unit") and "修改" in explain.stdout
    data = json.loads(run("rules", "--format", "json").stdout)
    assert len({d["code"] for d in data}) == len(data) >= 30 and all(d["doc"] for d in data)
    assert run("rules", "DG999").exit_code == 2


def test_console_script_turns_a_crash_into_one_line(monkeypatch, capsys):
    from docgen import cli
    monkeypatch.setattr("sys.argv", ["docgen", "rules"])
    monkeypatch.setattr(cli.cli, "main", lambda **kw: (_ for _ in ()).throw(RuntimeError("boom")))
    with pytest.raises(SystemExit) as exit_info:
        cli.main()
    assert exit_info.value.code == 3 and "内部错误" in capsys.readouterr().err
