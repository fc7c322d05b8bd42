"""Findings: every problem docgen reports, from parsing, schema or rules, is a `Problem`."""

from __future__ import annotations

import enum
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import NamedTuple


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


class Location(NamedTuple):
    """A place in a source file; `line` and `column` are 1-based, as editors show them.

    A named tuple: a large plan needs a few hundred thousand of them, and a tuple is the cheapest
    immutable, ordered, hashable record to make (`docgen.load` makes them with `tuple.__new__`).
    """

    file: str
    line: int = 1
    column: int = 1
    #: Line 0 stands for the file as a whole (a workbook that cannot be opened).
    #: For a cell of a workbook, the sheet's name: the place is then shown as ``file:sheet!F3``
    #: (`line` is the row, `column` the column number).
    sheet: str = ""

    def __str__(self) -> str:
        if self.line == 0:  # the file as a whole
            return self.file
        if self.sheet:
            return f"{self.file}:{self.sheet}!{column_letter(self.column)}{self.line}"
        return f"{self.file}:{self.line}:{self.column}"


def column_letter(number: int) -> str:
    """The spreadsheet name of a 1-based column number: 1 -> A, 27 -> AA."""
    letters = ""
    while number > 0:
        number, rest = divmod(number - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


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

    def with_severity(self, severity: Severity) -> Problem:
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


@dataclass
class Result:
    """The outcome of a check: problems found, files looked at."""

    problems: list[Problem] = field(default_factory=list)
    files: list[str] = field(default_factory=list)
    #: Findings left out because a broken registry file causes them (reported first instead).
    caused: int = 0

    @property
    def clean(self) -> bool:
        """No findings other than info ones."""
        return all(p.severity is Severity.INFO for p in self.problems)

    @property
    def errors(self) -> list[Problem]:
        """The findings that stop a job (severity error)."""
        return [p for p in self.problems if p.severity is Severity.ERROR]


def display_path(path: Path, base: Path | None = None) -> str:
    """`path` relative to `base` (default: the working directory) when inside it, else absolute."""
    base = base or Path.cwd()
    try:
        return path.resolve().relative_to(base.resolve()).as_posix()
    except (ValueError, RuntimeError):  # outside `base`, or a symlink loop
        return path.as_posix()
