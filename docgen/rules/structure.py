"""Structure rules (DG1xx): ids, references to parent plans and attachments, nesting depth."""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterator

from docgen.context import CheckContext
from docgen.model import (
    DIVISION_TABLE,
    TASK_TABLE_KIND,
    TASK_TABLE_ROLES,
    BodyTable,
    Paragraph,
    Section,
    Task,
    task_table_role,
)
from docgen.problems import Problem, Severity
from docgen.rules.base import Rule
from docgen.wording import TARGET_REFERENCE

MAX_DEPTH = 4
LEVEL_FORMS = ("一、", "（一）", "1.", "（1）")


class DuplicateTaskId(Rule):
    """任务编号重复。

    每个任务的“编号”在一份方案中必须唯一：下级方案、台账和修订对照都靠编号找到任务。

    错误示例：两个任务都写了 `编号: T05`。
    修改：给其中一个换一个未用过的编号。已经下发过的任务不要改编号。
    """

    code = "DG101"
    name = "duplicate-task-id"
    summary = "任务编号重复"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            seen: dict[str, Task] = {}
            for task in plan.tasks():
                first = seen.get(task.id)
                if first is None:
                    seen[task.id] = task
                    continue
                yield self.problem(
                    f"任务编号“{task.id}”重复：第 {first.label} 项任务（{first.id_loc}）已经用过。"
                    "请给这个任务换一个未用过的编号。",
                    task.id_loc,
                )


class ParentPlanMissing(Rule):
    """上级方案找不到或有错误。

    “上级方案”写的是上级方案文件相对于本文件的路径。文件不存在、读不出来或本身有错误时，
    本方案与上级方案的对应关系（上级任务、完成时限）无法检查。

    修改：改正路径；上级方案本身有错误时，先运行 `docgen check 上级方案文件` 修正它。
    """

    code = "DG102"
    name = "parent-plan-missing"
    summary = "上级方案找不到或有错误"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            lookup = ctx.parent_of(plan)
            if lookup is None or lookup.plan is not None:
                continue
            yield self.problem(
                f"上级方案“{plan.parent_path.value}”{lookup.error}（找的是 {lookup.path}）。"
                "请改正路径，或先修正上级方案中的问题。",
                plan.parent_path.loc,
            )


class ParentTaskMissing(Rule):
    """上级任务不存在。

    任务的“上级任务”必须是“上级方案”中某个任务的编号。写了上级任务却没写上级方案，
    或编号在上级方案中找不到，都无法追溯。

    修改：改正上级任务编号（消息给出最接近的编号），或在方案顶层补上“上级方案”。
    """

    code = "DG103"
    name = "parent-task-missing"
    summary = "上级任务不存在"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            linked = [t for t in plan.tasks() if t.parent_id is not None]
            if not linked:
                continue
            lookup = ctx.parent_of(plan)
            if lookup is None:
                for task in linked:
                    yield self.problem(
                        f"任务“{task.lead.value}”写了上级任务“{task.parent_id.value}”，但方案没有写“上级方案”。"
                        "请在方案顶层写上“上级方案: 上级方案文件路径”。",
                        task.parent_id.loc,
                    )
                continue
            if lookup.plan is None:
                continue  # reported by DG102
            parent_ids = lookup.plan.task_by_id()
            for task in linked:
                if task.parent_id.value in parent_ids:
                    continue
                close = difflib.get_close_matches(task.parent_id.value, list(parent_ids), n=3, cutoff=0.5)
                hint = ("您是否想写：" + "、".join(f"“{c}”" for c in close) + "？") if close else ""
                yield self.problem(
                    f"上级任务“{task.parent_id.value}”在上级方案《{lookup.plan.title.value}》中不存在。{hint}",
                    task.parent_id.loc,
                )


