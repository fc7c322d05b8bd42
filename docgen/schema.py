"""Schema stage: validate a loaded source against its JSON Schema (draft 2020-12).

Each jsonschema error becomes one `Problem` located on the offending node through the round-trip
tree, with a Chinese message (unknown key with a suggestion, wrong type, missing key, bad value)
worded by `docgen.schema_messages`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from functools import lru_cache
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError, best_match

from docgen import resources, schema_messages
from docgen.load import Kind, Source
from docgen.problems import Problem


@lru_cache(maxsize=None)
def validator(kind: Kind) -> Draft202012Validator:
    schema = json.loads(resources.schema_path(kind).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


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
    return _leaves(best_match([e for errs in fitting for e in errs]))


def _problems(src: Source, error: ValidationError) -> Iterator[Problem]:
    for err in _leaves(error):
        yield from _problem(src, err)


def _problem(src: Source, err: ValidationError) -> Iterator[Problem]:
    for w in schema_messages.describe(err):
        yield w.rule.problem(w.message, src.locate(list(w.path), on_key=w.on_key))


def validate(src: Source) -> list[Problem]:
    """All schema problems of `src`, in file order."""
    data = plain(src.data)
    problems: list[Problem] = []
    for error in validator(src.kind).iter_errors(data):
        problems.extend(_problems(src, error))
    return sorted(set(problems), key=Problem.sort_key)
