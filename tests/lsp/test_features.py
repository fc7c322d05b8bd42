"""The language server's answers without the protocol: where the cursor is, what to offer, what to skip."""

from __future__ import annotations

from pathlib import Path

from docgen.lsp import features

ROOT = Path(__file__).resolve().parents[2]

TASK = """\
正文:
  - 任务: 开展检查
    编号: T01
    责任单位:
      牵头: 市应
      配合:
        - 市公安局
        - 
    完成时限:
      - {时限: 2025年, 内容: 摸底}
    内容: 市应急
"""


def _at(text: str, line: int) -> tuple[list[str], int, int]:
    lines = text.splitlines()
    return lines, line, len(lines[line])


def test_key_at_the_cursor():
    assert features.key_at(*_at(TASK, 4)) == "牵头"      # 牵头: 市应|
    assert features.key_at(*_at(TASK, 7)) == "配合"      # a new list item under 配合
    assert features.key_at(*_at(TASK, 6)) == "配合"      # an item typed under 配合
    assert features.key_at(["- {时限: 2025年"], 0, len("- {时限: 2025年")) == "时限"
    assert features.key_at(["配合: [市公安局, 市"], 0, len("配合: [市公安局, 市")) == "配合"
    assert features.key_at(*_at(TASK, 10)) == "内容"     # not a unit key: nothing offered
    assert features.complete(TASK, 10, len(TASK.splitlines()[10]), None) == []


def test_other_yaml_files_are_left_alone(tmp_path: Path):
    workflow = ROOT / ".github/workflows/plans.yml"
    checked = features.check_text(workflow, workflow.read_text(encoding="utf-8"))
    assert checked.findings == [] and checked.ctx is None


def test_deadline_phrases_follow_the_period():
    text = "文种: 工作要点\n实施期限: {起: 2025年1月1日, 止: 2026年12月31日}\n"
    labels = [c.label for c in features.deadline_phrases(text)]
    assert labels[:2] == ["2025年底前", "2025年3月底前"]
    assert "2026年第四季度" in labels and "2024年底前" not in labels and "2027年底前" not in labels
    assert labels[-3:] == ["长期坚持", "持续推进", "常态化"]


def _project(tmp_path: Path, *pairs) -> tuple[Path, str]:
    import shutil

    shutil.copytree(ROOT / "plans", tmp_path / "plans")
    shutil.copy(ROOT / "pyproject.toml", tmp_path / "pyproject.toml")
    plan = tmp_path / "plans" / "beishan" / "work-points-2025.yaml"
    text = plan.read_text(encoding="utf-8")
    for old, new in pairs:
        assert old in text
        text = text.replace(old, new, 1)
    return plan, text


def test_hover_on_a_misspelt_unit_shows_the_finding_not_a_near_name(tmp_path: Path):
    # “派出所所” contains the registered “派出所”: the card of 派出所 would hide what is wrong.
    plan, text = _project(tmp_path, ("配合: 派出所}", "配合: 派出所所}"))
    checked = features.check_text(plan, text)
    line = next(i for i, row in enumerate(text.splitlines()) if "派出所所" in row)
    character = text.splitlines()[line].index("派出所所") + 1
    shown = features.hover(text, line, character, checked)
    assert shown.startswith("**DG202 unknown-unit**") and "“派出所所”" in shown
    assert "（北山镇的单位）" not in shown


def test_hover_on_a_registered_unit_still_shows_its_card(tmp_path: Path):
    plan, text = _project(tmp_path)
    checked = features.check_text(plan, text)
    line = next(i for i, row in enumerate(text.splitlines()) if "配合: 派出所}" in row)
    character = text.splitlines()[line].index("派出所") + 1
    assert features.hover(text, line, character, checked).startswith("**派出所**（北山镇的单位）")


def test_quick_fixes_are_the_check_fixes(tmp_path: Path):
    plan, text = _project(tmp_path, ("〔2025〕", "[2025]"), ("{牵头: 安办,", "{牵头: 安办 ,"))
    checked = features.check_text(plan, text)
    lines = text.splitlines()
    number_line = next(i for i, row in enumerate(lines) if row.startswith("发文字号:"))
    [fix] = features.quick_fixes(checked, number_line, number_line)
    assert fix.title.startswith("改为“") and fix.title.endswith("（DG401）")
    assert lines[fix.line][fix.start:fix.end] == fix.finding.problem.fix.old
    assert fix.new.endswith("〔2025〕1号")
    assert features.quick_fixes(checked, 0, 0) == []
