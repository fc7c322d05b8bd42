"""The whole loop: notify -> units fill their ledgers (some done, some late, some wrong) -> collect
(every error located by file, sheet and cell) -> report. The 通报's figures are recomputed here from
what the test wrote into the ledgers, without docgen.progress, and must match the rendered .docx."""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import zipfile
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import ROOT
from docx import Document as WordDocument
from openpyxl import load_workbook

from docgen.checked import prepare
from docgen.cli import cli
from docgen.config import Settings
from docgen.notify import ledger as ledger_rows
from docgen.progress.model import dump, load

CITY = ROOT / "plans/city/three-year-plan.yaml"
AS_OF = dt.date(2025, 6, 30)
#: The first task row of a ledger (below the title and head rows).
FIRST = ledger_rows.FIRST_ROW
#: Rows the test corrupts: (unit, ledger row) -> (column letter, value, rule code)
CORRUPT = {
    ("东湖街道", FIRST): ("F", "完成了", "DG603"),
    ("北山镇", FIRST + 1): ("G", "2025年13月1日", "DG604"),
    ("市公安局", FIRST): ("G", dt.datetime(2025, 7, 1), "DG604"),
    ("市水利局", FIRST + 2): ("A", "T99", "DG601"),
}
#: A unit that deletes one of its rows, a task of one phrase (DG605, a warning).
DELETES = ("市教育局", FIRST + 5)


def run(*args, cwd: Path = ROOT):
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, [str(a) for a in args], catch_exceptions=False)
    finally:
        os.chdir(old)


def pct(num: int, den: int) -> str:
    return f"{(Decimal(num) * 100 / Decimal(den)).quantize(Decimal('0.1'), rounding=ROUND_HALF_UP)}%"


def choice(unit_index: int, row: int) -> tuple[str | None, dt.date | None, str]:
    """What a unit reports on its `row`-th task: a fixed mix of done, late, in progress and blank."""
    k = (unit_index + row) % 4
    if k == 0:
        return "已完成", dt.date(2025, 1, 15), "已制定方案并组织实施"
    if k == 1:
        return "推进中", None, "正在组织排查"
    if k == 2:
        return None, None, ""
    return "已完成", dt.date(2024, 6, 1), "已完成并通过验收"


@pytest.fixture(scope="module")
def loop(tmp_path_factory):
    base = tmp_path_factory.mktemp("loop")
    notices = base / "notices"
    assert run("notify", CITY, "-o", notices).exit_code == 0
    manifest = json.loads((notices / "manifest.json").read_text(encoding="utf-8"))
    returned = base / "returned"
    returned.mkdir()
    #: (unit, task) -> (role, status or None, date) for every task with a valid row, phases merged (`merged`)
    reported: dict[tuple[str, str], tuple[str, str | None, dt.date | None]] = {}
    assigned: dict[tuple[str, str], str] = {}
    #: (unit, task) -> [(status, date) or None when the row is invalid or deleted], one per ledger row
    rows: dict[tuple[str, str], list] = {}
    for i, unit in enumerate(manifest["units"]):
        name = unit["unit"]
        ledger = next(f["path"] for f in unit["files"] if f["kind"] == "ledger")
        wb = load_workbook(notices / ledger)
        ws = wb["台账"]
        row = FIRST
        while ws[f"A{row}"].value:
            task, role = ws[f"A{row}"].value, ws[f"C{row}"].value
            assigned[(name, task)] = role
            status, date, text = choice(i, row)
            ws[f"F{row}"], ws[f"G{row}"] = status, date
            ws[f"E{row}"] = text or None
            valid = (name, row) not in CORRUPT and (name, row) != DELETES
            if (name, row) in CORRUPT:
                col, value, _ = CORRUPT[(name, row)]
                ws[f"{col}{row}"] = value
            rows.setdefault((name, task), []).append((status, date) if valid else None)
            row += 1
        assert row - FIRST >= len(unit["tasks"])
        if name == DELETES[0]:
            assert len(rows[(name, ws[f"A{DELETES[1]}"].value)]) == 1  # a task of one row: DG605
            ws.delete_rows(DELETES[1])
        wb.save(returned / ledger)
    phases = phase_dates()
    for (name, task), got in rows.items():
        if any(got):
            reported[(name, task)] = (assigned[(name, task)], *merged(got, phases[task]))
    return base, returned, manifest, reported, assigned


def merged(rows: list, phases: list) -> tuple[str | None, dt.date | None, dt.date | None]:
    """(status, completion date, deadline of the first phase not done) of a task from its rows."""
    if len(phases) < 2:
        status, date = rows[0]
        return status, date, None
    done = [r is not None and r[0] == "已完成" for r in rows] + [False] * (len(phases) - len(rows))
    if all(done):
        return "已完成", max(r[1] for r in rows), None
    started = any(r is not None and r[0] for r in rows)
    return ("推进中" if started else None), None, phases[done.index(False)]


