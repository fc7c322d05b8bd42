"""The ledger (台账) workbook a unit fills in and returns: its tasks prefilled and locked, ready to print.

Sheet 台账: a title row, then the head row 任务编号 | 工作任务 | 角色 | 完成时限 | 进展情况 | 完成状态 |
完成日期 | 佐证材料 | 备注, then one row per task. Prefilled columns are locked (sheet protection);
完成状态 is a dropdown of `STATUSES`; 完成日期 accepts only dates from 2000 to 2099. It prints on A4
landscape, one page wide, with the head row repeated on every page, cells wrapped and rows tall
enough for their text; a row under the tasks takes 填报人, 联系电话 and 填报日期. Sheet 填报信息 (hidden: never printed) names the plan by its title and the
unit, so that `docgen collect` can tell which ledger it is reading.

Written with XlsxWriter: formats are defined once per workbook, and every text goes in with
`write_string`, so that no text from a plan is ever read as a formula (``=HYPERLINK(…)``, ``+``,
``-``, ``@``, DDE).
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import zipfile
from dataclasses import dataclass

import xlsxwriter

from docgen import package, wording
from docgen.notify.recipients import Recipient
from docgen.textchars import width as text_width

SHEET = "台账"
INFO_SHEET = "填报信息"
COLUMNS = ("任务编号", "工作任务", "角色", "完成时限", "进展情况", "完成状态", "完成日期", "佐证材料", "备注")
PREFILLED = 4  # the first four columns are docgen's, locked
#: Column widths in Excel's units (about one digit, half a Chinese character); the sum fits an A4
#: landscape page at 100 %, so "fit to width" shrinks nothing in the usual case.
WIDTHS = (9, 40, 6, 22, 32, 10, 14, 18, 12)
STATUSES = ("未启动", "推进中", "已完成")
#: Rows (1-based) of the title and the head; tasks start on `FIRST_ROW`.
TITLE_ROW, HEAD_ROW = 1, 2
FIRST_ROW = HEAD_ROW + 1
#: Rows below the tasks that stay editable (a unit may add notes), and the validated range.
SPARE_ROWS = 20
DATE_FORMAT = 'yyyy"年"m"月"d"日"'
DATES = (dt.date(2000, 1, 1), dt.date(2099, 12, 31))
FONT = "宋体"
HEAD_FONT = "黑体"
TITLE_FONT = "方正小标宋简体"
FONT_SIZE, TITLE_SIZE = 11, 16
#: Points per line of 11-point text, and the padding of a row.
LINE_HEIGHT, ROW_PADDING = 14.5, 4.0


#: Labels of the row below the tasks where the unit signs the ledger (read past by `docgen collect`).
FOOTER_LABELS = ("填报人", "联系电话", "填报日期")


def _deadline_text(assigned) -> str:
    """The unit's own deadline (its batch of a phased target), else the task's."""
    return wording.deadline(assigned.deadline)


def phases(deadline) -> tuple:
    """The phases of a 完成时限 given as a list (one ledger row each), or () for one phrase."""
    milestones = deadline.milestones if deadline else ()
    return milestones if len(milestones) > 1 else ()


def _rows(assigned, share: str) -> list[tuple[str, str, str, str]]:
    """A task's rows: its 编号, its lead (with the unit's share of a split target), role and 完成时限;
    one row per phase, each with its own 时限 and 内容, when the 完成时限 is a list of phases."""
    task = assigned.task
    lead = task.lead.value + (f"（本单位指标：{share}）" if share else "")
    steps = phases(assigned.deadline)
    if steps:
        return [(task.id, lead, assigned.role, f"第{i}阶段：{wording.milestones((m,))}")
                for i, m in enumerate(steps, start=1)]
    return [(task.id, lead, assigned.role, _deadline_text(assigned))]


def lines(text: str, column_width: float) -> int:
    """How many lines `text` takes in a wrapped cell `column_width` Excel units wide.

    A full-width character takes two units; a cell keeps about one unit of padding.
    """
    usable = max(column_width - 1, 1)
    return max(1, sum(math.ceil(text_width(part) * 2 / usable) or 1 for part in text.split("\n")))


def row_height(texts: list[str], size: float = FONT_SIZE) -> float:
    """Points for a row whose cells (of `WIDTHS`) hold `texts`: every line shows."""
    most = max((lines(t, w) for t, w in zip(texts, WIDTHS) if t), default=1)
    return round(most * LINE_HEIGHT * size / FONT_SIZE + ROW_PADDING, 2)


def title(plan_title: str, unit: str) -> str:
    return f"《{plan_title}》任务落实台账（{unit}）"


@dataclass(frozen=True)
class Content:
    """Every text of one ledger: the task rows (编号, 工作任务, 角色, 完成时限) and the 填报信息."""

    rows: tuple[tuple[str, str, str, str], ...]
    full_name: str
    unit: str
    plan_title: str
    plan_file: str
    due: str

    @classmethod
    def of(cls, recipient: Recipient, plan_title: str, plan_file: str, due: dt.date | None, org=None) -> Content:
        """`plan_file` is kept for callers and not written: the ledger names its plan by title only
        (`docgen collect` finds the plan by its title). With `org` (the plan's organisation), a
        sub-organisation's row says its share of the split targets."""
        from docgen.cascade.targets import share_text

        rows = tuple(row for a in recipient.tasks for row in _rows(a, share_text(a.task, org, recipient.name)))
        return cls(rows, recipient.full_name, recipient.name, plan_title, "",
                   f"{due.year}年{due.month}月{due.day}日" if due else "")

    @property
    def title(self) -> str:
        return title(self.plan_title, self.full_name)

    def texts(self) -> list[str]:
        """Every text, in a fixed order (see `LedgerWriter`)."""
        return [self.title, *(t for row in self.rows for t in row), self.full_name, self.unit, self.plan_title,
                self.plan_file, self.due]


def build(recipient: Recipient, plan_title: str, plan_file: str, due: dt.date | None,
          stamp: str) -> bytes:
    """The ledger of `recipient` as .xlsx bytes (byte-identical for the same input), by XlsxWriter.

    `stamp` (W3CDTF, e.g. the notice's date) is the workbook's created and modified date.
    """
    return _workbook(Content.of(recipient, plan_title, plan_file, due), stamp)


def filled(content: Content, values: tuple[tuple, ...], stamp: str) -> bytes:
    """The ledger of `content` with its open columns filled in: one tuple per task row of
    (进展情况, 完成状态, 完成日期 (a date or text), 佐证材料, 备注), as a unit returns it (`docgen serve`
    exports a unit's online reports this way)."""
    return _workbook(content, stamp, values)


def _workbook(content: Content, stamp: str, values: tuple[tuple, ...] = ()) -> bytes:
    out = io.BytesIO()
    wb = xlsxwriter.Workbook(out, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False,
                                   "strings_to_numbers": False})
    wb.set_properties({"title": content.title, "author": "docgen",
                       "created": dt.datetime.strptime(stamp, "%Y-%m-%dT%H:%M:%SZ")})
    base = {"font_name": FONT, "font_size": FONT_SIZE, "text_wrap": True, "valign": "top"}
    cell = {**base, "border": 1, "border_color": "#808080"}
    fmt = {
        "title": wb.add_format({**base, "font_name": TITLE_FONT, "font_size": TITLE_SIZE, "align": "center",
                                "valign": "vcenter"}),
        "head": wb.add_format({**cell, "font_name": HEAD_FONT, "bold": True, "bg_color": "#D9D9D9",
                               "align": "center", "valign": "vcenter"}),
        "locked": wb.add_format({**cell, "bg_color": "#F2F2F2"}),
        "centred": wb.add_format({**cell, "bg_color": "#F2F2F2", "align": "center"}),
        "open": wb.add_format({**cell, "locked": False}),
        "date": wb.add_format({**cell, "locked": False, "num_format": DATE_FORMAT}),
        "spare": wb.add_format({**base, "locked": False}),
        "spare_date": wb.add_format({**base, "locked": False, "num_format": DATE_FORMAT}),
    }
    ws = wb.add_worksheet(SHEET)
    status_col, date_col = COLUMNS.index("完成状态"), COLUMNS.index("完成日期")
    for col, w in enumerate(WIDTHS):
        ws.set_column(col, col, w, fmt["spare_date" if col == date_col else "spare"] if col >= PREFILLED else None)
    name = content.title
    top, head = TITLE_ROW - 1, HEAD_ROW - 1  # XlsxWriter counts from 0
    ws.merge_range(top, 0, top, len(COLUMNS) - 1, name, fmt["title"])
    ws.set_row(top, title_height(name))
    for col, text in enumerate(COLUMNS):
        ws.write_string(head, col, text, fmt["head"])
    ws.set_row(head, row_height(list(COLUMNS)))
    row = head
    for n, texts in enumerate(content.rows):
        row += 1
        for col, text in enumerate(texts):
            ws.write_string(row, col, text, fmt["centred" if col in (0, 2) else "locked"])
        given = values[n] if n < len(values) else ()
        for col in range(PREFILLED, len(COLUMNS)):
            value = given[col - PREFILLED] if given else None
            style = fmt["date" if col == date_col else "open"]
            if isinstance(value, dt.date):
                ws.write_datetime(row, col, dt.datetime.combine(value, dt.time()), style)
            elif value:
                ws.write_string(row, col, str(value), style)
            else:
                ws.write_blank(row, col, None, style)
        ws.set_row(row, row_height(list(texts) + [str(v) for v in given]))
    last = row
    # Who filled it in: 填报人, 联系电话, 填报日期 on a row of their own under the tasks (printed with them).
    footer = last + 2
    for (label, col), value_fmt in zip(((FOOTER_LABELS[0], 0), (FOOTER_LABELS[1], 3), (FOOTER_LABELS[2], 5)),
                                       ("open", "open", "date")):
        ws.write_string(footer, col, label, fmt["head"])
        ws.write_blank(footer, col + 1, None, fmt[value_fmt])
    ws.set_row(footer, row_height(["", "", "", ""]))
    last = footer
    editable_to = last + SPARE_ROWS
    ws.data_validation(head + 1, status_col, editable_to, status_col, {
        "validate": "list", "source": list(STATUSES), "ignore_blank": True,
        "input_title": "完成状态", "input_message": "从下拉列表中选择",
        "error_title": "完成状态", "error_message": "请从下拉列表中选择：" + "、".join(STATUSES)})
    ws.data_validation(footer, date_col, footer, date_col, {
        "validate": "date", "criteria": "between", "minimum": DATES[0], "maximum": DATES[1], "ignore_blank": True,
        "input_title": "填报日期", "input_message": "填写日期，例如 2025-6-30",
        "error_title": "填报日期", "error_message": "请填写 2000 年至 2099 年之间的日期，例如 2025-6-30。"})
    ws.data_validation(head + 1, date_col, footer - 1, date_col, {
        "validate": "date", "criteria": "between", "minimum": DATES[0], "maximum": DATES[1], "ignore_blank": True,
        "input_title": "完成日期", "input_message": "填写日期，例如 2025-6-30",
        "error_title": "完成日期", "error_message": "请填写 2000 年至 2099 年之间的日期，例如 2025-6-30。"})
    ws.freeze_panes(HEAD_ROW, 0)
    ws.protect("", {"format_columns": True, "format_rows": True})
    # Printing: A4 landscape, one page wide, the head row on every page, the title and tasks only.
    ws.set_paper(9)
    ws.set_landscape()
    ws.fit_to_pages(1, 0)
    ws.center_horizontally()
    ws.set_margins(left=0.5, right=0.5, top=0.6, bottom=0.7)
    ws.repeat_rows(head)
    ws.print_area(top, 0, last, len(COLUMNS) - 1)
    ws.set_footer("&C第 &P 页，共 &N 页")

    info = wb.add_worksheet(INFO_SHEET)
    # What docgen collect reads: the plan by its title and the unit (no file path of the office's); the
    # sheet is hidden, so it is neither in the way nor printed.
    rows = [("方案", content.plan_title), ("填报单位", content.full_name),
            ("单位", content.unit), ("报送截止", content.due),
            ("说明", "只填写“进展情况”至“备注”各列和表下的填报人、联系电话、填报日期；完成状态从下拉列表中选择；"
                     "完成日期填日期。")]
    plain = wb.add_format({"font_name": FONT, "font_size": FONT_SIZE, "text_wrap": True, "valign": "top"})
    for r, (key, value) in enumerate(rows):
        info.write_string(r, 0, key, plain)
        info.write_string(r, 1, value, plain)
    info.set_column(0, 0, 12)
    info.set_column(1, 1, 60)
    info.protect()
    info.hide()
    wb.close()
    return out.getvalue()


