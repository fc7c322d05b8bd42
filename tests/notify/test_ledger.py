"""The ledger workbook: content, locking, validation, determinism, and LibreOffice reading it."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile
from types import SimpleNamespace

import pytest
from conftest import ROOT
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from pypdf import PdfReader

from docgen.checked import prepare
from docgen.config import Settings
from docgen.notify import ledger
from docgen.notify.recipients import recipients


@pytest.fixture(scope="module")
def unit_ledger():
    ctx, _ = prepare([ROOT / "plans/city/three-year-plan.yaml"],
                     Settings(root=ROOT, registry=[ROOT / "plans/registry"]), base=ROOT)
    plan = ctx.plans[0]
    recipient = next(r for r in recipients(plan, ctx.registry, ctx.org_of(plan)) if r.name == "东湖街道")
    data = ledger.build(recipient, plan.title.value, "plans/city/three-year-plan.yaml", dt.date(2024, 4, 10),
                        "2024-03-18T00:00:00Z")
    return recipient, data


def test_prefilled_rows_and_columns(unit_ledger):
    recipient, data = unit_ledger
    ws = load_workbook(io.BytesIO(data))[ledger.SHEET]
    assert "东湖街道" in ws["A1"].value and "A1:I1" in {str(r) for r in ws.merged_cells.ranges}  # the title row
    assert tuple(c.value for c in ws[ledger.HEAD_ROW]) == ledger.COLUMNS
    first = ledger.FIRST_ROW
    # one row per task, and one per phase of a 完成时限 given as a list of phases, each with its own 时限 and 内容
    expected = [(a.task.id, a.task.lead.value, a.role, f"第{i}阶段：{m.phrase}，{m.content.rstrip('。；')}")
                for a in recipient.tasks for i, m in enumerate(ledger.phases(a.deadline), start=1)] + [
        (a.task.id, a.task.lead.value, a.role, a.deadline.milestones[0].phrase)
        for a in recipient.tasks if a.deadline and not ledger.phases(a.deadline)]
    rows = [tuple(c.value for c in row[:4]) for row in ws.iter_rows(min_row=first, max_row=first - 1 + len(expected))]
    assert sorted(rows) == sorted(expected) and len(expected) > len(recipient.tasks)
    assert ("T04", recipient.tasks[1].task.lead.value, "配合", "第2阶段：2025年底前，特种作业人员持证上岗实现全覆盖") in rows
    footer = first + len(expected) + 1  # 填报人, 联系电话, 填报日期 under the tasks, to fill in
    assert [ws[f"{col}{footer}"].value for col in "ADF"] == list(ledger.FOOTER_LABELS)
    assert not any(ws[f"{col}{footer}"].protection.locked for col in "BEG")
    assert ws[f"G{footer}"].number_format == ledger.DATE_FORMAT
    assert ws.freeze_panes == f"A{first}"
    assert ws.protection.sheet
    assert ws[f"A{first}"].protection.locked and ws[f"B{first}"].protection.locked
    assert ws[f"D{first}"].protection.locked and ws["A1"].protection.locked
    assert not ws[f"E{first}"].protection.locked and not ws[f"F{first}"].protection.locked
    for col in "EFGHI":  # the columns to fill stay open below the tasks too (the column's own format)
        assert not ws.column_dimensions[col].protection.locked
    assert ws.column_dimensions["D"].protection.locked and ws.column_dimensions["G"].number_format == ledger.DATE_FORMAT
    info_sheet = load_workbook(io.BytesIO(data))[ledger.INFO_SHEET]
    info = dict(info_sheet.values)
    assert info["单位"] == "东湖街道" and info["报送截止"] == "2024年4月10日"
    assert "方案文件" not in info and not any("plans/" in str(v) for v in info.values())  # no path of the office's
    assert info_sheet.sheet_state == "hidden"  # neither in the way nor printed


def test_validations(unit_ledger):
    _, data = unit_ledger
    ws = load_workbook(io.BytesIO(data))[ledger.SHEET]
    kinds = {v.type: v for v in ws.data_validations.dataValidation}
    first = ledger.FIRST_ROW
    assert kinds["list"].formula1 == '"未启动,推进中,已完成"' and f"F{first}" in kinds["list"].sqref
    assert kinds["list"].showErrorMessage and f"F{first - 1}" not in kinds["list"].sqref
    date = kinds["date"]
    assert f"G{first}" in date.sqref and date.operator in (None, "between") and date.showErrorMessage  # between is the default
    assert (from_excel(float(date.formula1)).date(), from_excel(float(date.formula2)).date()) == (
        dt.date(2000, 1, 1), dt.date(2099, 12, 31))


def test_print_setup(unit_ledger):
    recipient, data = unit_ledger
    ws = load_workbook(io.BytesIO(data))[ledger.SHEET]
    setup = ws.page_setup
    assert setup.orientation == "landscape" and setup.paperSize == 9  # A4
    assert ws.sheet_properties.pageSetUpPr.fitToPage and setup.fitToWidth in (None, 1) and setup.fitToHeight == 0  # width 1 is the default
    assert ws.print_title_rows == f"${ledger.HEAD_ROW}:${ledger.HEAD_ROW}"
    rows = sum(len(ledger.phases(a.deadline)) or 1 for a in recipient.tasks)  # a row per task or phase
    last = ledger.FIRST_ROW - 1 + rows + 2  # the tasks, a blank row, 填报人…
    assert ws.print_area == f"'{ledger.SHEET}'!$A$1:$I${last}"
    for row in range(ledger.FIRST_ROW, last - 1):
        assert ws[f"B{row}"].alignment.wrap_text and ws[f"D{row}"].alignment.wrap_text
        deadline = ws[f"D{row}"].value
        wanted = ledger.lines(deadline, ledger.WIDTHS[3]) * ledger.LINE_HEIGHT
        assert ws.row_dimensions[row].height >= wanted  # every line of the longest cell shows


def test_text_that_looks_like_a_formula_stays_text():
    from types import SimpleNamespace

    evil = ['=HYPERLINK("http://evil.example/","点我")', "+1+1", "-2", "@SUM(A1)", "=cmd|' /C calc'!A0"]
    tasks = [SimpleNamespace(role="牵头", deadline=None, task=SimpleNamespace(
        id=f"T{i}", lead=SimpleNamespace(value=text), effective_deadline=None)) for i, text in enumerate(evil)]
    unit = SimpleNamespace(name="=单位", full_name="=HYPERLINK(\"x\")", tasks=tasks)
    direct = ledger.build(unit, "=1+1", "plan.yaml", None, "2024-03-18T00:00:00Z")
    compiled = ledger.LedgerWriter("2024-03-18T00:00:00Z").write(ledger.Content.of(unit, "=1+1", "plan.yaml", None))
    for data in (direct, compiled):
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            sheets = [z.read(n).decode() for n in z.namelist() if n.startswith("xl/worksheets/")]
        assert not any("<f>" in s or "<f " in s for s in sheets)  # no formula anywhere
        wb = load_workbook(io.BytesIO(data))
        ws = wb[ledger.SHEET]
        cells = [ws[f"B{ledger.FIRST_ROW + i}"] for i in range(len(evil))]
        assert [c.value for c in cells] == evil and all(c.data_type == "s" for c in cells)
        assert dict(wb[ledger.INFO_SHEET].values)["方案"] == "=1+1"


def test_libreoffice_prints_the_ledger_landscape_on_whole_pages(unit_ledger, tmp_path):
    recipient, data = unit_ledger
    (tmp_path / "l.xlsx").write_bytes(data)
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "l.xlsx")],
                   check=True, capture_output=True, timeout=180)
    reader = PdfReader(tmp_path / "l.pdf")
    pages = [("".join(page.extract_text().split()), page.mediabox) for page in reader.pages]
    ledger_pages = [(text, box) for text, box in pages if "填报单位" not in text]
    assert ledger_pages and len(ledger_pages) == len(pages)  # the 填报信息 sheet is hidden: not printed
    assert all(float(box.width) > float(box.height) for _, box in ledger_pages)  # landscape
    text = "".join(text for text, _ in ledger_pages)
    assert "任务落实台账" in text
    for assigned in recipient.tasks:  # every task's full text printed: columns not cut, rows tall enough
        assert assigned.task.lead.value in text
    for words, _ in ledger_pages:  # the head row repeats, and all nine columns are on every page
        assert "任务编号" in words and "备注" in words
    assert "填报人" in text and "联系电话" in text and "填报日期" in text


def test_long_deadlines_print_whole(tmp_path):
    """A row tall enough for its longest cell: every character of a long 完成时限 is on the page."""
    from collections import Counter
    from types import SimpleNamespace

    phases = [SimpleNamespace(phrase=f"{2024 + i}年底前", content="重点培训危险化学品、非煤矿山企业和二级以上医院主要负责人" * 3)
              for i in range(4)]  # a row per phase, each wrapping to several lines
    task = SimpleNamespace(id="T1", lead=SimpleNamespace(value="提升企业主要负责人安全管理能力"),
                           effective_deadline=SimpleNamespace(milestones=phases))
    assigned = SimpleNamespace(role="牵头", task=task, deadline=task.effective_deadline)
    unit = SimpleNamespace(name="单位", full_name="某单位", tasks=[assigned])
    (tmp_path / "l.xlsx").write_bytes(ledger.build(unit, "方案", "plan.yaml", None, "2024-03-18T00:00:00Z"))
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "pdf", "--outdir", str(tmp_path), str(tmp_path / "l.xlsx")],
                   check=True, capture_output=True, timeout=180)
    printed = Counter("".join(PdfReader(tmp_path / "l.pdf").pages[0].extract_text().split()))
    wanted = Counter("".join(row[3] for row in ledger.Content.of(unit, "方案", "plan.yaml", None).rows))
    assert len(ledger.Content.of(unit, "方案", "plan.yaml", None).rows) == 4
    assert not wanted - printed  # nothing clipped


def _readable(data: bytes) -> list:
    """What a reader sees in a workbook: cells with their styles, rows, print setup, validations."""
    wb = load_workbook(io.BytesIO(data))
    seen: list = [wb.properties.title]
    for ws in wb.worksheets:
        seen += [(ws.title, c.coordinate, c.value, c.data_type, c.protection.locked, c.alignment.wrap_text,
                  c.number_format, c.font.name, c.fill.fgColor.rgb) for row in ws.iter_rows() for c in row]
        seen.append((sorted((k, v.height) for k, v in ws.row_dimensions.items()), ws.print_area,
                     ws.print_title_rows, ws.page_setup.orientation, str(ws.merged_cells), ws.freeze_panes,
                     [(v.type, str(v.sqref), v.formula1, v.formula2) for v in ws.data_validations.dataValidation]))
    return seen


@pytest.mark.parametrize("plan_title", ["清溪市方案", "A&B <方案> \"引号\"", "带控制字符\x07的方案", " 前后空格 "])
def test_the_compiled_writer_gives_what_xlsxwriter_gives(unit_ledger, plan_title):
    recipient, _ = unit_ledger
    writer = ledger.LedgerWriter("2024-03-18T00:00:00Z")
    for tasks in (recipient.tasks, recipient.tasks[:1], recipient.tasks[:3]):
        unit = SimpleNamespace(name=recipient.name, full_name=recipient.full_name, tasks=tasks)
        content = ledger.Content.of(unit, plan_title, "plans/a.yaml", dt.date(2024, 4, 10))
        compiled = writer.write(content)
        assert _readable(compiled) == _readable(ledger._workbook(content, "2024-03-18T00:00:00Z"))
        assert compiled == writer.write(content)  # reproducible


def test_a_sub_organisations_ledger_and_notice_give_its_share_of_a_split_target():
    from docgen.cascade.targets import share_text

    ctx, _ = prepare([ROOT / "plans/city/three-year-plan.yaml"],
                     Settings(root=ROOT, registry=[ROOT / "plans/registry"]), base=ROOT)
    plan = ctx.plans[0]
    org = ctx.org_of(plan)
    recipient = next(r for r in recipients(plan, ctx.registry, org) if r.name == "东湖街道")
    task = next(a.task for a in recipient.tasks if a.task.id == "T29")
    assert share_text(task, org, "东湖街道") == "完成消防设施改造的老旧场所不少于24处"  # its line of the 分解 table
    content = ledger.Content.of(recipient, plan.title.value, "", dt.date(2024, 4, 10), org)
    assert any(row[0] == "T29" and "（本单位指标：完成消防设施改造的老旧场所不少于24处）" in row[1] for row in content.rows)
    assert share_text(task, org, "市应急管理局") == ""  # a department has no share


def test_the_notice_to_a_sub_organisation_gives_its_share():
    from docgen.compose.notice import UnitNotice, compose_notice
    from docgen.compose.tree import Para
    from docgen.jobs.notify import notice_settings

    ctx, _ = prepare([ROOT / "plans/city/three-year-plan.yaml"],
                     Settings(root=ROOT, registry=[ROOT / "plans/registry"]), base=ROOT)
    plan = ctx.plans[0]
    recipient = next(r for r in recipients(plan, ctx.registry, ctx.org_of(plan)) if r.name == "东湖街道")
    doc = compose_notice(UnitNotice(plan, recipient, notice_settings(plan, ctx.registry, None, None, "", "")),
                         ctx.registry)
    text = "".join(run.text for block in doc.body if isinstance(block, Para) for run in block.runs)
    assert "你单位承担的指标：完成消防设施改造的老旧场所不少于24处。" in text
