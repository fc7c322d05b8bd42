"""The progress file: what every unit reported for every task, plus the office's own statistics.

A YAML file (UTF-8), written by `docgen collect` or by hand::

    # yaml-language-server: $schema=../../schemas/progress.schema.json
    方案: plans/city/three-year-plan.yaml
    方案标题: 清溪市安全生产治本攻坚三年行动实施方案
    截至: 2025年6月30日
    进展:
      T08:                     # task id
        东湖街道:               # unit (as in the registry)
          完成状态: 已完成       # 未启动 | 推进中 | 已完成
          进展情况: …
          完成日期: 2024年9月20日
          佐证材料: …
          备注: …
    统计:                       # optional: figures the office records beyond tasks
      事故起数: {本期: 4, 上年同期: 4}
    下一步工作:                  # optional: paragraphs for 三、下一步工作措施
      - …

`dump` writes it deterministically (tasks in plan order when known, else sorted; units sorted;
fixed key order), so the same ledgers always give the same bytes.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from pathlib import Path

from docgen import load as loader
from docgen import schema
from docgen.deadlines import DeadlineError, format_date, in_range, parse_date

STATUSES = ("未启动", "推进中", "已完成")
NOT_STARTED, IN_PROGRESS, DONE = STATUSES
#: Office statistics known to the 通报, in the order it phrases them, with their measure words.
STAT_UNITS = {
    "事故起数": "起", "死亡人数": "人", "受伤人数": "人", "检查企业家次": "家次", "排查隐患": "条",
    "已整改": "条", "行政处罚": "起", "罚款万元": "万元",
}
SCHEMA_LINE = "# yaml-language-server: $schema={}\n"


class ProgressError(ValueError):
    """A progress file that cannot be read; the message is for the user (Chinese)."""

    def __init__(self, message: str, problems: list | None = None):
        super().__init__(message)
        #: The located findings (load and schema stages), when the file got that far.
        self.problems = problems or []


@dataclass(frozen=True)
class Entry:
    """One unit's report on one task."""

    status: str
    progress: str = ""
    date: dt.date | None = None
    evidence: str = ""
    remarks: str = ""
    #: For a task whose 完成时限 has phases and is not done: the deadline of its first unfinished
    #: phase (阶段时限), by which the task is late; None otherwise.
    due: dt.date | None = None


@dataclass(frozen=True)
class Stat:
    """An office statistic for this period and the same period of the previous year (None: unknown)."""

    current: float
    previous: float | None = None


@dataclass
class Progress:
    plan_file: str
    plan_title: str
    as_of: dt.date
    #: task id -> unit -> entry
    entries: dict[str, dict[str, Entry]] = field(default_factory=dict)
    stats: dict[str, Stat] = field(default_factory=dict)
    next_steps: list[str] = field(default_factory=list)

    def entry(self, task_id: str, unit: str) -> Entry | None:
        return self.entries.get(task_id, {}).get(unit)


# -- writing -----------------------------------------------------------------------------------------


def _number(value: float) -> int | float:
    return int(value) if float(value).is_integer() else value


def _entry_dict(entry: Entry) -> dict:
    out: dict = {"完成状态": entry.status}
    for key, value in (("进展情况", entry.progress), ("完成日期", format_date(entry.date) if entry.date else ""),
                       ("佐证材料", entry.evidence), ("备注", entry.remarks),
                       ("阶段时限", format_date(entry.due) if entry.due else "")):
        if value:
            out[key] = value
    return out


def dump(progress: Progress, task_order: list[str] = (), schema_ref: str = "") -> str:
    """The progress file's text (module docstring); `task_order`: the plan's task ids in order."""
    rank = {tid: i for i, tid in enumerate(task_order)}
    tasks = sorted(progress.entries, key=lambda t: (rank.get(t, len(rank)), t))
    data: dict = {
        "方案": progress.plan_file,
        "方案标题": progress.plan_title,
        "截至": format_date(progress.as_of),
        "进展": {tid: {unit: _entry_dict(progress.entries[tid][unit]) for unit in sorted(progress.entries[tid])}
               for tid in tasks},
    }
    if progress.stats:
        data["统计"] = {name: {"本期": _number(s.current),
                             **({"上年同期": _number(s.previous)} if s.previous is not None else {})}
                      for name, s in progress.stats.items()}
    if progress.next_steps:
        data["下一步工作"] = list(progress.next_steps)
    from ruamel.yaml import YAML  # noqa: PLC0415 - only collect writes progress files

    yaml = YAML()
    yaml.width = 4096
    yaml.indent(mapping=2, sequence=4, offset=2)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    head = SCHEMA_LINE.format(schema_ref) if schema_ref else ""
    return head + buffer.getvalue()


# -- reading -----------------------------------------------------------------------------------------


def _date(value, where: str) -> dt.date:
    try:
        if isinstance(value, dt.date):
            return in_range(value, format_date(value))
        return parse_date(str(value))
    except DeadlineError as exc:
        raise ProgressError(f"{where}：{exc}") from None


def _entry_date(dates: dict, value, source, raw, key: str, what: str) -> dt.date:
    """`_date` of an entry's `key`, located only when it is wrong; equal texts are read once."""
    if isinstance(value, str) and value in dates:
        return dates[value]
    try:
        found = _date(value, "")
    except ProgressError:
        found = _date(value, f"{source.value(raw, key)}: {what}")  # raises, located
    if isinstance(value, str):
        dates[value] = found
    return found


def load(path: Path, name: str | None = None) -> Progress:
    """Read and check a progress file through load -> schema -> model.

    Raises `ProgressError` whose message lists every finding as ``file:line:col: 说明``, and whose
    `problems` holds them.
    """
    name = name or str(path)
    source, problems = loader.load(path, name, kind="progress")
    if source is not None:
        problems = schema.validate(source)
    if problems:
        lines = "\n".join(f"{p.location}: {p.message}" for p in problems)
        raise ProgressError(f"进展文件 {name} 有 {len(problems)} 处问题：\n{lines}", problems)
    data = source.data
    entries: dict[str, dict[str, Entry]] = {}
    dates: dict = {}  # a date written once is read once (a file of thousands of entries repeats a few)
    for tid, units in (data.get("进展") or {}).items():
        for unit, raw in (units or {}).items():
            when = raw.get("完成日期")
            entries.setdefault(str(tid), {})[str(unit)] = Entry(
                status=raw["完成状态"], progress=str(raw.get("进展情况") or ""),
                date=_entry_date(dates, when, source, raw, "完成日期", f"{tid}/{unit} 的完成日期") if when else None,
                evidence=str(raw.get("佐证材料") or ""), remarks=str(raw.get("备注") or ""),
                due=_entry_date(dates, raw["阶段时限"], source, raw, "阶段时限", f"{tid}/{unit} 的阶段时限")
                if raw.get("阶段时限") else None)
    stats = {str(name): Stat(float(v["本期"]), float(v["上年同期"]) if v.get("上年同期") is not None else None)
             for name, v in (data.get("统计") or {}).items()}
    return Progress(plan_file=str(data["方案"]), plan_title=str(data.get("方案标题") or ""),
                    as_of=_date(data["截至"], f"{source.value(data, '截至')}: 进展文件的“截至”"),
                    entries=entries, stats=stats,
                    next_steps=[str(p) for p in data.get("下一步工作") or []])
