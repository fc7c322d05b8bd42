"""The GitHub Actions workflow and the pre-commit hook manifest: they parse, and the commands they run
work. The workflow's diff step is run with bash as Actions would run it (exit 1 must not fail it)."""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT, plan_text
from plan_revisions import git, git_env, make_repo
from ruamel.yaml import YAML

BIN = Path(sys.executable).parent
WORKFLOW = YAML(typ="safe").load((ROOT / ".github/workflows/plans.yml").read_text(encoding="utf-8"))
HOOKS = YAML(typ="safe").load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))


def steps() -> list[dict]:
    [job] = WORKFLOW["jobs"].values()
    return job["steps"]


def step_running(command: str) -> dict:
    [step] = [s for s in steps() if command in s.get("run", "")]
    return step


def test_workflow_triggers_once_per_change_and_caches_pip():
    # Pushes only to main: a pull request's own pushes run once, as the pull_request event.
    assert WORKFLOW["on"] == {"push": {"branches": ["main"]}, "pull_request": None}
    assert WORKFLOW["concurrency"]["cancel-in-progress"] is True
    checkout, python = steps()[0], steps()[1]
    assert checkout["uses"].startswith("actions/checkout@") and checkout["with"]["fetch-depth"] == 0
    assert python["uses"].startswith("actions/setup-python@") and python["with"]["python-version"] == "3.11"
    assert python["with"]["cache"] == "pip" and python["with"]["cache-dependency-path"] == "pyproject.toml"


def test_workflow_runs_the_tests():
    assert step_running("make test")["run"].strip() == "make test"
    assert step_running("system-packages")["run"].strip() == "sudo make system-packages"
    # The annotations and the diff are posted even when a test fails.
    assert "failure()" in step_running("docgen check")["if"] and "failure()" in step_running("docgen diff")["if"]


def test_workflow_checks_with_github_annotations():
    assert step_running("docgen check")["run"].strip() == "docgen check --format github"


def test_workflow_writes_the_pull_request_diff_to_the_job_summary():
    step = step_running("docgen diff")
    assert "github.event_name == 'pull_request'" in step["if"]
    assert step["env"] == {"BASE_REF": "${{ github.base_ref }}"}
    assert re.search(r'docgen diff "origin/\$BASE_REF" HEAD --format markdown .*>> "\$GITHUB_STEP_SUMMARY"', step["run"])
    upload = [s for s in steps() if s.get("uses", "").startswith("actions/upload-artifact@")]
    assert upload and upload[0]["with"]["path"] == "build/修订对照表.docx"


@pytest.fixture(scope="module")
def pull_request(tmp_path_factory):
    """A repository whose HEAD is the pull request and `origin/main` its base (four commits back)."""
    repo = make_repo(tmp_path_factory.mktemp("ci") / "repo")
    git(repo, "update-ref", "refs/remotes/origin/main", "HEAD~4")
    return repo


def run_step(repo: Path, tmp_path: Path) -> tuple[subprocess.CompletedProcess[str], str]:
    summary = tmp_path / "summary.md"
    env = dict(git_env(), PATH=f"{BIN}{os.pathsep}{os.environ['PATH']}", BASE_REF="main",
               GITHUB_STEP_SUMMARY=str(summary))
    # Actions runs `run:` with `bash -e {0}`
    proc = subprocess.run(["bash", "-e", "-c", step_running("docgen diff")["run"]], cwd=repo, env=env,
                          capture_output=True, text=True)
    return proc, summary.read_text(encoding="utf-8") if summary.exists() else ""


def test_diff_step_passes_when_plans_differ(pull_request, tmp_path):
    proc, summary = run_step(pull_request, tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert summary.startswith("## 方案修订情况（origin/main → HEAD）")
    assert "- **移动** 三、（三）" in summary and "- **更名** 三、（十）32.“深化自建房安全专项整治”" in summary
    assert (pull_request / "build/修订对照表.docx").is_file()


def test_diff_step_fails_when_the_diff_fails(pull_request, tmp_path):
    plan = pull_request / "plans/city/three-year-plan.yaml"
    good = plan.read_text(encoding="utf-8")
    plan.write_text(good + "正文 没有冒号\n", encoding="utf-8")
    git(pull_request, "commit", "-q", "-am", "坏文件")
    try:
        proc, _ = run_step(pull_request, tmp_path)
        assert proc.returncode == 2 and "无法比较" in proc.stderr
    finally:
        git(pull_request, "reset", "-q", "--hard", "HEAD~1")


def test_pre_commit_manifest():
    [hook] = HOOKS
    assert (hook["id"], hook["entry"], hook["language"], hook["pass_filenames"]) == (
        "docgen-check", "docgen check --dependents", "python", True)
    files = re.compile(hook["files"])
    assert files.search("plans/city/three-year-plan.yaml") and files.search("sub/plans/x.yml")
    assert not files.search(".github/workflows/plans.yml") and not files.search("plans/README.md")


def test_pre_commit_entry_on_the_files_being_committed(tmp_path):
    """pre-commit runs `entry` followed by the matching file names."""
    [hook] = HOOKS
    (tmp_path / "plans").mkdir()
    registry = ROOT / "tests/fixtures/registry"
    (tmp_path / "pyproject.toml").write_text(
        f'[tool.docgen]\nregistry = ["{registry.as_posix()}"]\npaths = ["plans"]\n', encoding="utf-8")
    (tmp_path / "plans/good.yaml").write_text(plan_text("- 段落: 内容。"), encoding="utf-8")
    (tmp_path / "plans/bad.yaml").write_text(plan_text("- 段落: 开展检查,整改隐患。"), encoding="utf-8")
    command = shlex.split(hook["entry"])
    command[0] = str(BIN / command[0])

    def commit(*names: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(command + list(names), cwd=tmp_path, capture_output=True, text=True)

    assert commit("plans/good.yaml").returncode == 0
    failed = commit("plans/good.yaml", "plans/bad.yaml")
    assert failed.returncode == 1
    assert failed.stdout.startswith("plans/bad.yaml:9:13: 错误 DG404 [half-width-punctuation]")
