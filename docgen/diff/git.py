"""Git integration: ``docgen git-setup``, the external diff driver, and the textconv filter.

Why both a diff ``command`` and a ``textconv`` for plans: `git diff` runs the external diff
command, which gives the true semantic diff — tasks matched by 编号, renames and moves recognised,
修改说明 written. `git log -p` and `git show` run it only with ``--ext-diff``,
but they do run textconv filters; for them the plan is shown as a normalized outline
(`outline.outline`), so the line diff is still readable and free of numbering shifts. Built
.docx files get a textconv that prints their paragraphs and tables.

The driver never fails a `git diff`: a side that cannot be read as a plan is shown as an
ordinary line diff, with one line saying why.
"""

from __future__ import annotations

import difflib
import errno
import io
import shlex
import shutil
import sys
from dataclasses import dataclass
from pathlib import Path

from docgen.config import Settings
from docgen.diff.docxtext import docx_text
from docgen.diff.formats import TextFormat
from docgen.diff.outline import outline
from docgen.diff.result import DiffError, DiffResult, FileDiff
from docgen.diff.sources import load_blobs, load_files
from docgen.gitutil import Git
from docgen.untrusted import OLE_MAGIC, LimitExceeded, Limits, Unreadable, read_bytes

ATTRIBUTES = ".gitattributes"
BEGIN = "# >>> docgen git-setup：方案显示语义差异，Word 文件显示文字（由 docgen git-setup 维护）"
END = "# <<< docgen git-setup"
NULL = "/dev/null"


def docgen_command(root: Path | None = None) -> str:
    """How git should start this docgen, in a form that survives moving the virtualenv.

    A virtualenv inside the repository (``make demo``'s ``.venv``) is named relative to the top of
    the working tree, which git's shell finds with ``git rev-parse``, so moving or cloning the whole
    folder keeps it working; otherwise ``docgen`` as found on PATH when that is this installation
    (an activated virtualenv: moved and activated again, it is found again); otherwise the
    interpreter's absolute path.
    """
    exe = Path(sys.executable).absolute()
    if root is not None:
        try:
            inside = exe.relative_to(root.absolute())
        except ValueError:
            inside = None
        if inside is not None:
            return f'"$(git rev-parse --show-toplevel)"/{shlex.quote(inside.as_posix())} -m docgen.cli'
    found = shutil.which("docgen")
    if found and Path(found).absolute().parent == exe.parent:
        return "docgen"
    return f"{shlex.quote(str(exe))} -m docgen.cli"


@dataclass(frozen=True)
class SetupReport:
    attributes: Path
    patterns: list[str]
    config: dict[str, str]


def attribute_lines(git: Git, settings: Settings) -> list[str]:
    """Plans under the configured paths use the docgen driver; registries keep git's line diff."""
    lines: list[str] = []
    for path in settings.paths:
        rel = git.relative(path)
        if rel is not None:
            prefix = "" if rel == "." else f"{rel}/"
            lines += [f"{prefix}**/*.yaml diff=docgen", f"{prefix}**/*.yml diff=docgen"]
    for path in settings.registry:
        rel = git.relative(path)
        if rel is not None and rel != ".":
            lines += ([f"{rel}/**/*.yaml !diff", f"{rel}/**/*.yml !diff"] if not path.is_file() else [f"{rel} !diff"])
    lines.append("*.docx diff=docgen-docx")
    return lines


def setup(cwd: Path, settings: Settings, command: str | None = None) -> SetupReport:
    """Write the docgen block of `.gitattributes` and the drivers into the repository's local config."""
    git = Git.at(cwd)
    command = command or docgen_command(git.root)
    lines = attribute_lines(git, settings)
    path = git.root / ATTRIBUTES
    path.write_text(_replace_block(path.read_text(encoding="utf-8") if path.exists() else "", lines),
                    encoding="utf-8")
    config = {
        "diff.docgen.command": f"{command} git-diff-driver",
        "diff.docgen.textconv": f"{command} textconv",
        "diff.docgen-docx.textconv": f"{command} textconv",
        "diff.docgen-docx.cachetextconv": "true",
    }
    for key, value in config.items():
        git.config(key, value)
    return SetupReport(path, lines, config)


