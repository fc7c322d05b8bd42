"""Which plans depend on a set of changed files (for `docgen check --dependents`, pre-commit and CI).

A plan depends on the unit registry (every name in it is looked up there) and on its parent plan
(上级方案), transitively: renaming a unit in the registry can break any plan; changing a city plan
can break the street plans under it and the village plans under those. pre-commit passes only
the files being committed, so the hook asks for their dependents too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from docgen.checked import discover
from docgen.config import Settings

#: 上级方案 and 组织 as top-level keys (at the start of a line), read without parsing the whole file.
_PARENT = re.compile(r"^上级方案[ \t]*:[ \t]*(['\"]?)(?P<path>[^#\n'\"]+?)\1[ \t]*(?:#.*)?$", re.MULTILINE)
_REGISTRY = re.compile(r"^组织[ \t]*:", re.MULTILINE)


@dataclass
class Dependents:
    #: The files given (YAML files under the paths), resolved.
    given: list[Path]
    #: Plans under the configured `paths` that depend on a given file, not given themselves.
    added: list[Path]

    @property
    def files(self) -> list[Path]:
        return self.given + self.added


def _text(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return ""  # unreadable: the check itself reports it


def parent_of(path: Path) -> Path | None:
    """The plan named in `path`'s top-level 上级方案, resolved; None when it names none."""
    match = _PARENT.search(_text(path))
    return (path.parent / match.group("path").strip()).resolve() if match else None


def find(paths: list[Path], settings: Settings) -> Dependents:
    """The YAML files under `paths` and every plan under `settings.paths` that depends on one of them."""
    given = discover(paths)
    registry = set(discover([p for p in settings.registry if p.exists()]))
    candidates = [p for p in discover([p for p in settings.paths if p.exists()]) if p not in registry]
    plans = [p for p in candidates if not _REGISTRY.search(_text(p))]
    if any(f in registry or _REGISTRY.search(_text(f)) for f in given):
        reached = set(plans)  # any plan may name a unit, group or organ of the registry
    else:
        parents = {plan: parent_of(plan) for plan in plans}
        reached = set(given)
        grown = True
        while grown:
            grown = False
            for plan, parent in parents.items():
                if parent in reached and plan not in reached:
                    reached.add(plan)
                    grown = True
    chosen = set(given)
    return Dependents(given, [p for p in plans if p in reached and p not in chosen])
