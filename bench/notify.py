"""Benchmark: `docgen notify` end to end (plan -> notices + ledgers + manifest on disk) beside the
naive path, in one run, at a chosen number of units.

- docgen: `docgen.jobs.notify.notify` as the command runs it (check, compose, `DocxWriter` with its
  compiled template, ledgers by XlsxWriter, staging, publish), one process (`-j 1`), and with
  `--jobs` processes as well;
- naive: the same check and the same composed notices (the body built by the same code), then per
  unit a fresh `docxtpl.DocxTemplate(path)` + `render` + `save`, and the ledger with openpyxl
  styling cell by cell (docgen's ledger before XlsxWriter), each file written, hashed for the manifest.

The units: the example city plan's 35, plus member units added to the registry (in the group
"负有安全生产监督管理职责的部门", so each gets 8 tasks) up to `--size`. CPU seconds of this process
(min of `--repeat` runs) are the figure compared; wall seconds are printed too.

    python bench/notify.py                 # 35 units
    python bench/notify.py --size 300
    python bench/notify.py --size 3000 --repeat 1
    python bench/notify.py --size 300 --report   # `docgen report` beside `docgen check` instead

With `--report`: `docgen report` of the same plan with a progress file giving every unit's every task
(one of each status in turn), beside `docgen check` of that plan, each a fresh `docgen` process
(its imports included, as an office runs it): CPU seconds and peak memory, min of `--repeat` runs.
"""

from __future__ import annotations

import argparse
import hashlib
import io
import json
import re
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from docxtpl import DocxTemplate  # noqa: E402
from jinja2.sandbox import SandboxedEnvironment  # noqa: E402
from openpyxl import Workbook  # noqa: E402
from openpyxl.styles import Alignment, Border, Font, PatternFill, Protection, Side  # noqa: E402
from openpyxl.worksheet.datavalidation import DataValidation  # noqa: E402

from docgen.checked import prepare_plans  # noqa: E402
from docgen.compose import kinds  # noqa: E402
from docgen.compose.notice import UnitNotice  # noqa: E402
from docgen.config import Settings  # noqa: E402
from docgen.jobs.notify import notice_settings, notify  # noqa: E402
from docgen.notify.names import UniqueNames  # noqa: E402
from docgen.notify.recipients import recipients  # noqa: E402
from docgen.package import reproducible  # noqa: E402
from docgen.problems import display_path  # noqa: E402
from docgen.render.docx import DocxWriter  # noqa: E402
from docgen.render.template import choose  # noqa: E402

BASE_UNITS = 35
GROUP = "负有安全生产监督管理职责的部门"


def build_project(folder: Path, size: int) -> Path:
    """The example plan and registry, with member units added up to `size` units with tasks."""
    shutil.copytree(ROOT / "plans/registry", folder / "plans/registry")
    (folder / "plans/city").mkdir(parents=True)
    shutil.copy(ROOT / "plans/city/three-year-plan.yaml", folder / "plans/city/three-year-plan.yaml")
    extra = max(0, size - BASE_UNITS)
    path = folder / "plans/registry/qingxi.yaml"
    text = path.read_text(encoding="utf-8")
    units = "".join(f"      - 名称: 市成员单位{i:04d}\n        全称: 清溪市第{i}成员单位\n" for i in range(extra))
    members = "".join(f"          - 市成员单位{i:04d}\n" for i in range(extra))
    text = text.replace("    分组:\n", units + "    分组:\n", 1)
    text = re.sub(rf"(- 名称: {GROUP}\n(?:.*\n)*?        成员:\n)", lambda m: m.group(1) + members, text, count=1)
    path.write_text(text, encoding="utf-8")
    return folder / "plans/city/three-year-plan.yaml"


# -- the naive path --------------------------------------------------------------------------------
_THIN = Side(style="thin", color="808080")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
COLUMNS = ("任务编号", "工作任务", "角色", "完成时限", "进展情况", "完成状态", "完成日期", "佐证材料", "备注")


