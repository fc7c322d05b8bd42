"""`docgen check`: every plan and registry file under the paths given, each under its own project.

The stages themselves (find files -> load -> schema -> model -> lint) are the checked-plan entry,
`docgen.checked`; this job groups the paths by project (each with its own ``[tool.docgen]``, found
like ruff finds its configuration) and checks them without keeping the plans.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from docgen import config
from docgen.checked import prepare
from docgen.config import Settings
from docgen.problems import Problem, Result


def check(paths: list[Path], settings: Settings, base: Path | None = None) -> Result:
    """Check every plan and registry file under `paths`; all findings of all files in one result.

    Files are dropped once checked (`prepare(keep=False)`): 50,000 tasks in ten files take the
    memory of one of them."""
    return prepare(paths, settings, base, keep=False)[1]


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


def check_projects(paths: list[Path], options: Options | None = None, base: Path | None = None) -> Result:
    """Check `paths`, each under the configuration of its own project; one result for all."""
    groups: dict[int, tuple[Settings, list[Path]]] = {}
    for path in paths:
        found = config.settings_for(path)
        groups.setdefault(id(found), (found, []))[1].append(path)
    result = Result()
    for _, group in groups.values():
        settings = settings_for(group[0], options)
        part = check(group, settings, base)
        result.problems.extend(part.problems)
        result.files.extend(part.files)
    result.problems.sort(key=Problem.sort_key)
    return result
