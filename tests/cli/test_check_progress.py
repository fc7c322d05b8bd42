"""`docgen check` says how far it is on stderr when a check is large (two seconds and more), and
nothing more than its summary when it is small."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from bench.check import build
from docgen.cli import CHECK_PROGRESS_BYTES, cli


def _check(folder: Path):
    old = Path.cwd()
    os.chdir(folder)
    try:
        return CliRunner().invoke(cli, ["check", "plans"], catch_exceptions=False)
    finally:
        os.chdir(old)


@pytest.mark.slow
def test_a_large_check_shows_its_progress_in_megabytes(tmp_path):
    files = build(tmp_path, 10_000, 2)
    total = sum(f.stat().st_size for f in files)
    assert total >= CHECK_PROGRESS_BYTES
    result = _check(tmp_path)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    steps = [line for line in lines if line.startswith("检查（MB）：")]
    megabytes = total // (1024 * 1024)
    assert steps and steps[-1] == f"检查（MB）：{megabytes}/{megabytes}"
    assert lines[-1].startswith("检查了 ") and result.stdout == ""


def test_a_small_check_prints_its_summary_only(tmp_path):
    build(tmp_path, 200, 1)
    result = _check(tmp_path)
    assert result.exit_code == 0, result.output
    assert result.stderr.splitlines() == [result.stderr.strip()] and result.stderr.startswith("检查了 ")
