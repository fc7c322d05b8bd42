"""Every key of every schema carries a Chinese title and description (editors show them), and
every example value given in a schema is valid against that key's own schema."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

SCHEMAS = sorted((Path(__file__).resolve().parent.parent / "schemas").glob("*.schema.json"))
CHINESE = re.compile(r"[\u4e00-\u9fff]")


def properties(node, trail=()):
    """(path, key, schema) of every property declared anywhere in a schema."""
    if isinstance(node, dict):
        for key, prop in (node.get("properties") or {}).items():
            yield "/".join((*trail, "properties", key)), key, prop
        for key, value in node.items():
            yield from properties(value, (*trail, key))
    elif isinstance(node, list):
        for i, value in enumerate(node):
            yield from properties(value, (*trail, str(i)))


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_every_key_has_a_chinese_title_and_description(path: Path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    found = list(properties(schema))
    assert len(found) > 10
    missing = [where for where, _, prop in found
               if not CHINESE.search(prop.get("description", "")) or not CHINESE.search(prop.get("title", ""))]
    assert not missing, f"{path.name}: 没有中文标题或说明的键：{missing}"


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_examples_are_valid_values(path: Path):
    schema = json.loads(path.read_text(encoding="utf-8"))
    checked = 0
    for where, key, prop in properties(schema):
        sub = {**prop, "$defs": schema.get("$defs", {})}
        for example in prop.get("examples", []):
            errors = [e.message for e in Draft202012Validator(sub).iter_errors(example)]
            assert not errors, f"{path.name} {where} 的示例 {example!r} 无效：{errors}"
            checked += 1
    assert checked >= 10


def test_the_keys_named_in_the_issue_are_described():
    plan = json.loads((SCHEMAS[0].parent / "plan.schema.json").read_text(encoding="utf-8"))
    task = plan["$defs"]["task"]["properties"]
    for key in ("内容", "指标", "备注"):
        assert CHINESE.search(task[key]["description"]), key
        assert task[key]["examples"], key


def nodes(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from nodes(value)
    elif isinstance(node, list):
        for value in node:
            yield from nodes(value)


@pytest.mark.parametrize("path", SCHEMAS, ids=lambda p: p.name)
def test_editor_messages_in_chinese(path: Path):
    """yaml-language-server shows `errorMessage` instead of “Property X is not allowed.” / “Incorrect type.”
    and `patternErrorMessage` instead of “String does not match the pattern of …”."""
    schema = json.loads(path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    closed = [n for n in nodes(schema) if n.get("additionalProperties") is False and "properties" in n]
    assert closed
    for node in closed:
        assert CHINESE.search(node.get("errorMessage", "")), node.get("title")
        assert all(key in node["errorMessage"] for key in node["properties"])
    for node in nodes(schema):
        if isinstance(node.get("pattern"), str) and node is not schema:
            assert CHINESE.search(node.get("patternErrorMessage", "")), node
