"""The outcome of a diff run: one `FileDiff` per plan file, or a `DiffError` that stops the run."""

from __future__ import annotations

from dataclasses import dataclass, field

from docgen.diff.changes import Change, Element, Kind, compare
from docgen.errors import InputError
from docgen.model import Plan
from docgen.problems import Problem


class DiffError(InputError):
    """A revision or file cannot be compared. `message` is one Chinese line; `problems` say why."""

    def __init__(self, message: str, problems: list[Problem] | None = None):
        super().__init__(message, problems=problems or [])


@dataclass
class FileDiff:
    """The changes of one plan file between two revisions."""

    #: How the two sides are shown, e.g. ``HEAD~1:plans/city/plan.yaml``; None where the plan is absent.
    old_name: str | None
    new_name: str | None
    old: Plan | None
    new: Plan | None
    changes: list[Change] = field(default_factory=list)
    #: The path in the repository (or as given), new side first.
    path: str = ""
    #: What the file is called when it is not a plan (a unit registry).
    label: str = ""

    @classmethod
    def build(cls, old_name: str | None, new_name: str | None, old: Plan | None, new: Plan | None,
              path: str = "") -> FileDiff:
        from docgen.registry import Registry

        if isinstance(old, Registry) or isinstance(new, Registry):
            from docgen.diff.registry import compare_registries

            changes = compare_registries(old or Registry(), new or Registry())
            return cls(old_name, new_name, None, None, changes, path or new_name or old_name or "",
                       label=f"单位库 {path or new_name or old_name}")
        if old is not None and new is not None:
            changes = compare(old, new)
        else:
            plan = new or old
            assert plan is not None
            kind = Kind.ADDED if new else Kind.REMOVED
            summary = f"{plan.title.value}（{len(plan.tasks())}项任务）"
            changes = [Change(
                Element.PLAN, kind, f"方案《{plan.title.value}》",
                f"{'新增' if new else '删除'}方案文件，共{len(plan.tasks())}项任务",
                old=None if new else summary, new=summary if new else None,
                old_loc=None if new else plan.title.loc, new_loc=plan.title.loc if new else None)]
        return cls(old_name, new_name, old, new, changes, path or new_name or old_name or "")

    @property
    def status(self) -> str:
        """added, removed or modified."""
        if self.old is None:
            return "added"
        if self.new is None:
            return "removed"
        return "modified"

    @property
    def title(self) -> str:
        if self.label:
            return self.label
        plan = self.new or self.old
        return plan.title.value if plan else self.path


@dataclass
class DiffResult:
    """Every plan that changed between two revisions (labels like ``HEAD~1`` and ``工作区``)."""

    old_label: str
    new_label: str
    files: list[FileDiff] = field(default_factory=list)
    #: What a reviewer calls the two revisions (a tag, the day, 送审稿), for the 修订对照表; labels when empty.
    old_title: str = ""
    new_title: str = ""

    @property
    def changes(self) -> list[Change]:
        return [c for f in self.files for c in f.changes]

    @property
    def different(self) -> bool:
        return bool(self.changes)


def counts(changes: list[Change]) -> str:
    """``新增 1、移动 1、改写 1`` in kind order; empty when there are none."""
    tally: dict[Kind, int] = {}
    for change in changes:
        tally[change.kind] = tally.get(change.kind, 0) + 1
    return "、".join(f"{kind.label} {tally[kind]}" for kind in Kind if kind in tally)


def summary(result: DiffResult) -> str:
    """One line for stderr."""
    changes = result.changes
    if not changes:
        return "没有实质性修改。"
    changed = sum(1 for f in result.files if f.changes)
    return f"{changed} 个方案共 {len(changes)} 处修改（{counts(changes)}）。"
