"""Output folders written by batch commands: one run at a time, a whole batch or nothing.

`FolderLock` is what every batch command (render, build, cascade, notify) takes on the folder it
writes: an exclusive ``flock`` on the folder itself (released by the system even when the process
is killed), so a second run on the same folder is refused with a message instead of mixing its
files with the first's. Taking it also removes what killed runs left in the folder (staging
folders, LibreOffice work folders), and a folder the run created stays only if something was
written into it. A job may share a lock its own process holds when it asks to (`reentrant`:
`cascade --render` renders into a folder it may already hold); otherwise even the same process is
refused.

`OutputFolder` adds staging and publication for a batch with a manifest (the notices, ledgers and
PDFs of `docgen notify`): files are written into a staging folder inside the output folder, then
published: a journal names the files to move and the files of the previous batch to remove; the
previous manifest goes first, the new one last, so a folder with a manifest always holds exactly
the files it lists. A run killed while publishing leaves the journal, and the next run on the
folder finishes the publication before anything else; a run killed before publishing leaves only
its staging folder, which the next run removes.

Recovery trusts nothing in the folder that this code did not write: the journal names a staging
folder by the device and inode it had when it was created, and a token that the staging folder
holds in a file of its own; the staging folder must be a real folder directly inside the output
folder (a symbolic link is never followed), owned by the user running docgen, and only regular
files (not links) are moved out of it. A crafted journal therefore moves nothing.
"""

from __future__ import annotations

import errno
import fcntl
import json
import os
import re
import secrets
import shutil
import stat
import tempfile
from collections.abc import Iterable
from pathlib import Path

from docgen.errors import OutputError
from docgen.files import reason

STAGING_PREFIX = ".docgen-staging-"
JOURNAL = ".docgen-publish.json"
#: The file in a staging folder holding the token its journal must name.
TOKEN = ".docgen-token"
#: Leftovers of a killed run that the next run removes (staging folders, LibreOffice work folders).
LEFTOVERS = (STAGING_PREFIX, ".docgen-lo-", ".docgen-pdf-")

#: The staging folders of render and build before they had the prefix (tempfile's 8 characters).
_OLD_STAGING = re.compile(r"^\.docgen-[a-z0-9_]{8}$")

#: Folders this process holds the lock of: (device, inode) -> [descriptor, holders].
_HELD: dict[tuple[int, int], list[int]] = {}


def plain_name(name: str) -> bool:
    """A file name directly in the folder: no path separator, not hidden, not "." or ".."."""
    return bool(name) and "/" not in name and "\\" not in name and not name.startswith(".") and "\x00" not in name


def staging_folder(folder: Path) -> Path:
    """A new staging folder inside `folder` (which the caller holds the lock of)."""
    return Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=folder))


class FolderLock:
    """``with FolderLock(path):`` the folder (created if missing) is this run's alone; see the module."""

    def __init__(self, folder: Path, recover=None, *, reentrant: bool = False):
        self.folder = folder
        #: Whether a lock this process holds already on the folder may be shared (else refused).
        self.reentrant = reentrant
        #: Run under the lock before the leftovers are removed (`OutputFolder.recover`).
        self.recover = recover
        self._key: tuple[int, int] | None = None
        self._created: list[Path] = []

    def __enter__(self) -> FolderLock:
        missing = [p for p in (self.folder, *self.folder.parents) if not os.path.lexists(p)]
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            self._created = missing  # innermost first
            fd = os.open(self.folder, os.O_RDONLY | os.O_DIRECTORY)
        except OSError as exc:
            raise OutputError(f"无法写入输出目录 {self.folder}：{reason(exc)}。请换一个目录（-o）或检查权限。") from None
        info = os.fstat(fd)
        key = (info.st_dev, info.st_ino)
        if key in _HELD and self.reentrant:  # this process holds it already
            os.close(fd)
            _HELD[key][1] += 1
            self._key = key
            return self
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as exc:
            os.close(fd)
            self._remove_created()
            if exc.errno in (errno.EWOULDBLOCK, errno.EAGAIN, errno.EACCES):
                raise OutputError(f"输出目录 {self.folder} 正被另一个 docgen 进程使用（同时运行了两次？）。"
                                  "请等它结束后再运行，或用 -o 换一个输出目录。") from None
            raise OutputError(f"无法锁定输出目录 {self.folder}：{reason(exc)}。") from None
        _HELD[key] = [fd, 1]
        self._key = key
        try:
            if self.recover is not None:
                self.recover()
            self.clear_leftovers()
        except OSError as exc:
            self.__exit__(None, None, None)
            raise OutputError(f"无法写入输出目录 {self.folder}：{reason(exc)}。请换一个目录（-o）或检查权限。") from None
        return self

    def __exit__(self, *exc) -> None:
        if self._key is None:
            return
        held = _HELD[self._key]
        held[1] -= 1
        if held[1] == 0:
            del _HELD[self._key]
            os.close(held[0])  # releases the lock
        self._key = None
        self._remove_created()

    def _remove_created(self) -> None:
        """Remove the folders this run created and left empty (a failed run leaves no trace)."""
        for path in self._created:
            try:
                path.rmdir()
            except OSError:
                break
        self._created = []

    def clear_leftovers(self) -> None:
        """Remove what killed runs left directly in the folder (real folders only, never a link)."""
        for child in self.folder.iterdir():
            if not child.is_dir() or child.is_symlink():
                continue
            if child.name.startswith(LEFTOVERS) or (_OLD_STAGING.match(child.name) and _old_staging(child)):
                shutil.rmtree(child, ignore_errors=True)