class AttachmentMissing(Rule):
    """引用的附件不存在。

    任务或段落的“附件”必须是方案“附件”列表中某个附件的标题；正文中写“附件3”时，
    方案至少要有 3 个附件。

    修改：在“附件”中补上这个附件，或改正引用的标题。
    """

    code = "DG104"
    name = "attachment-missing"
    summary = "引用的附件不存在"

    _NUMBERED = re.compile(r"附件\s*(\d+)")

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            titles = [a.title.value for a in plan.attachments]
            for block in plan.walk():
                ref = block.attachment if isinstance(block, (Task, Paragraph)) else None
                if ref is None or any(ref.value in t or t in ref.value for t in titles):
                    continue
                listed = "、".join(f"《{t}》" for t in titles) or "（无）"
                yield self.problem(
                    f"引用了附件“{ref.value}”，但方案的附件中没有它（现有附件：{listed}）。"
                    "请在“附件”中补上，或改正标题。",
                    ref.loc,
                )
            for path, value, loc in plan.strings():
                if "附件" not in value or (path and path[0] == "附件"):
                    continue
                for m in self._NUMBERED.finditer(value):
                    if int(m.group(1)) > len(titles):
                        yield self.problem(
                            f"正文提到“{m.group(0)}”，但方案只有 {len(titles)} 个附件。请补上附件或改正编号。",
                            plan.text_at(loc, value, m.start()),
                        )


class NestingTooDeep(Rule):
    """章节嵌套超过四层。

    公文的结构层次序数只有四层：“一、”“（一）”“1.”“（1）”。任务排在所在章节的下一层，
    因此含任务的章节最多三层深。

    修改：合并层次，或把过深的内容写成段落和分项（一是……二是……）。
    """

    code = "DG105"
    name = "nesting-too-deep"
    summary = "章节嵌套超过四层"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            for block in plan.walk():
                if isinstance(block, Section) and block.depth > MAX_DEPTH:
                    yield self.problem(
                        f"章节“{block.title.value}”在第 {block.depth} 层，公文最多四层（{'、'.join(LEVEL_FORMS)}）。"
                        "请合并层次。",
                        block.loc,
                    )
                elif isinstance(block, Task) and len(block.sections) >= MAX_DEPTH:
                    yield self.problem(
                        f"任务“{block.lead.value}”排在第 {len(block.sections) + 1} 层，公文最多四层。"
                        "请把它移到较浅的章节中。",
                        block.loc,
                    )


class NoticeMissing(Rule):
    """实施方案缺少印发通知。

    实施方案以印发通知的形式下发：通知在前（版头、发文字号、关于印发《…》的通知），
    方案在后。收到的方案（“来源: 上级来文”）照来文的样子，来文单独刊出方案时没有印发通知，不报告。

    修改：在方案顶层写“印发通知:”和它的“正文”。
    """

    code = "DG106"
    name = "notice-missing"
    summary = "实施方案缺少印发通知"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            if plan.kind == "实施方案" and plan.notice is None and not plan.received:
                yield self.problem(
                    "实施方案需要印发通知。请在方案顶层写上“印发通知:”，其中“正文”写通知的内容。",
                    plan.key_location("文种"),
                )


