"""A unit's stored entries as ledger rows: the same columns `docgen notify` writes and units fill in
(`docgen.notify.ledger.COLUMNS`), so that the office's export is that ledger filled in and
`docgen collect DATA` reads the served data with the ledger reader's own checks.
"""

from __future__ import annotations

import datetime as dt

from docgen import wording
from docgen.notify import ledger
from docgen.notify.recipients import Recipient
from docgen.progress.collect import read_date


def remarks(values: dict, targets: list) -> str:
    """备注: the figures reported for the targets, the 填报人 and the 联系电话."""
    parts = []
    figures = values.get("figures") or {}
    done = [f"{t.name}{figures[t.name]}{t.unit}" for t in targets if str(figures.get(t.name, "")).strip()]
    if done:
        parts.append("指标完成：" + "，".join(done))
    who = "，".join(p for p in (values.get("reporter", ""), values.get("phone", "")) if p)
    if who:
        parts.append(f"填报人：{who}")
    return "；".join(parts)


def rows(recipient: Recipient, submitted: dict[str, dict]) -> list[tuple]:
    """The ledger rows of `recipient` in plan order (`ledger.COLUMNS`), filled from `submitted`
    (task id -> the values last submitted); a task never submitted has blank open columns."""
    out = []
    for assigned in recipient.tasks:
        task = assigned.task
        steps = ledger.phases(assigned.deadline)
        heads = [(task.id, task.lead.value, assigned.role, f"第{i}阶段：{wording.milestones((m,))}")
                 for i, m in enumerate(steps, start=1)] or \
            [(task.id, task.lead.value, assigned.role, wording.deadline(task.effective_deadline))]
        values = submitted.get(task.id)
        for head in heads:  # one row per phase, as in the ledger; the one status stands for each phase
            if values is None:
                out.append(head + ("", "", "", "", ""))
            else:
                out.append(head + (values.get("progress", ""), values.get("status", ""),
                                   values.get("done_date", ""), "、".join(values.get("evidence") or []),
                                   remarks(values, task.targets)))
    return out


def cell_date(text: str):
    """A stored completion date for a workbook cell: a date when it reads as one, else the text."""
    try:
        return read_date(text) or ""
    except (ValueError, OverflowError):
        return text


def stamp(times: list[str]) -> str:
    """The workbook's date: the day of the latest submission (so the same data gives the same bytes)."""
    latest = max((t for t in times if t), default="2000-01-01T00:00:00Z")
    day = dt.date.fromisoformat(latest[:10])
    return f"{day.isoformat()}T00:00:00Z"


def workbook(recipient: Recipient, plan_title: str, plan_file: str, submitted: dict[str, dict],
             times: list[str]) -> bytes:
    """The unit's ledger (`docgen.notify.ledger`) with its submitted values filled in."""
    filled = tuple((r[4], r[5], cell_date(r[6]), r[7], r[8]) for r in rows(recipient, submitted))
    content = ledger.Content.of(recipient, plan_title, plan_file, None)
    return ledger.filled(content, filled, stamp(times))
