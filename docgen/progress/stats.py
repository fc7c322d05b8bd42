"""Figures of a 通报, computed from a plan and its progress, and how they are phrased.

Definitions (all to the day; `as_of` is the 统计截止日期):

- A task's *deadline* is its final dated milestone (`Deadline.final`); tasks with only recurring or
  standing deadlines (每季度, 长期坚持) have none and are never overdue or lagging.
- The plan *start* is its 实施期限 start, else its 成文日期.
- An assignment (one unit on one task) is **done** when the unit reports 已完成; **late** when it
  is done with a completion date after the deadline (still counted as done).
- **overdue**: not done and deadline < as_of. On the deadline day itself it is not yet overdue.
- **lagging**: not done, not overdue, reported 未启动 (or not reported), and at least half of the
  time from start to deadline has passed: ``2 * (as_of - start) >= (deadline - start)`` in days.
- A *task* is done when every lead (牵头) unit is done (all assigned units when it has no lead
  unit); overdue when it is not done and its deadline has passed; lagging when one of those units
  is lagging.
- Rates and 同比/环比 changes are percentages with one decimal, rounded half up (`decimal`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from docgen.model import Plan, Task
from docgen.notify.recipients import LEAD, Recipient
from docgen.progress.model import DONE, NOT_STARTED, Entry, Progress
from docgen.wording import change, percent, rate  # noqa: F401 - the 通报's phrasing, re-exported
from docgen.wording import number as _number

DONE_STATE, OVERDUE, LAGGING, ONGOING = "done", "overdue", "lagging", "ongoing"


# -- phrasing: worded in `docgen.wording` ------------------------------------------------------------

def number(value: float) -> str:
    """A figure of the 通报: ``4``, ``15.53`` (at most 2 decimals, half up)."""
    return _number(value, places=2)


# -- figures -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Assignment:
    task: Task
    unit: str
    role: str
    entry: Entry | None
    deadline: dt.date | None
    state: str

    @property
    def late(self) -> bool:
        e = self.entry
        return bool(self.state == DONE_STATE and e and e.date and self.deadline and e.date > self.deadline)


@dataclass(frozen=True)
class TaskFigure:
    task: Task
    deadline: dt.date | None
    state: str
    #: The units holding the task back (not done lead units), in plan order.
    behind: tuple[str, ...]


@dataclass
class UnitFigure:
    unit: str
    full_name: str
    total: int = 0
    done: int = 0
    late: int = 0
    overdue: int = 0
    lagging: int = 0
    reported: bool = False

    @property
    def rate(self) -> str:
        return rate(self.done, self.total)


@dataclass
class Figures:
    as_of: dt.date
    start: dt.date | None
    assignments: list[Assignment] = field(default_factory=list)
    tasks: list[TaskFigure] = field(default_factory=list)
    units: list[UnitFigure] = field(default_factory=list)
    #: action (the task's innermost section) -> [tasks, done]
    actions: dict[str, list[int]] = field(default_factory=dict)

    def count(self, state: str) -> int:
        return sum(1 for t in self.tasks if t.state == state)

    @property
    def done(self) -> int:
        return self.count(DONE_STATE)


def state_of(entry: Entry | None, deadline: dt.date | None, start: dt.date | None, as_of: dt.date) -> str:
    """The state of one assignment (module docstring)."""
    if entry is not None and entry.status == DONE:
        return DONE_STATE
    if deadline is None:
        return ONGOING
    if deadline < as_of:
        return OVERDUE
    not_started = entry is None or entry.status == NOT_STARTED
    if not_started and start is not None and start < deadline and 2 * (as_of - start).days >= (deadline - start).days:
        return LAGGING
    return ONGOING


def plan_start(plan: Plan) -> dt.date | None:
    return plan.period_start or (plan.date.date if plan.date else None)


def action_of(task: Task) -> str:
    """The action a task belongs to: its innermost section's title without a leading 开展."""
    title = task.sections[-1].title.value if task.sections else "其他任务"
    return title[2:] if title.startswith("开展") and len(title) > 2 else title


_UNSET = object()


def compute(plan: Plan, recipients: list[Recipient], progress: Progress, as_of: dt.date) -> Figures:
    """Every figure of the 通报 (module docstring)."""
    start = plan_start(plan)
    figures = Figures(as_of, start)
    units = {r.name: UnitFigure(r.name, r.full_name) for r in recipients}
    by_task: dict[str, list[Assignment]] = {}
    finals: dict[int, dt.date | None] = {}  # units of a batch share their deadline object
    for r in recipients:
        for a in r.tasks:
            if a.deadline is None:
                deadline = None
            else:  # the unit's own batch's, if phased
                deadline = finals.get(id(a.deadline), _UNSET)
                if deadline is _UNSET:
                    deadline = finals[id(a.deadline)] = a.deadline.final
            entry = progress.entry(a.task.id, r.name)
            if entry is not None and entry.due is not None and entry.status != DONE:
                deadline = entry.due  # a phase not done by its own deadline makes the task late

            one = Assignment(a.task, r.name, a.role, entry, deadline, state_of(entry, deadline, start, as_of))
            by_task.setdefault(a.task.id, []).append(one)
            u = units[r.name]
            u.total += 1
            u.reported = u.reported or entry is not None
            u.done += one.state == DONE_STATE
            u.late += one.late
            u.overdue += one.state == OVERDUE
            u.lagging += one.state == LAGGING
    for task in plan.tasks():
        assigned = by_task.get(task.id)
        if not assigned:
            continue
        figures.assignments.extend(assigned)
        leads = [a for a in assigned if a.role == LEAD] or assigned
        deadline = task.effective_deadline.final if task.effective_deadline else None
        behind = tuple(a.unit for a in leads if a.state != DONE_STATE)
        if not behind:
            state = DONE_STATE
        elif (deadline is not None and deadline < as_of) or any(a.state == OVERDUE for a in leads
                                                                 if a.entry is not None and a.entry.due):
            state = OVERDUE
        elif any(a.state == LAGGING for a in leads):
            state = LAGGING
        else:
            state = ONGOING
        figures.tasks.append(TaskFigure(task, deadline, state, behind))
        counts = figures.actions.setdefault(action_of(task), [0, 0])
        counts[0] += 1
        counts[1] += state == DONE_STATE
    figures.units = list(units.values())
    return figures
