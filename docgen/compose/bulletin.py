"""The 通报: a plan's progress in official form, composed as a `docgen.compose.tree.Document`.

Opening statistics (office figures with 同比, task completion with 环比 against `--previous`), then
一、工作开展情况 (by action, by unit, the facts units reported), 二、存在问题 (overdue and lagging
tasks with the units responsible), 三、下一步工作措施 (the progress file's paragraphs, else drawn from
the plan: tasks to finish, deadlines coming), two table attachments, the signature and 附注. Pure.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from docgen.compose.numbering import heading
from docgen.compose.tree import (
    Attachment,
    Closing,
    Document,
    Emphasis,
    Para,
    Role,
    Run,
    Signature,
    Table,
)
from docgen import wording
from docgen.compose import kinds
from docgen.model import Plan
from docgen.progress.model import DONE, Progress, Stat
from docgen.progress.stats import DONE_STATE, LAGGING, OVERDUE, Figures
from docgen.wording import change, rate
from docgen.wording import date as format_date
from docgen.wording import sentence as _end

#: How each office statistic is phrased: (words before the figure, measure word).
STAT_WORDS = {
    "事故起数": ("发生生产安全事故", "起"), "死亡人数": ("死亡", "人"), "受伤人数": ("受伤", "人"),
    "检查企业家次": ("检查企业", "家次"), "排查隐患": ("排查风险隐患", "条"), "已整改": ("已整改", "条"),
    "行政处罚": ("行政处罚", "起"), "罚款万元": ("罚款", "万元"),
}
ACCIDENT_STATS = ("事故起数", "死亡人数", "受伤人数")
TASK_TABLE = "任务完成情况表"
UNIT_TABLE = "各单位任务完成情况统计表"
#: Upcoming deadlines named in 三、下一步工作措施: those within this many days after as-of.
HORIZON_DAYS = 92


@dataclass(frozen=True)
class BulletinSettings:
    mark: str            # 发文机关标志
    doc_number: str      # 发文字号, may be ""
    signature: str       # e.g. 工作专班（代章）
    recipients: str      # 主送, without the colon
    note: str = "此件公开发布"
    sealed: bool = True


def short_title(plan: Plan) -> str:
    """清溪市安全生产治本攻坚三年行动 from 清溪市安全生产治本攻坚三年行动实施方案."""
    return re.sub(r"(的)?(实施方案|工作方案|行动方案|工作要点|方案)$", "", plan.title.value) or plan.title.value


def stat_phrase(name: str, stat: Stat) -> str:
    """``死亡4人，同比持平``: a statistic with its 同比 change when the previous value is known."""
    words, measure = STAT_WORDS.get(name, (name, ""))
    text = f"{words}{wording.number(stat.current, places=2)}{measure}"
    delta = change(stat.current, stat.previous)
    return f"{text}，{delta}" if delta else text


def fix_rate(stats: dict[str, Stat]) -> str:
    """整改率 = 已整改 / 排查隐患 (one decimal), "" when either is missing or nothing was found."""
    found, fixed = stats.get("排查隐患"), stats.get("已整改")
    if not found or not fixed or not found.current:
        return ""
    return f"整改率{rate(fixed.current, found.current)}"


def _h1(n: int, text: str) -> Para:
    return Para(Role.HEADING1, (Run(f"{heading(1, n)}{text}", Emphasis.HEADING),))


def _h2(n: int, lead: str, text: str) -> Para:
    return Para(Role.BODY, (Run(f"{heading(2, n)}{lead}", Emphasis.LEAD), Run(text)))


class _Composer:
    def __init__(self, plan: Plan, progress: Progress, figures: Figures, previous: Figures | None,
                 settings: BulletinSettings):
        self.plan, self.progress, self.f, self.prev, self.s = plan, progress, figures, previous, settings
        self.names = {u.unit: u.full_name for u in figures.units}

    def opening(self) -> list[Para]:
        f, stats = self.f, self.progress.stats
        when = format_date(f.as_of)
        parts = []
        accidents = [stat_phrase(k, stats[k]) for k in ACCIDENT_STATS if k in stats]
        if accidents:
            parts.append(Para.plain(Role.BODY, f"截至{when}，全{self._level()}{'，'.join(accidents)}。"))
        total, done = len(f.tasks), f.done
        text = (f"《{self.plan.title.value}》确定的{total}项任务中，已完成{done}项，完成率{rate(done, total)}")
        if self.prev is not None:
            delta = change(done, self.prev.done, "环比")
            text += f"，较上期（截至{format_date(self.prev.as_of)}）增加{done - self.prev.done}项" if done > self.prev.done else ""
            text += f"，已完成任务数{delta}" if delta else ""
        text += f"；逾期未完成{f.count(OVERDUE)}项，进度滞后{f.count(LAGGING)}项。"
        parts.append(Para.plain(Role.BODY, ("截至" + when + "，" if not accidents else "") + text
                                + "现将有关情况通报如下。"))
        return parts

    def _level(self) -> str:
        m = re.match(r"^.+?(市|县|区|乡|镇|街道|省)", self.plan.title.value)
        return m.group(1) if m else "市"

    def progress_section(self) -> list[Para]:
        f, stats, out = self.f, self.progress.stats, []
        work = [stat_phrase(k, stats[k]) for k in stats if k not in ACCIDENT_STATS]
        if work:
            rate_text = fix_rate(stats)
            out.append(_h2(1, "监管执法和隐患排查。", _end("全" + self._level() + "累计" + "，".join(work)
                                                     + (f"，{rate_text}" if rate_text else ""))))
        n = len(out)
        actions = "；".join(f"{name}{tasks}项任务已完成{done}项，完成率{rate(done, tasks)}"
                            for name, (tasks, done) in f.actions.items())
        out.append(_h2(n + 1, "分行动推进情况。", _end(actions)))
        full = [u for u in f.units if u.total and u.done == u.total]
        reported = [u for u in f.units if u.reported]
        text = (f"{len(f.units)}个责任单位承担分工{len(f.assignments)}项，已完成"
                f"{sum(u.done for u in f.units)}项，完成率{rate(sum(u.done for u in f.units), len(f.assignments))}；"
                f"{len(reported)}个单位报送了台账")
        if full:
            text += f"，{'、'.join(u.full_name for u in full)}{len(full)}个单位承担的任务已全部完成"
        out.append(_h2(n + 2, "分单位推进情况。", _end(text + "（详见附件2）")))
        facts: dict[str, list[str]] = {}
        for a in f.assignments:
            if a.entry and a.entry.progress and a.entry.status != "未启动":
                state = "已完成" if a.entry.status == DONE else "推进中"
                facts.setdefault(a.unit, []).append(f"{a.entry.progress.rstrip('。；')}（任务{a.task.id}，{state}）")
        if facts:
            out.append(_h2(n + 3, "各单位报送的主要进展。", f"{len(facts)}个单位报送了具体进展："))
            order = [u.unit for u in f.units if u.unit in facts]
            for i, unit in enumerate(order, start=1):
                out.append(Para.plain(Role.BODY, f"{i}.{self.names[unit]}：{'；'.join(facts[unit])}。"))
        return out

    def problems_section(self) -> list[Para]:
        f, out, n = self.f, [], 0
        for state, lead, intro in ((OVERDUE, "逾期未完成的任务。", "已过完成时限仍未完成"),
                                   (LAGGING, "进度滞后的任务。", "完成时限已过半仍未启动")):
            tasks = [t for t in f.tasks if t.state == state]
            if not tasks:
                continue
            n += 1
            out.append(_h2(n, lead, f"{len(tasks)}项任务{intro}："))
            for t in tasks:
                units = wording.names(self.names.get(u, u) for u in t.behind)
                days = f"，已逾期{(f.as_of - t.deadline).days}天" if state == OVERDUE else ""
                out.append(Para.plain(Role.BODY, f"任务{t.task.id}“{t.task.lead.value}”（完成时限{format_date(t.deadline)}"
                                                 f"{days}），责任单位：{units}。"))
        late = [a for a in f.assignments if a.late]
        if late:
            n += 1
            names = "、".join(dict.fromkeys(self.names[a.unit] for a in late))
            out.append(_h2(n, "超期完成的任务。", f"{names}有{len(late)}项分工虽已完成，但完成日期晚于完成时限。"))
        silent = [u for u in f.units if not u.reported]
        if silent:
            n += 1
            out.append(_h2(n, "未报送台账的单位。", f"{'、'.join(u.full_name for u in silent)}共{len(silent)}个单位"
                                                   f"未报送任务台账，其任务按未启动统计。"))
        if not out:
            out.append(Para.plain(Role.BODY, "截至目前，未发现逾期未完成或进度滞后的任务。"))
        return out

    def next_section(self) -> list[Para]:
        if self.progress.next_steps:
            return [Para.plain(Role.BODY, _end(p)) for p in self.progress.next_steps]
        f, out = self.f, []
        behind = [t for t in f.tasks if t.state in (OVERDUE, LAGGING)]
        if behind:
            ids = "、".join(t.task.id for t in behind)
            out.append(_h2(len(out) + 1, "加快补齐短板。", f"对逾期和滞后的{len(behind)}项任务（{ids}），责任单位要查明原因、"
                                                     f"明确整改时限，逐项销号；工作专班将对其实行挂账督办。"))
        soon = [t for t in f.tasks if t.state != DONE_STATE and t.deadline
                and f.as_of <= t.deadline <= f.as_of + dt.timedelta(days=HORIZON_DAYS)]
        if soon:
            items = "；".join(f"{t.task.id}“{t.task.lead.value}”（{format_date(t.deadline)}）" for t in soon)
            out.append(_h2(len(out) + 1, "确保近期任务按时完成。", f"近期到期的任务有：{items}。相关单位要倒排工期，按期完成。"))
        out.append(_h2(len(out) + 1, "按时报送进展。", "各责任单位要如实填写任务台账，按要求报送进展情况和佐证材料，"
                                                "工作专班将定期通报任务完成情况。"))
        return out

    def attachments(self) -> tuple[Attachment, ...]:
        rows = []
        for i, a in enumerate(self.f.assignments, start=1):
            e = a.entry
            status = e.status if e else "未填报"
            if a.state == OVERDUE:
                status += "（逾期）"
            elif a.late:
                status += "（超期）"
            rows.append((str(i), a.task.id, a.task.lead.value, self.names[a.unit], status,
                         format_date(e.date) if e and e.date else ""))
        tasks = Table(("序号", "任务编号", "工作任务", "责任单位", "完成状态", "完成日期"), tuple(rows),
                      narrow=frozenset({0, 1, 5}), landscape=True)
        units = Table(("序号", "责任单位", "承担分工", "已完成", "完成率", "逾期", "滞后"),
                      tuple((str(i), u.full_name, str(u.total), str(u.done), u.rate, str(u.overdue), str(u.lagging))
                            for i, u in enumerate(self.f.units, start=1)),
                      narrow=frozenset({0, 2, 3, 4, 5, 6}))
        return (Attachment("附件1", TASK_TABLE, tasks), Attachment("附件2", UNIT_TABLE, units))


def compose_bulletin(plan: Plan, progress: Progress, figures: Figures, previous: Figures | None,
                     settings: BulletinSettings) -> Document:
    """The 通报 (module docstring)."""
    c = _Composer(plan, progress, figures, previous, settings)
    title = f"{short_title(plan)}工作进展情况通报"
    body: list = [Para.plain(Role.TITLE, title), Para.plain(Role.RECIPIENTS, f"{settings.recipients}：")]
    body += c.opening()
    for n, (name, paras) in enumerate((("工作开展情况", c.progress_section()), ("存在问题", c.problems_section()),
                                       ("下一步工作措施", c.next_section())), start=1):
        body.append(_h1(n, name))
        body += paras
    body.append(Para.plain(Role.ATTACHMENT_NOTE, f"附件：1.{TASK_TABLE}"))
    body.append(Para.plain(Role.ATTACHMENT_NOTE_ITEM, f"2.{UNIT_TABLE}"))
    body.append(Signature(settings.signature, format_date(figures.as_of), settings.sealed))
    if settings.note:
        body.append(Para.plain(Role.REMARK, f"（{settings.note}）"))
    return Document(kind=kinds.BULLETIN, head=kinds.kind(kinds.BULLETIN).head_for(settings.doc_number), mark=settings.mark, doc_number=settings.doc_number, body=tuple(body),
                    attachments=c.attachments(), closing=Closing(None, None, None), title=title,
                    author=settings.signature, date=figures.as_of,
                    keep_together=frozenset({settings.signature, *(u.full_name for u in figures.units)}))