def title_height(text: str) -> float:
    return max(lines(text, sum(WIDTHS)), 1) * TITLE_SIZE * 1.6 + 8


class LedgerWriter:
    """Writes ledgers fast enough for thousands of units: a compiled template per number of tasks.

    For each number of tasks, XlsxWriter writes one prototype ledger whose texts are numbered
    markers; its unchanging parts (styles, theme, relationships…) are deflated once. A unit's
    ledger is then its prototype with the markers in the shared strings (and the core
    properties' title) replaced by the unit's escaped texts and the row heights set for them,
    zipped with the deflated parts. Texts XlsxWriter would write differently (control
    characters, ``_xHHHH_``) go through `build`.
    """

    def __init__(self, stamp: str):
        self.stamp = stamp
        self._prototypes: dict[int, list] = {}

    def write(self, content: Content) -> bytes:
        texts = content.texts()
        if any(_UNSAFE.search(t) for t in texts):
            return _workbook(content, self.stamp)
        parts = self._prototypes.get(len(content.rows)) or self._prototype(len(content.rows))
        values = [_xml_text(t) for t in texts]
        heights = {TITLE_ROW: title_height(content.title)}
        heights.update({FIRST_ROW + i: row_height(list(row)) for i, row in enumerate(content.rows)})

        def fill(name: str, body: str) -> bytes:
            body = _MARKER.sub(lambda m: values[int(m.group(1))], body)
            if name == _SHEET_PART:
                body = _ROW_HEIGHT.sub(lambda m: f'{m.group(1)}{_height(heights[int(m.group(2))])}"'
                                       if int(m.group(2)) in heights else m.group(0), body)
            return body.encode("utf-8")

        return package.zip_parts(part if isinstance(part, package.Entry) else (part[0], fill(*part))
                                 for part in parts)

    def _prototype(self, count: int) -> list:
        n = iter(range(10**6))
        marker = lambda: f"{_MARK}{next(n)}{_MARK}"  # noqa: E731 - numbered in `Content.texts` order
        title_marker = marker()
        rows = tuple((marker(), marker(), marker(), marker()) for _ in range(count))
        full_name, unit, plan_title, plan_file, due = (marker() for _ in range(5))
        proto = _Prototype(rows, full_name, unit, plan_title, plan_file, due, marker_title=title_marker)
        data = _workbook(proto, self.stamp)
        parts = []
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            for info in zf.infolist():
                body = zf.read(info.filename)
                if _MARK.encode() in body or info.filename == _SHEET_PART:
                    parts.append((info.filename, body.decode("utf-8")))
                else:
                    parts.append(package.deflate(info.filename, body))
        self._prototypes[count] = parts
        return parts


@dataclass(frozen=True)
class _Prototype(Content):
    """A `Content` of markers, with the title a marker too."""

    marker_title: str = ""

    @property
    def title(self) -> str:
        return self.marker_title


_MARK = "\u2063\u2063"  # INVISIBLE SEPARATOR, twice: never in a plan's text (DG408 refuses it)
_MARKER = re.compile(_MARK + r"(\d+)" + _MARK)
_SHEET_PART = "xl/worksheets/sheet1.xml"
_ROW_HEIGHT = re.compile(r'(<row r="(\d+)"[^>]*? ht=")[^"]*"')
#: Characters XlsxWriter escapes its own way (control characters, its ``_xHHHH_`` escapes) or
#: that would need xml:space: such texts are written by XlsxWriter itself.
_UNSAFE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\u2063]|_x[0-9A-Fa-f]{4}_|^\s|\s$")


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _height(points: float) -> str:
    """A row height as XlsxWriter's `set_row` writes it (whole pixels, back in points)."""
    return f"{int(points * 4.0 / 3.0 + 0.5) * 0.75:.16g}"
