"""The README's five-minute walk-through, run literally in a fresh copy of the project.

Every shell command of the section “五分钟上手” runs in order (with the installed `docgen`), in a git
repository holding the example plans, as a new user would type it; the outputs the README shows are
compared with what the commands really print.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
BIN = Path(sys.executable).parent


def _section() -> str:
    start = README.index("## 五分钟上手")
    return README[start:README.index("\n## ", start + 1)]


def _blocks(kind: str) -> list[str]:
    return re.findall(rf"```{kind}\n(.*?)```", _section(), re.S)


def _commands() -> list[str]:
    """The shell lines of the walk-through, comments dropped, in order."""
    lines = []
    for block in _blocks("sh"):
        for line in block.splitlines():
            line = re.sub(r"\s+#.*$", "", line).strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def _shown(after: str) -> list[str]:
    """The lines of the first plain output block after the text `after`."""
    section = _section()
    blocks = re.finditer(r"```(\w*)\n(.*?)```", section[section.index(after):], re.S)
    return next(m.group(2) for m in blocks if not m.group(1)).strip().splitlines()


def _run(project: Path, command: str) -> subprocess.CompletedProcess[str]:
    words = shlex.split(command)
    if words[0] == "source":  # activating the venv: the test already runs the venv's docgen
        return subprocess.CompletedProcess(words, 0, "", "")
    words[0] = str(BIN / words[0])
    words = [str(p) for w in words for p in (sorted(project.glob(w)) if "*" in w else [w])] or words
    env = {**os.environ, "COLUMNS": "200"}
    return subprocess.run(words, cwd=project, capture_output=True, text=True, env=env, timeout=900)


def _git(project: Path, *args: str) -> None:
    subprocess.run(["git", "-c", "user.name=测试", "-c", "user.email=t@example.com", *args], cwd=project,
                   check=True, capture_output=True)


def test_readme_walkthrough_runs_as_written(tmp_path):
    project = tmp_path / "project"
    project.mkdir()
    shutil.copytree(ROOT / "plans", project / "plans")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    _git(project, "init", "-q")
    _git(project, "add", "-A")
    _git(project, "commit", "-qm", "示例方案")

    commands = _commands()
    assert commands[0] == "source .venv/bin/activate" and commands[1] == "docgen check plans/"
    for command in commands:
        if command.startswith("docgen diff"):
            # step 7 edits T12's target from 50 to 60 before diffing
            plan = project / "plans/city/three-year-plan.yaml"
            text = plan.read_text(encoding="utf-8")
            at = text.index("编号: T12")
            end = text.index("目标值: 50", at)
            plan.write_text(text[:end] + "目标值: 60" + text[end + len("目标值: 50"):], encoding="utf-8")
        result = _run(project, command)
        expected = 1 if command.startswith("docgen diff") else 0  # diff: 1 means "there are changes"
        assert result.returncode == expected, f"{command}\n{result.stdout}\n{result.stderr}"
        assert "Traceback" not in result.stderr and "内部错误" not in result.stderr, command
        if command == "docgen check plans/":
            assert result.stdout == "" and result.stderr.splitlines() == _shown("示例方案没有问题")
        if command == "docgen units 应急":
            shown = _shown("查单位库")
            assert result.stdout.splitlines()[:len(shown)] == shown
        if command.endswith("--format sarif"):
            assert json.loads(result.stdout)["version"] == "2.1.0"
        if command == "docgen schema":
            assert (project / "schemas/plan.schema.json").is_file()
        if command.startswith("docgen diff"):
            assert result.stdout.splitlines() == _shown("把任务 T12 的指标由 50 家改为 60 家")
            assert (project / "build/修订对照表.docx").is_file()
        if command.startswith("docgen cascade plans/city/three-year-plan.yaml") and "--to-level" not in command:
            assert (project / "build/cascade/东湖街道/three-year-plan.yaml").is_file()
            assert not (project / "plans/city/东湖街道").exists()  # drafts stay out of plans/
    assert (project / "build/city/three-year-plan.pdf").is_file()
    assert (project / "build/notify/three-year-plan/通知汇编.pdf").is_file()
    assert list((project / "build/report/three-year-plan").glob("*.docx"))


def test_readme_error_example_is_what_check_prints(tmp_path):
    """Step 2's example of a finding: the misspelt unit, as check really reports it."""
    project = tmp_path / "project"
    shutil.copytree(ROOT / "plans", project / "plans")
    shutil.copy(ROOT / "pyproject.toml", project / "pyproject.toml")
    plan = project / "plans/city/work-points-2025.yaml"
    plan.write_text(plan.read_text(encoding="utf-8").replace("牵头: 市应急管理局\n", "牵头: 市应急管理据\n", 1),
                    encoding="utf-8")
    result = _run(project, "docgen check plans/")
    assert result.returncode == 1
    shown = _shown("误写成“市应急管理据”")
    assert result.stdout.splitlines() == shown[:-1] and result.stderr.splitlines() == shown[-1:]