def _replace_block(text: str, lines: list[str]) -> str:
    """`text` with the docgen block replaced (or appended), everything else left as it was."""
    block = "\n".join([BEGIN, *lines, END]) + "\n"
    kept: list[str] = []
    inside = False
    placed = False
    for line in text.splitlines():
        if line.startswith(BEGIN.split("：")[0]):
            inside = True
            continue
        if inside:
            if line == END:
                inside = False
                kept.append(block.rstrip("\n"))
                placed = True
            continue
        kept.append(line)
    if not placed:
        if kept and kept[-1].strip():
            kept.append("")
        kept.append(block.rstrip("\n"))
    return "\n".join(kept) + "\n"


# -- the external diff driver ------------------------------------------------------------------------


def driver(args: list[str], settings: Settings, color: bool = False) -> str:
    """The output for git's external diff call: ``path old-file old-hex old-mode new-file new-hex new-mode
    [new-path rename-info]``, or just ``path`` for an unmerged file."""
    if len(args) == 1:
        return f"* 未合并的文件：{args[0]}\n"
    if len(args) not in (7, 9):
        raise DiffError(f"git-diff-driver 需要 7 或 9 个参数（由 git 传入），现在是 {len(args)} 个。")
    path, old_file, new_file = args[0], args[1], args[4]
    new_path = args[7] if len(args) == 9 else path
    old_data = None if old_file == NULL else Path(old_file).read_bytes()
    new_data = None if new_file == NULL else Path(new_file).read_bytes()
    header = f"docgen diff a/{path} b/{new_path}\n"
    try:
        old = load_blobs({path: old_data}, settings, "a")[path] if old_data is not None else None
        new = load_blobs({new_path: new_data}, settings, "b")[new_path] if new_data is not None else None
    except DiffError as exc:
        reason = exc.problems[0] if exc.problems else None
        why = f"{reason.location}: {reason.message}" if reason else exc.message
        return header + f"（docgen：无法按方案读取，显示逐行差异。{why}）\n" + _line_diff(path, new_path, old_data, new_data)
    if old is None and new is None:
        return header + _line_diff(path, new_path, old_data, new_data)
    diff = FileDiff.build(f"a/{path}" if old else None, f"b/{new_path}" if new else None, old, new, new_path)
    if not diff.changes:
        return header + "（只改动了格式或注释，内容没有实质性修改。）\n"
    text = io.StringIO()
    TextFormat(color).write(DiffResult("a", "b", [diff]), text)
    return header + text.getvalue()


def _line_diff(path: str, new_path: str, old: bytes | None, new: bytes | None) -> str:
    def lines(data: bytes | None) -> list[str]:
        return data.decode("utf-8", "replace").splitlines(keepends=True) if data is not None else []

    out = difflib.unified_diff(lines(old), lines(new), f"a/{path}" if old is not None else NULL,
                               f"b/{new_path}" if new is not None else NULL)
    return "".join(line if line.endswith("\n") else line + "\n" for line in out)


# -- textconv ----------------------------------------------------------------------------------------


def textconv(path: Path, settings: Settings, limits: Limits | None = None) -> str:
    """A file as text for git: a .docx's paragraphs and tables, a plan's outline, else the file itself.

    A .docx is untrusted: it is read within `limits` (`docgen.diff.docxtext`); a broken or hostile
    one raises `DiffError` with the reason.
    """
    limits = limits or Limits.from_environment()
    try:
        with path.open("rb") as f:
            head = f.read(8)
        size = path.stat().st_size
    except OSError as exc:
        reason = {errno.EACCES: "没有读取权限", errno.EPERM: "没有读取权限", errno.ENOENT: "文件不存在",
                  errno.EISDIR: "这是一个目录"}.get(exc.errno, exc.strerror or str(exc))
        raise DiffError(f"无法读取“{path}”：{reason}。") from None
    if head.startswith(b"PK\x03\x04") or head.startswith(OLE_MAGIC):
        try:
            return docx_text(path, limits)
        except Unreadable as exc:
            raise DiffError(f"“{path}”不是可以读取的 Word 文件：{exc.message}。") from None
        except LimitExceeded as exc:
            raise DiffError(f"“{path}”没有转为文字：{exc.message}") from None
    if size > limits.size:
        raise DiffError(f"“{path}”没有转为文字：{LimitExceeded('size', limits.size, '文件太大').message}")
    try:
        data = read_bytes(path, limits)
    except (Unreadable, LimitExceeded) as exc:
        raise DiffError(f"“{path}”没有转为文字：{exc.message}") from None
    try:
        plan = load_files([path], path.parent, settings)[path]
    except DiffError:
        plan = None
    from docgen.model import Plan

    return outline(plan) if isinstance(plan, Plan) else data.decode("utf-8", "replace")