def _old_staging(folder: Path) -> bool:
    """Whether a folder named like an older render's staging holds only what it staged (000.docx,
    000.pdf, LibreOffice's work folders): a folder of the user's that happens to match is kept."""
    return all(_STAGED_FILE.match(p.name) or p.name.startswith(LEFTOVERS) for p in folder.iterdir())


_STAGED_FILE = re.compile(r"^\d{3,}\.(?:docx|pdf)$")


class OutputFolder:
    """``with OutputFolder(path, "manifest.json") as out:`` write with `out.write`, then `out.publish`."""

    def __init__(self, folder: Path, manifest: str):
        self.folder = folder
        self.manifest = manifest
        self.staging: Path | None = None
        self._lock = FolderLock(folder, self.recover)
        self._token = ""

    # -- lock and recovery ----------------------------------------------------------------------
    def __enter__(self) -> OutputFolder:
        self._lock.__enter__()  # finishes a publication cut short, removes leftovers
        try:
            self.staging = staging_folder(self.folder)
            self._token = secrets.token_hex(16)
            with open(self.staging / TOKEN, "x", encoding="utf-8") as f:
                f.write(self._token)
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
            self._lock.__exit__(*exc)

    def recover(self) -> None:
        """Finish a publication a killed run left half done, when the journal is one this code
        wrote for a staging folder it made (module docstring); otherwise drop the journal."""
        journal = self.folder / JOURNAL
        try:
            info = os.lstat(journal)
        except FileNotFoundError:
            return
        if stat.S_ISREG(info.st_mode):
            staged = self._verified(journal)
            if staged is not None:
                self._move(*staged)
        if not stat.S_ISDIR(info.st_mode):
            journal.unlink(missing_ok=True)

    def _verified(self, journal: Path) -> tuple[Path, list[str], list[str]] | None:
        """(staging folder, files, stale) of a journal that checks out, else None."""
        try:
            fd = os.open(journal, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, encoding="utf-8") as f:
                plan = json.loads(f.read(1 << 20))
            name, token, files, stale = plan["staging"], plan["token"], plan["files"], plan["stale"]
            device, inode = plan["device"], plan["inode"]
        except (OSError, ValueError, KeyError, TypeError):
            return None
        if not (isinstance(name, str) and name.startswith(STAGING_PREFIX) and plain_name(name.lstrip("."))
                and isinstance(token, str) and token and isinstance(files, list) and isinstance(stale, list)
                and all(isinstance(n, str) and plain_name(n) for n in [*files, *stale])):
            return None
        staging = self.folder / name
        try:
            info = os.lstat(staging)
            if not (stat.S_ISDIR(info.st_mode) and (info.st_dev, info.st_ino) == (device, inode)
                    and info.st_uid == os.getuid()):
                return None
            fd = os.open(staging / TOKEN, os.O_RDONLY | os.O_NOFOLLOW)
            with os.fdopen(fd, encoding="utf-8") as f:
                if f.read(64) != token:
                    return None
        except OSError:
            return None
        return staging, files, stale

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
        if not _regular(path):
            return set()
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
            tmp.unlink(missing_ok=True)
            info = os.lstat(self.staging)
            tmp.write_text(json.dumps({"staging": self.staging.name, "files": files, "stale": stale,
                                       "token": self._token, "device": info.st_dev, "inode": info.st_ino},
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
            if plain_name(name) and _regular(staging / name):
                os.replace(staging / name, self.folder / name)
        for name in stale:
            if plain_name(name) and not (self.folder / name).is_dir():
                (self.folder / name).unlink(missing_ok=True)
        if _regular(staging / self.manifest):
            os.replace(staging / self.manifest, self.folder / self.manifest)


def _regular(path: Path) -> bool:
    """A regular file (a symbolic link is not, whatever it points to)."""
    try:
        return stat.S_ISREG(os.lstat(path).st_mode)
    except OSError:
        return False


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