class AttachmentEmpty(Rule):
    """表格附件没有表头，或表格某行的格数与表头不符。

    “表格”类附件要在“列”中写出表头、在“行”中写出各行；每行的格数不能多于表头的列数
    （少写的格留空）。由任务自动生成的分工表写“类型: 任务分工表”，不用写列和行。

    任务分工表可以在“列”中按来文写出表头（如“序号、重点任务、责任单位、完成时限”），每一列都要是
    docgen 能由任务生成的：序号、任务（工作任务、重点任务……）、责任单位、牵头单位、配合单位、
    完成时限（时间节点……）、备注。

    收到的方案（“来源: 上级来文”）中没有表头也没有行的附件，是来文只列了附件名称、没有附上内容
    （网页上的附件常要另行下载）：只作为提示列出，排版时只在附件说明中列出它。

    正文中写出的表格（“标题”“列”“行”块）每行的格数要与表头的列数相同：多出的格印不出来，
    少写的格印为空格（可能是漏写或错位，提示核对）。

    修改：补上“列”，或把附件改为“类型: 任务分工表”；删去多余的格或补上表头。
    """

    code = "DG107"
    name = "attachment-empty"
    summary = "表格附件没有表头或格数不符"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            for i, a in enumerate(plan.attachments):
                if a.kind == TASK_TABLE_KIND:
                    for c, column in enumerate(a.columns):
                        if task_table_role(column) is None:
                            yield self.problem(
                                f"任务分工表“{a.title.value}”的列“{column}”不能由任务生成。可用的列有："
                                + "、".join(names[0] for names in TASK_TABLE_ROLES.values()) + "（及其常见写法，"
                                "如“重点任务”“责任部门”“时间节点”）。请改正或删去这一列。",
                                plan.locate(("附件", i, "列", c)))
                    continue
                if a.kind != "表格":
                    continue
                if not a.columns and not a.rows and plan.received:
                    yield self.problem(
                        f"附件“{a.title.value}”的内容没有随来文收到，排版时只在附件说明中列出它的标题。"
                        "收到附件后可在“列”“行”中补上。", a.loc).with_severity(Severity.INFO)
                    continue
                if not a.columns:
                    yield self.problem(
                        f"附件“{a.title.value}”是表格，但没有表头（“列”）。请写出“列”和“行”，"
                        "或写“类型: 任务分工表”由任务自动生成。", a.loc)
                    continue
                for r, row in enumerate(a.rows):
                    if len(row) > len(a.columns):
                        yield self.problem(
                            f"附件“{a.title.value}”第 {r + 1} 行有 {len(row)} 格，多于表头的 {len(a.columns)} 列。"
                            "请删去多余的格，或在“列”中补上表头。", plan.locate(("附件", i, "行", r)))
        for doc in ctx.documents():
            for block in doc.walk():
                if isinstance(block, BodyTable):
                    yield from self._body_table(block)

    def _body_table(self, table: BodyTable) -> Iterator[Problem]:
        name = f"表格“{table.title.value}”" if table.title else "正文中的表格"
        width = len(table.columns)
        if table.groups and len(table.groups) != width:
            yield self.problem(f"{name}的“表头分组”有 {len(table.groups)} 项，表头有 {width} 列，分组印不出来。"
                               "请每列写一项（同组的列写同一个名称，不分组的列写 \"\"）。", table.groups[0].loc)
        for r, (row, loc) in enumerate(zip(table.rows, table.row_locs)):
            if len(row) > width:
                yield self.problem(f"{name}第 {r + 1} 行有 {len(row)} 格，多于表头的 {width} 列，多出的格印不出来。"
                                   "请删去多余的格，或在“列”中补上表头。", loc)
            elif len(row) < width:
                yield self.problem(f"{name}第 {r + 1} 行只有 {len(row)} 格，表头有 {width} 列，缺的格印为空格。"
                                   "请核对是否漏写或错位；确实为空的格写 \"\"。", loc).with_severity(Severity.WARNING)


class SecrecyIncomplete(Rule):
    """密级、保密期限和份号不配套。

    GB/T 9704 7.2.1、7.2.2：涉密公文应当标注份号；保密期限与密级一起标注（“机密★1年”），
    不能单独出现。

    修改：涉密公文写上“份号”；写了“保密期限”的，同时写“密级”。
    """

    code = "DG108"
    name = "secrecy-incomplete"
    summary = "密级、保密期限和份号不配套"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            if plan.secret_term and not plan.secret:
                yield self.problem(
                    f"写了保密期限“{plan.secret_term.value}”，但没有写密级。请写“密级: 秘密/机密/绝密”，或删去保密期限。",
                    plan.secret_term.loc)
            if plan.secret and not plan.copy_number:
                yield self.problem(
                    f"涉密公文（{plan.secret.value}）应当标注份号。请写“份号: 1”之类（印为6位数字）。", plan.secret.loc)


class TargetReferenceUnknown(Rule):
    """文中引用的指标不存在。

    在任务的“内容”“分项”或段落中写“【指标：名称】”，指标就印在这个位置（只印一次），
    名称必须与本任务（段落）“指标”中某一项的“名称”完全相同。

    修改：改正引用的名称，或在本任务的“指标”中补上这个指标。
    """

    code = "DG109"
    name = "target-reference-unknown"
    summary = "文中引用的指标不存在"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            for block in plan.walk():
                if not isinstance(block, (Task, Paragraph)):
                    continue
                names = [t.name for t in block.targets]
                texts = [block.body if isinstance(block, Task) else block.text, *block.items]
                for text in texts:
                    if text is None:
                        continue
                    for m in TARGET_REFERENCE.finditer(text.value):
                        name = m.group(1).strip()
                        if name in names:
                            continue
                        close = difflib.get_close_matches(name, names, n=1, cutoff=0.4)
                        hint = f"您是否想写“【指标：{close[0]}】”？" if close else (
                            "本任务（段落）的“指标”中没有这一项，请补上。" if not names else
                            f"本任务（段落）的指标有：{'、'.join(names)}。")
                        yield self.problem(f"引用的指标“{name}”不存在。{hint}",
                                           plan.text_at(text.loc, text.value, m.start()))


