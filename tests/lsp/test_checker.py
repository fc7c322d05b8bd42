"""The checker process: the findings `check_text` gives, a new process after one died, the collector
paused during a check and what it left collected when idle."""

from __future__ import annotations

import gc
import shutil
import weakref
from pathlib import Path

import pytest

from docgen import checked
from docgen.lsp import features
from docgen.lsp.checker import Checker

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def plan(tmp_path: Path) -> tuple[Path, str]:
    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / "plans" / "donghu" / "three-year-plan.yaml"
    text = path.read_text(encoding="utf-8").replace("牵头: 街道安委办\n", "牵头: 街道安委办公\n", 1)  # DG202
    return path, text


def test_the_checker_finds_what_check_text_finds_and_outlives_its_process(plan):
    path, text = plan
    expected = features.check_text(path, text).findings
    assert "DG202" in {f.problem.code for f in expected}
    checker = Checker()
    try:
        assert checker.check(path, text) == expected
        first = checker._process.pid
        checker._process.kill()  # the system ended it (out of memory, say)
        checker._process.join()
        assert checker.check(path, text) == expected  # a new process answers
        assert checker._process.pid != first
        assert checker.check(path, "文种: 实施方案\n") != expected
    finally:
        checker.close()
    assert checker._process is None


def test_the_checker_process_checks_edits_of_a_task_with_the_full_checks_findings(plan):
    path, text = plan
    lines = text.split("\n")
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("编号: "))
    indent = lines[at][: len(lines[at]) - len(lines[at].lstrip())]
    edits = ["\n".join(lines[:at + 1] + [f"{indent}备注: 半角,逗号"] + lines[at + 1:]),  # a line more above the DG202
             "\n".join(lines[:at + 1] + [f"{indent}备注: 全角，逗号"] + lines[at + 1:])]
    checker = Checker()
    try:
        checker.check(path, text)
        for edited in edits:
            assert checker.check(path, edited) == features.check_text(path, edited).findings
    finally:
        checker.close()


def test_the_checker_keeps_the_last_check_of_a_few_documents(plan):
    from docgen.lsp.incremental import KEEP, Incremental

    path, text = plan
    checks = Incremental()
    for i in range(KEEP + 2):
        copy = path.with_name(f"copy{i}.yaml")
        copy.write_text(text, encoding="utf-8")
        checks.check(copy, text)
    assert sorted(p.name for p in checks._docs) == sorted(f"copy{i}.yaml" for i in range(2, KEEP + 2))


def test_prepare_text_pauses_the_collector_like_prepare(plan, monkeypatch):
    path, text = plan
    seen = []
    real = checked.check_files

    def recording(*args, **kwargs):
        seen.append(gc.isenabled())
        return real(*args, **kwargs)

    monkeypatch.setattr(checked, "check_files", recording)
    features.check_text(path, text)
    assert seen == [False] and gc.isenabled()


class _Node:
    pass


def test_collect_garbage_frees_what_a_large_check_froze():
    gc.collect()
    node = _Node()
    node.me = node  # a cycle: only the collector frees it
    alive = weakref.ref(node)
    with checked.paused_gc():
        del node
    gc.freeze()  # as `paused_gc` leaves a large job's objects
    try:
        gc.collect()
        assert alive() is not None  # frozen: an ordinary collection leaves it
    finally:
        checked.collect_garbage()
    assert alive() is None and gc.get_freeze_count() == 0 and gc.isenabled()
