"""A new child plan's text is exactly what libyaml's emitter writes for its data, whether it is laid
out from the scalars libyaml already wrote (`yamltext._layout`) or dumped by libyaml whole."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from docgen.cascade import yamltext
from docgen.cascade.yamltext import dump_new


def libyaml(data) -> str:
    return yamltext._libyaml_dump(data)


@pytest.fixture(autouse=True)
def fresh_caches():
    """Each test learns its scalars itself (and leaves no cache behind for the next)."""
    yamltext._values.clear()
    yamltext._keys.clear()
    yield
    yamltext._values.clear()
    yamltext._keys.clear()


# texts a plan holds, and texts that YAML must quote or escape
TEXTS = [
    "", " ", "  两端有空格 ", "各村（社区）", "2024年底前", "清安委〔2024〕3号", "%", "-", "- 列表", "-1", "a: b", "a:b",
    "# 注释", "x #y", "null", "~", "yes", "No", "true", "on", "123", "2025", "0x1F", "1e3", "1.5", ".inf", "3.0",
    "'单引号'", '"双引号"', "[1, 2]", "{a: 1}", "&anchor", "*alias", "!tag", "|", ">", "@", "`", "?", "? 问", ":", "：",
    "tab\tin", "\u00a0不换行空格", "\x07bell", "\ufeffbom", "\U0001f600", "全角　空格", "a" * 200, "很长的句子" * 40,
    "两行\n文字", "结尾换行\n", "\n开头换行", "a\rb", "NEL\x85x", "LS\u2028x", "PS\u2029x", "\\反斜杠", "\x00",
]
KEYS = ["任务", "编号", "2025", "12", "007", "null", "a: b", "- x", "", " ", "长键" * 70, "两行\n键", "#"]

scalars = st.one_of(
    st.sampled_from(TEXTS), st.text(max_size=12), st.integers(-10**20, 10**20),
    st.floats(allow_nan=False), st.booleans(), st.none())
keys = st.one_of(st.sampled_from(KEYS), st.text(max_size=6), st.integers(0, 3000))
trees = st.recursive(
    scalars,
    lambda children: st.one_of(st.lists(children, max_size=4), st.dictionaries(keys, children, max_size=4)),
    max_leaves=30)


@settings(max_examples=150, deadline=None)
@given(st.dictionaries(keys, trees, max_size=6))
def test_any_tree_is_written_as_libyaml_writes_it(data):
    want = libyaml(data)
    assert dump_new(data) == want
    assert dump_new(data) == want  # and again, from the scalars learnt


@settings(max_examples=40, deadline=None)
@given(st.lists(st.dictionaries(keys, trees, min_size=1, max_size=4), min_size=2, max_size=5))
def test_siblings_share_what_was_learnt(documents):
    """One document's scalars learnt never change how the next one is written."""
    for data in documents:
        assert dump_new(data, "头注") == "# 头注\n" + libyaml(data)


def test_a_child_plan_is_laid_out_without_libyaml_once_its_scalars_are_known(monkeypatch):
    data = {
        "文种": "实施方案", "标题": "东湖街道安全生产治本攻坚三年行动实施方案", "主送": ["各村（社区）"],
        "实施期限": {"起": "2024年1月1日", "止": "2026年12月31日"},
        "正文": [{"段落": "为深入贯彻落实……"}, {"标题": "主要任务", "内容": [
            {"任务": "充实基层安全监管力量", "编号": "T03", "责任单位": {"牵头": ["组织办", "安办"], "配合": "各村（社区）"},
             "指标": [{"名称": "监管人员", "目标值": 12, "单位": "%", "分年度": {"2024": 4, "2025": 8.5}}]},
            {"任务": "空的", "分项": [], "附件": {}, "备注": None, "重点": True}]}],
    }
    want = libyaml(data)
    assert "  - 任务: 充实基层安全监管力量\n" in want and "      2024: 4\n" in want  # the layout it must match
    assert dump_new(data) == want
    calls = []
    monkeypatch.setattr(yamltext, "_libyaml_dump", lambda d: calls.append(d) or libyaml(d))
    assert dump_new(data) == want
    assert calls == []


@pytest.mark.parametrize("data", [
    {"段落": "两行\n文字"},  # a scalar written over several lines
    {"段落": ["行分隔\u2028符"]},
    {"长键" * 70: 1},  # a key libyaml writes as `? key`
    {"年份": {2025.0: 1}},  # a key that is not a string or whole number
    {"段落": "长" * (yamltext._LONGEST + 1)},
])
def test_what_the_layout_leaves_is_dumped_by_libyaml_whole(data):
    assert yamltext._layout(data) is None
    assert dump_new(data) == libyaml(data)
