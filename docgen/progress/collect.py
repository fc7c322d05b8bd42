"""Collect: read the ledgers (台账 .xlsx) units send back and merge them into one `Progress`.

Each ledger is the workbook `docgen notify` wrote (`docgen.notify.ledger`), possibly edited in
Excel or WPS. Its sheet 填报信息 names the plan and the unit; sheet 台账 has one row per task.
Findings are DG6xx problems located by file, sheet and cell (``东湖街道-台账.xlsx:台账!F3``).

Ledgers come from other offices and are untrusted: each is opened through
`docgen.progress.workbook.open_workbook`, which checks it within `docgen.untrusted.Limits` before
python-calamine reads its values; a ledger that fails is one DG600 finding, and the others are still read.

Policy: every problem of every ledger is reported. A row with an error is left out; a ledger that is
unreadable, belongs to another plan or unit, or repeats a unit already read is left out whole.
`Outcome.progress` holds what is valid; the caller writes it only when there is no error, or when
asked to (``--partial``). A blank 完成状态 counts as 未启动; a task missing from a ledger (DG605, a
warning) has no entry, and the 通报 counts it as 未填报 (not done).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils.datetime import from_excel

from docgen.codes import ledger as rules
from docgen.model import Plan
from docgen.notify import ledger
from docgen.notify.recipients import Recipient
from docgen.problems import Location, Problem, display_path
from docgen.progress.model import DONE, IN_PROGRESS, NOT_STARTED, STATUSES, Entry, Progress
from docgen.progress.workbook import CellUnreadable, open_workbook
from docgen.untrusted import LimitExceeded, Limits, Unreadable

_COL = {name: i + 1 for i, name in enumerate(ledger.COLUMNS)}
#: The years a completion date may fall in: the ledger's date validation allows 2000-2099 only.
FIRST_YEAR, LAST_YEAR = 2000, 2099
_LOOSE_DATE = re.compile(r"^(\d{4})\s*[年./-]\s*(\d{1,2})\s*[月./-]\s*(\d{1,2})\s*日?$")


def CellLocation(file: str, row: int, col: int, sheet: str = "") -> Location:  # noqa: N802 - reads as a type
    """A cell of a workbook (``file:sheet!F3``); the file as a whole (line 0) when no sheet is known."""
    return Location(file, row, col, sheet) if sheet else Location(file, 0, 0)


@dataclass
class Outcome:
    progress: Progress
    problems: list[Problem] = field(default_factory=list)
    #: unit -> the ledger it was read from
    ledgers: dict[str, str] = field(default_factory=dict)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity.value == "error"]


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def read_date(value) -> dt.date | None:
    """A completion date as Excel or WPS may store it: a date, an Excel serial number, or text like
    2025-6-30, 2025/6/30, 2025.6.30, 2025年6月30日. None when blank; raises ValueError when unreadable
    or outside the years 2000-2099 the ledger allows (Excel serial 1 is 1900年1月1日, not a real date)."""
    date = _date(value)
    if date is not None and not FIRST_YEAR <= date.year <= LAST_YEAR:
        raise ValueError(value)
    return date


def _date(value) -> dt.date | None:
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 0 < value < 2958466:  # Excel's serials end at 9999-12-31
            raise ValueError(value)
        converted = from_excel(value)
        if isinstance(converted, dt.datetime):
            return converted.date()
        raise ValueError(value)
    m = _LOOSE_DATE.match(str(value).strip())
    if not m:
        raise ValueError(value)
    return dt.date(*map(int, m.groups()))


def open_ledger(path: Path, name: str, limits: Limits):
    """(workbook, None), or (None, the DG600 finding saying why `path` cannot be read, located at
    the cell to blame when there is one)."""
    def unreadable(message: str, sheet: str = "", row: int = 1, col: int = 1) -> Problem:
        return rules.LedgerUnreadable.problem(f"无法读取台账：{message}", CellLocation(name, row, col, sheet))

    try:
        return open_workbook(path, limits), None
    except CellUnreadable as exc:
        return None, unreadable(f"{exc.message}。", exc.sheet, exc.row, exc.column)
    except Unreadable as exc:
        return None, unreadable(f"{exc.message}。请用下发的台账填写，保存为 .xlsx 格式。")
    except LimitExceeded as exc:
        return None, unreadable(exc.message)


def info_of(wb) -> dict[str, tuple[str, int]]:
    """The 填报信息 sheet as label -> (value, row)."""
    return {_text(row[0].value): (_text(row[1].value) if len(row) > 1 else "", row[0].row)
            for row in wb[ledger.INFO_SHEET].iter_rows(max_col=2) if row[0].value}


class _Reader:
    def __init__(self, plan: Plan, recipients: list[Recipient], as_of: dt.date, base: Path, limits: Limits):
        self.plan = plan
        self.limits = limits
        self.tasks = plan.task_by_id()
        self.assigned = {r.name: {a.task.id for a in r.tasks} for r in recipients}
        #: unit -> task -> the phases of its 完成时限 (one ledger row each), for tasks that have them
        self.phases = {r.name: {a.task.id: ledger.phases(a.deadline) for a in r.tasks} for r in recipients}
        #: (unit, task) -> the rows read so far of a phased task, in ledger order (None: left out)
        self.phase_entries: dict[tuple[str, str], list[Entry | None]] = {}
        self.as_of = as_of
        self.base = base
        self.outcome = Outcome(Progress(display_path(plan.path, base), plan.title.value, as_of))

    def problem(self, rule, message: str, file: str, sheet: str = "", row: int = 1, col: int = 1) -> None:
        self.outcome.problems.append(rule.problem(message, CellLocation(file, row, col, sheet)))

    def read(self, path: Path) -> None:
        name = display_path(path, self.base)
        wb = self.open(path, name)
        if wb is None:
            return
        missing = [s for s in (ledger.SHEET, ledger.INFO_SHEET) if s not in wb.sheetnames]
        if missing:
            self.problem(rules.LedgerUnreadable, f"台账缺少工作表“{'”“'.join(missing)}”，不是 docgen 下发的台账。", name)
            return
        info = info_of(wb)
        title, title_row = info.get("方案", ("", 1))
        if title != self.plan.title.value:
            self.problem(rules.LedgerOtherPlan, f"台账属于《{title or '（未写明）'}》，不是《{self.plan.title.value}》的台账，未汇总。",
                         name, ledger.INFO_SHEET, title_row, 2)
            return
        unit, unit_row = info.get("单位", ("", 1))
        if unit not in self.assigned:
            self.problem(rules.LedgerWrongUnit, f"“{unit or '（未写明）'}”在方案中没有任务，这份台账未汇总。",
                         name, ledger.INFO_SHEET, unit_row, 2)
            return
        if unit in self.outcome.ledgers:
            self.problem(rules.LedgerDuplicateUnit,
                         f"“{unit}”已报送台账 {self.outcome.ledgers[unit]}，这一份未汇总。请只保留最新的一份。",
                         name, ledger.INFO_SHEET, unit_row, 2)
            return
        sheet = wb[ledger.SHEET]
        merged = self.merged(name, sheet)
        seen: set[str] = set()
        last = 1
        filled = False
        open_columns = [_COL[c] - 1 for c in ledger.COLUMNS[ledger.PREFILLED:]]
        for cells in sheet.iter_rows(min_row=2, max_col=len(ledger.COLUMNS)):
            tid = _text(cells[0].value)
            if tid in ledger.FOOTER_LABELS:  # 填报人, 联系电话, 填报日期 below the tasks
                continue
            if tid and tid != ledger.COLUMNS[0]:  # the head row (row 2 below a title row)
                seen.add(tid)
                last = cells[0].row
                filled |= any(_text(cells[c].value) for c in open_columns if c < len(cells))
                if cells[0].row not in merged:
                    self.row(name, unit, tid, cells)
        if not seen:
            self.problem(rules.LedgerUnreadable, "台账中没有任何任务行。", name, ledger.SHEET, 2, 1)
            return
        if not filled:
            self.problem(rules.LedgerUnfilled, f"“{unit}”的台账交回时一项也没有填写（{len(seen)} 项任务都没有完成状态、"
                         "进展情况、完成日期和佐证材料），按未启动汇总。请核实是否交错了文件。",
                         name, ledger.SHEET, ledger.FIRST_ROW, _COL["进展情况"])
        self.outcome.ledgers[unit] = name
        for tid in sorted(self.assigned[unit] - seen, key=self._rank):
            self.problem(rules.LedgerTaskMissing,
                         f"台账缺少任务 {tid}“{self.tasks[tid].lead.value}”，按未填报处理。", name, ledger.SHEET, last + 1, 1)

    def read_rows(self, name: str, unit: str, rows: list[tuple]) -> None:
        """A unit's rows given as values in `ledger.COLUMNS` order (the first on the ledger's first
        task row), read with the same checks and findings as a returned ledger's sheet."""
        if unit not in self.assigned:
            self.problem(rules.LedgerWrongUnit, f"“{unit or '（未写明）'}”在方案中没有任务，未汇总。", name)
            return
        if unit in self.outcome.ledgers:
            self.problem(rules.LedgerDuplicateUnit,
                         f"“{unit}”已报送台账 {self.outcome.ledgers[unit]}，这一份未汇总。", name)
            return
        seen: set[str] = set()
        last = ledger.HEAD_ROW
        for number, values in enumerate(rows, start=ledger.FIRST_ROW):
            tid = _text(values[0])
            if tid:
                seen.add(tid)
                last = number
                self.row(name, unit, tid, [_Cell(v, number) for v in values])
        self.outcome.ledgers[unit] = name
        for tid in sorted(self.assigned[unit] - seen, key=self._rank):
            self.problem(rules.LedgerTaskMissing,
                         f"台账缺少任务 {tid}“{self.tasks[tid].lead.value}”，按未填报处理。", name, ledger.SHEET, last + 1, 1)

    def open(self, path: Path, name: str):
        """The workbook, or None after reporting why it cannot be read."""
        wb, problem = open_ledger(path, name, self.limits)
        if problem:
            self.outcome.problems.append(problem)
        return wb

    def merged(self, name: str, sheet) -> set[int]:
        """Rows of the task area under merged cells, each range reported (DG608); they are left out,
        since a merged range keeps only its first cell's value and blanks the others."""
        rows: set[int] = set()
        for cells in sorted(getattr(getattr(sheet, "merged_cells", None), "ranges", ()), key=lambda r: (r.min_row, r.min_col)):
            top, bottom = max(cells.min_row, 2), cells.max_row
            if bottom < 2 or cells.min_col > len(ledger.COLUMNS):
                continue
            columns = "、".join(ledger.COLUMNS[c - 1] for c in range(cells.min_col, min(cells.max_col, len(ledger.COLUMNS)) + 1))
            self.problem(rules.LedgerMergedCells,
                         f"单元格 {cells.coord}（{columns}）被合并了：合并后只有第一个单元格有内容，其余各行的"
                         f"{columns}会变成空白。请取消合并，逐行填写；这几行未汇总。",
                         name, ledger.SHEET, cells.min_row, cells.min_col)
            rows.update(range(top, bottom + 1))
        return rows

    def _rank(self, tid: str) -> tuple[int, str]:
        task = self.tasks.get(tid)
        return (task.index if task else 0, tid)

    def row(self, name: str, unit: str, tid: str, cells) -> None:
        r = cells[0].row
        where = {"file": name, "sheet": ledger.SHEET, "row": r}
        if tid not in self.tasks:
            self.problem(rules.LedgerUnknownTask, f"任务编号“{tid}”在方案中不存在，这一行未汇总。", col=1, **where)
            return
        if tid not in self.assigned[unit]:
            self.problem(rules.LedgerWrongUnit, f"任务 {tid} 在方案中没有分给“{unit}”，这一行未汇总。", col=1, **where)
            return
        steps = self.phases[unit].get(tid)
        read = self.phase_entries.setdefault((unit, tid), []) if steps else []
        read.append(None)  # this phase's row, until it reads as valid
        ok = True
        status = _text(cells[_COL["完成状态"] - 1].value) or NOT_STARTED
        if status not in STATUSES:
            self.problem(rules.LedgerBadStatus, f"完成状态“{status}”不在列表中，只能是{'、'.join(STATUSES)}。",
                         col=_COL["完成状态"], **where)
            ok = False
        raw = cells[_COL["完成日期"] - 1].value
        try:
            date = read_date(raw)
        except (ValueError, OverflowError):
            self.problem(rules.LedgerBadDate, f"看不懂完成日期“{_text(raw)[:40]}”，请写作“2025年6月30日”"
                         f"（{FIRST_YEAR}年至{LAST_YEAR}年之间）。",
                         col=_COL["完成日期"], **where)
            ok, date = False, None
        if date and date > self.as_of:
            self.problem(rules.LedgerBadDate,
                         f"完成日期{date.year}年{date.month}月{date.day}日晚于统计截止日期"
                         f"{self.as_of.year}年{self.as_of.month}月{self.as_of.day}日。",
                         col=_COL["完成日期"], **where)
            ok = False
        if ok and status == DONE and date is None:
            self.problem(rules.DoneWithoutDate, f"任务 {tid} 填写为“已完成”，但没有完成日期。请补填完成日期。",
                         col=_COL["完成日期"], **where)
        if ok:
            entry = Entry(
                status=status, progress=_text(cells[_COL["进展情况"] - 1].value), date=date,
                evidence=_text(cells[_COL["佐证材料"] - 1].value), remarks=_text(cells[_COL["备注"] - 1].value))
            if steps:
                read[-1] = entry
                entry = merge_phases(read, steps)
            self.outcome.progress.entries.setdefault(tid, {})[unit] = entry


