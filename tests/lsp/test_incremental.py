"""Incremental checks: after an edit, the findings equal a full `docgen check` of the same text.

Every test compares `Incremental.check` (what the language server's checker runs) with
`features.check_text` (the full check `docgen check` does) on the same text, finding by finding:
code, message, severity, line and column, end and fix.
"""

from __future__ import annotations

import random
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from docgen.checked import SourceCache
from docgen.codes.syntax import UnknownKey
from docgen.lsp import features
from docgen.lsp.incremental import Incremental, _changed

ROOT = Path(__file__).resolve().parents[2]
#: Plans of the examples with many tasks: a parent plan, a child plan naming it in 上级方案, 工作要点.
PLANS = ("plans/city/three-year-plan.yaml", "plans/donghu/three-year-plan.yaml", "plans/city/work-points-2025.yaml",
         "plans/beishan/work-points-2025.yaml")


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("incremental")
    shutil.copytree(ROOT / "plans", root / "plans")
    shutil.copy(ROOT / "pyproject.toml", root / "pyproject.toml")
    return root


def full(path: Path, text: str) -> list[features.Finding]:
    return features.check_text(path, text, SourceCache()).findings


def lines_with(text: str, needle: str) -> list[int]:
    return [i for i, line in enumerate(text.split("\n")) if needle in line]


def edited(text: str, line: int, new: list[str]) -> str:
    """`text` with line `line` replaced by the lines `new` (none: deleted)."""
    lines = text.split("\n")
    lines[line:line + 1] = new
    return "\n".join(lines)


def test_an_edit_inside_a_task_is_checked_incrementally_with_the_full_checks_findings(project: Path) -> None:
    path = project / "plans/donghu/three-year-plan.yaml"
    text = path.read_text(encoding="utf-8")
    checks = Incremental()
    assert checks.check(path, text).findings == full(path, text)
    assert checks.last == "full"
    task = lines_with(text, "  编号: ")[10]  # the 编号 line of the 11th task
    indent = " " * (len(text.split("\n")[task]) - len(text.split("\n")[task].lstrip()))
    edits = [
        edited(text, task, [text.split("\n")[task], f"{indent}备注: 新增的备注,写了半角逗号"]),  # a line more: DG404
        edited(text, task, [f"{indent}编号: {text.split(chr(10))[lines_with(text, '  编号: ')[0]].split(': ')[1]}"]),  # DG101
        edited(text, task, [text.split("\n")[task], f"{indent}完成时限: 2031年底前"]),  # DG303, outside 实施期限
        edited(text, task, [text.split("\n")[task], f"{indent}未知的键: 1"]),  # DG010 from the schema stage
    ]
    for new in edits:
        got = checks.check(path, new).findings
        assert checks.last == "incremental"
        assert got == full(path, new)
        assert got  # each edit made a finding
    assert {f.problem.code for f in got} == {UnknownKey.code}


def test_findings_below_an_edit_move_with_the_lines_added_or_removed_above(project: Path) -> None:
    path = project / "plans/city/three-year-plan.yaml"
    text = path.read_text(encoding="utf-8")
    ids = lines_with(text, "  编号: ")
    last = text.split("\n")[ids[-1]]
    indent = last[: len(last) - len(last.lstrip())]
    # a finding in the last task: a half-width comma
    text = edited(text, ids[-1], [last, f"{indent}备注: 见附件,按期报送"])
    checks = Incremental()
    before = checks.check(path, text).findings
    [finding] = [f for f in before if f.problem.code == "DG404"]
    first = text.split("\n")[ids[0]]
    added = edited(text, ids[0], [first, f"{indent}备注: 第一行", f"{indent}分项:", f"{indent}- 第二行"])
    after = checks.check(path, added).findings
    assert checks.last == "incremental"
    assert after == full(path, added)
    [moved] = [f for f in after if f.problem.code == "DG404"]
    assert (moved.line, moved.start, moved.problem.location.line) == \
        (finding.line + 3, finding.start, finding.problem.location.line + 3)
    removed = edited(added, ids[0] + 1, [])
    assert checks.check(path, removed).findings == full(path, removed)
    assert checks.last == "incremental"


