"""The ledger workbook: content, locking, validation, determinism, and LibreOffice reading it."""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import zipfile

import pytest
from openpyxl import load_workbook

from conftest import ROOT
from docgen.jobs.check import prepare
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
    assert tuple(c.value for c in ws[1]) == ledger.COLUMNS
    rows = [tuple(c.value for c in row[:3]) for row in ws.iter_rows(min_row=2, max_row=1 + len(recipient.tasks))]
    assert rows == [(a.task.id, a.task.lead.value, a.role) for a in recipient.tasks]
    assert ws.freeze_panes == "A2"
    assert ws.protection.sheet
    assert ws["A2"].protection.locked and ws["B2"].protection.locked
    assert not ws["E2"].protection.locked and not ws["F2"].protection.locked
    info = dict(load_workbook(io.BytesIO(data))[ledger.INFO_SHEET].values)
    assert info["单位"] == "东湖街道" and info["报送截止"] == "2024年4月10日"


def test_validations(unit_ledger):
    _, data = unit_ledger
    ws = load_workbook(io.BytesIO(data))[ledger.SHEET]
    kinds = {v.type: v for v in ws.data_validations.dataValidation}
    assert kinds["list"].formula1 == '"未启动,推进中,已完成"' and "F2" in kinds["list"].sqref
    assert "G2" in kinds["date"].sqref


def test_deterministic(unit_ledger):
    recipient, data = unit_ledger
    again = ledger.build(recipient, "x", "y", None, "2024-03-18T00:00:00Z")
    again2 = ledger.build(recipient, "x", "y", None, "2024-03-18T00:00:00Z")
    assert again == again2
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        assert all(i.date_time == (1980, 1, 1, 0, 0, 0) for i in z.infolist())
        assert b"2024-03-18T00:00:00Z" in z.read("docProps/core.xml")


def test_libreoffice_reads_the_dropdown(unit_ledger, tmp_path):
    _, data = unit_ledger
    (tmp_path / "l.xlsx").write_bytes(data)
    subprocess.run(["soffice", "--headless", "--norestore", f"-env:UserInstallation=file://{tmp_path}/profile",
                    "--convert-to", "ods", "--outdir", str(tmp_path), str(tmp_path / "l.xlsx")],
                   check=True, capture_output=True, timeout=180)
    with zipfile.ZipFile(tmp_path / "l.ods") as z:
        content = z.read("content.xml").decode()
    assert "table:content-validation" in content
    assert "未启动" in content and "已完成" in content  # the list LibreOffice offers in the cell