def merge_phases(rows: list[Entry | None], steps) -> Entry:
    """One entry for a task whose 完成时限 has phases (`steps`), from its phase rows (`rows`, in
    order, None for a row left out): 已完成 when every phase is, with the latest completion date;
    else 推进中 (未启动 when no phase has started) with `due`, the deadline of the first phase not
    done (a phase row missing or left out counts as not done). The texts of the phases are joined,
    each once."""
    entries = [e for e in rows if e is not None]
    done = [e is not None and e.status == DONE for e in rows[:len(steps)]]
    done += [False] * (len(steps) - len(done))

    def joined(texts) -> str:
        return "；".join(dict.fromkeys(t for t in texts if t))

    texts = {"progress": joined(e.progress for e in entries), "evidence": joined(e.evidence for e in entries),
             "remarks": joined(e.remarks for e in entries)}
    if all(done):
        dates = [e.date for e in rows[:len(steps)]]
        return Entry(status=DONE, date=max(dates) if all(dates) else None, **texts)
    started = any(e.status != NOT_STARTED for e in entries)
    return Entry(status=IN_PROGRESS if started else NOT_STARTED, due=steps[done.index(False)].date, **texts)


@dataclass(frozen=True)
class _Cell:
    """A value where the reader expects an openpyxl cell."""

    value: object
    row: int


def collect_rows(plan: Plan, recipients: list[Recipient], sources: list[tuple[str, str, list[tuple]]],
                 as_of: dt.date, base: Path | None = None) -> Outcome:
    """Like `collect`, for rows that are not in a workbook (`docgen serve`'s database): `sources`
    holds (name shown in findings, unit, rows in `ledger.COLUMNS` order)."""
    reader = _Reader(plan, recipients, as_of, base or Path.cwd(), Limits())
    for name, unit, rows in sources:
        reader.read_rows(name, unit, rows)
    return reader.outcome


def collect(plan: Plan, recipients: list[Recipient], ledgers: list[Path], as_of: dt.date,
            base: Path | None = None, limits: Limits | None = None, progress=None) -> Outcome:
    """Read `ledgers` (in the order given) against `plan` (module docstring), each within `limits`;
    `progress(done, total)` is called after each ledger."""
    reader = _Reader(plan, recipients, as_of, base or Path.cwd(), limits or Limits())
    for done, path in enumerate(ledgers, start=1):
        reader.read(path)
        if progress:
            progress(done, len(ledgers))
    return reader.outcome
