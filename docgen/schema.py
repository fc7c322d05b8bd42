"""Schema stage: validate a loaded source against its JSON Schema (draft 2020-12).

The tree is validated once as plain data. A compiled validator (fastjsonschema) answers "valid?"
quickly; only a file that fails it is walked by jsonschema, whose errors (all of them) each become
one `Problem` located on the offending node by its path, with a Chinese message (unknown key with
a suggestion, wrong type, missing key, bad value).
"""

from __future__ import annotations

import datetime as dt
import difflib
import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from typing import TYPE_CHECKING

import fastjsonschema

if TYPE_CHECKING:  # jsonschema is imported only to explain a file that fails (it is slow to import)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

from docgen import resources
from docgen.load import Kind, Source
from docgen.problems import Problem
from docgen.codes import syntax

_TYPE_NAMES = {
    "string": "文字",
    "array": "列表（每项一行，以“- ”开头）",
    "object": "“键: 值”映射",
    "number": "数字",
    "integer": "整数",
    "boolean": "true 或 false",
    "null": "空值",
}


@lru_cache(maxsize=None)
def validator(kind: Kind) -> "Draft202012Validator":
    from jsonschema import Draft202012Validator

    schema = json.loads(resources.schema_path(kind).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@lru_cache(maxsize=None)
def _fast(kind: Kind):
    """The schema compiled to Python code: True/False only, no explanation."""
    schema = json.loads(resources.schema_path(kind).read_text(encoding="utf-8"))
    return fastjsonschema.compile(schema, use_default=False, use_formats=False, detailed_exceptions=False)


def plain(node: Any) -> Any:
    """The tree as JSON data: string keys, dates as ISO strings."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    return node


def _type_of(value: Any) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, list):
        return "array"
    return "null"


def _field(path: Any) -> str:
    keys = [p for p in path if isinstance(p, str)]
    return f"“{keys[-1]}”" if keys else "文件顶层"


def _leaves(error: ValidationError) -> list[ValidationError]:
    """The errors that explain a failure best, descending through anyOf/oneOf.

    A branch whose type does not fit the value is discarded; if exactly one branch fits, its own
    errors are the explanation. If none fits, the anyOf itself is (reported as a wrong type).
    """
    if error.validator not in ("anyOf", "oneOf") or not error.context:
        return [error]
    branches: dict[int, list[ValidationError]] = {}
    for sub in error.context:
        branches.setdefault(sub.relative_schema_path[0], []).append(sub)
    here = list(error.absolute_path)
    fitting = [
        errs for errs in branches.values()
        if not any(e.validator == "type" and list(e.absolute_path) == here for e in errs)
    ]
    if not fitting:
        return [error]
    if len(fitting) == 1:
        return [leaf for sub in fitting[0] for leaf in _leaves(sub)]
    from jsonschema.exceptions import best_match

    return _leaves(best_match([e for errs in fitting for e in errs]))


def _allowed_forms(error: ValidationError) -> str:
    desc = error.schema.get("description") if isinstance(error.schema, dict) else None
    if desc:
        return desc
    types = []
    for branch in error.schema.get(error.validator, []):
        t = branch.get("type") or ("string" if branch.get("$ref", "").endswith("/text") else "array")
        types.append(_TYPE_NAMES.get(t if isinstance(t, str) else t[0], str(t)))
    return "应为" + "或".join(dict.fromkeys(types)) + "。"


def _problems(src: Source, error: ValidationError) -> Iterator[Problem]:
    for err in _leaves(error):
        yield from _problem(src, err)


def _problem(src: Source, err: ValidationError) -> Iterator[Problem]:
    path = list(err.absolute_path)
    where = _field(path)
    kind = err.validator
    if kind == "additionalProperties":
        allowed = list(err.schema.get("properties", {}))
        extras = [k for k in err.instance if k not in allowed]
        for key in extras:
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.3)
            hint = f"您是否想写“{close[0]}”？" if close else ""
            options = "、".join(allowed)
            yield syntax.UnknownKey.problem(
                f"不认识的键“{key}”。{hint}这里可用的键有：{options}。", src.locate(path + [key], on_key=True))
    elif kind == "required":
        missing = [k for k in err.validator_value if k not in err.instance]
        for key in missing:
            yield syntax.MissingKey.problem(
                f"{'这一项' if path else '文件'}缺少“{key}”。请补上“{key}: …”。", src.locate(path))
    elif kind == "type" or kind in ("anyOf", "oneOf"):
        got = _TYPE_NAMES[_type_of(err.instance)]
        if kind == "type":
            want = err.validator_value
            want_names = "或".join(_TYPE_NAMES[t] for t in ([want] if isinstance(want, str) else want))
            expected = f"应为{want_names}"
        else:
            expected = _allowed_forms(err)
        hint = ""
        if isinstance(err.instance, float) and path and path[-1] == "编号":
            hint = "编号含小数点时请加引号，例如“'1.1'”。"
        yield syntax.WrongType.problem(
            f"{where}的值类型不对：现在是{got}。{expected.rstrip('。')}。{hint}", src.locate(path))
    elif kind == "enum":
        options = "、".join(str(v) for v in err.validator_value)
        yield syntax.InvalidValue.problem(
            f"{where}不能是“{err.instance}”，只能是：{options}。", src.locate(path))
    elif kind == "pattern":
        advice = err.schema.get("x-message") or f"格式应符合 {err.validator_value}"
        yield syntax.InvalidValue.problem(f"{where}的值“{err.instance}”不对：{advice}", src.locate(path))
    elif kind == "minProperties" and err.schema.get("x-message"):
        yield syntax.InvalidValue.problem(f"{where}不能为空：{err.schema['x-message']}", src.locate(path))
    elif kind in ("minItems", "minLength"):
        yield syntax.InvalidValue.problem(f"{where}不能为空。请填写内容，或删除这个键。", src.locate(path))
    elif kind == "propertyNames":
        yield syntax.InvalidValue.problem(
            f"{where}的键“{err.instance}”不对：这里的键应为四位年份，例如“2025”。", src.locate(path))
    else:
        yield syntax.InvalidValue.problem(f"{where}的值不符合要求：{err.message}", src.locate(path))


def is_valid(kind: Kind, data: Any) -> bool:
    """Whether plain JSON `data` fits the schema of `kind` (the fast answer)."""
    try:
        _fast(kind)(data)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def validate(src: Source) -> list[Problem]:
    """All schema problems of `src`, in file order."""
    data = src.data  # plain JSON data already: string keys, dates as the loader's ISO strings
    if is_valid(src.kind, data):
        return []
    problems: list[Problem] = []
    for error in validator(src.kind).iter_errors(data):
        problems.extend(_problems(src, error))
    return sorted(set(problems), key=Problem.sort_key)
