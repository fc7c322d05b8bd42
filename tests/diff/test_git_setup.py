"""`docgen git-setup`: afterwards `git diff` shows the semantic diff of plans, `git log -p` their outline,
and built .docx files show as text."""

from __future__ import annotations

from pathlib import Path

import pytest
from plan_revisions import NOTES, PLAN, docgen_in, git, make_repo


@pytest.fixture(scope="module")
def configured(tmp_path_factory):
    """The revisions repository after `docgen git-setup` (run in-process, as a user would)."""
    repo = make_repo(tmp_path_factory.mktemp("setup") / "repo")
    (repo / ".gitattributes").write_text("*.sh text eol=lf\n", encoding="utf-8")
    first = docgen_in(repo, "git-setup")
    second = docgen_in(repo, "git-setup")  # idempotent
    assert first.exit_code == 0 and second.exit_code == 0, first.output
    assert "已更新" in first.stdout and "diff.docgen.command" in first.stdout
    return repo


def test_attributes_and_local_config(configured):
    attributes = (configured / ".gitattributes").read_text(encoding="utf-8").splitlines()
    assert attributes[0] == "*.sh text eol=lf"  # what was there stays
    assert sum(1 for line in attributes if line.startswith("# >>> docgen git-setup")) == 1
    assert "plans/**/*.yaml diff=docgen" in attributes
    assert "plans/registry/**/*.yaml !diff" in attributes  # registries keep the line diff
    assert "*.docx diff=docgen-docx" in attributes
    config = git(configured, "config", "--local", "--get-regexp", r"^diff\.docgen").stdout
    assert "diff.docgen.command " in config and "git-diff-driver" in config
    assert "diff.docgen.textconv " in config and "diff.docgen-docx.textconv " in config
    check = git(configured, "check-attr", "diff", "--", PLAN, "plans/registry/qingxi.yaml", "build/x.docx").stdout
    assert check.splitlines() == [f"{PLAN}: diff: docgen", "plans/registry/qingxi.yaml: diff: unspecified",
                                  "build/x.docx: diff: docgen-docx"]


def test_git_diff_shows_the_semantic_diff(configured):
    out = git(configured, "diff", "HEAD~5", "HEAD", "--", PLAN).stdout
    assert out.startswith(f"docgen diff a/{PLAN} b/{PLAN}\n")
    for note in NOTES.values():
        assert note in out
    assert "编号: T35" not in out  # not the YAML lines


def test_git_show_of_one_commit(configured):
    outline = git(configured, "show", "HEAD~1").stdout  # like git log: the textconv outline
    assert "-      完成时限：2025年底前" in outline and "+      完成时限：2025年6月底前" in outline
    semantic = git(configured, "show", "--ext-diff", "HEAD~1").stdout
    assert NOTES["deadline", "T23"] in semantic and NOTES["responsibility", "T23"] in semantic
    assert NOTES["renamed", "T35"] not in semantic


def test_git_log_p_shows_the_outline_and_ext_diff_the_semantic_diff(configured):
    log = git(configured, "log", "-p", "-1").stdout
    assert "-    任务T30：深化自建房安全专项整治。" in log and "+    任务T35：深化自建房安全专项整治。" in log
    insertion = git(configured, "log", "-p", "-1", "HEAD~4").stdout
    added = [line for line in insertion.splitlines() if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))]
    assert all(line.startswith("+") for line in added)  # inserted tasks renumber nothing
    assert "+    任务T31：建立安全生产大讲堂制度。每半年邀请专家为全市领导干部讲授一次安全生产专题课程，讲稿汇编成册供各单位学习。" in added
    semantic = git(configured, "log", "-p", "--ext-diff", "-1").stdout
    assert NOTES["renamed", "T35"] in semantic


def test_unreadable_revision_falls_back_to_a_line_diff(configured):
    plan = configured / PLAN
    original = plan.read_text(encoding="utf-8")
    try:
        plan.write_text(original + "正文 没有冒号\n", encoding="utf-8")
        proc = git(configured, "diff", "--", PLAN)
        assert proc.returncode == 0
        assert "（docgen：无法按方案读取，显示逐行差异。b:plans/city/three-year-plan.yaml:" in proc.stdout
        assert "+正文 没有冒号" in proc.stdout
    finally:
        plan.write_text(original, encoding="utf-8")


def test_comment_only_change(configured):
    plan = configured / PLAN
    original = plan.read_text(encoding="utf-8")
    try:
        plan.write_text("# 修改说明见对照表\n" + original, encoding="utf-8")
        out = git(configured, "diff", "--", PLAN).stdout
        assert "（只改动了格式或注释，内容没有实质性修改。）" in out
    finally:
        plan.write_text(original, encoding="utf-8")


def test_docx_files_show_as_text(configured):
    table = configured / "build/修订对照表.docx"
    assert docgen_in(configured, "diff", "HEAD~3", "HEAD~2", "--docx", table).exit_code == 1
    git(configured, "add", "-f", str(table))
    git(configured, "commit", "-q", "-m", "对照表（T07）")
    assert docgen_in(configured, "diff", "HEAD~3", "HEAD~1", "--docx", table).exit_code == 1
    try:
        out = git(configured, "diff", "--", str(table)).stdout
        assert "+序号 | 原文 | 修改后 | 修改说明" not in out  # unchanged line
        assert " | 完成时限：2025年底前 | 完成时限：2025年6月底前 | " + NOTES["deadline", "T23"] in out
        log = git(configured, "log", "-p", "-1", "--", str(table)).stdout
        assert "+《清溪市安全生产治本攻坚三年行动实施方案》修订对照表" in log
        assert "Binary files" not in log
    finally:
        git(configured, "reset", "-q", "--hard", "HEAD~1")


def test_a_virtualenv_inside_the_repository_is_named_from_the_top_of_the_working_tree(tmp_path, monkeypatch):
    """git-setup's command survives moving the folder (and its .venv): no absolute path in .git/config."""
    import shutil
    import sys

    repo = make_repo(tmp_path / "before" / "repo")
    venv_python = repo / ".venv" / "bin" / "python"
    venv_python.parent.mkdir(parents=True)
    # a stand-in for the virtualenv's interpreter: this test's own, with this checkout's docgen
    import docgen
    venv_python.write_text(f"#!/bin/sh\nPYTHONPATH={Path(docgen.__file__).parent.parent} exec {sys.executable} \"$@\"\n")
    venv_python.chmod(0o755)
    (repo / ".gitignore").write_text(".venv/\n", encoding="utf-8")
    monkeypatch.setattr(sys, "executable", str(venv_python))
    assert docgen_in(repo, "git-setup").exit_code == 0
    config = git(repo, "config", "--local", "diff.docgen.command").stdout.strip()
    assert config == '"$(git rev-parse --show-toplevel)"/.venv/bin/python -m docgen.cli git-diff-driver'
    assert str(tmp_path) not in git(repo, "config", "--local", "--list").stdout
    moved = tmp_path / "after" / "repo"
    moved.parent.mkdir()
    shutil.move(repo, moved)
    out = git(moved, "diff", "HEAD~5", "HEAD", "--", PLAN).stdout
    assert out.startswith(f"docgen diff a/{PLAN} b/{PLAN}\n")
