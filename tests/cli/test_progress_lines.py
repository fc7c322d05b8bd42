"""Long jobs say they are alive on stderr (a bar on a terminal, lines otherwise) and list outputs on stdout."""

from __future__ import annotations

import io

from conftest import ROOT

from docgen.cli import _Progress


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_off_a_terminal_a_line_per_tenth_and_per_phase():
    stream = io.StringIO()
    with _Progress("通知", stream) as tick:
        for done in range(1, 101):
            tick(done, 100)
        for done in range(1, 4):
            tick(done, 3, "生成 PDF")
    lines = stream.getvalue().splitlines()
    assert lines[:3] == ["通知：10/100", "通知：20/100", "通知：30/100"]
    assert lines[9] == "通知：100/100"
    assert lines[10:] == ["生成 PDF：1/3", "生成 PDF：2/3", "生成 PDF：3/3"]


def test_on_a_terminal_a_bar_with_the_phase_label():
    stream = _Terminal()
    with _Progress("级联", stream) as tick:
        for done in range(1, 5):
            tick(done, 4)
    assert "级联" in stream.getvalue() and "100%" in stream.getvalue()


def test_cascade_lists_what_it_wrote_and_reports_progress_on_stderr(tmp_path, run):
    result = run("cascade", ROOT / "plans/city/three-year-plan.yaml", "-o", tmp_path, cwd=ROOT)
    assert result.exit_code == 0, result.output
    written = sorted(result.stdout.split())
    assert len(written) == 4 and all(w.endswith("/three-year-plan.yaml") for w in written)
    assert all((tmp_path / w.split("/")[-2] / "three-year-plan.yaml").is_file() for w in written)
    assert "级联：4/4" in result.stderr


def _progress_file(path):
    path.write_text(
        "方案: plans/city/three-year-plan.yaml\n方案标题: 清溪市安全生产治本攻坚三年行动实施方案\n截至: 2025年6月30日\n"
        "进展:\n  T20:\n    市应急管理局:\n      完成状态: 未启动\n", encoding="utf-8")
    return path


def test_report_says_each_step_on_stderr(tmp_path, run):
    progress = _progress_file(tmp_path / "p.yaml")
    result = run("report", ROOT / "plans/city/three-year-plan.yaml", "--progress", progress, "-o", tmp_path / "out",
                 cwd=ROOT)
    assert result.exit_code == 0, result.output
    steps = [line for line in result.stderr.splitlines() if line.startswith("通报（")]
    assert steps == ["通报（检查方案）：1/4", "通报（统计进展）：2/4", "通报（写出草稿和数据）：3/4", "通报（排版）：4/4"]
    assert "通报（" not in result.stdout


def test_remind_says_each_step_and_each_notice_on_stderr(tmp_path, run):
    progress = _progress_file(tmp_path / "p.yaml")
    result = run("remind", ROOT / "plans/city/three-year-plan.yaml", "--progress", progress, "-o", tmp_path / "out",
                 cwd=ROOT)
    assert result.exit_code == 0, result.output
    lines = result.stderr.splitlines()
    assert lines[:2] == ["督办（检查方案）：1/2", "督办（统计进展）：2/2"]
    assert any(line.startswith("督办通知：") for line in lines)