def test_what_cannot_be_localised_is_checked_in_full(project: Path) -> None:
    path = project / "plans/city/work-points-2025.yaml"
    text = path.read_text(encoding="utf-8")
    checks = Incremental()
    checks.check(path, text)
    header = edited(text, 1, [text.split("\n")[1] + ","])  # the 标题
    assert checks.check(path, header).findings == full(path, header)
    assert checks.last == "full"
    task = lines_with(header, "- 任务: ")[3]
    line = header.split("\n")[task]
    new_task = edited(header, task, [line.replace("任务: ", "任务: 新任务,", 1) , "  " * 0 + line.split("- ")[0]
                                     + "  编号: NEW1", line])  # a task added before another
    assert checks.check(path, new_task).findings == full(path, new_task)
    assert checks.last == "full"
    suppressed = edited(new_task, task, [new_task.split("\n")[task] + "  # docgen: disable=DG404"])
    assert checks.check(path, suppressed).findings == full(path, suppressed)
    assert checks.last == "full"


def test_a_registry_saved_under_an_unchanged_text_is_read_again(project: Path, tmp_path: Path) -> None:
    shutil.copytree(project / "plans", tmp_path / "plans")
    shutil.copy(project / "pyproject.toml", tmp_path / "pyproject.toml")
    path = tmp_path / "plans/city/work-points-2025.yaml"
    text = path.read_text(encoding="utf-8")
    checks = Incremental()
    assert not any(f.problem.code == "DG202" for f in checks.check(path, text).findings)
    checks.check(path, text)
    assert checks.last == "same"
    registry = tmp_path / "plans/registry/qingxi.yaml"
    unit = "市应急管理局"
    assert unit in registry.read_text(encoding="utf-8") and unit in text
    registry.write_text(registry.read_text(encoding="utf-8").replace(unit, "市应急管理总局"), encoding="utf-8")
    got = checks.check(path, text).findings
    assert checks.last == "full"
    assert any(f.problem.code == "DG202" for f in got)


# -- many edits, compared with the full check ---------------------------------------------------------

#: What a drafter types in a value: text with findings in it (half-width punctuation, hand numbering,
#: deadlines outside the period or unreadable, units not in the registry, other levels' words, control
#: characters) or without.
TEXT = ("，", ",", "；", ";", "1、", "（一）", "一、", "2025年底前", "2031年6月底前", "9月底前", "每月", "长期坚持",
        "市应急管理局", "市应急管理", "东湖街道", "全市", "全区", " ", "  ", "T0000001", "\u3000", "2024-13-01", "加强",
        "x", "100%", "\u0007", "=1+2", "（标题未识别）", "年", "第三季度")
#: What breaks YAML or the schema, or changes the structure.
SYNTAX = (":", ": ", '"', "'", "#", "# 注释", "- ", "[", "]", "{", "}", "|", "|+", ">", "&a ", "*a", "!!int ", "\t",
          "上级任务: ", "牵头: ")
FRAGMENTS = TEXT + SYNTAX
KEYS = ("备注", "内容", "责任单位", "完成时限", "任务", "编号", "序号", "上级任务", "未知键", "分项", "指标", "附件")


def task_lines(lines: list[str]) -> list[int]:
    """The lines of the tasks (from a ``- 任务:`` line to the next line indented no deeper than its ``-``)."""
    out, dash = [], None
    for i, line in enumerate(lines):
        indent = len(line) - len(line.lstrip(" "))
        if line.lstrip().startswith("- 任务:"):
            dash = indent
        elif dash is not None and line.strip() and indent <= dash:
            dash = None
        if dash is not None:
            out.append(i)
    return out


