"""Who receives what: each unit's tasks in a plan, as lead (牵头) or support (配合).

Groups expand through the registry, so "各村（社区）" gives one recipient per village and
"负有安全生产监督管理职责的部门" one per department. Pure; no I/O.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from docgen.model import Deadline, Plan, Task, batch_deadlines
from docgen.registry import Organisation, Registry

LEAD, SUPPORT = "牵头", "配合"


@dataclass(frozen=True)
class Assigned:
    task: Task
    role: str  # LEAD or SUPPORT
    #: The unit's own deadline, when one of the task's targets is phased (分期) and a batch names the
    #: unit: the batch's 时限 (the latest, when several batches name it).
    own: Deadline | None = None

    @property
    def deadline(self) -> Deadline | None:
        """When the unit must be done: its own batch's deadline, else the task's."""
        return self.own or self.task.effective_deadline


@dataclass
class Recipient:
    """A unit (or sub-organisation) with its tasks in plan order."""

    name: str
    full_name: str
    tasks: list[Assigned] = field(default_factory=list)

    @property
    def lead_count(self) -> int:
        return sum(1 for a in self.tasks if a.role == LEAD)


class UnknownRecipient(ValueError):
    """A unit named with --unit that the plan's organisation does not have."""


def _full_name(registry: Registry, org: Organisation, name: str, units: dict | None = None) -> str:
    unit = units.get(name) if units is not None else next((u for u in org.units if u.name == name), None)
    if unit and unit.full_name:
        return unit.full_name
    child = registry.orgs.get(name)
    if child and child.issuers:
        return child.issuers[0].name
    return name


def recipients(plan: Plan, registry: Registry, org: Organisation) -> list[Recipient]:
    """Every unit with at least one task, in order of first appearance; lead wins over support."""
    found: dict[str, Recipient] = {}
    units: dict = {}  # the first unit of each name, as a search of org.units finds it (once, not per unit)
    for u in org.units:
        units.setdefault(u.name, u)
    for task in plan.tasks():
        resp = task.effective_responsibility
        if resp is None:
            continue
        roles: dict[str, str] = {}
        for role, refs in ((LEAD, resp.lead), (SUPPORT, resp.support)):
            for ref in refs:
                for unit in registry.expand(org, ref.name):
                    roles.setdefault(unit, role)
        own = batch_deadlines(task, registry, org) if roles else {}
        for unit, role in roles.items():
            recipient = found.get(unit)
            if recipient is None:
                recipient = found[unit] = Recipient(unit, _full_name(registry, org, unit, units))
            recipient.tasks.append(Assigned(task, role, own.get(unit)))
    return list(found.values())


def select(all_recipients: list[Recipient], names: list[str], registry: Registry,
           org: Organisation) -> tuple[list[Recipient], list[str]]:
    """The recipients named (units, aliases or groups, expanded); and the named units with no task.

    Raises `UnknownRecipient` for a name the organisation does not have.
    """
    if not names:
        return all_recipients, []
    by_name = {r.name for r in all_recipients}
    chosen: list[str] = []
    for name in names:
        if registry.resolve(org, name) is None:
            close = difflib.get_close_matches(name, list(registry.names(org)), n=3, cutoff=0.4)
            hint = ("您是否想写：" + "、".join(f"“{c}”" for c in close) + "？") if close else ""
            raise UnknownRecipient(f"“{name}”不是“{org.name}”单位库中的单位或单位组。{hint}")
        for unit in registry.expand(org, name):
            if unit not in chosen:
                chosen.append(unit)
    picked = [r for r in all_recipients if r.name in chosen]  # plan order
    idle = [u for u in chosen if u not in by_name]
    return picked, idle
