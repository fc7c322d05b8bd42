"""Schema stage: validate a loaded source against its JSON Schema (draft 2020-12).

The tree is validated once as plain data. A compiled validator (fastjsonschema) answers "valid?"
quickly; only a file that fails it is walked by jsonschema, whose errors (all of them) each become
one `Problem` located on the offending node by its path, with a Chinese message (unknown key with
a suggestion, wrong type, missing key, bad value) worded by `docgen.schema_messages`.
"""

from __future__ import annotations

import datetime as dt
import importlib
import json
from collections.abc import Iterator
from functools import cache
from typing import TYPE_CHECKING, Any

import fastjsonschema

if TYPE_CHECKING:  # jsonschema is imported only to explain a file that fails (it is slow to import)
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

from docgen import compiled, resources
from docgen.load import Kind, Source
from docgen.problems import Problem


@cache
def validator(kind: Kind) -> Draft202012Validator:
    from jsonschema import Draft202012Validator

    schema = json.loads(resources.schema_path(kind).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


@cache
def _fast(kind: Kind):
    """The schema compiled to Python code: True/False only, no explanation.

    The module compiled ahead in `docgen.compiled` while it matches the schema file, else a fresh
    compilation (a schema edited without regenerating those modules is slower, never wrong).
    """
    text = resources.schema_path(kind).read_text(encoding="utf-8")
    module = importlib.import_module(f"docgen.compiled.{kind}")
    if module.SCHEMA_SHA256 == compiled.digest(text):
        return module.validate
    return fastjsonschema.compile(json.loads(text), **compiled.OPTIONS)


def plain(node: Any) -> Any:
    """The tree as JSON data: string keys, dates as ISO strings."""
    if isinstance(node, dict):
        return {str(k): plain(v) for k, v in node.items()}
    if isinstance(node, list):
        return [plain(v) for v in node]
    if isinstance(node, (dt.date, dt.datetime)):
        return node.isoformat()
    return node


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


def _problems(src: Source, error: ValidationError) -> Iterator[Problem]:
    for err in _leaves(error):
        yield from _problem(src, err)


def _problem(src: Source, err: ValidationError) -> Iterator[Problem]:
    from docgen import schema_messages  # only for a file that fails (it imports jsonschema's types)

    for w in schema_messages.describe(err):
        yield w.rule.problem(w.message, src.locate(list(w.path), on_key=w.on_key))


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
