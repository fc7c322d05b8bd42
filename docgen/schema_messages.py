"""The wording of schema findings: each jsonschema error told in Chinese, never in jsonschema's English.

`describe(error)` says what is wrong with one (leaf) validation error and how to fix it; the schema
stage (`docgen.schema`) locates it in the file. Every validator keyword the schemas use has its
own sentence, and any other keyword still gets a Chinese sentence built from the schema's own
description, so no "is not of type" or "Additional properties are not allowed" reaches a drafter.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # jsonschema is imported only when a file fails its schema (it is slow to import)
    from jsonschema.exceptions import ValidationError

from docgen.codes import syntax
from docgen.codes.base import Code

TYPE_NAMES = {
    "string": "文字",
    "array": "列表（每项一行，以“- ”开头）",
    "object": "“键: 值”映射",
    "number": "数字",
    "integer": "整数",
    "boolean": "true 或 false",
    "null": "空值",
}


@dataclass(frozen=True)
class Wording:
    """One finding: its code, the Chinese message, and where (a path in the data; on the key or its value)."""

    rule: type[Code]
    message: str
    path: tuple[str | int, ...]
    on_key: bool = False


def type_of(value: Any) -> str:
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


def field_name(path: list) -> str:
    keys = [p for p in path if isinstance(p, str)]
    return f"“{keys[-1]}”" if keys else "文件顶层"


def _type_names(value: Any) -> str:
    types = [value] if isinstance(value, str) else list(value)
    return "或".join(dict.fromkeys(TYPE_NAMES.get(t, t) for t in types))


def allowed_forms(error: ValidationError) -> str:
    """What an anyOf/oneOf accepts: the schema's own description, else the types of its branches."""
    desc = error.schema.get("description") if isinstance(error.schema, dict) else None
    if desc:
        return desc
    types = []
    for branch in error.schema.get(error.validator, []):
        t = branch.get("type") or ("string" if branch.get("$ref", "").endswith("/text") else "array")
        types.append(TYPE_NAMES.get(t if isinstance(t, str) else t[0], str(t)))
    return "应为" + "或".join(dict.fromkeys(types)) + "。"


def _about(error: ValidationError) -> str:
    """The key's own description from the schema, as advice (empty when there is none)."""
    schema = error.schema if isinstance(error.schema, dict) else {}
    desc = schema.get("x-message") or schema.get("description")
    return f"{desc}" if desc else ""


def _number(value: Any) -> str:
    return str(int(value)) if isinstance(value, float) and value.is_integer() else str(value)


def describe(err: ValidationError) -> Iterator[Wording]:
    """The findings for one leaf error (several for several unknown or missing keys)."""
    path = list(err.absolute_path)
    where = field_name(path)
    kind = err.validator
    here = tuple(path)
    if kind in ("additionalProperties", "unevaluatedProperties"):
        allowed = list(err.schema.get("properties", {}))
        extras = [k for k in err.instance if k not in allowed] if isinstance(err.instance, dict) else []
        for key in extras:
            close = difflib.get_close_matches(str(key), allowed, n=1, cutoff=0.3)
            hint = f"您是否想写“{close[0]}”？" if close else ""
            options = "、".join(allowed)
            yield Wording(syntax.UnknownKey, f"不认识的键“{key}”。{hint}这里可用的键有：{options}。",
                          (*here, key), on_key=True)
    elif kind == "required":
        missing = [k for k in err.validator_value if k not in err.instance]
        for key in missing:
            yield Wording(syntax.MissingKey, f"{'这一项' if path else '文件'}缺少“{key}”。请补上“{key}: …”。", here)
    elif kind == "dependentRequired":
        for key, needs in err.validator_value.items():
            if key in err.instance:
                for need in needs:
                    if need not in err.instance:
                        yield Wording(syntax.MissingKey, f"写了“{key}”时还要写“{need}”。请补上“{need}: …”。", here)
    elif kind in ("type", "anyOf", "oneOf"):
        got = TYPE_NAMES[type_of(err.instance)]
        expected = f"应为{_type_names(err.validator_value)}" if kind == "type" else allowed_forms(err)
        hint = ""
        if isinstance(err.instance, float) and path and path[-1] == "编号":
            hint = "编号含小数点时请加引号，例如“'1.1'”。"
        yield Wording(syntax.WrongType, f"{where}的值类型不对：现在是{got}。{expected.rstrip('。')}。{hint}", here)
    elif kind == "enum":
        options = "、".join(str(v) for v in err.validator_value)
        yield Wording(syntax.InvalidValue, f"{where}不能是“{err.instance}”，只能是：{options}。", here)
    elif kind == "const":
        yield Wording(syntax.InvalidValue, f"{where}只能是“{err.validator_value}”，现在是“{err.instance}”。", here)
    elif kind == "pattern":
        advice = err.schema.get("x-message") or f"格式应符合 {err.validator_value}"
        yield Wording(syntax.InvalidValue, f"{where}的值“{err.instance}”不对：{advice}", here)
    elif kind == "minProperties" and err.schema.get("x-message"):
        yield Wording(syntax.InvalidValue, f"{where}不能为空：{err.schema['x-message']}", here)
    elif kind in ("minItems", "minLength", "minProperties"):
        yield Wording(syntax.InvalidValue, f"{where}不能为空。请填写内容，或删除这个键。", here)
    elif kind == "maxLength":
        yield Wording(syntax.InvalidValue,
                      f"{where}太长：最多 {err.validator_value} 个字，现在 {len(err.instance)} 个字。请精简。", here)
    elif kind in ("maxItems", "maxProperties"):
        yield Wording(syntax.InvalidValue,
                      f"{where}最多写 {err.validator_value} 项，现在有 {len(err.instance)} 项。请删去多余的项。", here)
    elif kind in ("minimum", "exclusiveMinimum", "maximum", "exclusiveMaximum"):
        bound = _number(err.validator_value)
        rule = {"minimum": f"不能小于 {bound}", "exclusiveMinimum": f"应大于 {bound}",
                "maximum": f"不能大于 {bound}", "exclusiveMaximum": f"应小于 {bound}"}[kind]
        yield Wording(syntax.InvalidValue, f"{where}的值 {_number(err.instance)} 不对：{rule}。", here)
    elif kind == "multipleOf":
        yield Wording(syntax.InvalidValue,
                      f"{where}的值 {_number(err.instance)} 不对：应为 {_number(err.validator_value)} 的整数倍。", here)
    elif kind == "uniqueItems":
        yield Wording(syntax.InvalidValue, f"{where}中有重复的项。请删去重复的一项。", here)
    elif kind == "propertyNames":
        yield Wording(syntax.InvalidValue,
                      f"{where}的键“{err.instance}”不对：这里的键应为四位年份，例如“2025”。", here)
    elif kind is None:  # a `false` schema: nothing may be written here
        yield Wording(syntax.InvalidValue, f"这里不能写“{err.instance}”。请删除它。", here)
    elif kind == "format":
        yield Wording(syntax.InvalidValue, f"{where}的值“{err.instance}”格式不对。{_about(err)}", here)
    else:  # not, false schemas, contains…: the key's own description says what is wanted
        advice = _about(err) or "请按这个键的说明修改（在编辑器中把光标停在键上可以看到说明）。"
        yield Wording(syntax.InvalidValue, f"{where}的值不符合要求。{advice}", here)
