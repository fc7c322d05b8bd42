"""The 修订对照表 (revision comparison table) of a diff, composed as a table document. Pure.

Per changed plan: the title “《…》修订对照表” (each plan's on a new page), the two revisions
compared, and a table 序号 | 原文 | 修改后 | 修改说明 with one row per change in document order.
Deleted characters are marked `Emphasis.DELETED` in 原文, inserted ones `Emphasis.INSERTED` in
修改后. The document has no 版头 and no 版记; every page is landscape. How it looks (fonts, the
landscape page, rows kept whole, the head row repeated, cell padding) is the writer's and the
template's, as for every other document.
"""

from __future__ import annotations

from docgen.compose import kinds
from docgen.compose.tree import Closing, Document, Emphasis, Para, Role, Run, Table
from docgen.diff.changes import Change
from docgen.diff.inline import char_diff
from docgen.diff.result import DiffResult, FileDiff
from docgen.registry import Registry

KIND = kinds.REVISIONS
COLUMNS = ("序号", "原文", "修改后", "修改说明")
#: 原文 and 修改后 twice as wide as 修改说明; 序号 fits its numbers.
SHARES = (0, 2, 2, 1)
NO_CHANGE = "没有实质性修改。"
ADDED, REMOVED = "（无）", "（删除）"


def compose_revisions(result: DiffResult, registry: Registry | None = None) -> Document:
    """The 修订对照表 of every changed plan in `result` (one page saying so when none changed; the
    registry is not needed)."""
    labels = Para.plain(Role.SUBTITLE, f"（原文：{result.old_title or result.old_label}；"
                                       f"修改后：{result.new_title or result.new_label}）")
    changed = [f for f in result.files if f.changes]
    body: list = []
    if not changed:
        body += [Para.plain(Role.PLAN_TITLE, KIND), labels, Para.plain(Role.BODY, NO_CHANGE)]
    for diff in changed:
        body += [Para.plain(Role.PLAN_TITLE, f"《{diff.title}》{KIND}"), labels, table(diff)]
    spec = kinds.kind(kinds.REVISIONS)
    return Document(
        kind=KIND, mark="", doc_number="", body=tuple(body), attachments=(), closing=Closing(None, None, None),
        title=KIND, author="docgen", date=None, head=spec.head_for(""), landscape=spec.landscape,
    )


def table(diff: FileDiff) -> Table:
    rows = tuple((str(i), *texts(change), change.summary) for i, change in enumerate(diff.changes, start=1))
    return Table(COLUMNS, rows, narrow=frozenset({0}), landscape=True, shares=SHARES)


def texts(change: Change) -> tuple[tuple[Run, ...], tuple[Run, ...]]:
    """原文 with deletions struck through, 修改后 with insertions underlined and bold."""
    if change.old is not None and change.new is not None:
        old, new = [], []
        for op, text in char_diff(change.old, change.new):
            if op != "+":
                old.append(Run(text, Emphasis.DELETED if op == "-" else Emphasis.NONE))
            if op != "-":
                new.append(Run(text, Emphasis.INSERTED if op == "+" else Emphasis.NONE))
        return tuple(old), tuple(new)
    if change.old is not None:
        return (Run(change.old, Emphasis.DELETED),), (Run(REMOVED),)
    if change.new is not None:
        return (Run(ADDED),), (Run(change.new, Emphasis.INSERTED),)
    return (), ()
