"""Semantic diff of plan revisions: what a reviewer wants to know, not which lines moved.

Pipeline (`sources` → `changes` → `formats`): load both revisions through the check pipeline's
load and schema stages, pair tasks by 编号 (then by text, reported as a rename), list typed
changes in document order, and show them as text, Markdown or JSON. `git` wires the diff into
git (diff driver, textconv, ``docgen git-setup``); `docgen.compose.revisions` composes the
修订对照表 and `docgen.jobs.revisions` writes it.
"""

from docgen.diff.changes import Change, Element, Kind, compare
from docgen.diff.result import DiffError, DiffResult, FileDiff

__all__ = ["Change", "DiffError", "DiffResult", "Element", "FileDiff", "Kind", "compare"]
