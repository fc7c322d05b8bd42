"""Every lint rule on its cases in cases.yaml: it reports exactly the marked lines, nothing else."""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import expected_marks, found, lint, plan_text
from ruamel.yaml import YAML

from docgen.rules import bulletin, registry

CASES = YAML(typ="safe").load((Path(__file__).parent / "cases.yaml").read_text(encoding="utf-8"))


def _text(case: dict) -> str:
    return case["plan"] if case.get("whole") else plan_text(case["body"])


@pytest.mark.parametrize("case", CASES, ids=[f"{c['rule']}-{i}" for i, c in enumerate(CASES)])
def test_rule_reports_exactly_the_marked_lines(tmp_path, case):
    text = _text(case)
    problems = lint(tmp_path, text, select=[case["rule"]])
    assert found(problems) == expected_marks(text), "\n".join(f"{p.location} {p.code} {p.message}" for p in problems)
    assert bool(expected_marks(text)) != bool(case.get("clean")), "mark findings, or say `clean: true`"


@pytest.mark.parametrize("case", CASES, ids=[f"{c['rule']}-{i}" for i, c in enumerate(CASES)])
def test_cases_trigger_no_other_rule_besides_their_own(tmp_path, case):
    """The cases are otherwise clean plans, so each finding above is the rule's own doing."""
    text = _text(case)
    others = [p for p in lint(tmp_path, text) if p.code != case["rule"]]
    # Structural side effects some cases need; DG409 (no 发文字号/成文日期) for the minimal whole plans.
    allowed = {"DG106", "DG105", "DG201", "DG301", "DG409"}
    assert all(p.code in allowed for p in others), [f"{p.location} {p.code} {p.message}" for p in others]


def test_every_lint_rule_has_a_case():
    covered = {c["rule"] for c in CASES}
    # need several files: test_parent.py, test_registry.py, tests/cascade/, tests/jobs/test_faults.py
    tested_elsewhere = {"DG102", "DG103", "DG203", "DG304", "DG501", "DG502", "DG503", "DG504", "DG506"}
    tested_elsewhere |= {r.code for r in bulletin.RULES}  # need a data file: tests/bulletin/
    lint_rules = {r.code for r in registry.ALL if r.stage == "lint"}
    assert lint_rules - covered - tested_elsewhere == set()


def test_messages_point_at_the_offending_character(tmp_path):
    text = plan_text("- 段落: 开展检查,整改隐患。")
    (problem,) = lint(tmp_path, text, select=["DG404"])
    line = text.split("\n")[problem.location.line - 1]
    assert line[problem.location.column - 1] == ","
    assert "，" in problem.message


def test_unknown_unit_suggests_the_registered_name(tmp_path):
    text = plan_text("""
        - 任务: 开展培训
          编号: T1
          责任单位: 市应急管理据
          完成时限: 2025年底前
    """)
    (problem,) = lint(tmp_path, text, select=["DG202"])
    assert "市应急管理局" in problem.message


def test_level_word_message_offers_the_own_word(tmp_path):
    street = """\
文种: 工作要点
标题: 青松街道2025年安全生产工作要点
发文机关: 松原市青松街道办事处
正文:
  - 段落: 全市各村（社区）要落实市安委会部署，按照《松原市全市行动方案》执行。  # !DG406
"""
    problems = lint(tmp_path, street, select=["DG406"])
    messages = " ".join(p.message for p in problems)
    assert len(problems) == 2 and "改为“全街道”" in messages and "改为“街道安委会”" in messages
