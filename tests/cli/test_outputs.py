"""Every job lists what it wrote on stdout; progress goes to stderr; --pdf on the commands that write documents."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import ROOT, plan_text
from pypdf import PdfReader

CITY = ROOT / "plans/city/three-year-plan.yaml"


def test_notify_lists_every_file_it_wrote(tmp_path, run):
    result = run("notify", CITY, "-o", tmp_path, "--unit", "东湖街道", "--unit", "市教育局", cwd=ROOT)
    assert result.exit_code == 0, result.output
    listed = {Path(line).resolve() for line in result.stdout.splitlines()}
    written = {p.resolve() for p in tmp_path.iterdir() if not p.name.startswith(".")}
    assert listed == written and len(written) == 5  # two notices, two ledgers, the manifest


def test_collect_reports_progress_per_ledger_on_stderr(tmp_path, run):
    assert run("notify", CITY, "-o", tmp_path, "--unit", "东湖街道", "--unit", "市教育局", cwd=ROOT).exit_code == 0
    ledgers = sorted(tmp_path.glob("*-台账.xlsx"))
    result = run("collect", *ledgers, "--plan", CITY, "-o", tmp_path / "p.yaml", "--as-of", "2025-06-30", cwd=ROOT)
    assert result.exit_code == 0, result.output
    assert "汇总台账：2/2" in result.stderr and "汇总台账" not in result.stdout


@pytest.mark.slow
def test_diff_writes_the_revision_table_as_pdf_too(tmp_path, run):
    old, new = tmp_path / "old.yaml", tmp_path / "new.yaml"
    body = "- 段落: 为做好工作，制定本要点。\n"
    old.write_text(plan_text(body), encoding="utf-8")
    new.write_text(plan_text(body.replace("制定本要点", "特制定本要点")), encoding="utf-8")
    refused = run("diff", old, new, "--pdf", cwd=tmp_path)
    assert refused.exit_code == 2 and "--pdf 要与 --docx 一起用" in refused.stderr
    result = run("diff", old, new, "--docx", tmp_path / "表.docx", "--pdf", cwd=tmp_path)
    assert result.exit_code == 1, result.output
    pdf = PdfReader(str(tmp_path / "表.pdf"))
    assert "特制定本要点" in "".join(page.extract_text() for page in pdf.pages)


def test_import_reports_its_steps_on_stderr(tmp_path, run):
    plan = ROOT / "plans/city/work-points-2025.yaml"
    assert run("render", plan, "-o", tmp_path, cwd=ROOT).exit_code == 0
    result = run("import", tmp_path / "work-points-2025.docx", "-o", tmp_path / "wp.yaml",
                 "--registry", ROOT / "plans/registry", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    assert "读取：1/1" in result.stderr and "检查：1/1" in result.stderr and "读取" not in result.stdout
    assert (tmp_path / "wp.yaml").is_file()
