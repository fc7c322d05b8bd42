"""The README's promises: its example plan is valid, its two commands exist, CI calls the test one."""

from __future__ import annotations

import re

from conftest import ROOT, lint

README = (ROOT / "README.md").read_text(encoding="utf-8")


def test_readme_example_plan_passes_the_checker(tmp_path):
    block = re.search(r"```yaml\n(.*?)```", README, re.S).group(1)
    assert "文种:" in block
    problems = lint(tmp_path, block, registry=ROOT / "plans/registry")
    assert problems == [], [f"{p.location} {p.code} {p.message}" for p in problems]


def test_two_commands_and_ci():
    assert "make demo" in README and "make test" in README
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    assert re.search(r"^demo:", makefile, re.M) and re.search(r"^test:", makefile, re.M)
    assert "make test" in (ROOT / ".ci/run").read_text(encoding="utf-8")