@st.composite
def edit(draw, text: str) -> str:
    """One edit as a drafter makes it, mostly inside a task: characters typed or deleted, a line added,
    removed, repeated or split, a value replaced (many leave YAML or the schema broken)."""
    lines = text.split("\n")
    inside = task_lines(lines)
    if inside and draw(st.integers(0, 4)):
        i = draw(st.sampled_from(inside))
    else:
        i = draw(st.integers(0, len(lines) - 1))
    line = lines[i]
    indent = " " * (len(line) - len(line.lstrip(" ")))
    op = draw(st.sampled_from(("type", "type", "type", "delete", "newline", "dropline", "dupline", "split", "value")))
    if op == "type":
        at = draw(st.integers(0, len(line)))
        typed = draw(st.sampled_from(SYNTAX)) if not draw(st.integers(0, 4)) else draw(st.sampled_from(TEXT))
        new = [line[:at] + typed + line[at:]]
    elif op == "delete":
        a = draw(st.integers(0, len(line)))
        b = draw(st.integers(a, min(len(line), a + 6)))
        new = [line[:a] + line[b:]]
    elif op == "newline":
        extra = draw(st.sampled_from(("", "  ", "- ", "  - ")))
        key = draw(st.sampled_from(KEYS))
        value = draw(st.sampled_from(FRAGMENTS + ("", "见附件1", "市应急管理局", "2026年底前", "3")))
        new = [line, f"{indent}{extra}{key}: {value}"] if draw(st.booleans()) else [f"{indent}{extra}{key}: {value}", line]
    elif op == "dropline":
        new = []
    elif op == "dupline":
        new = [line, line]
    elif op == "split":
        at = draw(st.integers(0, len(line)))
        new = [line[:at], indent + "  " + line[at:]]
    else:
        head, sep, _ = line.partition(": ")
        new = [head + ": " + draw(st.sampled_from(TEXT + ("2026年底前", "市应急管理局", "T0000002", "[市应急管理局, 全区]")))] \
            if sep else [line]
    lines[i:i + 1] = new
    return "\n".join(lines)


@given(st.text("ab\n", max_size=12), st.text("ab\n", max_size=12))
def test_the_changed_lines_are_whole_lines_around_which_both_texts_are_the_same(old: str, new: str) -> None:
    first, stop_old, stop_new = _changed(old, new)
    a, b = old.split("\n"), new.split("\n")
    assert a[:first] == b[:first] and a[stop_old:] == b[stop_new:]
    assert first <= stop_old <= len(a) and first <= stop_new <= len(b)
    if old != new:
        assert a[first:stop_old] != b[first:stop_new]


@st.composite
def session(draw) -> tuple[str, list[str]]:
    name = draw(st.sampled_from(PLANS))
    text = (ROOT / name).read_text(encoding="utf-8")
    texts = []
    for _ in range(draw(st.integers(1, 4))):
        text = draw(edit(text))
        texts.append(text)
    return name, texts


def _compare(project: Path, name: str, texts: list[str], tally: dict[str, int]) -> None:
    path = project / name
    checks = Incremental()
    checks.check(path, path.read_text(encoding="utf-8"))
    for text in texts:
        got = checks.check(path, text).findings
        tally[checks.last] = tally.get(checks.last, 0) + 1
        want = full(path, text)
        assert got == want, (checks.last, [f for f in got if f not in want], [f for f in want if f not in got])


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(session())
def test_edits_give_the_full_checks_findings(project: Path, case) -> None:
    name, texts = case
    _compare(project, name, texts, {})


def test_edits_typed_inside_tasks_are_checked_incrementally(project: Path) -> None:
    """The comparison above is not vacuous: edits typed inside tasks are checked incrementally (with the
    full check's findings) and edits elsewhere fall back to the full check. The edits here come from a
    seeded generator of their own: hypothesis's draws above depend on the tests run before them in the
    same process (14 incremental checks after tests/format and tests/ingest, 50 alone)."""
    rng = random.Random(20261208)
    tally: dict[str, int] = {}
    for _ in range(40):
        name = rng.choice(PLANS)
        text = (ROOT / name).read_text(encoding="utf-8")
        texts = []
        for _ in range(rng.randint(1, 3)):
            lines = text.split("\n")
            if rng.random() < 0.75:  # typing inside a task's text
                i = rng.choice([j for j in task_lines(lines) if "内容:" in lines[j]] or task_lines(lines))
                lines[i] += rng.choice(("加强", "，逐项落实", "全市", "2026年底前", "x", "100%"))
            else:  # an edit above the first task (the title, the header)
                i = rng.randrange(0, 6)
                lines[i] += rng.choice(("x", "（修订）"))
            text = "\n".join(lines)
            texts.append(text)
        _compare(project, name, texts, tally)
    assert tally.get("incremental", 0) >= 30 and tally.get("full", 0) >= 5, sorted(tally.items())


@pytest.mark.slow
@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(session())
def test_many_more_edits_give_the_full_checks_findings(project: Path, case) -> None:
    name, texts = case
    _compare(project, name, texts, {})
