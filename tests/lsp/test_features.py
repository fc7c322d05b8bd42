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
