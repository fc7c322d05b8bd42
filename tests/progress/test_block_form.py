"""The progress file read without libyaml (`docgen.load.parse_block_form`): for any text it either
declines (libyaml then reads it) or gives exactly libyaml's tree, values and positions alike."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from docgen import load
from docgen.load import Map, Seq, parse_block_form, parse_text
from docgen.progress.model import Entry, Progress, Stat, dump


def same_tree(a, b) -> bool:
    """Equal data, equal types, and equal positions of every mapping, key, value and item."""
    if type(a) is not type(b):
        return False
    if isinstance(a, Map):
        return (a.start == b.start and list(a) == list(b) and a.marks == b.marks
                and all(same_tree(a[k], b[k]) for k in a))
    if isinstance(a, Seq):
        return (a.start == b.start and a.marks == b.marks and len(a) == len(b)
                and all(same_tree(x, y) for x, y in zip(a, b)))
    return a == b


def libyaml(text: str):
    tree, _, problems = parse_text(text, "p.yaml")
    return tree, problems


# Words that read as text, numbers, dates, booleans, nulls, or that YAML reads otherwise (quotes,
# comments, colons, indicators, wide spaces, tabs): the reader must never read one differently.
WORDS = st.sampled_from(["已完成", "推进中", "按计划推进，已完成摸底排查。", "2025年6月1日", "T01"]) | st.sampled_from([
    "已完成", "推进中", "按计划推进，已完成摸底排查。", "2025年6月1日", "2025-06-01", "2025-02-30", "12", "12.5",
    "-3", "0x1F", "1_000", "1:30", "yes", "No", "~", "null", "true", "=", "<<", "T01", "市委党校", "a b",
    "a #b", "a# b", "a: b", "a:b", "'引号'", '"双引号"', "&锚", "*别名", "!标签", "|", ">", "- 项", "[列表]",
    "{映射}", "@x", "`x", "%x", "?x", ",x", "全角　空格", "尾空格 ", " 前空格", "制表\t符", "x\x07", "",
])
KEYS = st.sampled_from(["T01", "T02", "市委党校", "完成状态", "进展情况"]) | st.sampled_from(["方案", "截至", "进展", "T01", "T02", "市委党校", "完成状态", "进展情况", "2025", "本期",
                        "a b", "k:", "- k", "#k", "'k'", "<<", ""])


@st.composite
def documents(draw, depth: int = 0):
    """Lines of a block mapping (or sequence) as text, often valid, sometimes broken on purpose."""
    indent = " " * draw(st.sampled_from([0, 2, 2, 4]) if depth else st.just(0))
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        kind = draw(st.sampled_from(["scalar", "scalar", "map", "seq", "comment", "blank"]))
        key = draw(KEYS)
        if kind == "scalar":
            lines.append(f"{indent}{key}:{draw(st.sampled_from([' ', '  ', '', ' ']))}{draw(WORDS)}")
        elif kind == "map" and depth < 3:
            lines.append(f"{indent}{key}:")
            inner = draw(documents(depth + 1))
            lines += [indent + line if line.strip() else line for line in inner]
        elif kind == "seq":
            lines.append(f"{indent}{key}:")
            under = indent + draw(st.sampled_from(["", "  ", "    "]))
            lines += [f"{under}-{draw(st.sampled_from([' ', '  ', '']))}{draw(WORDS)}"
                      for _ in range(draw(st.integers(1, 3)))]
        elif kind == "comment":
            lines.append(f"{indent}# {draw(WORDS)}")
        else:
            lines.append(draw(st.sampled_from(["", "   "])))
    return lines


@settings(max_examples=300)
@given(documents(), st.sampled_from(["\n", "\r\n"]), st.booleans())
def test_the_block_form_reads_as_libyaml_or_declines(lines, newline, final):
    text = newline.join(lines) + (newline if final else "")
    fast = parse_block_form(text, "p.yaml")
    if fast is None:
        return
    tree, problems = libyaml(text)
    assert not problems, problems
    assert same_tree(fast, tree)


def test_what_dump_writes_is_read_in_the_block_form():
    progress = Progress("plans/city/three-year-plan.yaml", "清溪市安全生产治本攻坚三年行动实施方案", dt.date(2025, 6, 30), {
        "T01": {"市委党校": Entry("已完成", "已完成摸底排查。", dt.date(2025, 6, 1), "会议纪要", "无"),
                "东湖街道": Entry("未启动")},
        "T02": {"市应急管理局": Entry("推进中", "正在推进", None, due=dt.date(2025, 3, 31))},
    }, {"事故起数": Stat(4, 4), "罚款万元": Stat(12.5)}, ["集中开展明查暗访", "逐项约谈"])
    text = dump(progress, ["T01", "T02"], "../schemas/progress.schema.json")
    fast = parse_block_form(text, "p.yaml")
    assert fast is not None  # not declined: the whole file is read without libyaml
    tree, problems = libyaml(text)
    assert not problems and same_tree(fast, tree)
    assert fast["进展"]["T01"]["市委党校"]["完成日期"] == "2025年6月1日"
    assert fast["统计"]["罚款万元"]["本期"] == 12.5


def test_a_progress_file_with_an_error_is_reported_as_libyaml_finds_it(tmp_path):
    path = tmp_path / "p.yaml"
    path.write_text("方案: a.yaml\n截至: 2025年6月30日\n进展:\n  T01:\n    市委党校:\n      完成状态: 已完成\n"
                    "      完成状态: 未启动\n", encoding="utf-8")
    source, problems = load.load(path, "p.yaml", kind="progress")
    assert source is None and [(p.code, p.location.line, p.location.column) for p in problems] == [("DG004", 7, 7)]
