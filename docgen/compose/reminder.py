"""The 督办通知 to one unit: only its overdue and lagging tasks, with how late each is. Pure.

Built on the task notice's skeleton (`notice.unit_notice`); which units get one, and the batch
around it, is the remind job's (`docgen.jobs.remind`). Overdue and lagging are defined in
`docgen.progress.stats`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from docgen import wording
from docgen.compose import kinds
from docgen.compose.notice import NoticeSettings, unit_notice
from docgen.compose.tree import Document
from docgen.model import Plan
from docgen.progress.stats import LAGGING, OVERDUE, Assignment
from docgen.registry import Registry


@dataclass(frozen=True)
class Reminder:
    """What a 督办通知 is composed from: the plan, the unit's full name, its flagged assignments (plan
    order), the day the figures stand at and the batch's settings."""

    plan: Plan
    full_name: str
    items: list[Assignment]
    as_of: dt.date
    settings: NoticeSettings


def compose_reminder(reminder: Reminder, registry: Registry | None = None) -> Document:
    """The 督办通知 to the unit `reminder.full_name` about its flagged assignments (the registry is
    not needed: the units are named as the progress file names them)."""
    plan, full_name, items = reminder.plan, reminder.full_name, reminder.items
    as_of, settings = reminder.as_of, reminder.settings
    overdue = [a for a in items if a.state == OVERDUE]
    lagging = [a for a in items if a.state == LAGGING]
    counts = "、".join(p for p in (f"逾期未完成{len(overdue)}项" if overdue else "",
                                    f"进度滞后{len(lagging)}项" if lagging else "") if p)

    def item(a: Assignment) -> tuple[str, str]:
        status = a.entry.status if a.entry else "未填报"
        late = f"，已逾期{(as_of - a.deadline).days}天" if a.state == OVERDUE else ""
        return a.task.lead.value, (f"（编号{a.task.id}，{a.role}）完成时限{wording.date(a.deadline)}{late}，"
                                   f"目前状态：{status}。")

    return unit_notice(
        settings, f"关于督促加快推进《{plan.title.value}》有关任务的通知", full_name,
        f"根据各单位报送的任务台账，截至{wording.date(as_of)}，你单位承担的《{plan.title.value}》任务中有"
        f"{len(items)}项需要督办（{counts}）。现通知如下。",
        [("逾期未完成的任务", [item(a) for a in overdue]), ("进度滞后的任务", [item(a) for a in lagging])],
        "督办要求", [f"请你单位查明原因，制定整改措施，于{wording.date(settings.due)}前将办理情况"
                     f"和更新后的任务台账报送{settings.issuer}。"],
        kind=kinds.REMINDER,
    )
