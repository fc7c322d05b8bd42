"""Unit rules (DG2xx): responsible units present and registered; the registry itself sound."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

from docgen import unitmatch
from docgen.context import CheckContext
from docgen.model import Plan, Responsibility
from docgen.problems import Problem, Severity
from docgen.rules.base import Rule


class TaskWithoutUnit(Rule):
    """任务没有责任单位。

    每个任务都要有人负责。责任单位可以写在任务里，也可以写在所在章节（行动）里，
    由章节内没写责任单位的任务共用。

    错误示例：任务只有“任务”“内容”“完成时限”。
    修改：写“责任单位: 市应急管理局”，或“责任单位: {牵头: […], 配合: […]}”。

    收到的方案（“来源: 上级来文”，例如 docgen import 导入的文件）常常没有写责任单位：这时只作为
    提示列出，供起草本级方案时补充，不算错误。
    """

    code = "DG201"
    name = "task-without-unit"
    summary = "任务没有责任单位"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            for task in plan.tasks():
                if task.effective_responsibility is None:
                    if plan.received:
                        yield self.problem(
                            f"第 {task.number} 项任务“{task.lead.value}”（编号 {task.id}）原文没有写责任单位，"
                            "起草本级方案时请补上。", task.loc).with_severity(Severity.INFO)
                        continue
                    yield self.problem(
                        f"第 {task.label} 项任务“{task.lead.value}”（编号 {task.id}）没有责任单位。"
                        "请在任务中写“责任单位: …”，或在所在章节写共用的责任单位。",
                        task.loc,
                    )


def _responsibilities(plan: Plan) -> Iterator[Responsibility]:
    for section in plan.sections():
        if section.responsibility:
            yield section.responsibility
    for task in plan.tasks():
        if task.responsibility:
            yield task.responsibility


class UnknownUnit(Rule):
    """责任单位不在单位库中。

    责任单位中的每个名称都必须是发文机关所属组织在单位库中登记的单位、单位组（例如
    “负有安全生产监督管理职责的部门”）或直属下级组织。这样下发通知和下级方案时才能找到它。
    消息会给出单位库中最接近的名称。

    修改：改用单位库中的名称，或先在单位库（plans/registry/）中登记这个单位。
    """

    code = "DG202"
    name = "unknown-unit"
    summary = "责任单位不在单位库中"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        if not ctx.registry_complete:
            return
        for plan, org in ctx.plans_with_org():
            for resp in _responsibilities(plan):
                for ref in resp.all():
                    if ctx.registry.resolve(org, ref.name) is None:
                        suggestions = unitmatch.suggest(ctx.registry, org, ref.name)
                        hint = unitmatch.sentence(suggestions) or "请先在单位库中登记，或改用已登记的名称。"
                        found = self.problem(f"责任单位“{ref.name}”不在“{org.name}”的单位库中。{hint}", ref.loc)
                        clear = unitmatch.clear_match(suggestions)
                        if clear:
                            found = found.with_fix(plan.edit(ref.loc, ref.name, 0, ref.name, clear.write,
                                                             f"改为“{clear.write}”"))
                        yield found


class RegistryStructure(Rule):
    """单位库结构有误。

    单位库中：组织名称唯一；“上级”必须是已登记的组织，且层级更低；上级关系不能循环；
    同一组织内单位和单位组的名称唯一；单位组的成员、单位的对口单位必须存在。

    修改：按消息改正单位库文件。
    """

    code = "DG203"
    name = "registry-structure"
    summary = "单位库结构有误"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        if not ctx.report_registry:
            return
        for issue in ctx.registry.issues:
            yield self.problem(issue.message, issue.loc)


class UnknownIssuer(Rule):
    """发文机关不在单位库中。

    方案的“发文机关”必须是单位库某个组织“发文机关”下登记的名称，docgen 据此确定方案属于
    哪一级、用哪些单位和用语。联合行文时，“联合发文机关”中的每个机关也要登记（版头用它们的
    发文机关标志），且不能重复。

    收到的方案（“来源: 上级来文”）的发文机关是别的机关，常不在本单位库中：这时是警告，方案照样
    可以排版，只是其中的单位无法与单位库对照。按组织工作的命令（cascade、notify、collect、report、
    remind）要找到它的下级组织和单位，发文机关不在单位库中时报告这条错误，说明要登记什么。

    修改：改用单位库中登记的发文机关全称，或在单位库中登记它。
    """

    code = "DG204"
    name = "unknown-issuer"
    summary = "发文机关不在单位库中"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        if not ctx.registry_complete:
            return
        for plan in ctx.plans:
            if ctx.org_of(plan) is None:
                close = difflib.get_close_matches(plan.issuer.value, ctx.registry.issuer_names(), n=3, cutoff=0.4)
                hint = ("您是否想写：" + "、".join(f"“{c}”" for c in close) + "？") if close else (
                    "请在单位库中为所属组织登记这个发文机关。")
                found = self.problem(f"发文机关“{plan.issuer.value}”不在单位库中。{hint}", plan.issuer.loc)
                yield found.with_severity(Severity.WARNING) if plan.received else found
            seen = {plan.issuer.value}
            for joint in plan.joint_issuers:
                if joint.value in seen:
                    yield self.problem(f"联合发文机关“{joint.value}”重复（已是发文机关或已列出）。请删去重复的一项。",
                                       joint.loc)
                elif ctx.registry.issuer(joint.value) is None:
                    close = difflib.get_close_matches(joint.value, ctx.registry.issuer_names(), n=3, cutoff=0.4)
                    hint = ("您是否想写：" + "、".join(f"“{c}”" for c in close) + "？") if close else (
                        "请在单位库中为所属组织登记这个发文机关。")
                    yield self.problem(f"联合发文机关“{joint.value}”不在单位库中。{hint}", joint.loc)
                seen.add(joint.value)


class PhasedUnits(Rule):
    """分期达到的下级组织不全、重复或不是下级。

    指标写“分期”时，发文机关所属组织的每个直属下级组织必须恰好出现在一个批次中：漏掉的
    下级不知道何时达标，重复的下级有两个时限。批次中只能写直属下级组织（或它们的发文机关）。

    修改：把漏掉的下级组织补进某个批次，删去重复的一处，或改正名称。
    """

    code = "DG205"
    name = "phased-units"
    summary = "分期达到的下级组织不全或重复"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        if not ctx.registry_complete:
            return
        for plan, org in ctx.plans_with_org():
            children = [c.name for c in org.children]
            for block in plan.walk():
                for target in getattr(block, "targets", ()):
                    if target.phases:
                        yield from self._target(ctx, org, children, target)

    def _target(self, ctx, org, children, target) -> Iterator[Problem]:
        seen: dict[str, object] = {}
        for phase in target.phases:
            for ref in phase.units:
                resolved = ctx.registry.resolve(org, ref.name)
                if resolved is None or resolved.kind != "suborg":
                    hint = ctx.registry.suggest(org, ref.name) if resolved is None else ""
                    yield self.problem(
                        f"指标“{target.name}”分期中的“{ref.name}”不是“{org.name}”的直属下级组织。"
                        f"分期只能列下级组织。{hint}", ref.loc)
                    continue
                child = resolved.org.name
                if child in seen:
                    yield self.problem(
                        f"指标“{target.name}”分期中“{child}”出现了两次（另一次在“{seen[child]}”批次）。"
                        "每个下级组织只能在一个批次中。", ref.loc)
                else:
                    seen[child] = phase.deadline.phrase
        missing = [c for c in children if c not in seen]
        if missing:
            yield self.problem(
                f"指标“{target.name}”分期没有列出下级组织：{'、'.join(missing)}。"
                f"“{org.name}”的每个直属下级组织都要在某个批次中。", target.loc)


RULES: tuple[type[Rule], ...] = (TaskWithoutUnit, UnknownUnit, RegistryStructure, UnknownIssuer, PhasedUnits)
