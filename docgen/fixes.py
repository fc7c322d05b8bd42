"""Applying the safe fixes findings carry (`Problem.fix`): exact text spans, nothing else touched.

A fix replaces the text `old` at a line and column by `new`. It is applied only where the file still
holds `old` there, so comments, quoting, indentation and every other byte of the file stay as they
were; overlapping fixes are left for the next pass. No I/O here: `docgen.jobs.check.fix` reads and
writes the files.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from dataclasses import dataclass

from docgen.problems import Fix


@dataclass
class Edited:
    """One file's text before and after its fixes, and how many were applied."""

    name: str
    before: str
    after: str
    applied: int

    def diff(self) -> str:
        """A unified diff of the change (what `docgen check --diff` prints)."""
        return "".join(difflib.unified_diff(self.before.splitlines(keepends=True), self.after.splitlines(keepends=True),
                                            f"a/{self.name}", f"b/{self.name}"))


def apply(text: str, fixes: Iterable[Fix]) -> tuple[str, int]:
    """`text` with `fixes` applied (each only where `old` is still found at its place); (text, count)."""
    lines = text.split("\n")
    applied = 0
    taken: dict[int, list[tuple[int, int]]] = {}  # line -> spans already edited
    for fix in sorted(set(fixes), key=lambda f: (f.line, f.column), reverse=True):
        row, start = fix.line - 1, fix.column - 1
        end = start + len(fix.old)
        if "\n" in fix.old or not 0 <= row < len(lines) or lines[row][start:end] != fix.old:
            continue
        if any(start < e and s < end for s, e in taken.get(row, ())):
            continue  # overlaps an edit made already: the next pass sees it afresh
        lines[row] = lines[row][:start] + fix.new + lines[row][end:]
        taken.setdefault(row, []).append((start, start + len(fix.new)))
        applied += 1
    return "\n".join(lines), applied
