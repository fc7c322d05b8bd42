"""Deadline rules (DG3xx): every task has a deadline that parses, fits the plan and its parent."""

from __future__ import annotations

from collections.abc import Iterator

from docgen.context import CheckContext
from docgen.deadlines import format_date
from docgen.model import Deadline, Plan, batch_deadlines
from docgen.problems import Problem, Severity
from docgen.rules.base import Rule


def _target_milestones(plan: Plan) -> list:
    """The deadlines written on targets: their own 完成时限 and the batches of a 分期."""
    out = []
    for block in plan.walk():
        for target in getattr(block, "targets", ()):
            if target.deadline is not None:
                out.append(target.deadline)
            out.extend(phase.deadline for phase in target.phases)
    return out


def _deadlines(plan: Plan) -> Iterator[Deadline]:
    for section in plan.sections():
        if section.deadline:
            yield section.deadline
    for task in plan.tasks():
        if task.deadline:
            yield task.deadline


class TaskWithoutDeadline(Rule):
    """任务没有完成时限。

    每个任务都要写明什么时候完成。周期性工作写“每季度”“每年”等；没有终点的常态化工作
    也要明确写“长期坚持”或“持续推进”，不能空着。

    修改：在任务（或所在章节）中写“完成时限: 2025年6月底前”之类。

    收到的方案（“来源: 上级来文”，例如 docgen import 导入的文件）常常没有写完成时限：这时只作为
    提示列出，供起草本级方案时补充，不算错误。
    """

    code = "DG301"
    name = "task-without-deadline"
    summary = "任务没有完成时限"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            for task in plan.tasks():
                if task.effective_deadline is None and plan.received:
                    yield self.problem(
                        f"第 {task.number} 项任务“{task.lead.value}”（编号 {task.id}）原文没有写完成时限，"
                        "起草本级方案时请补上。", task.loc).with_severity(Severity.INFO)
                elif task.effective_deadline is None:
                    yield self.problem(
                        f"第 {task.label} 项任务“{task.lead.value}”（编号 {task.id}）没有完成时限。"
                        "请写“完成时限: 2025年6月底前”之类；常态化工作写“长期坚持”。",
                        task.loc,
                    )


class DeadlineUnreadable(Rule):
    """完成时限看不懂。

    docgen 能读的写法：日期（2024年9月30日、2024年9月30日前）、期末（2024年底前、2025年6月底前、
    2025年上半年、2025年第三季度）、周期（每周、每月、每季度、每半年、每年，也可写到日：每月7日前、
    每季度首月10日前、每年3月底前）、常态（长期坚持、持续推进、常态化）、单位库“时段”中登记的
    时段（主汛期前、汛期期间、节前）。分阶段列出时，同一年的后续阶段可以省略年份（9月底前）。

    看不懂的写法原样保留在文中，但任务的截止日期无从计算，下发和汇总也无法提醒。

    修改：改成上面的写法之一；或在单位库本级（或上级）组织的“时段”中登记这个时段的起止日期。
    """

    code = "DG302"
    name = "deadline-unreadable"
    summary = "完成时限看不懂"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            stages = [m for p in plan.walk() if hasattr(p, "stages") for m in p.stages]
            milestones = [m for d in _deadlines(plan) for m in d.milestones] + stages + _target_milestones(plan)
            year = _one_year(plan)
            # In phases the later ones take the year of the one before: only the first without one is fixed.
            firsts = {id(next((m for m in d.milestones if m.error), None)) for d in _deadlines(plan)}
            grouped = {id(m) for d in _deadlines(plan) for m in d.milestones}
            for m in milestones:
                if m.error:
                    found = self.problem(m.error, m.loc)
                    alone = id(m) in firsts or id(m) not in grouped
                    if year and alone and "没有写年份" in m.error and m.phrase:
                        found = found.with_fix(plan.edit(m.loc, m.phrase, 0, m.phrase, f"{year}年{m.phrase}",
                                                         f"写上年份：“{year}年{m.phrase}”"))
                    yield found


def _one_year(plan) -> int | None:
    """The year of a plan whose 实施期限 lies within one calendar year: a deadline without a year is in it."""
    start, end = plan.period_start, plan.period_end
    if start and end and start.year == end.year:
        return start.year
    return None


class DeadlineOutsidePeriod(Rule):
    """完成时限超出方案实施期限。

    完成时限必须落在方案的“实施期限”之内，也不能晚于“有效期至”。

    错误示例：实施期限到 2026年12月31日，任务却写“2027年6月底前”。
    修改：提前完成时限，或调整方案的实施期限。
    """

    code = "DG303"
    name = "deadline-outside-period"
    summary = "完成时限超出实施期限"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            start, end = plan.period_start, plan.period_end
            stages = [m for p in plan.walk() if hasattr(p, "stages") for m in p.stages]
            for m in [m for d in _deadlines(plan) for m in d.milestones] + stages + _target_milestones(plan):
                if m.date is None:
                    continue
                if end and m.date > end:
                    yield self.problem(
                        f"完成时限“{m.phrase}”（{format_date(m.date)}）晚于方案的截止日期 {format_date(end)}。"
                        "请提前完成时限，或调整“实施期限”“有效期至”。",
                        m.loc,
                    )
                elif start and m.date < start:
                    yield self.problem(
                        f"完成时限“{m.phrase}”（{format_date(m.date)}）早于方案的起始日期 {format_date(start)}。"
                        "请改正完成时限或“实施期限”。",
                        m.loc,
                    )


