"""What a rule is: a stable code, a readable name, a default severity, docs in its docstring.

Rules of the *load* and *schema* stages are emitted by `docgen.load` and `docgen.schema`; they
have no `check` of their own but are listed and documented like every other rule.
Lint rules implement `check(ctx)` and yield problems made with `self.problem(...)`.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from typing import TYPE_CHECKING, ClassVar

from docgen.problems import Location, Problem, Severity

if TYPE_CHECKING:
    from docgen.context import CheckContext


class Rule:
    """Base class of every rule. Subclasses set `code`, `name`, `summary` and a docstring."""

    code: ClassVar[str]
    name: ClassVar[str]
    summary: ClassVar[str]
    severity: ClassVar[Severity] = Severity.ERROR
    #: "load", "schema" (emitted by those stages) or "lint" (has a `check`).
    stage: ClassVar[str] = "lint"

    def check(self, ctx: "CheckContext") -> Iterator[Problem]:
        """Yield the problems this rule finds in everything loaded for the run."""
        return iter(())

    @classmethod
    def problem(cls, message: str, location: Location) -> Problem:
        return Problem(cls.code, cls.name, cls.severity, message, location)

    @classmethod
    def doc(cls) -> str:
        """The rule's documentation: its docstring, dedented."""
        return inspect.cleandoc(cls.__doc__ or cls.summary)
