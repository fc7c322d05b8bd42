"""督办通知: one notice per unit with overdue or lagging tasks, listing only those tasks.

Reuses the batch machinery of `docgen notify`: the issuer and 版头 (`notice_settings`), safe unique
file names (`UniqueNames`), one `DocxWriter` for the whole batch and atomic writes. Overdue and
lagging are defined in `docgen.progress.stats`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from docgen.compose.tree import Document
from docgen.config import Settings
from docgen.deadlines import format_date
from docgen.model import Plan
from docgen.notify.names import UniqueNames
from docgen.compose.notice import NoticeSettings, unit_notice
from docgen.files import atomic_write, describe
from docgen.problems import Problem
from docgen.jobs.progress import ProgressUsageError, issuer_for, figures_for, load_plan
from docgen.progress.stats import LAGGING, OVERDUE, Assignment, Figures
from docgen.render.docx import DocxWriter
from docgen.render.errors import RenderError
from docgen.render.template import choose

#: Days the unit has to answer a 督办通知 when --due is not given.
DEFAULT_DUE_DAYS = 10


@dataclass
class RemindResult:
    problems: list[Problem] = field(default_factory=list)
    #: unit -> the notice written for it
    written: dict[str, Path] = field(default_factory=dict)


def flagged(figures: Figures) -> dict[str, list[Assignment]]:
    """unit -> its overdue and lagging assignments (plan order), only units that have any."""
    out: dict[str, list[Assignment]] = {}
    for a in figures.assignments:
        if a.state in (OVERDUE, LAGGING):
            out.setdefault(a.unit, []).append(a)
    return out


def compose_reminder(plan: Plan, full_name: str, items: list[Assignment], as_of: dt.date,
                     settings: NoticeSettings) -> Document:
    """The 督办通知 to one unit."""
    overdue = [a for a in items if a.state == OVERDUE]
    lagging = [a for a in items if a.state == LAGGING]
    counts = "、".join(p for p in (f"逾期未完成{len(overdue)}项" if overdue else "",
                                    f"进度滞后{len(lagging)}项" if lagging else "") if p)

    def item(a: Assignment) -> tuple[str, str]:
        status = a.entry.status if a.entry else "未填报"
        late = f"，已逾期{(as_of - a.deadline).days}天" if a.state == OVERDUE else ""
        return a.task.lead.value, f"（编号{a.task.id}，{a.role}）完成时限{format_date(a.deadline)}{late}，目前状态：{status}。"

    return unit_notice(
        settings, f"关于督促加快推进《{plan.title.value}》有关任务的通知", full_name,
        f"根据各单位报送的任务台账，截至{format_date(as_of)}，你单位承担的《{plan.title.value}》任务中有"
        f"{len(items)}项需要督办（{counts}）。现通知如下。",
        [("逾期未完成的任务", [item(a) for a in overdue]), ("进度滞后的任务", [item(a) for a in lagging])],
        "督办要求", [f"请你单位查明原因，制定整改措施，于{format_date(settings.due)}前将办理情况"
                     f"和更新后的任务台账报送{settings.issuer}。"],
    )


def remind(plan_path: Path, settings: Settings, progress_path: Path, out_dir: Path, *,
           as_of: dt.date | None = None, due: dt.date | None = None, number: str = "",
           base: Path | None = None) -> RemindResult:
    """Write a 督办通知 for every unit with overdue or lagging tasks into `out_dir`."""
    base = base or Path.cwd()
    loaded, problems = load_plan(plan_path, settings, base)
    if loaded is None:
        return RemindResult(problems)
    _, figures = figures_for(loaded, progress_path, as_of)
    units = flagged(figures)
    result = RemindResult()
    if not units:
        return result
    issuer = issuer_for(loaded, figures.as_of, number)
    notice = NoticeSettings(issuer.issuer, issuer.mark, number, figures.as_of,
                            due or figures.as_of + dt.timedelta(days=DEFAULT_DUE_DAYS), "")
    if notice.due <= figures.as_of:
        raise ProgressUsageError("督办的报送期限应晚于统计截止日期。")
    names = {r.name: r.full_name for r in loaded.recipients}
    writer = DocxWriter(choose(loaded.plan, loaded.org), settings.font_set)
    stems = UniqueNames()
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise RenderError(f"无法创建输出目录 {out_dir}：{describe(exc)}。") from None
    for unit, items in units.items():
        doc = compose_reminder(loaded.plan, names[unit], items, figures.as_of, notice)
        path = out_dir / f"{stems.take(unit)}-督办.docx"
        try:
            atomic_write(path, writer.write(doc))
        except OSError as exc:
            raise RenderError(f"无法写入 {path}：{describe(exc)}。") from None
        result.written[unit] = path
    return result
