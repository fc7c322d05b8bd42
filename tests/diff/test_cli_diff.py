"""`docgen diff` on two files, and every kind of bad input: one Chinese line, exit 2, no traceback."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, plan_text
from plan_revisions import BASE_TEXT, docgen_in, git, git_env, make_repo, reword_task

DOCGEN = Path(sys.executable).parent / "docgen"


@pytest.fixture
def files(tmp_path):
    (tmp_path / "old.yaml").write_text(BASE_TEXT, encoding="utf-8")
    (tmp_path / "new.yaml").write_text(reword_task(BASE_TEXT), encoding="utf-8")
    return tmp_path


def test_two_files(files, run):
    result = run("diff", "old.yaml", "new.yaml", cwd=files)
    assert result.exit_code == 1
    assert result.stdout.splitlines()[:2] == ["--- old.yaml", "+++ new.yaml"]
    line = (ROOT / "plans/city/three-year-plan.yaml").read_text(encoding="utf-8").split("\n").index("            编号: T07")
    # named as the document prints it, with the 编号 (and the line) only as details
    assert (f"~ 三、（三）7.“健全重大事故隐患排查整治机制”：增加“统一的”；将“数据”改为“信息”（编号T07，第{line}行）"
            in result.stdout)
    assert result.stderr.strip() == "1 个方案共 1 处修改（改写 1）。"


def test_identical_files_exit_0_and_print_nothing(files, run):
    result = run("diff", "old.yaml", "old.yaml", cwd=files)
    assert (result.exit_code, result.stdout, result.stderr) == (0, "", "没有实质性修改。\n")
    markdown = run("diff", "old.yaml", "old.yaml", "--format", "markdown", cwd=files)
    assert markdown.exit_code == 0 and "没有实质性修改。" in markdown.stdout  # the CI summary says so


def test_a_registry_is_not_compared_with_a_plan(files, run):
    result = run("diff", "old.yaml", ROOT / "plans/registry/qingxi.yaml", cwd=files)
    assert result.exit_code == 2 and result.stdout == ""
    assert "一个是方案、一个是单位库，无法比较。" in result.stderr


def test_a_broken_file_is_refused_with_its_findings(files, run):
    (files / "broken.yaml").write_text(plan_text("- 段落: 内容。") + "  - 任务 没有冒号\n", encoding="utf-8")
    result = run("diff", "old.yaml", "broken.yaml", cwd=files)
    assert result.exit_code == 2
    first, last = result.stderr.strip().splitlines()[0], result.stderr.strip().splitlines()[-1]
    assert first == "broken.yaml:10:5: 错误 DG011 [wrong-type] “正文”的值类型不对：现在是文字。应为“键: 值”映射。"
    assert last == "docgen: 无法比较：broken.yaml 有 1 处错误，请先改正（docgen check 可逐条查看）。"


def test_a_text_file_is_refused(files, run):
    (files / "notes.txt").write_text("这不是方案。\n", encoding="utf-8")
    result = run("diff", "old.yaml", "notes.txt", cwd=files)
    assert result.exit_code == 2 and "无法比较：notes.txt" in result.stderr


def test_a_device_is_refused_as_a_file_not_taken_for_a_revision(files, run):
    """/dev/zero under a plan's name: refused at once (not read forever, not looked up in git)."""
    (files / "zero.yaml").symlink_to("/dev/zero")
    result = run("diff", "zero.yaml", "old.yaml", cwd=files)
    assert result.exit_code == 2 and result.stdout == ""
    assert "git" not in result.stderr and "无法比较" in result.stderr, result.stderr


def test_revisions_outside_a_repository(tmp_path, run, monkeypatch):
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    result = run("diff", "HEAD", cwd=tmp_path)
    assert result.exit_code == 2
    assert "不在 git 仓库中。请在仓库目录中运行，或比较两个文件：docgen diff 旧文件 新文件。" in result.stderr


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    return make_repo(tmp_path_factory.mktemp("cli") / "repo")



@pytest.mark.parametrize("args, message", [
    (["nope"], "“nope”既不是文件，也不是这个仓库中的版本（提交、分支或标签）。"),
    (["HEAD~1", "nope", "--"], "“nope”不是这个仓库中的版本（提交、分支或标签）。可用 git log --oneline 查看。"),
    (["HEAD~9..HEAD"], "“HEAD~9”不是这个仓库中的版本"),
    (["HEAD~1", "HEAD", "--", "/etc/hostname"], "“/etc/hostname”不在仓库"),
    (["HEAD~1", "HEAD", "--", "plans/city/missing.yaml"], "“plans/city/missing.yaml”在HEAD~1和HEAD中都不存在。"),
    (["HEAD~1", "HEAD", "--", "pyproject.toml"], "“pyproject.toml”不是方案文件（方案文件是 .yaml 文件），无法比较。"),
    (["HEAD~3", "HEAD~2", "HEAD~1", "--"], "最多比较两个版本，现在给了 3 个"),
])
def test_bad_revisions_and_paths(repo, args, message):
    result = docgen_in(repo, "diff", *args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and result.stdout == ""


def test_an_unchanged_registry_has_no_changes(repo):
    result = docgen_in(repo, "diff", "HEAD~1", "plans/registry/qingxi.yaml")
    assert result.exit_code == 0 and "没有实质性修改" in result.stderr


def test_a_revision_that_cannot_be_loaded(repo):
    plan = repo / "plans/city/three-year-plan.yaml"
    good = plan.read_text(encoding="utf-8")
    try:
        plan.write_text(good.replace("文种: 实施方案", "文种: 实施方案\n文种: 工作要点"), encoding="utf-8")
        git(repo, "commit", "-q", "-am", "重复的键")
        result = docgen_in(repo, "diff", "HEAD", "HEAD~1")
        assert result.exit_code == 2
        assert "HEAD:plans/city/three-year-plan.yaml:" in result.stderr and "DG004" in result.stderr
        assert "无法比较：HEAD:plans/city/three-year-plan.yaml 有 1 处错误" in result.stderr
    finally:
        git(repo, "reset", "-q", "--hard", "HEAD~1")


def test_docx_that_cannot_be_written(files, run):
    (files / "build").write_text("a file where a folder should be", encoding="utf-8")
    result = run("diff", "old.yaml", "new.yaml", "--docx", "build/对照表.docx", cwd=files)
    assert result.exit_code == 2 and "无法写入 build/对照表.docx：“build”是一个文件，不是目录" in result.stderr
    assert "File exists" not in result.stderr


def test_the_installed_command_prints_no_traceback(tmp_path):
    """Through the real console script (main()), as a drafter would run it."""
    env = dict(git_env(), GIT_CEILING_DIRECTORIES=str(tmp_path))
    proc = subprocess.run([str(DOCGEN), "diff", "HEAD~1"], cwd=tmp_path, env=env, capture_output=True, text=True)
    assert proc.returncode == 2
    assert proc.stderr.count("\n") == 1 and "Traceback" not in proc.stderr and "不在 git 仓库中" in proc.stderr


def test_revisions_are_named_as_a_reviewer_knows_them(repo):
    from docgen.diff.sources import reviewer_name
    from docgen.gitutil import WORKTREE, Git

    git(repo, "tag", "送审稿", "HEAD~1")
    found = Git.at(repo)
    assert reviewer_name(found, found.resolve("HEAD~1")) == "送审稿"
    assert reviewer_name(found, found.resolve("HEAD")) == "2025年3月5日稿"
    assert reviewer_name(found, WORKTREE) == "修改稿（未提交）"
    git(repo, "tag", "-d", "送审稿")
