"""The ledger (台账) workbook a unit fills in and returns: its tasks prefilled and locked.

Sheet 台账: 任务编号 | 工作任务 | 角色 | 完成时限 | 进展情况 | 完成状态 | 完成日期 | 佐证材料 | 备注.
The head row is frozen; prefilled columns are locked (sheet protection); 完成状态 is a dropdown of
`STATUSES`; 完成日期 accepts only dates. Sheet 填报信息 names the plan and the unit, so that
`docgen collect` can tell which ledger it is reading.
"""

from __future__ import annotations

import datetime as dt
import io

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side
from openpyxl.worksheet.datavalidation import DataValidation

from docgen.notify.recipients import Recipient
from docgen import wording
from docgen.package import reproducible

SHEET = "台账"
INFO_SHEET = "填报信息"
COLUMNS = ("任务编号", "工作任务", "角色", "完成时限", "进展情况", "完成状态", "完成日期", "佐证材料", "备注")
PREFILLED = 4  # the first four columns are docgen's, locked
WIDTHS = (10, 48, 8, 22, 40, 12, 16, 24, 16)
STATUSES = ("未启动", "推进中", "已完成")
#: Rows below the tasks that stay editable (a unit may add notes), and the validated range.
SPARE_ROWS = 20
DATE_FORMAT = 'yyyy"年"m"月"d"日"'

_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)


def _deadline_text(task) -> str:
    return wording.deadline(task.effective_deadline)


def build(recipient: Recipient, plan_title: str, plan_file: str, due: dt.date | None,
          stamp: str) -> bytes:
    """The ledger of `recipient` as .xlsx bytes (byte-identical for the same input)."""
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(COLUMNS)
    head_font = Font(name="黑体", bold=True)
    for cell in ws[1]:
        cell.font = head_font
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
    for assigned in recipient.tasks:
        task = assigned.task
        ws.append([task.id, task.lead.value, assigned.role, _deadline_text(task), None, None, None, None, None])
    last = 1 + len(recipient.tasks)
    editable_to = last + SPARE_ROWS
    for row in ws.iter_rows(min_row=2, max_row=editable_to, max_col=len(COLUMNS)):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if cell.row <= last:
                cell.border = _BORDER
            if cell.column > PREFILLED:
                cell.protection = Protection(locked=False)
            else:
                cell.fill = PatternFill("solid", fgColor="F2F2F2") if cell.row <= last else PatternFill()
    for col, width in enumerate(WIDTHS, start=1):
        ws.column_dimensions[ws.cell(1, col).column_letter].width = width
    date_col = ws.cell(1, COLUMNS.index("完成日期") + 1).column_letter
    status_col = ws.cell(1, COLUMNS.index("完成状态") + 1).column_letter
    for row in range(2, editable_to + 1):
        ws[f"{date_col}{row}"].number_format = DATE_FORMAT
    status = DataValidation(type="list", formula1='"' + ",".join(STATUSES) + '"', allow_blank=True,
                            showErrorMessage=True, errorTitle="完成状态",
                            error="请从下拉列表中选择：" + "、".join(STATUSES))
    status.add(f"{status_col}2:{status_col}{editable_to}")
    date = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2099,12,31)",
                          allow_blank=True, showErrorMessage=True, errorTitle="完成日期",
                          error="请填写日期，例如 2025-6-30。")
    date.add(f"{date_col}2:{date_col}{editable_to}")
    ws.add_data_validation(status)
    ws.add_data_validation(date)
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False

    info = wb.create_sheet(INFO_SHEET)
    rows = [("方案", plan_title), ("方案文件", plan_file), ("填报单位", recipient.full_name),
            ("单位", recipient.name), ("报送截止", f"{due.year}年{due.month}月{due.day}日" if due else ""),
            ("说明", "只填写“进展情况”至“备注”各列；完成状态从下拉列表中选择；完成日期填日期。")]
    for row in rows:
        info.append(row)
    info.column_dimensions["A"].width = 12
    info.column_dimensions["B"].width = 60
    info.protection.sheet = True

    wb.properties.creator = "docgen"
    buffer = io.BytesIO()
    wb.save(buffer)
    return reproducible(buffer.getvalue(), stamp)
