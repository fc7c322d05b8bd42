"""Cascade rules (DG5xx): a child plan implements what its parent assigns to its level."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from docgen.cascade import scope, targets
from docgen.context import CheckContext
from docgen.model import Plan
from docgen.problems import Problem, Severity
from docgen.registry import Organisation
from docgen.rules.base import Rule


def _pairs(ctx: CheckContext) -> Iterator[tuple[Plan, Plan, Organisation, Organisation]]:
    """(child, parent, child org, parent org) for every child plan whose parent can be judged."""
    for plan, parent in ctx.with_parents():
        child_org, parent_org = ctx.org_of(plan), ctx.org_of(parent)
        if child_org is None or parent_org is None or child_org not in parent_org.children:
            continue
        yield plan, parent, child_org, parent_org


class CascadeTaskMissing(Rule):
    """下级方案没有落实上级任务。

    上级方案中责任单位包括本级的任务（写了“各乡镇（街道）”之类的下级统称，或直接点名本级），
    下级方案必须逐条落实：要有一个任务的“上级任务”写着它的编号。只由上级部门承担的任务不需要落实。

    修改：补上落实这个任务的条目（写“上级任务: 编号”），或运行 `docgen cascade` 重新生成。
    """

    code = "DG501"
    name = "cascade-task-missing"
    summary = "没有落实上级任务"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for child, parent, child_org, parent_org in _pairs(ctx):
            implemented = {t.parent_id.value for t in child.tasks() if t.parent_id}
            for task in parent.tasks():
                if task.id in implemented or not scope.falls_to(task, ctx.registry, parent_org, child_org):
                    continue
                yield self.problem(
                    f"“{child_org.name}”的方案没有落实上级任务 {task.id}“{task.lead.value}”"
                    f"（上级方案《{parent.title.value}》第 {task.label} 项，责任单位包括本级）。"
                    f"请补上一个写有“上级任务: {task.id}”的任务。",
                    child.parent_path.loc,
                )


class TargetBelowShare(Rule):
    """分解到本级的指标低于应承担的份额。

    上级指标写了“分解”时，每个下级组织按规则（平均、按单位库数据加权、按表）承担一份，各份之和
    不少于上级目标值。下级方案中落实该任务的同名指标不能低于本级的份额，也不能删掉。

    修改：把目标值（及分年度值）提高到消息给出的份额，或运行 `docgen cascade` 重新生成。
    """

    code = "DG502"
    name = "target-below-share"
    summary = "指标低于分解份额"

    _AT_LEAST = {"不少于", "不低于", "达到"}

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for child, parent, child_org, parent_org in _pairs(ctx):
            parents = parent.task_by_id()
            for task in child.tasks():
                up = parents.get(task.parent_id.value) if task.parent_id else None
                if up is None:
                    continue
                mine = {t.name: t for t in task.targets}
                for target in up.targets:
                    if target.split is None or target.op not in self._AT_LEAST:
                        continue
                    try:
                        share = targets.shares_of(parent, target, parent_org)[child_org.name]
                    except targets.SplitError:
                        continue  # reported on the parent by DG503's sibling checks
                    own = mine.get(target.name)
                    need = targets.number(share.value)
                    if own is None:
                        yield self.problem(
                            f"上级任务 {up.id} 的指标“{target.name}”分解到“{child_org.name}”{need}{target.unit}，"
                            "本任务没有这项指标。请补上。", task.loc)
                    elif own.value < share.value:
                        yield self.problem(
                            f"指标“{target.name}”为 {targets.number(own.value)}{target.unit}，低于上级任务 {up.id} "
                            f"分解到“{child_org.name}”的份额 {need}{target.unit}。", own.loc)
                    else:
                        short = [y for y, v in share.by_year.items() if own.by_year.get(y, v) < v]
                        for year in short:
                            yield self.problem(
                                f"指标“{target.name}”{year}年为 {targets.number(own.by_year[year])}{target.unit}，"
                                f"低于上级任务 {up.id} 分解到本级的 {targets.number(share.by_year[year])}{target.unit}。",
                                own.loc)


class BasisMismatch(Rule):
    """下级方案引用的依据与上级方案不符。

    下级方案的“依据”要引用它所落实的上级方案：标题中用《》写出上级方案的标题，发文字号与上级方案
    一致。上级方案改了标题或发文字号后，下级常常忘了跟着改。

    修改：按消息改正“依据”的标题或发文字号。
    """

    code = "DG503"
    name = "basis-mismatch"
    summary = "依据与上级方案不符"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan, parent in ctx.with_parents():
            cited = [b for b in plan.basis if f"《{parent.title.value}》" in b.title.value
                     or b.title.value == parent.title.value]
            if not cited:
                yield self.problem(
                    f"“依据”中没有引用上级方案《{parent.title.value}》。请在“依据”中写出它的标题"
                    f"{'和发文字号' if parent.doc_number else ''}。",
                    plan.basis[0].title.loc if plan.basis else plan.parent_path.loc,
                )
                continue
            want = parent.doc_number.value if parent.doc_number else None
            for basis in cited:
                if want and (basis.doc_number is None or basis.doc_number.value != want):
                    got = basis.doc_number.value if basis.doc_number else "（未写）"
                    yield self.problem(
                        f"依据的发文字号“{got}”与上级方案的发文字号“{want}”不一致。",
                        basis.doc_number.loc if basis.doc_number else basis.title.loc,
                    )


class UnresolvedConflict(Rule):
    """还有未处理的级联冲突。

    重新运行 `docgen cascade` 时，上级和本级改了同一处，docgen 保留本级的内容，并在它前面加一条
    `# docgen: 冲突 [编号 字段] 上级方案改为：…` 注释。处理完（保留本级、改用上级或合并两者）
    后删除这条注释。

    修改：按注释处理后删除注释。
    """

    code = "DG504"
    name = "unresolved-conflict"
    summary = "未处理的级联冲突"

    _MARK = re.compile(r"#\s*docgen:\s*冲突(.*)$")

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            if "docgen" not in plan.source_text:
                continue
            for row, line in enumerate(plan.source_text.split("\n"), start=1):
                m = self._MARK.search(line)
                if m:
                    yield self.problem(
                        f"未处理的级联冲突：{m.group(1).strip().rstrip('。')}。处理后请删除这条注释。",
                        plan.position(row, m.start() + 1),
                    )


def _texts(task) -> list:
    """The texts of a task that may quote a figure: lead sentence, 内容 and 分项."""
    return [t for t in (task.lead, task.body, *task.items) if t is not None]


def _figures(text: str, whole: str) -> Iterator[re.Match[str]]:
    """Numbers that follow an organisation's word for its whole area ("全市1000家", "全市共有企业1000家"):
    group 1 is the number. Rates (100%) and years (2025年) are not counts of the area."""
    return _figure_pattern(whole).finditer(text)


@functools.lru_cache(maxsize=64)
def _figure_pattern(whole: str) -> re.Pattern[str]:
    return re.compile(
        re.escape(whole) + r"[^，。；、：,.;:！？\d%％]{0,12}?(\d+(?:\.\d+)?)(?![\d.])(?!\s*(?:[%％年月日]|个百分点))")


class ParentFigureCopied(Rule):
    """下级方案照抄了上级全域的数字。

    级联时“全市”改写成了本级的“全镇”，但紧跟着的数字（“全市1000家企业”）是上级全域的总数，照抄到
    下级方案就成了“全镇1000家企业”，与本级实际不符。上级指标写了“分解”时，本级的份额写在指标里，
    正文中的总数同样要改。比率（“100%”）和年份不算。

    修改：把数字改为本级的数字（例如单位库“数据”中的企业数），或删去这个数字；确实就是本级的数字时，
    在这一行加 `# docgen: disable=DG506`。
    """

    code = "DG506"
    name = "parent-figure-copied"
    summary = "照抄了上级全域的数字"
    severity = Severity.WARNING

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for child, parent, child_org, parent_org in _pairs(ctx):
            mine, theirs = child_org.words.whole, parent_org.words.whole
            if not mine or not theirs or mine == theirs:
                continue
            parents = parent.task_by_id()
            for task in child.tasks():
                up = parents.get(task.parent_id.value) if task.parent_id else None
                if up is None:
                    continue
                figures = {m.group(1) for text in _texts(up) for m in _figures(text.value, theirs)}
                if not figures:
                    continue
                for text in _texts(task):
                    for m in _figures(text.value, mine):
                        if m.group(1) not in figures:
                            continue
                        yield self.problem(
                            f"“{m.group(0)}”照抄了上级任务 {up.id} 中{theirs}的数字{m.group(1)}，这是{parent_org.name}"
                            f"全域的数字，不是{child_org.name}的。{self._share(up, m.group(1), parent_org, child_org)}"
                            "请改为本级的数字，或删去这个数字。",
                            child.text_at(text.loc, text.value, m.start(1)))

    @staticmethod
    def _share(up, figure: str, parent_org: Organisation, child_org: Organisation) -> str:
        for target in up.targets:
            if target.split is not None and str(targets.number(target.value)) == figure:
                try:
                    share = targets.shares(target, parent_org)[child_org.name]
                except (targets.SplitError, KeyError):
                    return ""
                return f"指标“{target.name}”分解到本级为{targets.number(share.value)}{target.unit}。"
        return ""


class CascadeFailed(Rule):
    """无法生成下级方案。

    `docgen cascade` 无法为某个下级组织生成方案：单位库缺少它的发文机关或本级用语、指标无法分解、
    已有的下级方案无法合并等。消息说明缺什么。这时不会写出任何下级方案。

    修改：按消息补充单位库或上级方案，然后重新运行。
    """

    code = "DG505"
    name = "cascade-failed"
    summary = "无法生成下级方案"
    stage = "cascade"


RULES: tuple[type[Rule], ...] = (CascadeTaskMissing, TargetBelowShare, BasisMismatch, UnresolvedConflict,
                                 CascadeFailed, ParentFigureCopied)
