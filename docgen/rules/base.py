"""What a lint rule is: a `Code` with a `check` over everything loaded for a run.

Codes emitted by the load, schema and collect stages live in `docgen.codes`; they have no
`check` but are listed and documented like every rule. Lint rules implement `check(ctx)` and
yield problems made with `self.problem(...)`.
"""

from __future__ import annotations

from collections.abc import Iterator

from docgen.codes.base import Code
from docgen.context import CheckContext
from docgen.problems import Problem


class Rule(Code):
    """Base class of every lint rule. Subclasses set `code`, `name`, `summary` and a docstring."""

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        """Yield the problems this rule finds in everything loaded for the run."""
        return iter(())
