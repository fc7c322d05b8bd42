"""Schema findings are worded in Chinese for every validator keyword, never in jsonschema's English."""

from __future__ import annotations

import re

import pytest
from jsonschema import Draft202012Validator

from docgen import schema_messages
from docgen.load import load_text
from docgen.schema import validate

#: English words jsonschema would use ("is not of type", "Additional properties", "was expected"…).
ENGLISH = re.compile(r"\b(?!true\b|false\b)[A-Za-z]{3,}\b")

CASES = [
    ({"type": "object", "properties": {"a": {"type": "string"}}, "additionalProperties": False}, {"负责人": 1}),
    ({"type": "object", "properties": {"a": {"type": "string"}}, "unevaluatedProperties": False}, {"负责人": 1}),
    ({"type": "object", "required": ["标题"]}, {}),
    ({"type": "object", "dependentRequired": {"起": ["止"]}}, {"起": "2024年1月1日"}),
    ({"properties": {"目标值": {"type": "number"}}}, {"目标值": "很多"}),
    ({"properties": {"要求": {"enum": ["不少于", "不超过"]}}}, {"要求": "大于"}),
    ({"properties": {"文种": {"const": "通知"}}}, {"文种": "意见"}),
    ({"properties": {"编号": {"pattern": "^T"}}}, {"编号": "X1"}),
    ({"properties": {"主送": {"minItems": 1}}}, {"主送": []}),
    ({"properties": {"标题": {"maxLength": 3}}}, {"标题": "很长的标题"}),
    ({"properties": {"主送": {"maxItems": 1}}}, {"主送": ["甲", "乙"]}),
    ({"properties": {"本期": {"minimum": 0}}}, {"本期": -1}),
    ({"properties": {"比例": {"maximum": 100}}}, {"比例": 120}),
    ({"properties": {"比例": {"exclusiveMinimum": 0}}}, {"比例": 0}),
    ({"properties": {"份数": {"multipleOf": 2}}}, {"份数": 3}),
    ({"properties": {"成员": {"uniqueItems": True}}}, {"成员": ["甲", "甲"]}),
    ({"properties": {"分年度": {"propertyNames": {"pattern": "^\\d{4}$"}}}}, {"分年度": {"明年": 1}}),
    ({"properties": {"附注": {"not": {"const": ""}, "description": "附注，例如“此件公开发布”。"}}}, {"附注": ""}),
    ({"properties": {"附注": False}}, {"附注": "x"}),
    ({"properties": {"责任单位": {"anyOf": [{"type": "string"}, {"type": "array"}]}}}, {"责任单位": 3}),
]


@pytest.mark.parametrize("schema,instance", CASES, ids=[next(iter(s.get("properties", s))) if s.get("properties")
                                                        else next(k for k in s if k != "type") for s, _ in CASES])
def test_every_keyword_is_worded_in_chinese(schema, instance):
    errors = list(Draft202012Validator(schema).iter_errors(instance))
    assert errors
    for error in errors:
        wordings = list(schema_messages.describe(error))
        assert wordings, error.validator
        for w in wordings:
            assert re.search(r"[\u4e00-\u9fff]", w.message)
            assert not ENGLISH.search(w.message), (error.validator, w.message, error.message)
            assert w.rule.code.startswith("DG0")


def test_unknown_key_in_a_plan_is_chinese_with_a_suggestion(tmp_path):
    text = ("文种: 通知\n标题: 关于开展检查的通知\n发文机关: 某机关\n正文:\n"
            "  - 任务: 开展检查\n    编号: T01\n    负责人: 张三\n")
    source, problems = load_text(text, tmp_path / "plan.yaml", "plan.yaml")
    assert source is not None and not problems
    found = validate(source)
    unknown = [p for p in found if p.code == "DG005" or "负责人" in p.message]
    assert unknown, found
    message = unknown[0].message
    assert message.startswith("不认识的键“负责人”") and "责任单位" in message
    assert (unknown[0].location.line, unknown[0].location.column) == (7, 5)
    assert not any(ENGLISH.search(p.message) for p in found)
