"""Where a project begins: its configuration file, and the folder that paths written inside its files
must stay in.

A plan's 上级方案, a 通报's 数据 and a 模板 are paths written inside files that may come from anywhere:
docgen reads them only when they stay in the project (the folder of the nearest ``docgen.toml`` or
``pyproject.toml`` with ``[tool.docgen]``, or the file's own folder when there is none) or are files the user gave
on the command line. Used by the check (parent plans, data files) and by rendering (templates).
Imports nothing from docgen, so every layer may use it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from pathlib import Path

CONFIG_FILE = "pyproject.toml"
#: A repository that keeps only plans (no Python project) puts the same keys at the top of this file.
OWN_CONFIG_FILE = "docgen.toml"


def _has_docgen_table(pyproject: Path) -> bool:
    try:
        text = pyproject.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return False
    return re.search(r"\btool\s*\.\s*docgen\b|^\s*\[\s*tool\s*\][^\[]*^\s*docgen\s*=|^\s*tool\s*=.*\bdocgen\b",
                     text, re.M | re.S) is not None


def find_config(start: Path) -> Path | None:
    """The nearest docgen.toml, or pyproject.toml with a ``[tool.docgen]`` table, in `start` or above it."""
    try:
        start = start.resolve()
    except (RuntimeError, OSError):  # a symlink loop: look from where it is written
        start = Path(os.path.abspath(start))
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        own = candidate / OWN_CONFIG_FILE
        if own.is_file():
            return own
        pyproject = candidate / CONFIG_FILE
        if pyproject.is_file() and _has_docgen_table(pyproject):
            return pyproject
    return None


def project_folder(file: Path) -> Path:
    """The folder the paths written inside `file` (上级方案, 数据, 模板) must stay in: that of its
    nearest configuration, or the file's own folder when it has none."""
    config = find_config(file)
    try:
        return (config.parent if config is not None else file.parent).resolve()
    except (RuntimeError, OSError):
        return Path(os.path.abspath(file.parent))


def within(target: Path, folders: Iterable[Path], given: Iterable[Path] = ()) -> bool:
    """Whether `target`, a path written inside a file, stays in one of `folders` (the project) or is
    one of the files `given` on the command line. Symbolic links are followed first: a link in
    the project pointing outside it is outside."""
    try:
        resolved = target.resolve()
    except (RuntimeError, OSError):
        return False
    if any(resolved == g.resolve() for g in given):
        return True
    return any(resolved.is_relative_to(f.resolve()) for f in folders)


def outside_message(what: str, folder: Path) -> str:
    """Why a path written inside a file is not read, and how to go on."""
    return (f"{what}在项目目录 {folder} 之外。文件中写的路径只能指向项目中的文件（项目目录是最近的含 [tool.docgen] "
            f"的 pyproject.toml 所在目录），docgen 不读项目外的文件；请把它复制到项目中，或在命令行上给出它")


