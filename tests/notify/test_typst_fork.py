"""`notify -j 2` with Typst PDFs in a process that has printed with Typst before (a server, a test
run, a script calling docgen): Typst's Rust runtime hangs a process forked after it started, so the
batch must not fork then. This hung the whole suite once the Typst engine became the default."""

from __future__ import annotations

import subprocess
import sys
import textwrap

from conftest import ROOT

CITY = ROOT / "plans" / "city" / "three-year-plan.yaml"


def test_notify_with_two_processes_after_typst_was_used_here_finishes(tmp_path):
    script = textwrap.dedent(f"""
        import os
        from click.testing import CliRunner
        from docgen.cli import cli
        os.chdir({str(ROOT)!r})
        first = CliRunner().invoke(cli, ["render", "plans/city/flood-season-notice.yaml", "--pdf",
                                         "-o", {str(tmp_path / "render")!r}])
        assert first.exit_code == 0, first.output
        second = CliRunner().invoke(cli, ["notify", {str(CITY)!r}, "-o", {str(tmp_path / "notify")!r}, "--pdf",
                                          "-j", "2", "--unit", "东湖街道", "--unit", "市应急管理局"])
        assert second.exit_code == 0, second.output
        print("done")
    """)
    # (a child process with a time limit: a hang fails the test instead of stopping the suite)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300, cwd=ROOT)
    assert result.returncode == 0 and "done" in result.stdout, result.stderr[-2000:]
    assert sorted(p.name for p in (tmp_path / "notify").glob("*.pdf")) == ["东湖街道.pdf", "市应急管理局.pdf"]
