"""What a finding code is: a stable code, a readable name, a default severity, docs in its docstring."""

from __future__ import annotations

import inspect
from typing import ClassVar

from docgen.problems import Location, Problem, Severity


class Code:
    """Base class of every code. Subclasses set `code`, `name`, `summary` and a docstring."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    #: "load", "schema", "collect" (emitted by those stages) or "lint" (a rule with a `check`).
    stage: ClassVar[str] = "lint"

    @classmethod
    def problem(cls, message: str, location: Location) -> Problem:
        return Problem(cls.code, cls.name, cls.severity, message, location)

    @classmethod
    def doc(cls) -> str:
        """The code's documentation: its docstring, dedented."""
        return inspect.cleandoc(cls.__doc__ or cls.summary)