class DeadlineAfterParent(Rule):
    """完成时限晚于上级任务。

    落实上级任务的任务，完成时限不能晚于上级任务的完成时限，否则上级无法按期汇总。上级任务的
    指标分期完成（“分期”）时，以点到本级组织的那一批的时限为准。

    修改：把完成时限提前到上级任务的时限之前（含当天）。
    """

    code = "DG304"
    name = "deadline-after-parent"
    summary = "完成时限晚于上级任务"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan, parent_plan in ctx.with_parents():
            parents = parent_plan.task_by_id()
            org, parent_org = ctx.org_of(plan), ctx.org_of(parent_plan)
            for task in plan.tasks():
                parent = parents.get(task.parent_id.value) if task.parent_id else None
                mine = task.effective_deadline
                theirs = parent.effective_deadline if parent else None
                if parent is not None and org is not None and parent_org is not None:
                    # a phased target gives this organisation its own batch's deadline
                    theirs = batch_deadlines(parent, ctx.registry, parent_org).get(org.name, theirs)
                if not (mine and theirs and mine.final and theirs.final):
                    continue
                if mine.final > theirs.final:
                    yield self.problem(
                        f"完成时限“{mine.text}”（{format_date(mine.final)}）晚于上级任务 {parent.id}"
                        f"“{parent.lead.value}”的完成时限“{theirs.text}”（{format_date(theirs.final)}）。"
                        "请提前到上级时限之前。",
                        mine.loc,
                    )


class MilestonesOutOfOrder(Rule):
    """分阶段时限没有按时间先后排列。

    分阶段列出的完成时限应从早到晚排列，读者才能看清进度安排；顺序颠倒常常是年份写错了。

    修改：调整顺序，或检查年份。
    """

    code = "DG305"
    name = "milestones-out-of-order"
    summary = "分阶段时限顺序颠倒"
    severity = Severity.WARNING

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            lists = [d.milestones for d in _deadlines(plan)]
            lists += [tuple(p.stages) for p in plan.walk() if getattr(p, "stages", None)]
            lists += [tuple(ph.deadline for ph in t.phases) for b in plan.walk() for t in getattr(b, "targets", ())
                      if t.phases]
            for milestones in lists:
                previous = None
                for m in milestones:
                    if m.date is None:
                        continue
                    if previous and m.date < previous.date:
                        yield self.problem(
                            f"阶段时限“{m.phrase}”早于前一阶段“{previous.phrase}”。请按时间先后排列，或检查年份。",
                            m.loc,
                        )
                    previous = m


class DeadlineReadAsYearEnd(Rule):
    """完成时限按年底计。

    “2026年前”既可理解为2026年底前，也可理解为2026年开始之前。docgen 按2026年12月31日计，
    并提示起草人改成意思明确的写法。

    修改：写“2026年底前”；如指2026年开始之前，写“2025年底前”。
    """

    code = "DG307"
    name = "deadline-read-as-year-end"
    summary = "完成时限按年底计"
    severity = Severity.WARNING

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            stages = [m for p in plan.walk() if hasattr(p, "stages") for m in p.stages]
            for m in [m for d in _deadlines(plan) for m in d.milestones] + stages + _target_milestones(plan):
                if m.note:
                    yield self.problem(m.note, m.loc)


class DateOrder(Rule):
    """文件日期先后不对。

    实施期限的起始日期不能晚于截止日期；印发日期不能早于成文日期。

    修改：检查并改正日期。
    """

    code = "DG306"
    name = "date-order"
    summary = "文件日期先后不对"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            if plan.period and plan.period[0].date and plan.period[1].date and plan.period[0].date > plan.period[1].date:
                yield self.problem(
                    f"实施期限的起始日期 {plan.period[0].text} 晚于截止日期 {plan.period[1].text}。", plan.period[0].loc)
            if plan.date and plan.print_date and plan.date.date and plan.print_date.date:
                if plan.print_date.date < plan.date.date:
                    yield self.problem(
                        f"印发日期 {plan.print_date.text} 早于成文日期 {plan.date.text}。印发日期应不早于成文日期。",
                        plan.print_date.loc,
                    )


RULES: tuple[type[Rule], ...] = (
    TaskWithoutDeadline,
    DeadlineUnreadable,
    DeadlineOutsidePeriod,
    DeadlineAfterParent,
    MilestonesOutOfOrder,
    DateOrder,
    DeadlineReadAsYearEnd,
)
