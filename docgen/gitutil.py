"""The few git commands docgen needs, run as subprocesses with errors turned into Chinese messages.

Every call goes through `Git.run`, which never lets git's own diff drivers or pagers run (docgen
may itself be the configured diff driver) and never prompts.
"""

from __future__ import annotations

import os
import shutil
import subprocess
from dataclasses import dataclass
from pathlib import Path

from docgen.errors import InputError


class GitError(InputError):
    """A git command failed (a revision or repository cannot be read); the message (Chinese, one
    line) says what to do. Exit 2."""


#: The working tree, as a "revision" on the new side of a diff.
WORKTREE = None


@dataclass(frozen=True)
class FileChange:
    """One changed file between two trees: status letter (A, D, M, R…) and paths (None if absent)."""

    status: str
    old_path: str | None
    new_path: str | None


def _env() -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "GIT_EXTERNAL_DIFF"}
    env.update(GIT_PAGER="cat", GIT_TERMINAL_PROMPT="0", LC_ALL="C")
    return env


@dataclass(frozen=True)
class Git:
    """A repository, by its top-level folder."""

    root: Path

    @classmethod
    def at(cls, folder: Path) -> Git:
        """The repository containing `folder`; GitError if there is none (or no git)."""
        if shutil.which("git") is None:
            raise GitError("找不到 git 命令，请先安装 git。")
        proc = subprocess.run(["git", "rev-parse", "--show-toplevel"], cwd=folder, env=_env(),
                              capture_output=True, text=True)
        if proc.returncode != 0:
            raise GitError(f"“{folder}”不在 git 仓库中。请在仓库目录中运行，或比较两个文件：docgen diff 旧文件 新文件。")
        return cls(Path(proc.stdout.strip()))

    def run(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        proc = subprocess.run(["git", "-c", "core.quotepath=false", *args], cwd=self.root, env=_env(),
                              capture_output=True)
        if check and proc.returncode != 0:
            detail = proc.stderr.decode("utf-8", "replace").strip().splitlines()
            raise GitError(f"git {args[0]} 失败：{detail[-1] if detail else proc.returncode}")
        return proc

    def resolve(self, rev: str) -> str | None:
        """The commit `rev` names (full hash), or None if it names none."""
        if not rev or rev.startswith("-"):
            return None
        proc = self.run("rev-parse", "--verify", "--quiet", f"{rev}^{{commit}}", check=False)
        return proc.stdout.decode().strip() if proc.returncode == 0 else None

    def merge_base(self, a: str, b: str) -> str:
        return self.run("merge-base", a, b).stdout.decode().strip()

    def changed(self, old: str, new: str | None, pathspecs: list[str]) -> list[FileChange]:
        """Files that differ between commit `old` and commit `new` (or the working tree), renames found."""
        args = ["diff", "--no-ext-diff", "--no-textconv", "--name-status", "-z", "-M", old]
        if new is not WORKTREE:
            args.append(new)
        fields = self.run(*args, "--", *pathspecs).stdout.decode("utf-8", "surrogateescape").split("\0")
        out: list[FileChange] = []
        i = 0
        while i < len(fields) and fields[i]:
            status = fields[i][0]
            if status in "RC":
                old_path, new_path = fields[i + 1], fields[i + 2]
                out.append(FileChange(status, old_path if status == "R" else None, new_path))
                i += 3
            else:
                path = fields[i + 1]
                out.append(FileChange(status, None if status == "A" else path, None if status == "D" else path))
                i += 2
        return out

    def show(self, rev: str, path: str) -> bytes:
        """The content of `path` in commit `rev`."""
        return self.run("cat-file", "blob", f"{rev}:{path}").stdout

    def exists(self, rev: str, path: str) -> bool:
        """Whether `path` (a file or folder) exists in commit `rev`."""
        return bool(self.run("ls-tree", "--name-only", rev, "--", path, check=False).stdout.strip())

    def relative(self, path: Path) -> str | None:
        """`path` relative to the top of the repository, or None if it lies outside."""
        try:
            rel = path.resolve().relative_to(self.root.resolve())
        except ValueError:
            return None
        return rel.as_posix() if rel.parts else "."

    def config(self, key: str, value: str) -> None:
        """Set `key` in the repository's own (local) configuration."""
        self.run("config", "--local", key, value)