def naive_ledger(recipient, plan_title: str, plan_file: str, due, stamp: str) -> bytes:
    """docgen's ledger before XlsxWriter: openpyxl, every cell styled one by one."""
    wb = Workbook()
    ws = wb.active
    ws.title = "台账"
    ws.append(COLUMNS)
    for cell in ws[1]:
        cell.font = Font(name="黑体", bold=True)
        cell.fill = PatternFill("solid", fgColor="D9D9D9")
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        cell.border = _BORDER
    for assigned in recipient.tasks:
        task = assigned.task
        deadline = task.effective_deadline
        text = "；".join(m.phrase for m in deadline.milestones) if deadline else ""
        ws.append([task.id, task.lead.value, assigned.role, text, None, None, None, None, None])
    last = 1 + len(recipient.tasks)
    for row in ws.iter_rows(min_row=2, max_row=last + 20, max_col=len(COLUMNS)):
        for cell in row:
            cell.alignment = Alignment(vertical="top", wrap_text=True)
            if cell.row <= last:
                cell.border = _BORDER
            if cell.column > 4:
                cell.protection = Protection(locked=False)
            else:
                cell.fill = PatternFill("solid", fgColor="F2F2F2") if cell.row <= last else PatternFill()
    for row in range(2, last + 21):
        ws[f"G{row}"].number_format = 'yyyy"年"m"月"d"日"'
    status = DataValidation(type="list", formula1='"未启动,推进中,已完成"', allow_blank=True)
    status.add(f"F2:F{last + 20}")
    date = DataValidation(type="date", operator="between", formula1="DATE(2000,1,1)", formula2="DATE(2099,12,31)")
    date.add(f"G2:G{last + 20}")
    ws.add_data_validation(status)
    ws.add_data_validation(date)
    ws.freeze_panes = "A2"
    ws.protection.sheet = True
    info = wb.create_sheet("填报信息")
    for row in (("方案", plan_title), ("方案文件", plan_file), ("单位", recipient.name)):
        info.append(row)
    buffer = io.BytesIO()
    wb.save(buffer)
    return reproducible(buffer.getvalue(), stamp)


def naive(plan_path: Path, settings: Settings, out: Path, base: Path) -> int:
    ctx, _ = prepare_plans([plan_path], settings, base)
    plan, registry = ctx.plans[0], ctx.registry
    org = ctx.org_of(plan)
    batch = notice_settings(plan, registry, None, None, "张明，0000-1234567", "")
    choice = choose(plan, org)
    body_builder = DocxWriter(choice, settings.font_set)
    names = UniqueNames()
    out.mkdir(parents=True)
    manifest = []
    units = recipients(plan, registry, org)
    for unit in units:
        stem = names.take(unit.name)
        doc = kinds.compose(kinds.TASK_NOTICE, UnitNotice(plan, unit, batch), registry)
        context = body_builder.context(doc)
        tpl = DocxTemplate(str(choice.path))
        tpl.render(context, SandboxedEnvironment(autoescape=True), autoescape=True)
        tpl.save(str(out / f"{stem}.docx"))
        (out / f"{stem}-台账.xlsx").write_bytes(naive_ledger(unit, plan.title.value, display_path(plan.path, base),
                                                              batch.due, "2024-01-01T00:00:00Z"))
        manifest.append({"unit": unit.name, "files": [
            {"path": p.name, "sha256": hashlib.sha256(p.read_bytes()).hexdigest()}
            for p in (out / f"{stem}.docx", out / f"{stem}-台账.xlsx")]})
    (out / "manifest.json").write_text(json.dumps(manifest, ensure_ascii=False), encoding="utf-8")
    return len(units)


def write_progress(plan_path: Path, settings: Settings, base: Path) -> Path:
    """A progress file for `plan_path`: every unit's every task, the statuses in turn."""
    import datetime as dt

    from docgen.jobs.progress import load_plan
    from docgen.progress.model import Entry, Progress, dump

    loaded, problems = load_plan(plan_path, settings, base)
    assert loaded is not None, problems[:3]
    statuses = ("已完成", "推进中", "未启动")
    entries: dict = {}
    n = 0
    for recipient in loaded.recipients:
        for assigned in recipient.tasks:
            status = statuses[n % 3]
            n += 1
            entries.setdefault(assigned.task.id, {})[recipient.name] = Entry(
                status, "按计划推进，已完成摸底排查。" if status != "未启动" else "",
                dt.date(2025, 6, 1) if status == "已完成" else None)
    progress = Progress(display_path(plan_path, base), loaded.plan.title.value, dt.date(2025, 6, 30), entries)
    path = base / "progress.yaml"
    path.write_text(dump(progress, [t.id for t in loaded.plan.tasks()]), encoding="utf-8")
    return path


_CLI = """
import json, resource, sys
sys.path.insert(0, sys.argv[1])
sys.argv = ["docgen", *sys.argv[2:]]
from docgen.cli import main
try:
    main()
except SystemExit as exc:
    code = exc.code
u = resource.getrusage(resource.RUSAGE_SELF)
print(json.dumps([code, u.ru_utime + u.ru_stime, u.ru_maxrss / 1024]), file=sys.stderr)
"""


