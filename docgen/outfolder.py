"""An output folder that receives a whole batch or nothing: lock, staging, publish, recovery.

A batch (the notices, ledgers and PDFs of `docgen notify`) is written into a staging folder inside
the output folder, then published: a journal names the files to move and the files of the previous
batch to remove; the previous manifest goes first, the new one last, so a folder with a manifest
always holds exactly the files it lists. A run killed while publishing leaves the journal, and the
next run on the folder finishes the publication before anything else; a run killed before
publishing leaves only its staging folder, which the next run removes.

One run at a time: the folder is locked (``flock`` on the folder itself, released by the system
even when the process is killed), and a second run is refused with a message.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterable
from pathlib import Path

from docgen.errors import OutputError
from docgen.files import reason

STAGING_PREFIX = ".docgen-staging-"
JOURNAL = ".docgen-publish.json"
#: Leftovers of a killed run that the next run removes (staging folders, LibreOffice work folders).
LEFTOVERS = (STAGING_PREFIX, ".docgen-lo-", ".docgen-pdf-")


def plain_name(name: str) -> bool:
    """A file name directly in the folder: no path separator, not hidden, not "." or ".."."""
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".") and "\x00" not in name


class OutputFolder:
    """``with OutputFolder(path, "manifest.json") as out:`` write with `out.write`, then `out.publish`."""

    def __init__(self, folder: Path, manifest: str):
        self.folder = folder
        self.manifest = manifest
        self.staging: Path | None = None
        self._fd: int | None = None

    # -- lock and recovery ----------------------------------------------------------------------
    def __enter__(self) -> OutputFolder:
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as exc:
            raise OutputError(f"无法创建或打开输出目录 {self.folder}：{reason(exc)}。请换一个目录（-o）或检查权限。") from None
        try:
            fcntl.flock(self._fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(self._fd)
            self._fd = None
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise OutputError(f"输出目录 {self.folder} 正被另一个 docgen 进程使用（同时运行了两次？）。"
                                  "请等它结束后再运行，或用 -o 换一个输出目录。") from None
            raise OutputError(f"无法锁定输出目录 {self.folder}：{reason(exc)}。") from None
        try:
            self.recover()
            self.staging = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=self.folder))
        except OSError as exc:
            self.__exit__(None, None, None)
            raise OutputError(f"无法写入输出目录 {self.folder}：{reason(exc)}。请换一个目录（-o）或检查权限。") from None
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self.staging is not None:
                shutil.rmtree(self.staging, ignore_errors=True)
                self.staging = None
        finally:
            if self._fd is not None:
                os.close(self._fd)  # releases the lock
                self._fd = None

    def recover(self) -> None:
        """Finish a publication a killed run left half done; remove the leftovers of killed runs."""
        journal = self.folder / JOURNAL
        if journal.is_file():
            try:
                plan = json.loads(journal.read_text(encoding="utf-8"))
                staging = self.folder / plan["staging"]
                files, stale = list(plan["files"]), list(plan["stale"])
            except (OSError, ValueError, KeyError, TypeError):
                plan = None
            if plan is not None and plain_name(plan["staging"].lstrip(".")) and staging.is_dir():
                self._move(staging, files, stale)
            journal.unlink(missing_ok=True)
        for child in self.folder.iterdir():
            if child.name.startswith(LEFTOVERS) and child.is_dir() and not child.is_symlink():
                shutil.rmtree(child, ignore_errors=True)

    # -- writing and publishing -----------------------------------------------------------------
    def write(self, name: str, data: bytes) -> None:
        """Stage file `name` (published by `publish`). Errors name the file as the user will see it."""
        assert self.staging is not None and plain_name(name), name
        try:
            with open(self.staging / name, "xb") as f:
                f.write(data)
        except OSError as exc:
            raise OutputError(f"无法写入 {self.folder / name}：{reason(exc)}。没有改动输出目录中已有的文件；"
                              "请腾出磁盘空间、检查权限或用 -o 换一个目录后重新运行。") from None

    def previous(self) -> set[str]:
        """The files the folder's current manifest lists (by `listed`), the manifest included."""
        path = self.folder / self.manifest
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError):
            return set()
        return {n for n in listed(data) if plain_name(n)} | ({self.manifest} if path.exists() else set())

    def publish(self, files: Iterable[str]) -> None:
        """Move the staged `files` and the staged manifest into the folder; remove the files the
        previous manifest listed that this batch does not have."""
        assert self.staging is not None
        files = [f for f in files if f != self.manifest]
        stale = sorted(self.previous() - set(files) - {self.manifest})
        journal = self.folder / JOURNAL
        try:
            tmp = self.folder / f"{JOURNAL}.tmp"
            tmp.write_text(json.dumps({"staging": self.staging.name, "files": files, "stale": stale},
                                      ensure_ascii=False), encoding="utf-8")
            os.replace(tmp, journal)
            self._move(self.staging, files, stale)
            journal.unlink(missing_ok=True)
        except OSError as exc:
            raise OutputError(f"无法把结果移入输出目录 {self.folder}：{reason(exc)}。下次运行时会自动完成或清理；"
                              "请检查磁盘空间和权限后重新运行。") from None
        shutil.rmtree(self.staging, ignore_errors=True)
        self.staging = None

    def _move(self, staging: Path, files: list[str], stale: list[str]) -> None:
        (self.folder / self.manifest).unlink(missing_ok=True)  # no manifest while the files change
        for name in files:
            if plain_name(name) and (staging / name).exists():
                os.replace(staging / name, self.folder / name)
        for name in stale:
            if plain_name(name):
                (self.folder / name).unlink(missing_ok=True)
        if (staging / self.manifest).exists():
            os.replace(staging / self.manifest, self.folder / self.manifest)


def listed(manifest) -> Iterable[str]:
    """Every ``"path"`` value anywhere in a manifest (the files it describes)."""
    if isinstance(manifest, dict):
        for key, value in manifest.items():
            if key == "path" and isinstance(value, str):
                yield value
            else:
                yield from listed(value)
    elif isinstance(manifest, list):
        for value in manifest:
            yield from listed(value)
