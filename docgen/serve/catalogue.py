"""What each member unit must report: its tasks in the plans served, each with the unit's own
deadline (its phase's, where a target is phased) and its share of a split target. Pure; built once
at start from checked plans.

Deadlines come from the plan model (`Task.effective_deadline`, `Target.phases`); shares from
`docgen.cascade.targets.shares`, the same split `docgen cascade` writes into the child plans.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from docgen import wording
from docgen.cascade import targets as splits
from docgen.model import Plan, Target, Task
from docgen.notify.recipients import Recipient
from docgen.registry import Organisation, Registry


@dataclass(frozen=True)
class TargetView:
    name: str
    #: The whole target as the plan words it; the unit's own part (its share or phase), or "".
    whole: str
    own: str
    unit: str


@dataclass(frozen=True)
class Item:
    """One task of one unit."""

    plan: str          # the plan's key (its path as served)
    task: Task
    role: str          # 牵头 | 配合
    deadline: str      # the unit's 完成时限, as words
    due: dt.date | None
    targets: tuple[TargetView, ...]
    #: The other units on the task (牵头 and 配合), as the plan names them.
    partners: str = ""

    @property
    def id(self) -> str:
        return self.task.id

    def late(self, today: dt.date, status: str) -> bool:
        return self.due is not None and self.due < today and status != "已完成"


@dataclass
class Unit:
    name: str
    full_name: str
    items: list[Item] = field(default_factory=list)

    def item(self, plan: str, task: str) -> Item | None:
        return next((i for i in self.items if i.plan == plan and i.task.id == task), None)


@dataclass
class ServedPlan:
    key: str
    plan: Plan
    registry: Registry
    org: Organisation
    recipients: list[Recipient]


@dataclass
class Catalogue:
    plans: dict[str, ServedPlan]
    units: dict[str, Unit]

    def tasks(self, plan: str) -> list[Task]:
        return self.plans[plan].plan.tasks()


def _share(target: Target, served: ServedPlan, unit: str) -> tuple[str, dt.date | None, str]:
    """(the unit's own part of `target` in words, its phase's deadline, that deadline in words)."""
    for phase in target.phases:
        names = {u for ref in phase.units for u in served.registry.expand(served.org, ref.name)}
        if unit in names:
            value = phase.value if phase.value is not None else target.value
            text = f"{phase.deadline.phrase}{target.op}{wording.number(value)}{target.unit}"
            return text, phase.deadline.date, phase.deadline.phrase
    if target.split is not None and unit in {c.name for c in served.org.children}:
        try:
            share = splits.shares(target, served.org)[unit]
        except splits.SplitError:
            return "", None, ""
        text = f"{target.op}{wording.number(share.value)}{target.unit}"
        if share.by_year:
            text += "（" + "，".join(f"{y}年{wording.number(v)}{target.unit}" for y, v in sorted(share.by_year.items())) + "）"
        return text, None, ""
    return "", None, ""


def build(served: list[ServedPlan]) -> Catalogue:
    units: dict[str, Unit] = {}
    for sp in served:
        for recipient in sp.recipients:
            unit = units.setdefault(recipient.name, Unit(recipient.name, recipient.full_name))
            for assigned in recipient.tasks:
                task = assigned.task
                deadline = task.effective_deadline
                words = wording.deadline(deadline) if deadline else "（未写明）"
                due = deadline.final if deadline else None
                views = []
                for t in task.targets:
                    own, phase_due, phase_words = _share(t, sp, recipient.name)
                    if phase_due is not None or phase_words:
                        words, due = phase_words, phase_due
                    views.append(TargetView(t.name, wording.target_value(t), own, t.unit))
                resp = task.effective_responsibility
                others = [r.name for r in (resp.all() if resp else ())
                          if recipient.name not in sp.registry.expand(sp.org, r.name)]
                unit.items.append(Item(sp.key, task, assigned.role, words, due, tuple(views),
                                       wording.names(others) if others else ""))
    return Catalogue({sp.key: sp for sp in served}, units)
