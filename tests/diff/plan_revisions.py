"""Revisions of the example city plan, and a git repository holding them one commit each.

Each revision is one edit a drafting office makes between two drafts; `EXPECTED` lists, for
each, exactly the changes `docgen diff` must report as (element, kind, id, old_id).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from conftest import ROOT

from docgen.cli import cli

PLAN = "plans/city/three-year-plan.yaml"
BASE_TEXT = (ROOT / PLAN).read_text(encoding="utf-8")

ACTION_2 = "      # ---------------------------------------------------------------- 行动二"
ACTION_3 = "      # ---------------------------------------------------------------- 行动三"
ACTION_4 = "      # ---------------------------------------------------------------- 行动四"


def _replace_once(text: str, old: str, new: str) -> str:
    assert text.count(old) == 1, f"expected exactly one {old!r}"
    return text.replace(old, new)


def insert_at_top(text: str) -> str:
    """Two new tasks before T01, at the very top of the first action: every later number shifts."""
    return _replace_once(text, "          - 任务: 强化领导干部安全生产履职能力\n", """\
          - 任务: 建立安全生产大讲堂制度
            编号: T31
            内容: 每半年邀请专家为全市领导干部讲授一次安全生产专题课程，讲稿汇编成册供各单位学习。
            责任单位: 市安委办
            完成时限: 每半年
          - 任务: 推行安全生产述职评议
            编号: T32
            内容: 各乡镇（街道）和市直有关部门主要负责人每年向市安委会书面述职安全生产履职情况。
            责任单位:
              牵头: 市安委办
              配合: 各乡镇（街道）
            完成时限: 每年
          - 任务: 强化领导干部安全生产履职能力
""")


def move_task(text: str) -> str:
    """T06 leaves the second action for the end of the third one."""
    start = text.index("          - 任务: 发挥示范创建引领作用")
    end = text.index("\n\n" + ACTION_3)
    task = text[start:end]
    text = text[:start] + text[end + 1:]
    return _replace_once(text, "\n\n" + ACTION_4, "\n" + task + "\n\n" + ACTION_4)


def reword_task(text: str) -> str:
    """T07's body: 数据库 becomes 统一的…信息库."""
    return _replace_once(text, "建立全市重大事故隐患数据库", "建立全市统一的重大事故隐患信息库")


def change_deadline_and_unit(text: str) -> str:
    """T23: due half a year earlier, and 市公安局 joins as a supporting unit."""
    return _replace_once(text, "              配合: 市财政局\n            完成时限: 2025年底前\n",
                         "              配合: [市财政局, 市公安局]\n            完成时限: 2025年6月底前\n")


def rename_id(text: str) -> str:
    """T30 is renumbered T35; its content stays."""
    return _replace_once(text, "编号: T30\n", "编号: T35\n")


EDITS: list[tuple[str, Callable[[str], str]]] = [
    ("在行动一开头插入两项任务", insert_at_top),
    ("把T06移到行动三", move_task),
    ("改写T07", reword_task),
    ("调整T23的完成时限和责任单位", change_deadline_and_unit),
    ("T30改编号为T35", rename_id),
]

#: The changes of each edit: (element, kind, id, old_id).
EXPECTED: list[set[tuple[str, str, str, str | None]]] = [
    {("task", "added", "T31", None), ("task", "added", "T32", None)},
    {("task", "moved", "T06", None)},
    {("task", "reworded", "T07", None)},
    {("task", "responsibility", "T23", None), ("task", "deadline", "T23", None)},
    {("task", "renamed", "T35", "T30")},
]
EXPECTED_ALL = set().union(*EXPECTED)

#: What each change's 修改说明 says, the subject (the task's printed number and lead) in front, as in text
#: and Markdown output.
NOTES = {
    ("added", "T31"): "三、（一）1.“建立安全生产大讲堂制度”：新增任务",
    ("added", "T32"): "三、（一）2.“推行安全生产述职评议”：新增任务",
    ("moved", "T06"): "三、（三）11.“发挥示范创建引领作用”：由“开展安全素养提升行动”调至“开展事故隐患动态清零行动”，"
                      "列于三、（三）10.“加强重点场所和重点时段隐患排查”之后",
    ("reworded", "T07"): "三、（三）8.“健全重大事故隐患排查整治机制”：增加“统一的”；将“数据”改为“信息”",
    ("responsibility", "T23"): "三、（八）25.“加强专业应急救援队伍建设”：配合单位增加“市公安局”",
    ("deadline", "T23"): "三、（八）25.“加强专业应急救援队伍建设”：完成时限由2025年底前调整为2025年6月底前",
    ("renamed", "T35"): "三、（十）32.“深化自建房安全专项整治”：任务编号由T30调整为T35",
}


def revisions() -> list[str]:
    """The plan's text after each edit, the unchanged base first."""
    texts = [BASE_TEXT]
    for _, edit in EDITS:
        texts.append(edit(texts[-1]))
    return texts


#: Git ignores the user's and the system's configuration, and commits without asking who.
GIT_SETTINGS = dict(GIT_CONFIG_GLOBAL=os.devnull, GIT_CONFIG_NOSYSTEM="1", GIT_AUTHOR_NAME="测试",
                    GIT_AUTHOR_EMAIL="t@example.org", GIT_COMMITTER_NAME="测试", GIT_COMMITTER_EMAIL="t@example.org",
                    GIT_PAGER="cat", PAGER="cat", GIT_AUTHOR_DATE="2025-03-05T10:00:00+08:00",
                    GIT_COMMITTER_DATE="2025-03-05T10:00:00+08:00")


def git_env() -> dict[str, str]:
    """The environment for git (and docgen) subprocesses."""
    env = {k: v for k, v in os.environ.items() if k != "GIT_EXTERNAL_DIFF"}
    return env | GIT_SETTINGS


def docgen_in(repo: Path, *args: str | Path) -> Result:
    """Run docgen in-process inside `repo`, with `GIT_SETTINGS`; exceptions propagate."""
    patch = pytest.MonkeyPatch()
    for key, value in GIT_SETTINGS.items():
        patch.setenv(key, value)
    patch.delenv("GIT_EXTERNAL_DIFF", raising=False)
    patch.chdir(repo)
    try:
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    finally:
        patch.undo()


def git(repo: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess[str]:
    proc = subprocess.run(["git", *args], cwd=repo, env=git_env(), capture_output=True, text=True)
    if check:
        assert proc.returncode == 0, f"git {' '.join(args)}: {proc.stderr}"
    return proc


def make_repo(path: Path) -> Path:
    """A repository with pyproject.toml, the unit registry and one commit per revision of the plan."""
    path.mkdir(parents=True, exist_ok=True)
    git(path, "init", "-q", "-b", "main")
    shutil.copytree(ROOT / "plans/registry", path / "plans/registry")
    (path / "pyproject.toml").write_text(
        '[tool.docgen]\nregistry = ["plans/registry"]\npaths = ["plans"]\n', encoding="utf-8")
    plan = path / PLAN
    plan.parent.mkdir(parents=True, exist_ok=True)
    messages = ["基础稿", *(message for message, _ in EDITS)]
    for message, text in zip(messages, revisions()):
        plan.write_text(text, encoding="utf-8")
        git(path, "add", "-A")
        git(path, "commit", "-q", "-m", message)
    return path