def phase_dates() -> dict[str, list]:
    ctx, _ = prepare([CITY], Settings(root=ROOT, registry=[ROOT / "plans/registry"]), base=ROOT)
    return {t.id: [m.date for m in t.effective_deadline.milestones] if t.effective_deadline else []
            for t in ctx.plans[0].tasks()}


def deadlines() -> dict[str, dt.date | None]:
    ctx, _ = prepare([CITY], Settings(root=ROOT, registry=[ROOT / "plans/registry"]), base=ROOT)
    return {t.id: (t.effective_deadline.final if t.effective_deadline else None) for t in ctx.plans[0].tasks()}


def due_of(reported, unit: str, task: str, final: dt.date | None) -> dt.date | None:
    """The unit's deadline for `task`: its first unfinished phase's when phased and reported, else the task's."""
    phase_due = reported.get((unit, task), (None, None, None, None))[3]
    return phase_due or final


def test_collect_reports_every_error_by_file_sheet_and_cell_and_writes_nothing(loop):
    base, returned, manifest, *_ = loop
    out = base / "refused.yaml"
    result = run("collect", *sorted(returned.glob("*.xlsx")), "-o", out, "--as-of", "2025-06-30")
    assert result.exit_code == 1
    assert not out.exists()
    for (unit, row), (col, _, code) in CORRUPT.items():
        assert f"{unit}-台账.xlsx:台账!{col}{row}: 错误 {code}" in result.output, (unit, result.output)
    kept = sum(len(phase_dates()[t]) if len(phase_dates()[t]) > 1 else 1
               for u, t in loop[4] if u == DELETES[0]) - 1
    assert f"{DELETES[0]}-台账.xlsx:台账!A{kept + FIRST}: 警告 DG605" in result.output  # just below the last task
    assert "Traceback" not in result.output


def test_report_figures_equal_those_computed_from_the_ledgers(loop):
    base, returned, manifest, reported, assigned = loop
    progress = base / "progress.yaml"
    result = run("collect", *sorted(returned.glob("*.xlsx")), "-o", progress, "--as-of", "2025-06-30", "--partial")
    assert result.exit_code == 1 and progress.exists()
    out = base / "report"
    result = run("report", CITY, "--progress", progress, "-o", out)
    assert result.exit_code == 0, result.output
    doc = WordDocument(out / "three-year-plan-进展通报.docx")
    text = "\n".join(p.text for p in doc.paragraphs)

    due = deadlines()
    # the ledgers hold phased tasks, one row per phase, and some are late for a phase only
    assert any(r[3] and r[3] < AS_OF and (due[t] is None or due[t] >= AS_OF) for (_, t), r in reported.items())
    done = {key for key, (_, status, *_) in reported.items() if status == "已完成"}
    tasks = sorted({task for _, task in assigned}, key=lambda t: int(t[1:]))
    task_done, task_overdue = 0, 0
    for task in tasks:
        units = [(u, r) for (u, t), r in assigned.items() if t == task]
        leads = [u for u, r in units if r == "牵头"] or [u for u, _ in units]
        finished = all((u, task) in done for u in leads)
        task_done += finished
        task_overdue += not finished and any(d is not None and d < AS_OF for d in
                                             [due[task], *(due_of(reported, u, task, None) for u in leads
                                                           if (u, task) not in done)])
    assert f"确定的{len(tasks)}项任务中，已完成{task_done}项，完成率{pct(task_done, len(tasks))}" in text
    assert f"逾期未完成{task_overdue}项" in text

    unit_table = doc.tables[-1]
    rows = [[str(i), *(c.text for c in r.cells)] for i, r in enumerate(unit_table.rows[1:], start=1)]
    names = {u["unit"]: u["full_name"] for u in manifest["units"]}
    expected = []
    for i, unit in enumerate(manifest["units"], start=1):
        mine = [t for (u, t) in assigned if u == unit["unit"]]
        n_done = sum((unit["unit"], t) in done for t in mine)
        n_overdue = sum((unit["unit"], t) not in done and (d := due_of(reported, unit["unit"], t, due[t])) is not None
                        and d < AS_OF for t in mine)
        expected.append([str(i), names[unit["unit"]], str(len(mine)), str(n_done), pct(n_done, len(mine)),
                         str(n_overdue)])
    assert [r[:6] for r in rows] == expected
    # 附件1 lists the overdue and lagging tasks only, never every ledger row
    states = [r.cells[4].text for r in doc.tables[-2].rows[1:]]
    assert all(s.startswith(("逾期", "进度滞后")) for s in states), states
    assert len(doc.tables[-2].rows) - 1 == task_overdue + int(re.search(r"进度滞后(\d+)项", text).group(1))
    late = sum(1 for key in done if due[key[1]] and reported[key][2] > due[key[1]])
    assert f"另有{late}项分工虽已完成，但完成日期晚于完成时限" in text
    assert "工作专班（代章）" in text and "2025年6月30日" in text and "（此件公开发布）" in text


