"""Shared helpers: run the CLI, write plans, lint a snippet against the fixture registry."""

from __future__ import annotations

import os
import re
import textwrap
from pathlib import Path

import pytest
from click.testing import CliRunner, Result
from hypothesis import settings as hypothesis_settings

from docgen.cli import cli
from docgen.config import Settings
from docgen.jobs.check import check

# `make test` draws the same hypothesis cases on every run (derandomised, no example database), so that
# the suite gives the same answer on every run; `make fuzz` sets DOCGEN_FUZZ_EXAMPLES for a long random
# campaign whose seed it prints (DOCGEN_FUZZ_SEED=N repeats one).
hypothesis_settings.register_profile("docgen", derandomize=True, database=None, print_blob=True)
hypothesis_settings.register_profile("fuzz", derandomize=False, database=None, print_blob=True)
hypothesis_settings.load_profile("fuzz" if os.environ.get("DOCGEN_FUZZ_EXAMPLES") else "docgen")

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REGISTRY = FIXTURES / "registry"

HEADER = """\
文种: 工作要点
标题: 松原市2025年安全生产工作要点
发文机关: 松原市安全生产委员会
发文字号: 松安委〔2025〕2号
成文日期: 2025年1月10日
实施期限: {起: 2025年1月1日, 止: 2025年12月31日}
主送: [市安委会各成员单位]
正文:
"""
#: Line number of the first body line in `plan_text(body)`.
BODY_LINE = HEADER.count("\n") + 1


def plan_text(body: str, header: str = HEADER) -> str:
    """A small valid plan of 松原市 with `body` (YAML list items, any indentation) as 正文."""
    return header + textwrap.indent(textwrap.dedent(body).strip("\n"), "  ") + "\n"


def expected_marks(text: str) -> set[tuple[str, int]]:
    """(code, line) pairs marked in a YAML text by trailing comments like ``# !DG202 !DG404``."""
    marks = set()
    for i, line in enumerate(text.split("\n"), start=1):
        for code in re.findall(r"!(DG\d{3})", line.split("#", 1)[1] if "#" in line else ""):
            marks.add((code, i))
    return marks


def lint(tmp_path: Path, text: str, *, select: list[str] | None = None, name: str = "plan.yaml",
         registry: Path = REGISTRY, extra: dict[str, str] | None = None):
    """Write `text` (and `extra` files) into tmp_path and check it; returns the problems."""
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    for rel, content in (extra or {}).items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(content, encoding="utf-8")
    settings = Settings(root=tmp_path, registry=[registry], select=select)
    return check([path], settings, base=tmp_path).problems


def found(problems) -> set[tuple[str, int]]:
    return {(p.code, p.location.line) for p in problems}


@pytest.fixture
def run():
    """Run the CLI like a user: `run("check", path, cwd=...)`; exceptions propagate."""
    def _run(*args: str | Path, cwd: Path | None = None) -> Result:
        runner = CliRunner()
        import os
        old = Path.cwd()
        try:
            if cwd:
                os.chdir(cwd)
            return runner.invoke(cli, [str(a) for a in args], catch_exceptions=False)
        finally:
            os.chdir(old)
    return _run


#: Modules whose tests run LibreOffice, git, a language-server process or a large batch: `pytest -m
#: "not slow"` leaves them out for a quick run; `make test` runs everything.
SLOW_MODULES = {
    "acceptance/test_walkthrough.py", "bulletin/test_bulletin.py", "diff/test_git_revisions.py",
    "diff/test_git_setup.py", "diff/test_revision_table.py", "format/test_example_plans.py",
    "format/test_head_elements.py", "format/test_joint.py", "fuzz/test_fuzz.py", "fuzz/test_fuzz_bulletin.py",
    "fuzz/test_fuzz_config.py", "fuzz/test_fuzz_import.py", "ingest/test_documents.py", "ingest/test_hostile_files.py",
    "ingest/test_roundtrip.py", "jobs/test_dependents.py", "lsp/test_lsp_hostile.py", "lsp/test_lsp_stdio.py",
    "notify/test_batch_safety.py",
    "notify/test_ledger.py", "notify/test_notify.py", "progress/test_progress.py", "progress/test_round_trip.py",
    "render/test_autospace.py", "render/test_body_table_pdf.py", "render/test_cli_render.py", "render/test_docx.py", "render/test_faces.py",
    "render/test_letter_layout.py", "render/test_measured_layout.py", "render/test_pdf_convert.py", "render/test_pdf_layout.py",
}


def pytest_collection_modifyitems(config, items):
    tests = Path(__file__).resolve().parent
    for item in items:
        where = Path(str(item.fspath)).resolve().relative_to(tests).as_posix()
        if where in SLOW_MODULES:
            item.add_marker(pytest.mark.slow)