def docgen_process(args: list[str], cwd: Path, code: Path = ROOT) -> tuple[float, float]:
    """(CPU s, peak MB) of one `docgen ARGS` in a fresh interpreter, with the docgen of `code`."""
    import subprocess

    proc = subprocess.run([sys.executable, "-c", _CLI, str(code), *args], cwd=cwd, capture_output=True, text=True)
    code, cpu, peak = json.loads(proc.stderr.strip().splitlines()[-1])
    assert code in (0, None), proc.stderr[-2000:]
    return cpu, peak


def report_vs_check(size: int, repeat: int, code: Path = ROOT) -> None:
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-report-"))
    try:
        plan = build_project(work, size)
        settings = Settings(root=work, registry=[work / "plans/registry"])
        progress = write_progress(plan, settings, work)
        (work / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["plans/registry"]\n', encoding="utf-8")
        rel = str(plan.relative_to(work))
        checks, reports = [], []
        for i in range(repeat):
            checks.append(docgen_process(["check", rel], work, code))
            reports.append(docgen_process(["report", rel, "--progress", str(progress), "-o", f"out{i}"], work, code))
        (c_cpu, c_peak), (r_cpu, r_peak) = min(checks), min(reports)
        print(f"units: {size} (a fresh process each, min of {repeat} runs; docgen of {code})")
        print(f"docgen check:  {c_cpu:6.2f} s CPU, peak {c_peak:4.0f} MB")
        print(f"docgen report: {r_cpu:6.2f} s CPU, peak {r_peak:4.0f} MB")
        print(f"report / check: {r_cpu / c_cpu:.1f}x (CPU)")
    finally:
        shutil.rmtree(work, ignore_errors=True)


def timed(fn) -> tuple[float, float, object]:
    cpu, wall = time.process_time(), time.perf_counter()
    result = fn()
    return time.process_time() - cpu, time.perf_counter() - wall, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=BASE_UNITS, help="units with tasks (35, 300, 3000)")
    parser.add_argument("--repeat", type=int, default=3, help="runs of each; the minimum is reported")
    parser.add_argument("--jobs", type=int, default=2, help="processes for the parallel docgen run")
    parser.add_argument("--report", action="store_true", help="measure `docgen report` beside `docgen check`")
    parser.add_argument("--code", type=Path, default=ROOT, help="with --report: the docgen checkout to time")
    args = parser.parse_args()
    if args.report:
        report_vs_check(args.size, args.repeat, args.code.resolve())
        return
    work = Path(tempfile.mkdtemp(prefix="docgen-bench-notify-"))
    try:
        plan = build_project(work, args.size)
        settings = Settings(root=work, registry=[work / "plans/registry"])
        ours, theirs, units = [], [], 0
        for i in range(args.repeat):
            cpu, wall, outcome = timed(lambda: notify(plan, settings, work / f"docgen{i}", jobs=1, base=work,
                                                      contact="张明，0000-1234567"))
            assert not outcome.problems and not outcome.failures, (outcome.problems[:3], outcome.failures[:3])
            units = len(outcome.units)
            ours.append((cpu, wall))
            cpu, wall, count = timed(lambda: naive(plan, settings, work / f"naive{i}", work))
            assert count == units
            theirs.append((cpu, wall))
            shutil.rmtree(work / f"docgen{i}")
            shutil.rmtree(work / f"naive{i}")
        _, parallel, _ = timed(lambda: notify(plan, settings, work / "parallel", jobs=args.jobs, base=work))
        (d_cpu, d_wall), (n_cpu, n_wall) = min(ours), min(theirs)
        print(f"units: {units} (min of {args.repeat} runs; one process unless stated)")
        print(f"docgen notify: {d_cpu:.2f} s CPU ({d_cpu / units * 1000:.1f} ms per unit), {d_wall:.2f} s wall;"
              f" with -j {args.jobs}: {parallel:.2f} s wall")
        print(f"naive (DocxTemplate + openpyxl per unit): {n_cpu:.2f} s CPU ({n_cpu / units * 1000:.1f} ms per unit),"
              f" {n_wall:.2f} s wall")
        print(f"ratio: {n_cpu / d_cpu:.1f}x (CPU), {n_wall / d_wall:.1f}x (wall)")
        print(f"peak memory of this process: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
