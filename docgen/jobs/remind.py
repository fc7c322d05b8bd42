"""The remind job: a 督办通知 for each unit with overdue or lagging tasks, listing only those tasks.

The notice itself is composed in `docgen.compose.reminder`. Reuses the batch machinery of
`docgen notify`: the issuer and 版头 (`notice_settings`), safe unique file names (`UniqueNames`), one
`DocxWriter` for the whole batch and atomic writes. Overdue and lagging are defined in
`docgen.progress.stats`.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from docgen.compose import kinds
from docgen.compose.notice import NoticeSettings
from docgen.compose.reminder import Reminder
from docgen.config import Settings
from docgen.errors import UsageError
from docgen.files import atomic_write_all
from docgen.jobs.progress import figures_for, issuer_for, load_plan
from docgen.notify.names import UniqueNames
from docgen.outfolder import FolderLock
from docgen.problems import Problem
from docgen.progress.stats import LAGGING, OVERDUE, Assignment, Figures
from docgen.render import pdf as pdf_stage
from docgen.render.docx import DocxWriter
from docgen.render.template import choose

#: Days the unit has to answer a 督办通知 when --due is not given.
DEFAULT_DUE_DAYS = 10


@dataclass
class RemindResult:
    problems: list[Problem] = field(default_factory=list)
    #: unit -> the notice written for it
    written: dict[str, Path] = field(default_factory=dict)
    #: The PDFs of the notices (with `pdf`), in the same order.
    pdfs: list[Path] = field(default_factory=list)


def flagged(figures: Figures) -> dict[str, list[Assignment]]:
    """unit -> its overdue and lagging assignments (plan order), only units that have any."""
    out: dict[str, list[Assignment]] = {}
    for a in figures.assignments:
        if a.state in (OVERDUE, LAGGING):
            out.setdefault(a.unit, []).append(a)
    return out


def remind(plan_path: Path, settings: Settings, progress_path: Path, out_dir: Path, *,
           as_of: dt.date | None = None, due: dt.date | None = None, number: str = "",
           base: Path | None = None, pdf: bool = False, urgency: str = "", progress=None) -> RemindResult:
    """Write a 督办通知 for every unit with overdue or lagging tasks into `out_dir` (and its PDF with `pdf`).

    `progress(done, total, label)` hears of each step and of each notice composed."""
    base = base or Path.cwd()
    tick = progress or (lambda done, total, label=None: None)
    tick(1, 2, "督办（检查方案）")
    loaded, problems = load_plan(plan_path, settings, base)
    if loaded is None:
        return RemindResult(problems)
    tick(2, 2, "督办（统计进展）")
    _, figures = figures_for(loaded, progress_path, as_of)
    units = flagged(figures)
    result = RemindResult()
    if not units:
        return result
    issuer = issuer_for(loaded, figures.as_of, number)
    notice = NoticeSettings(issuer.issuer, issuer.mark, number, figures.as_of,
                            due or figures.as_of + dt.timedelta(days=DEFAULT_DUE_DAYS), "", urgency=urgency)
    if notice.due <= figures.as_of:
        raise UsageError("督办的报送期限应晚于统计截止日期。")
    names = {r.name: r.full_name for r in loaded.recipients}
    writer = DocxWriter(choose(loaded.plan, loaded.org), settings.font_set)
    stems = UniqueNames()
    files = []
    for done, (unit, items) in enumerate(units.items(), 1):
        tick(done, len(units), "督办通知")
        doc = kinds.compose(kinds.REMINDER, Reminder(loaded.plan, names[unit], items, figures.as_of, notice),
                            loaded.registry)
        path = out_dir / f"{stems.take(unit)}-督办.docx"
        files.append((path, writer.write(doc)))
        result.written[unit] = path
    # the folder is this run's alone, and the notices are written all or none (a full disk changes none)
    with FolderLock(out_dir):
        atomic_write_all(files)
        if pdf:
            result.pdfs = pdf_stage.convert(list(result.written.values()), out_dir,
                                            progress=lambda done, total: tick(done, total, "生成 PDF"))
    return result
