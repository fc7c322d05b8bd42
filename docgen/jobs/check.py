"""`docgen check`: every plan and registry file under the paths given, each under its own project.

The stages themselves (find files -> load -> schema -> model -> lint) are the checked-plan entry,
`docgen.checked`; this job groups the paths by project (each with its own ``[tool.docgen]``, found
like ruff finds its configuration) and checks them without keeping the plans.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from docgen import config
from docgen.checked import prepare
from docgen.config import Settings
from docgen.fixes import Edited
from docgen.problems import Problem, Result


def check(paths: list[Path], settings: Settings, base: Path | None = None,
          progress: Callable[[int, int], None] | None = None) -> Result:
    """Check every plan and registry file under `paths`; all findings of all files in one result.

    Files are dropped once checked (`prepare(keep=False)`): 50,000 tasks in ten files take the
    memory of one of them."""
    return prepare(paths, settings, base, keep=False, progress=progress)[1]


@dataclass
class Options:
    """Command-line options that apply over every project's ``[tool.docgen]``."""

    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    registry: list[Path] = field(default_factory=list)


def settings_for(path: Path, options: Options | None = None) -> Settings:
    """The settings governing `path`, with `options` applied; raises ConfigError without a registry."""
    options = options or Options()
    settings = config.settings_for(path).with_options(select=options.select, ignore=options.ignore,
                                                      registry=options.registry)
    config.require_registry(settings, path)
    return settings


def check_projects(paths: list[Path], options: Options | None = None, base: Path | None = None,
                   progress: Callable[[int, int], None] | None = None) -> Result:
    """Check `paths`, each under the configuration of its own project; one result for all.
    `progress(bytes done, bytes in all)` is called as each project's files are checked."""
    groups: dict[int, tuple[Settings, list[Path]]] = {}
    for path in paths:
        found = config.settings_for(path)
        groups.setdefault(id(found), (found, []))[1].append(path)
    result = Result()
    for _, group in groups.values():
        settings = settings_for(group[0], options)
        part = check(group, settings, base, progress)
        result.problems.extend(part.problems)
        result.files.extend(part.files)
        result.caused += part.caused
    if len(groups) > 1:  # one project's findings keep their order: a broken registry's first
        result.problems.sort(key=Problem.sort_key)
    return result


#: Passes of `fix`: a fix can reveal another (two marks side by side), as with ruff.
_FIX_PASSES = 3


def fix(paths: list[Path], options: Options | None = None, base: Path | None = None, *,
        write: bool = True) -> tuple[Result, list[Edited]]:
    """Apply the safe fixes of the findings under `paths` (`docgen check --fix`); (findings left, files edited).

    Without `write` nothing is written (`--diff`): the edits are computed once and returned. Files
    are rewritten whole through a temporary file beside them; a UTF-8 byte-order mark is kept.
    """
    from docgen.fixes import apply

    base = base or Path.cwd()
    edited: dict[str, Edited] = {}
    result = check_projects(paths, options, base)
    for _ in range(_FIX_PASSES):
        by_file: dict[str, list] = {}
        for problem in result.problems:
            if problem.fix is not None:
                by_file.setdefault(problem.location.file, []).append(problem.fix)
        changed = False
        for name, fixes in by_file.items():
            path = Path(name) if Path(name).is_absolute() else base / name
            raw = path.read_bytes()
            bom = b"\xef\xbb\xbf" if raw.startswith(b"\xef\xbb\xbf") else b""
            before = raw[len(bom):].decode("utf-8")
            after, count = apply(before, fixes)
            if not count:
                continue
            changed = True
            kept = edited.get(name)
            edited[name] = Edited(name, kept.before if kept else before, after, count + (kept.applied if kept else 0))
            if write:
                _replace(path, bom + after.encode("utf-8"))
        if not write or not changed:
            break
        result = check_projects(paths, options, base)
    return result, list(edited.values())


def _replace(path: Path, data: bytes) -> None:
    """Write `data` to `path` through a temporary file in the same folder (never a half-written plan)."""
    import os
    import tempfile

    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(data)
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
