"""Schema stage: messages and positions for unknown keys, wrong types, missing keys, bad values."""

from __future__ import annotations

import importlib
import json

import pytest
from conftest import ROOT, lint, plan_text
from jsonschema import Draft202012Validator

from docgen import compiled, resources, schema


def one(problems):
    assert len(problems) == 1, [f"{p.location} {p.code} {p.message}" for p in problems]
    return problems[0]


def test_unknown_key_suggests_the_right_one(tmp_path):
    text = plan_text("""
        - 任务: 开展培训
          编号: T1
          责任单位: 市应急管理局
          完成期限: 2025年底前
    """)
    p = one(lint(tmp_path, text, select=["DG0"]))
    assert (p.code, p.location.line, p.location.column) == ("DG010", 12, 5)
    assert "完成时限" in p.message


def test_wrong_type_names_both_types(tmp_path):
    p = one(lint(tmp_path, plan_text("- 段落: [一, 二]"), select=["DG0"]))
    assert p.code == "DG011" and "列表" in p.message and "文字" in p.message
    assert (p.location.line, p.location.column) == (9, 9)


def test_missing_key_points_at_the_nearest_existing_node(tmp_path):
    text = plan_text("""
        - 任务: 开展培训
          责任单位: 市应急管理局
          完成时限: 2025年底前
    """)
    p = one(lint(tmp_path, text, select=["DG0"]))
    assert (p.code, p.location.line, p.location.column) == ("DG012", 9, 5)
    assert "编号" in p.message


def test_enum_lists_the_choices(tmp_path):
    text = plan_text("- 段落: x").replace("文种: 工作要点", "文种: 工作计划")
    p = one(lint(tmp_path, text, select=["DG0"]))
    assert p.code == "DG013" and "工作要点" in p.message and p.location.line == 1


def test_responsibility_shapes(tmp_path):
    text = plan_text("""
        - 任务: 开展培训
          编号: T1
          责任单位: {主办: 市应急管理局}
          完成时限: 2025年底前
    """)
    problems = lint(tmp_path, text, select=["DG0"])
    assert {p.code for p in problems} == {"DG010"}  # 主办 unknown (配合 alone, without 牵头, is allowed)
    assert all("牵头" in p.message and "配合" in p.message for p in problems)
    text = plan_text("""
        - 任务: 开展培训
          编号: T1
          责任单位: 12
          完成时限: 2025年底前
    """)
    p = one(lint(tmp_path, text, select=["DG0"]))
    assert p.code == "DG011" and "牵头" in p.message  # explains the allowed forms


def test_all_schema_problems_of_a_file_in_one_run(tmp_path):
    text = "文种: 实施方案\n标题: 123\n标签: x\n正文: []\n"
    problems = lint(tmp_path, text, select=["DG0"])
    assert {p.code for p in problems} == {"DG010", "DG011", "DG012", "DG013"}


@pytest.mark.parametrize("name", ["plan", "registry"])
def test_schemas_are_valid_and_documented_in_chinese(name):
    schema = json.loads((ROOT / f"schemas/{name}.schema.json").read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    assert schema["$schema"].endswith("2020-12/schema")

    def props(node):
        if isinstance(node, dict):
            for key, value in node.get("properties", {}).items():
                yield key, value
            for value in node.values():
                yield from props(value)
        elif isinstance(node, list):
            for value in node:
                yield from props(value)

    for key, value in props(schema):
        described = value.get("title") or value.get("description") or "$ref" in value
        assert described, f"{name}: {key} has no Chinese title/description"


def test_example_files_name_their_schema():
    for path in sorted((ROOT / "plans").rglob("*.yaml")):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        assert first.startswith("# yaml-language-server: $schema="), path
        target = (path.parent / first.split("=", 1)[1]).resolve()
        assert target.is_file() and target.parent == ROOT / "schemas", path


def _documents():
    """Every YAML document of the project and the tests that loads, plus each with one value broken."""
    from docgen.load import load

    for path in sorted([*ROOT.glob("plans/**/*.yaml"), *ROOT.glob("tests/**/*.yaml")]):
        source, problems = load(path, path.name)
        if source is None:
            continue
        yield path.name, source.kind, source.data
        for key in list(source.data)[:6]:  # the same document with one top-level value of a wrong type
            broken = dict(source.data)
            broken[key] = 3 if isinstance(broken[key], str) else "x"
            yield f"{path.name}:{key}", source.kind, broken
        yield f"{path.name}:extra", source.kind, {**source.data, "多余的键": "x"}


@pytest.mark.parametrize("name, kind, data", list(_documents()), ids=lambda v: v if isinstance(v, str) else "")
def test_fast_validator_agrees_with_jsonschema(name, kind, data):
    """The compiled validator decides whether jsonschema is asked to explain: the two must agree."""
    from docgen import schema

    assert schema.is_valid(kind, data) == (not list(schema.validator(kind).iter_errors(data))), name


@pytest.mark.parametrize("kind", compiled.KINDS)
def test_compiled_validators_match_the_schema_files(kind):
    """The validators compiled ahead (`docgen.compiled`) are those of today's schema files:
    after editing a schema, run `python -m docgen.compiled`."""
    module = importlib.import_module(f"docgen.compiled.{kind}")
    text = resources.schema_path(kind).read_text(encoding="utf-8")
    assert module.SCHEMA_SHA256 == compiled.digest(text), "请运行 python -m docgen.compiled 重新生成"
    assert schema._fast(kind) is module.validate


def test_a_stale_compiled_validator_is_not_used(monkeypatch):
    module = importlib.import_module("docgen.compiled.plan")
    monkeypatch.setattr(module, "SCHEMA_SHA256", "0" * 64)
    schema._fast.cache_clear()
    try:
        assert schema._fast("plan") is not module.validate
        assert not schema.is_valid("plan", {"文种": 1})
    finally:
        schema._fast.cache_clear()


def test_the_plain_ifs_of_the_compiled_plan_validator_decide_as_fastjsonschema_does():
    """`compiled.without_raised_ifs` rewrites fastjsonschema's code (an `if` by key made a plain
    test): it accepts and refuses exactly what the code it rewrote does."""
    import fastjsonschema

    text = resources.schema_path("plan").read_text(encoding="utf-8")
    original = fastjsonschema.compile_to_code(json.loads(text), **compiled.OPTIONS)
    rewritten = compiled.without_raised_ifs(original)
    assert rewritten.count("\n") < original.count("\n") - 40 and "set(['任务']) - data.keys():" in rewritten

    def validator(code):
        space: dict = {}
        exec(compile(code, "<plan validator>", "exec"), space)
        entry = code[code.index("\ndef ") + 5: code.index("(", code.index("\ndef "))]
        return space[entry]

    def valid(validate, data) -> bool:
        try:
            validate(data)
        except fastjsonschema.JsonSchemaException:
            return False
        return True

    before, after = validator(original), validator(rewritten)
    blocks = [{"任务": "甲", "编号": "T1"}, {"任务": "甲"}, {"段落": "乙"}, {"标题": "丙", "内容": [{"段落": "丁"}]},
              {"标题": "丙", "内容": [{"任务": 3}]}, {"表格": "x"}, {"图表": {}}, {"如有": 1}, {"名单": []}, {"行": []},
              {}, {"段落": "乙", "任务": "甲"}, "段落", 7]
    plans = [data for _, kind, data in _documents() if kind == "plan"]
    plans += [{**plans[0], "正文": [block]} for block in blocks]
    assert len(plans) > 50
    decided = [valid(before, data) for data in plans]
    assert [valid(after, data) for data in plans] == decided
    assert True in decided and False in decided