class DataBlockOutsideBulletin(Rule):
    """数据块（表格、图表、名单）只能用于通报。

    “表格”“图表”“名单”块从“数据”文件中取表，只有通报和挂牌督办通知（`文种: 通报`、
    `文种: 挂牌督办通知`）有数据文件。写在实施方案、工作要点、意见或通知里，排版时没有数据可取。

    正文中直接写出的表格（“标题”“列”“行”块，不写“表格”）各类公文都可用，不属于数据块。

    修改：把表格直接写在正文中（写“标题”“列”“行”），或写成附件，或把这部分内容写进一份通报。
    """

    code = "DG110"
    name = "data-block-outside-bulletin"
    summary = "数据块只能用于通报"

    _KEYS = ("表格", "图表", "名单")

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            body = plan.tree.get("正文")
            stack = [body] if isinstance(body, list) else []
            while stack:
                seq = stack.pop()
                for item in seq:
                    if not isinstance(item, dict):
                        continue
                    if "任务" not in item:
                        key = next((k for k in self._KEYS if k in item), None)
                        if key is not None:
                            yield self.problem(
                                f"“{key}”块只能用于通报和挂牌督办通知（它从“数据”文件取表），"
                                f"{plan.kind}没有数据文件。请把表格直接写在这里（写“标题”“列”“行”），"
                                "或写成附件，或删除这一块。",
                                plan.source.key(item, key))
                            continue
                    if isinstance(item.get("内容"), list):
                        stack.append(item["内容"])


class DivisionTableMissing(Rule):
    """“分工写法: 分工表”却没有任务分工表附件。

    `分工写法: 分工表` 表示正文中不印责任单位和完成时限，只在任务分工表中列出；方案的“附件”中
    必须有一个 `类型: 任务分工表` 的附件，否则这些内容在印出的公文中就没有了。

    任务中写的 `分工写法: 分工表`（只有这个任务的分工只在表中）同样需要这个附件。

    修改：在“附件”中加上 `- {标题: 任务分工表, 类型: 任务分工表}`，或把“分工写法”改为“分行”或“括注”。
    """

    code = "DG111"
    name = "division-table-missing"
    summary = "分工写法为分工表却没有任务分工表"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            if any(a.kind == TASK_TABLE_KIND for a in plan.attachments):
                continue
            if plan.division == DIVISION_TABLE:
                yield self.problem(
                    "“分工写法: 分工表”表示责任单位和完成时限只印在任务分工表中，但“附件”中没有"
                    "“类型: 任务分工表”的附件。请加上这个附件，或把“分工写法”改为“分行”或“括注”。",
                    plan.source.key(plan.tree, "分工写法"))
            for task in plan.tasks():
                if task.division == DIVISION_TABLE:
                    yield self.problem(
                        f"任务“{task.lead.value}”（编号 {task.id}）写了“分工写法: 分工表”，它的责任单位和完成时限"
                        "只印在任务分工表中，但“附件”中没有“类型: 任务分工表”的附件。请加上这个附件，"
                        "或删去这个任务的“分工写法”。", task.loc)


class TargetPartsMismatch(Rule):
    """指标的分年度或分解之和与目标值不符。

    指标写了“分年度”时，各年之和应等于目标值（数量：4场 + 4场 + 4场 = 12场）；比率或累计数各年逐年
    上升、最后一年等于目标值（60%、85%、100%）。“分解”按表分配时，各下级的份额之和应等于目标值。
    改了目标值而忘了改分年度或分解表，下发、级联和考核就会按两个数字执行。

    错误示例：目标值由50家改为60家，分年度仍是10家、20家、20家。
    修改：调整分年度或分解表，使之与目标值一致。
    """

    code = "DG112"
    name = "target-parts-mismatch"
    summary = "分年度或分解之和与目标值不符"

    def check(self, ctx: CheckContext) -> Iterator[Problem]:
        for plan in ctx.plans:
            for block in plan.walk():
                for target in getattr(block, "targets", ()):
                    why = target.parts_mismatch()
                    if why:
                        yield self.problem(f"指标“{target.name}”{why}。请调整分年度或分解表，或改正目标值。", target.loc)


RULES: tuple[type[Rule], ...] = (
    DuplicateTaskId,
    ParentPlanMissing,
    ParentTaskMissing,
    AttachmentMissing,
    NestingTooDeep,
    NoticeMissing,
    AttachmentEmpty,
    SecrecyIncomplete,
    TargetReferenceUnknown,
    DataBlockOutsideBulletin,
    DivisionTableMissing,
    TargetPartsMismatch,
)
