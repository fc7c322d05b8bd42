"""Findings: every problem docgen reports, from parsing, schema or rules, is a `Problem`."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from pathlib import Path


class Severity(str, enum.Enum):
    """How serious a finding is; shown to the drafter and used by `--format github`."""

    ERROR = "error"
    WARNING = "warning"
    #: Shown to the drafter but not a failure: `docgen check` exits 0 when only info findings remain
    #: (e.g. a received plan's tasks without 责任单位 or 完成时限, which the office did not write).
    INFO = "info"

    @property
    def label(self) -> str:
        return _LABELS[self]


_LABELS = {Severity.ERROR: "错误", Severity.WARNING: "警告", Severity.INFO: "提示"}


@dataclass(frozen=True, order=True)
class Location:
    """A place in a source file; `line` and `column` are 1-based, as editors show them."""

    file: str
    line: int = 1
    column: int = 1

    def __str__(self) -> str:
        return f"{self.file}:{self.line}:{self.column}"


@dataclass(frozen=True)
class Problem:
    """One finding: which rule, how serious, where, and what to do about it (in Chinese)."""

    code: str
    name: str
    severity: Severity
    message: str
    location: Location

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code)

    def with_severity(self, severity: Severity) -> "Problem":
        return replace(self, severity=severity)

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
        }


class DocgenError(Exception):
    """A failure the user must fix before docgen can go on (bad config, unreadable input).

    Carries the problems that explain it; the CLI prints them and exits 2.
    """

    def __init__(self, problems: list[Problem]):
        super().__init__("; ".join(p.message for p in problems))
        self.problems = problems


@dataclass
class Result:
    """The outcome of a check: problems found, files looked at."""

    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        """No findings other than info ones."""
        return all(p.severity is Severity.INFO for p in self.problems)


def display_path(path: Path, base: Path | None = None) -> str:
    """`path` relative to `base` (default: the working directory) when inside it, else absolute."""
    base = base or Path.cwd()
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except ValueError:
        return path.as_posix()
