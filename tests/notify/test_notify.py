"""docgen notify end to end: every unit gets exactly its tasks; files safe, atomic, reproducible."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner
from conftest import REGISTRY, ROOT
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from docgen.checked import prepare
from docgen.cli import cli
from docgen.config import Settings
from docgen.notify import ledger

CITY = ROOT / "plans/city/three-year-plan.yaml"


def invoke(*args, cwd: Path = ROOT):
    import os
    old = Path.cwd()
    os.chdir(cwd)
    try:
        return CliRunner().invoke(cli, ["notify", *map(str, args)], catch_exceptions=False)
    finally:
        os.chdir(old)


def expected_assignments() -> dict[str, dict[str, str]]:
    """unit -> {task id: role}, computed from the plan and registry independently of docgen.notify."""
    ctx, _ = prepare([CITY], Settings(root=ROOT, registry=[ROOT / "plans/registry"]), base=ROOT)
    plan, registry = ctx.plans[0], ctx.registry
    org = ctx.org_of(plan)
    out: dict[str, dict[str, str]] = {}
    for task in plan.tasks():
        resp = task.effective_responsibility
        for role, refs in (("牵头", resp.lead), ("配合", resp.support)):
            for ref in refs:
                for unit in registry.expand(org, ref.name):
                    out.setdefault(unit, {}).setdefault(task.id, role)
    return out


@pytest.fixture(scope="module")
def city_notices(tmp_path_factory):
    out = tmp_path_factory.mktemp("notify")
    result = invoke(CITY, "-o", out, "--bundle", "-j", "2", "--contact", "张明，0000-1234567")
    assert result.exit_code == 0, result.output
    return out, result


def test_every_unit_with_tasks_gets_a_notice_listing_exactly_its_tasks(city_notices):
    out, _ = city_notices
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    expected = expected_assignments()
    assert {u["unit"] for u in manifest["units"]} == set(expected)
    for unit in manifest["units"]:
        notice = out / next(f["path"] for f in unit["files"] if f["kind"] == "notice")
        text = "\n".join(p.text for p in WordDocument(str(notice)).paragraphs)
        import re
        listed = re.findall(r"编号(T\d+)）", text)
        assert sorted(listed) == sorted(expected[unit["unit"]]), unit["unit"]
        assert unit["full_name"] + "：" in text and "张明，0000-1234567" in text
        book = load_workbook(out / next(f["path"] for f in unit["files"] if f["kind"] == "ledger"))
        rows = {r[0]: r[2] for r in book["台账"].iter_rows(min_row=ledger.FIRST_ROW, values_only=True)
                if r[0] and r[0] not in ledger.FOOTER_LABELS}
        assert rows == expected[unit["unit"]], unit["unit"]


def test_manifest_hashes_match_the_files_and_nothing_else_is_left(city_notices):
    out, _ = city_notices
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    listed = {"manifest.json", manifest["bundle"]["path"]}
    for unit in manifest["units"]:
        for f in unit["files"]:
            assert hashlib.sha256((out / f["path"]).read_bytes()).hexdigest() == f["sha256"]
            listed.add(f["path"])
    assert {p.name for p in out.iterdir()} == listed  # no temporary or staging files left behind


def test_bundle_has_a_bookmark_per_unit(city_notices):
    out, _ = city_notices
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    reader = PdfReader(out / manifest["bundle"]["path"])
    titles = [item.title for item in reader.outline]
    assert titles == [u["full_name"] for u in manifest["units"]]
    pages = sum(len(PdfReader(out / next(f["path"] for f in u["files"] if f["kind"] == "pdf")).pages)
                for u in manifest["units"])
    assert len(reader.pages) == pages


def test_summary_names_units_without_tasks(city_notices):
    _, result = city_notices
    assert "没有任务" in result.stderr and "市政协办公室" in result.stderr


def test_same_input_same_bytes_whatever_the_process_count(city_notices, tmp_path):
    out, _ = city_notices
    again = tmp_path / "again"
    result = invoke(CITY, "-o", again, "--bundle", "-j", "1", "--contact", "张明，0000-1234567")
    assert result.exit_code == 0
    for path in out.iterdir():
        assert (again / path.name).read_bytes() == path.read_bytes(), path.name


def test_units_and_groups_can_be_named(tmp_path):
    result = invoke(CITY, "-o", tmp_path, "--unit", "各乡镇（街道）", "--unit", "市应急局")
    assert result.exit_code == 0, result.output
    units = {u["unit"] for u in json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))["units"]}
    assert units == {"东湖街道", "西岭街道", "南河镇", "北山镇", "市应急管理局"}
    idle = invoke(CITY, "-o", tmp_path / "idle", "--unit", "市政协办公室")
    assert idle.exit_code == 0 and "市政协办公室" in idle.stderr and "没有任务" in idle.stderr
    bad = invoke(CITY, "-o", tmp_path / "bad", "--unit", "市应急管理据")
    assert bad.exit_code == 2 and "市应急管理局" in bad.output
    assert not (tmp_path / "bad").exists()


def test_one_unit_failing_does_not_stop_the_others(tmp_path, monkeypatch):
    from docgen.compose import notice
    real = notice.compose_notice

    def flaky(subject, registry):
        if subject.recipient.name == "北山镇":
            raise RuntimeError("模拟的故障")
        return real(subject, registry)

    monkeypatch.setattr(notice, "compose_notice", flaky)  # the job finds it through `kinds`
    result = invoke(CITY, "-o", tmp_path, "--unit", "各乡镇（街道）")
    assert result.exit_code == 1
    assert "失败：北山镇" in result.stderr and "模拟的故障" in result.stderr
    assert (tmp_path / "东湖街道.docx").is_file() and not (tmp_path / "北山镇.docx").exists()
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    assert next(u for u in manifest["units"] if u["unit"] == "北山镇")["error"]


def test_a_killed_worker_fails_its_units_and_the_run_goes_on(tmp_path, monkeypatch):
    """A worker process that dies (the system killed it) ends only its share of the batch: its units
    are listed as failed, the other worker's are written, and the run does not hang."""
    import os

    from docgen.jobs import notify as run
    real = run._Batch.render_one

    def dying(self, index):
        recipient, _ = self.jobs[index]
        if recipient.name == "北山镇" and os.getpid() != parent:
            os._exit(9)  # in the forked worker only
        return real(self, index)

    parent = os.getpid()
    monkeypatch.setattr(run._Batch, "render_one", dying)
    result = invoke(CITY, "-o", tmp_path, "--unit", "各乡镇（街道）", "-j", "2")
    assert result.exit_code == 1
    assert "失败：北山镇" in result.stderr and "意外退出" in result.stderr
    manifest = json.loads((tmp_path / "manifest.json").read_text(encoding="utf-8"))
    failed = {u["unit"] for u in manifest["units"] if "error" in u}
    assert "北山镇" in failed and len(failed) < len(manifest["units"])
    assert all((tmp_path / f"{u['unit']}.docx").is_file() for u in manifest["units"] if u["unit"] not in failed)


