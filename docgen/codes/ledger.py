"""Collect rules (DG6xx): what `docgen collect` finds in the ledgers units send back.

They are emitted by `docgen.progress.collect` (stage "collect"), located by file, sheet and cell
(``东湖街道-台账.xlsx:台账!F3``), and listed and documented like every other rule.
"""

from __future__ import annotations

from docgen.codes.base import Code
from docgen.problems import Severity


class _CollectRule(Code):
    stage = "collect"


class LedgerUnreadable(_CollectRule):
    """台账文件无法读取。

    文件不是 .xlsx 工作簿（例如旧版 .xls 改了扩展名、设置了打开密码），文件已损坏（XML 不完整、
    引用了不存在的共享字符串或格式），含有 XML 实体声明，超过了读取限制（文件大小、解压后大小、
    行数、列数、单元格数、嵌套层数、读取时间，可用 `--limit 名称=数值` 或环境变量 `DOCGEN_LIMITS`
    放宽），或缺少“台账”“填报信息”工作表，或没有任何任务行。台账应使用 `docgen notify` 生成的
    文件填写，不要另存为其他格式、不要删除或改名工作表。

    修改：请单位用下发的台账重新填写后报送。
    """

    code = "DG600"
    name = "ledger-unreadable"
    summary = "台账无法读取"


class LedgerUnknownTask(_CollectRule):
    """台账中的任务编号在方案中不存在。

    “任务编号”列由 docgen 预填并锁定；出现方案中没有的编号，通常是复制了别的表格的行或改动了编号。

    修改：核对方案的任务编号，删除或改正这一行。
    """

    code = "DG601"
    name = "ledger-unknown-task"
    summary = "任务编号不存在"


class LedgerWrongUnit(_CollectRule):
    """台账不是这个单位的，或列了不属于该单位的任务。

    “填报信息”中的单位在方案中没有任务，或台账列出的任务在方案中并未分给该单位（常见原因：
    拿了别的单位的台账填写）。

    修改：请该单位使用下发给自己的台账重新填报。
    """

    code = "DG602"
    name = "ledger-wrong-unit"
    summary = "台账单位不对"


class LedgerBadStatus(_CollectRule):
    """完成状态不在下拉列表中。

    完成状态只能是“未启动”“推进中”“已完成”之一（在 WPS 或旧版 Excel 中可能绕过了下拉列表）。

    修改：从下拉列表中选择完成状态。
    """

    code = "DG603"
    name = "ledger-bad-status"
    summary = "完成状态不在列表中"


class LedgerBadDate(_CollectRule):
    """完成日期看不懂，或晚于统计截止日期。

    完成日期应是 Excel 日期，或写作“2025年6月30日”“2025-06-30”，在 2000 年至 2099 年之间（台账的
    数据验证只允许这些日期；Excel 序列号 1、60 等是 1900 年的日期，不是真的完成日期）；晚于统计
    截止日期（--as-of，默认今天）的完成日期不可能是真的。

    修改：改正完成日期。
    """

    code = "DG604"
    name = "ledger-bad-date"
    summary = "完成日期有误"


class LedgerTaskMissing(_CollectRule):
    """台账缺少分给该单位的任务。

    方案分给该单位的任务在台账中找不到（行被删除了）。该任务按“未填报”处理，不计为完成。

    修改：请该单位补报这项任务的进展。
    """

    code = "DG605"
    name = "ledger-task-missing"
    summary = "台账缺少任务"
    severity = Severity.WARNING


class LedgerDuplicateUnit(_CollectRule):
    """同一个单位报送了两份台账。

    两份台账的“填报信息”写着同一个单位，无法判断以哪一份为准；后一份不予汇总。

    修改：确认哪一份是最新的，只保留那一份。
    """

    code = "DG606"
    name = "ledger-duplicate-unit"
    summary = "同一单位两份台账"


class LedgerOtherPlan(_CollectRule):
    """台账属于另一份方案。

    “填报信息”中的方案标题与本次汇总的方案不同。

    修改：只汇总本方案的台账；或用 --plan 指定台账所属的方案。
    """

    code = "DG607"
    name = "ledger-other-plan"
    summary = "台账属于另一份方案"


class LedgerMergedCells(_CollectRule):
    """台账的任务行中有合并的单元格。

    合并单元格后只有左上角的单元格保留内容，其余单元格变成空白：把几行的“完成状态”合并成一个
    “已完成”，其余各行读出来是空白（按“未启动”处理）。docgen 不猜测合并的本意，报告这个区域，
    区域内的各行不予汇总。

    修改：取消合并，在每一行填写各自的进展、完成状态和完成日期。
    """

    code = "DG608"
    name = "ledger-merged-cells"
    summary = "台账有合并单元格"


class LedgerUnfilled(_CollectRule):
    """台账交回时没有填写。

    台账的每一行都没有填写完成状态、进展情况、完成日期和佐证材料：单位很可能把下发的空白台账原样交回了。
    汇总时这些任务按“未启动”计，通报中会算作未报送进展。

    修改：请单位填写后重新报送；确属尚未开展的，也请在完成状态中选择“未启动”。
    """

    code = "DG609"
    name = "ledger-unfilled"
    summary = "台账没有填写"
    severity = Severity.WARNING


class DoneWithoutDate(_CollectRule):
    """完成状态为“已完成”，却没有写完成日期。

    没有完成日期，就无法判断任务是否按期完成，通报和督办也无法据此区分逾期完成和按期完成。

    修改：请单位补填完成日期（例如 2025年6月30日）。
    """

    code = "DG610"
    name = "done-without-date"
    summary = "已完成但没有完成日期"
    severity = Severity.WARNING


RULES: tuple[type[Code], ...] = (LedgerUnreadable, LedgerUnknownTask, LedgerWrongUnit, LedgerBadStatus,
                                 LedgerBadDate, LedgerTaskMissing, LedgerDuplicateUnit, LedgerOtherPlan,
                                 LedgerMergedCells, LedgerUnfilled, DoneWithoutDate)
