"""Writing output files safely: each file appears whole or not at all."""

from __future__ import annotations

import errno
import os
import tempfile
from pathlib import Path

from docgen.errors import OutputError

__all__ = ["OutputError", "atomic_write", "output_file", "output_folder"]


_REASONS = {
    errno.ENOENT: "目录不存在", errno.ENOTDIR: "路径中有一段不是目录", errno.EACCES: "没有写入权限",
    errno.EPERM: "没有写入权限", errno.EROFS: "文件系统只读", errno.ENOSPC: "磁盘空间不足",
    errno.EISDIR: "同名的目录已存在", errno.EEXIST: "路径中有一段是已有的文件，不是目录",
    errno.ELOOP: "路径中的符号链接互相指向，构成循环", errno.EDQUOT: "超出了磁盘配额",
    errno.EFBIG: "文件太大", errno.EMFILE: "打开的文件太多",
}


def reason(exc: OSError) -> str:
    """Why an output file or folder cannot be made, in Chinese (never the system's English text).

    A folder on the way that is a dangling symbolic link or a file makes ``mkdir`` fail with
    "File exists"; that case names the path and what it is.
    """
    name = exc.filename
    if exc.errno == errno.EEXIST and name is not None:
        path = Path(os.fsdecode(name))
        if path.is_symlink() and not path.exists():
            try:
                path.resolve(strict=True)
            except RuntimeError:
                return f"“{path}”是符号链接，{_REASONS[errno.ELOOP]}，请删除或改正它"
            except OSError:
                pass
            return f"“{path}”是指向不存在位置“{os.readlink(path)}”的符号链接，请删除它，或让它指向一个已有的目录"
        if path.exists() and not path.is_dir():
            return f"“{path}”是一个文件，不是目录"
        return f"“{path}”已存在"
    if exc.errno in _REASONS:
        return _REASONS[exc.errno]
    return f"系统报告“{exc.strerror or exc}”（错误号 {exc.errno}）" if exc.errno else "无法访问"


def output_folder(path: Path) -> Path:
    """The absolute folder `path` names, to write into (created later, by the writer).

    Refused with `OutputError`: a symbolic link that points nowhere (writing through it would
    create its target somewhere the drafter did not choose) and links that form a loop.
    """
    try:
        resolved = path.resolve()
    except (RuntimeError, OSError):  # Python reports a symlink loop as RuntimeError
        raise OutputError(f"无法写入 {path}：{_REASONS[errno.ELOOP]}。请删除或改正这个符号链接，或换一个输出目录。") from None
    if path.is_symlink() and not path.exists():
        message = reason(OSError(errno.EEXIST, "", str(path)))
        raise OutputError(f"无法写入 {path}：{message}。")
    return resolved


def output_file(path: Path) -> Path:
    """The absolute path of a file to write (`import -o`); a symbolic link forming a loop is
    refused with `OutputError` (a link to a file is written through, a dangling one replaced)."""
    try:
        return path.resolve()
    except (RuntimeError, OSError):
        raise OutputError(f"无法写入 {path}：{_REASONS[errno.ELOOP]}。请删除这个符号链接，或换一个文件名。") from None


def _file_mode() -> int:
    """The mode a plain ``open(path, "w")`` would give a new file: 0666 less the umask (0644 usually)."""
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


def atomic_write(path: Path, data: bytes | str) -> None:
    """Write `data` (text as UTF-8) to `path` through a temporary file in the same folder and a
    rename, so an interrupted run never leaves a truncated file. Creates missing folders. The file
    gets the mode any new file gets (0644 with the usual umask), like the files `render` writes.

    Raises `OutputError` when the folder or file cannot be written.
    """
    atomic_write_all([(path, data)])


def atomic_write_all(files: list[tuple[Path, bytes | str]]) -> None:
    """`atomic_write` for several files at once: every file is written to its temporary file first
    and renamed into place only when all of them are written, so a full disk or a refused write
    leaves none of them changed (renames within a folder need no space)."""
    staged: list[tuple[Path, Path]] = []
    placed = 0  # the first `placed` temporary files are renamed into place: gone
    current = None
    mode = _file_mode()
    folders: set[Path] = set()  # made already (a cascade writes two files into each of thousands)
    try:
        for current, data in files:
            staged.append((_staged(current, data, mode, folders), current))
        for tmp, current in staged:
            os.replace(tmp, current)
            placed += 1
    except OSError as exc:
        raise OutputError(f"无法写入 {current}：{reason(exc)}。请腾出磁盘空间、检查权限或换一个输出目录后重新运行。"
                          ) from None
    finally:
        for tmp, _ in staged[placed:]:
            tmp.unlink(missing_ok=True)


def _staged(path: Path, data: bytes | str, mode: int, folders: set[Path]) -> Path:
    """`data` written to a new temporary file beside `path` (folders created), with a new file's
    `mode`; `folders` are the folders known to exist (this one is added)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    if path.parent not in folders:
        path.parent.mkdir(parents=True, exist_ok=True)
        folders.add(path.parent)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            os.fchmod(f.fileno(), mode)  # mkstemp makes 0600; every output gets the same mode
            f.write(data)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return Path(tmp)