WEIRD = """\
文种: 通知
标题: 松原市关于开展安全检查的通知
发文机关: 松原市安全生产委员会
成文日期: 2025年1月10日
正文:
  - 任务: 开展检查
    编号: A1
    责任单位: [../../etc/passwd, CON, 综合/执法:队]  # docgen: disable=DG404
    完成时限: 2025年9月底前
"""


def test_unit_names_become_safe_file_names_inside_the_output(tmp_path):
    reg = tmp_path / "registry"
    shutil.copytree(REGISTRY, reg)
    text = (reg / "city.yaml").read_text(encoding="utf-8").replace(
        "      - 名称: 市教育局\n",
        "      - 名称: 市教育局\n      - 名称: ../../etc/passwd\n      - 名称: CON\n      - 名称: 综合/执法:队\n")
    (reg / "city.yaml").write_text(text, encoding="utf-8")
    (tmp_path / "pyproject.toml").write_text('[tool.docgen]\nregistry = ["registry"]\n', encoding="utf-8")
    (tmp_path / "plan.yaml").write_text(WEIRD, encoding="utf-8")
    result = invoke("plan.yaml", "-o", "out", cwd=tmp_path)
    assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert names == sorted(["manifest.json", "_.._etc_passwd.docx", "_.._etc_passwd-台账.xlsx",
                            "_CON.docx", "_CON-台账.xlsx", "综合_执法_队.docx", "综合_执法_队-台账.xlsx"])
    assert not (tmp_path / "etc").exists()


def test_plan_with_errors_writes_nothing(tmp_path):
    bad = tmp_path / "plan.yaml"
    bad.write_text(CITY.read_text(encoding="utf-8").replace("牵头: 市应急管理局", "牵头: 市应急管理据", 1),
                   encoding="utf-8")
    result = invoke(bad, "-o", tmp_path / "out")
    assert result.exit_code == 1 and "DG202" in result.stderr
    assert not (tmp_path / "out").exists()