def test_collect_and_report_are_deterministic(loop):
    base, returned, *_ = loop
    files = sorted(returned.glob("*.xlsx"))
    outputs = []
    for name in ("a", "b"):
        target = base / name
        target.mkdir()
        run("collect", *reversed(files) if name == "b" else files, "-o", target / "p.yaml", "--as-of", "2025-06-30",
            "--partial")
        run("report", CITY, "--progress", target / "p.yaml", "-o", target)
        outputs.append(((target / "p.yaml").read_bytes(), (target / "three-year-plan-进展通报.docx").read_bytes()))
    assert outputs[0] == outputs[1]


def test_remind_writes_notices_only_for_units_with_overdue_or_lagging_tasks(loop):
    base, returned, _, reported, assigned = loop
    progress = base / "progress.yaml"
    if not progress.exists():
        run("collect", *sorted(returned.glob("*.xlsx")), "-o", progress, "--as-of", "2025-06-30", "--partial")
    out = base / "remind"
    result = run("remind", CITY, "--progress", progress, "-o", out)
    assert result.exit_code == 0, result.output
    due = deadlines()
    start = dt.date(2024, 1, 1)
    expected: dict[str, set[str]] = {}
    for (unit, task), role in assigned.items():
        status = reported.get((unit, task), (role, None, None, None))[1]
        d = due_of(reported, unit, task, due[task])
        if status == "已完成" or d is None:
            continue
        overdue = d < AS_OF
        lagging = not overdue and status is None and 2 * (AS_OF - start).days >= (d - start).days
        if overdue or lagging:
            expected.setdefault(unit, set()).add(task)
    written = {p.name.removesuffix("-督办.docx") for p in out.glob("*.docx")}
    assert written == set(expected)
    for unit, tasks in expected.items():
        text = "\n".join(p.text for p in WordDocument(out / f"{unit}-督办.docx").paragraphs)
        listed = {t for t in due if f"（编号{t}，" in text}
        assert listed == tasks, unit


def test_progress_file_reads_back_to_the_same_text(loop):
    base, returned, *_ = loop
    progress = base / "again.yaml"
    run("collect", *sorted(returned.glob("*.xlsx")), "-o", progress, "--as-of", "2025-06-30", "--partial")
    text = progress.read_text(encoding="utf-8")
    assert text.startswith("# yaml-language-server: $schema=")
    order = [f"T{i:02d}" for i in range(1, 31)]
    again = dump(load(progress), order, text.splitlines()[0].split("$schema=", 1)[1])
    assert again == text


def test_report_body_fits_six_pages_with_a_chart_and_a_rerun_keeps_the_drafters_sentences(loop):
    from pypdf import PdfReader

    base, returned, *_ = loop
    progress = base / "progress.yaml"
    if not progress.exists():
        run("collect", *sorted(returned.glob("*.xlsx")), "-o", progress, "--as-of", "2025-06-30", "--partial")
    out = base / "budget"
    result = run("report", CITY, "--progress", progress, "-o", out, "--pdf")
    assert result.exit_code == 0, result.output
    pages = [p.extract_text() for p in PdfReader(out / "three-year-plan-进展通报.pdf").pages]
    body = next(i for i, text in enumerate(pages) if re.search(r"^附件1\s*$", text, re.M))
    assert body <= 6, body  # pages before the one starting 附件1
    with zipfile.ZipFile(out / "three-year-plan-进展通报.docx") as zf:
        assert "word/media/docgen-picture1.png" in zf.namelist()
    draft = out / "three-year-plan-进展通报.yaml"
    data = out / "three-year-plan-进展通报数据.yaml"
    edited = draft.read_text(encoding="utf-8").replace("各专项行动任务完成情况见下表和下图。", "起草人改写的一句话。")
    draft.write_text(edited, encoding="utf-8")
    later = base / "later.yaml"
    run("collect", *sorted(returned.glob("*.xlsx")), "-o", later, "--as-of", "2025-12-31", "--partial")
    result = run("report", CITY, "--progress", later, "-o", out)
    assert result.exit_code == 0, result.output
    assert draft.read_text(encoding="utf-8") == edited  # the drafter's file is never rewritten
    assert "截止日期: 2025年12月31日" in data.read_text(encoding="utf-8")
    text = "\n".join(p.text for p in WordDocument(out / "three-year-plan-进展通报.docx").paragraphs)
    assert "起草人改写的一句话。" in text and "截至2025年12月31日" in text
