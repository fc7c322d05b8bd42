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


class Fix(NamedTuple):
    """A safe, deterministic edit that resolves a finding: `old` at (line, column) becomes `new`.

    `docgen check --fix` applies it only where the file still holds `old` at that place, so an edit
    never lands on text it was not computed for; the editor offers it as a quick fix.
    """

    line: int
    column: int
    old: str
    new: str
    #: What the edit does, for a person (“改为“市应急管理局””).
    title: str

    @property
    def end(self) -> tuple[int, int]:
        """(line, column) just after `old`."""
        rows = self.old.split("\n")
        if len(rows) == 1:
            return self.line, self.column + len(self.old)
        return self.line + len(rows) - 1, len(rows[-1]) + 1


@dataclass(frozen=True)
class Problem:
    """One finding: which rule, how serious, where, and what to do about it (in Chinese)."""

    code: str
    name: str
    severity: Severity
    message: str
    location: Location
    #: Where the flagged text ends (line, column just after it), when known.
    end: tuple[int, int] | None = None
    fix: Fix | None = None

    def sort_key(self) -> tuple[str, int, int, str]:
        loc = self.location
        return (loc.file, loc.line, loc.column, self.code)

    def with_severity(self, severity: Severity) -> Problem:
        return replace(self, severity=severity)

    def with_fix(self, fix: Fix | None) -> Problem:
        """This finding with a fix (its end is where the fixed text ends)."""
        if fix is None:
            return self
        return replace(self, fix=fix, end=self.end or fix.end)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "file": self.location.file,
            "line": self.location.line,
            "column": self.location.column,
            "code": self.code,
            "name": self.name,
            "severity": self.severity.value,
            "message": self.message,
        }
        if self.end is not None:
            out["end_line"], out["end_column"] = self.end
        if self.fix is not None:
            fix = self.fix
            out["fix"] = {"title": fix.title, "line": fix.line, "column": fix.column, "end_line": fix.end[0],
                          "end_column": fix.end[1], "old": fix.old, "new": fix.new}
        return out


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


def with_ends(problems: list[Problem], texts: dict[str, str]) -> list[Problem]:
    """`problems` with an end each, where none is known: the end of the value written at the place
    (the rest of the line, without a trailing comment), so editors and SARIF can mark a span."""
    lines: dict[str, list[str]] = {}
    out = []
    for p in problems:
        loc = p.location
        text = texts.get(loc.file)
        if p.end is not None or text is None or loc.sheet or loc.line < 1:
            out.append(p)
            continue
        rows = lines.get(loc.file)
        if rows is None:
            rows = lines[loc.file] = text.split("\n")
        if loc.line > len(rows):
            out.append(p)
            continue
        row = rows[loc.line - 1].rstrip("\r")
        rest = row[loc.column - 1:]
        cut = rest.find(" #")
        rest = (rest[:cut] if cut >= 0 else rest).rstrip()
        out.append(replace(p, end=(loc.line, loc.column + max(len(rest), 1))))
    return out
