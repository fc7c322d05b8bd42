"""Done-when of the review feature, end to end: a git repository with one commit per edit of the city
plan (insertions at the top, a moved task, a reworded task, a changed deadline and unit, a renamed
id). `docgen diff` must report exactly those changes in every format, per commit and all at once,
and the 修订对照表 must hold one row for each.
"""

from __future__ import annotations

import json
import re

import pytest
from plan_revisions import EXPECTED, EXPECTED_ALL, NOTES, PLAN, docgen_in, git, make_repo


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return make_repo(tmp_path_factory.mktemp("diff") / "repo")



def kinds(stdout: str) -> set[tuple[str, str, str, str | None]]:
    data = json.loads(stdout)
    return {(c["element"], c["kind"], c["id"], c["old_id"]) for f in data["files"] for c in f["changes"]}


@pytest.mark.parametrize("step", range(len(EXPECTED)))
def test_each_commit_reports_exactly_its_edit(repo, step):
    back = len(EXPECTED) - step
    result = docgen_in(repo, "diff", f"HEAD~{back}", f"HEAD~{back - 1}", "--format", "json")
    assert result.exit_code == 1, result.output
    assert kinds(result.stdout) == EXPECTED[step]


def test_insertion_at_the_top_moves_and_renumbers_nothing(repo):
    """Two tasks before T01 shift the display number of all 30 tasks: only the insertions show."""
    result = docgen_in(repo, "diff", "HEAD~5", "HEAD~4", "--format", "json")
    changes = [c for f in json.loads(result.stdout)["files"] for c in f["changes"]]
    assert [(c["kind"], c["id"]) for c in changes] == [("added", "T31"), ("added", "T32")]
    assert changes[0]["section"] == ["三、主要任务", "（一）开展安全管理能力提升行动"]


def test_all_revisions_at_once_in_json(repo):
    result = docgen_in(repo, "diff", "HEAD~5", "HEAD", "--format", "json")
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert (data["old"], data["new"], data["different"]) == ("HEAD~5", "HEAD", True)
    [file] = data["files"]
    assert (file["path"], file["status"], file["old"], file["new"]) == (PLAN, "modified", f"HEAD~5:{PLAN}", f"HEAD:{PLAN}")
    assert kinds(result.stdout) == EXPECTED_ALL
    by_key = {(c["kind"], c["id"]): c for c in file["changes"]}
    for (kind, task), note in NOTES.items():
        assert f"{by_key[kind, task]['subject']}：{by_key[kind, task]['note']}" == note
    deadline = by_key["deadline", "T23"]
    assert (deadline["old"], deadline["new"]) == ("完成时限：2025年底前", "完成时限：2025年6月底前")
    assert deadline["old_line"] < deadline["new_line"]  # two tasks were inserted above
    reworded = by_key["reworded", "T07"]
    assert ["-", "数据"] in reworded["diff"] and ["+", "统一的"] in reworded["diff"]
    # document order: the inserted tasks, T07, T06 (now after T09), T23, T35
    assert [c["id"] for c in file["changes"]] == ["T31", "T32", "T07", "T06", "T23", "T23", "T35"]


def test_all_revisions_at_once_in_text(repo):
    result = docgen_in(repo, "diff", "HEAD~5", "HEAD")
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert lines[:2] == [f"--- HEAD~5:{PLAN}", f"+++ HEAD:{PLAN}"]
    changes = [re.sub(r"（编号T\d+，第\d+行）$", "", line[2:]) for line in lines if line[:2] in ("+ ", "- ", "~ ")]
    assert sorted(changes) == sorted(NOTES.values())
    assert "    ……患排查整治机制。建立全市{+统一的+}重大事故隐患[-数据-]{+信息+}库，对企业自查、督导检查……" in lines
    assert "\x1b[" not in result.stdout  # not a terminal: no colours
    assert "7 处修改" in result.stderr


def test_all_revisions_at_once_in_markdown(repo):
    result = docgen_in(repo, "diff", "HEAD~5", "HEAD", "--format", "markdown")
    assert result.exit_code == 1
    out = result.stdout
    assert out.startswith("## 方案修订情况（HEAD\\~5 → HEAD）")
    assert "### 《清溪市安全生产治本攻坚三年行动实施方案》" in out
    items = re.findall(r"^- \*\*(\S+)\*\* (.*)$", out, re.M)
    assert sorted(text for _, text in items) == sorted(NOTES.values())
    assert [label for label, _ in items] == ["新增", "新增", "改写", "移动", "责任单位", "完成时限", "更名"]
    assert "建立全市<ins>统一的</ins>重大事故隐患<del>数据</del><ins>信息</ins>库" in out
    assert "#### 三、主要任务 › （八）开展应急救援能力提升行动" in out


def test_colour_on_request(repo):
    result = docgen_in(repo, "diff", "HEAD~3", "HEAD~2", "--color", "always")
    assert "\x1b[31m\x1b[9m[-数据-]" in result.stdout and "\x1b[32m\x1b[4m{+统一的+}" in result.stdout


def test_range_forms_and_paths(repo):
    two_dots = docgen_in(repo, "diff", "HEAD~2..HEAD", "--format", "json")
    assert kinds(two_dots.stdout) == EXPECTED[3] | EXPECTED[4]
    three_dots = docgen_in(repo, "diff", "HEAD~1...HEAD", "--format", "json")
    assert kinds(three_dots.stdout) == EXPECTED[4]
    with_path = docgen_in(repo, "diff", "HEAD~1", "HEAD", "--", PLAN, "--format", "json")  # after --, all are paths
    assert with_path.exit_code == 2 and "“--format”在HEAD~1和HEAD中都不存在" in with_path.stderr
    elsewhere = docgen_in(repo, "diff", "HEAD~1", "HEAD", "--format", "json", "--", "plans/registry")
    assert elsewhere.exit_code == 0 and json.loads(elsewhere.stdout)["files"] == []


def test_working_tree_against_a_revision(repo):
    plan = repo / PLAN
    original = plan.read_text(encoding="utf-8")
    try:
        assert docgen_in(repo, "diff", "HEAD").exit_code == 0
        plan.write_text(original.replace("发文字号: 清安委〔2024〕3号", "发文字号: 清安委〔2024〕5号"), encoding="utf-8")
        result = docgen_in(repo, "diff", "HEAD", "--format", "json")
        assert result.exit_code == 1
        [change] = json.loads(result.stdout)["files"][0]["changes"]
        assert (change["element"], change["field"], change["note"]) == (
            "document", "发文字号", "发文字号由“清安委〔2024〕3号”调整为“清安委〔2024〕5号”")
        assert json.loads(result.stdout)["new"] == "工作区"
    finally:
        plan.write_text(original, encoding="utf-8")


def test_plan_files_added_and_removed(repo):
    copy = repo / "plans/city/copy.yaml"
    copy.write_text((repo / PLAN).read_text(encoding="utf-8"), encoding="utf-8")
    try:
        git(repo, "add", "plans/city/copy.yaml")
        result = docgen_in(repo, "diff", "HEAD", "--format", "json")
        [file] = json.loads(result.stdout)["files"]
        assert file["status"] == "added" and file["old"] is None
        [change] = file["changes"]
        assert (change["element"], change["kind"], change["note"]) == ("plan", "added", "新增方案文件，共32项任务")
    finally:
        git(repo, "rm", "-q", "-f", "plans/city/copy.yaml")
