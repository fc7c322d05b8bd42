"""The building blocks: pairing, the kept order, character-level differences, the plan outline."""

from __future__ import annotations

import pytest
from conftest import ROOT

from docgen.config import Settings
from docgen.diff import inline, match
from docgen.diff.outline import outline
from docgen.diff.sources import load_files


@pytest.mark.parametrize("values, kept", [
    ([], set()),
    ([0, 1, 2, 3], {0, 1, 2, 3}),
    ([3, 0, 1, 2], {1, 2, 3}),            # the first moved to the end: only it moved
    ([1, 2, 3, 0], {0, 1, 2}),            # the last moved to the front
    ([0, 4, 1, 2, 3], {0, 2, 3, 4}),      # one moved down
    ([1, 0], {1}),                         # a swap: one of the two moved, deterministically
])
def test_kept_order(values, kept):
    assert match.kept_order(values) == kept


def test_pair_by_key_then_by_score():
    old, new = ["a1", "b1", "c1"], ["b1", "x1", "a1", "c2"]
    pairs = match.pair(old, new, key=lambda s: s, score=lambda i, j: float(old[i][0] == new[j][0]), threshold=0.5)
    assert pairs == [(0, 2), (1, 0), (2, 3)]  # c1 ~ c2 by score; x1 is new


def test_align_and_anchor():
    same, reworded = match.align(["甲", "乙乙乙", "丙"], ["甲", "乙乙丁", "戊", "丙"], lambda a, b: a[0] == b[0])
    assert (same, reworded) == ([(0, 0), (2, 3)], [(1, 1)])
    assert match.anchor(same, 1) == 0.5 and match.anchor([], 0) == -0.5


@pytest.mark.parametrize("old, new, segments", [
    ("建立数据库", "建立信息库", [("=", "建立"), ("-", "数据"), ("+", "信息"), ("=", "库")]),
    ("2025年底前", "2025年6月底前", [("=", "2025年"), ("+", "6月"), ("=", "底前")]),
    ("甲乙丙", "甲乙丙", [("=", "甲乙丙")]),
    ("", "新增", [("+", "新增")]),
    # a one-character island between two edits is folded in: one replacement, not a comb
    ("全市重点企业", "全区一般企业", [("=", "全"), ("-", "市重点"), ("+", "区一般"), ("=", "企业")]),
])
def test_char_diff(old, new, segments):
    assert inline.char_diff(old, new) == segments
    assert "".join(t for op, t in segments if op != "+") == old
    assert "".join(t for op, t in segments if op != "-") == new


def test_describe_and_compact():
    segments = inline.char_diff("建立全市重大事故隐患数据库", "建立全市统一的重大事故隐患信息库")
    assert inline.describe(segments) == "增加“统一的”；将“数据”改为“信息”"
    assert inline.describe(inline.char_diff("甲" * 10, "乙" * 50)) is None  # too much to describe
    long = [("=", "一" * 40), ("-", "二"), ("=", "三" * 40)]
    assert inline.compact(long, context=5) == [("=", "……一一一一一"), ("-", "二"), ("=", "三三三三三……")]
    assert inline.similarity("", "") == 1.0 and inline.similarity("甲乙", "丙丁") == 0.0


def test_outline_names_tasks_by_id_and_keeps_every_value(tmp_path):
    path = ROOT / "plans/city/three-year-plan.yaml"
    plan = load_files([path], ROOT, Settings(root=ROOT))[path]
    lines = outline(plan).splitlines()
    assert lines[:3] == ["文种：实施方案", "发文机关：清溪市安全生产委员会", "发文字号：清安委〔2024〕3号"]
    assert "  【开展企业主体责任落实行动】" in lines
    assert "    责任单位：负有安全生产监督管理职责的部门（牵头），其他负有安全生产管理责任的行业领域主管部门（配合）" in lines
    t23 = lines.index("    任务T23：加强专业应急救援队伍建设。依托消防救援队伍和重点企业组建危险化学品、建筑坍塌等专业救援力量，补齐关键救援装备，健全跨部门联合调度机制。")
    assert lines[t23 + 1:t23 + 3] == ["      责任单位：市消防救援支队、市应急管理局（牵头），市财政局（配合）", "      完成时限：2025年底前"]
    assert "  1｜国省道公路安全生命防护工程｜对临水临崖、急弯陡坡路段增设护栏和警示标志共计35公里｜市交通运输局｜2025年底前" in lines
    assert not any(line.lstrip().startswith(("1.", "（一）", "一、")) for line in lines)  # no display numbers


def test_textconv_command(run, tmp_path):
    plan = run("textconv", ROOT / "plans/city/work-points-2025.yaml")
    assert plan.exit_code == 0 and plan.stdout.startswith("文种：工作要点\n")
    other = tmp_path / "notes.yaml"
    other.write_text("组织: 不是方案\n", encoding="utf-8")
    assert run("textconv", other).stdout == "组织: 不是方案\n"  # anything else passes through
    fake = tmp_path / "fake.docx"
    fake.write_bytes(b"PK\x03\x04 not really a zip")
    bad = run("textconv", fake)
    assert bad.exit_code == 2 and "不是可以读取的 Word 文件" in bad.stderr
