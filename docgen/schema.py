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


# -- checking what the schema accepted ---------------------------------------------------------------

#: Rounds of repair before giving up (each removes what the last validation still refused).
_REPAIR_ROUNDS = 8


def _copy(node: Any) -> Any:
    """A deep copy of a loaded tree that keeps every node's positions."""
    from docgen.load import Map, Seq

    if isinstance(node, Map):
        out = Map(node.start)
        out.marks = dict(node.marks)
        for k, v in node.items():
            out[k] = _copy(v)
        return out
    if isinstance(node, Seq):
        seq = Seq(node.start)
        seq.marks = list(node.marks)
        seq.extend(_copy(v) for v in node)
        return seq
    if isinstance(node, dict):
        return {k: _copy(v) for k, v in node.items()}
    if isinstance(node, list):
        return [_copy(v) for v in node]
    return node


def _remove(data: Any, path: list) -> bool:
    """Remove the node at `path` (its key, or its list item); False for the root or a path not found."""
    if not path:
        return False
    node = data
    for step in path[:-1]:
        try:
            node = node[step] if isinstance(node, list) else node[_key(node, step)]
        except (KeyError, IndexError, TypeError):
            return False
    last = path[-1]
    if isinstance(node, list) and isinstance(last, int) and 0 <= last < len(node):
        del node[last]
        marks = getattr(node, "marks", None)
        if marks is not None and last < len(marks):
            del marks[last]
        return True
    if isinstance(node, dict):
        key = _key(node, last)
        if key in node:
            del node[key]
            marks = getattr(node, "marks", None)
            if marks is not None:
                marks.pop(key, None)
            return True
    return False


def _key(mapping: dict, step: Any) -> Any:
    if step in mapping:
        return step
    return next((k for k in mapping if str(k) == str(step)), step)


def _set(data: Any, path: list, value: Any) -> None:
    node = data
    for step in path[:-1]:
        node = node[step] if isinstance(node, list) else node[_key(node, step)]
    last = path[-1]
    node[last if isinstance(node, list) else _key(node, last)] = value


def repair(src: Source) -> Source | None:
    """`src` with what its schema refused taken out, for the rules to check the rest; None if nothing is left.

    A schema error (a wrong 文种, a task's 完成时限 written as a number) should not hide every rule
    finding of the file: the refused nodes are removed (an unknown key, a wrong value, an object
    missing a key it needs), and a required value outside its list (``文种: 工作计划``) is replaced by
    the closest allowed one. The schema findings are reported as they are; the repaired source is
    only ever linted, never rendered (its file has errors).
    """
    import difflib
    import re

    data = _copy(src.data)
    lines: set[int] = set()  # where refused nodes and the objects holding them start (findings there are theirs)

    def note(path: list) -> None:
        lines.add(src.locate(path).line)
        lines.add(src.locate(path[:-1]).line if path else 1)
        if len(path) >= 2 and isinstance(path[-1], str):
            lines.add(src.locate(path[:-2]).line)

    for _ in range(_REPAIR_ROUNDS):
        if is_valid(src.kind, data):
            from dataclasses import replace

            return replace(src, data=data, memo={}, _strings=None, _line_cache=None, repaired=True,
                           refused_lines=frozenset(lines))
        changed = False
        removals: list[list] = []
        for error in validator(src.kind).iter_errors(data):
            for leaf in _leaves(error):
                path = list(leaf.absolute_path)
                if leaf.validator == "enum" and leaf.schema.get("enum") and len(path) == 1:
                    allowed = [str(v) for v in leaf.schema["enum"]]
                    close = difflib.get_close_matches(str(leaf.instance), allowed, n=1, cutoff=0) or allowed
                    _set(data, path, close[0])
                    note(path)
                    changed = True
                elif leaf.validator == "additionalProperties" and isinstance(leaf.instance, dict):
                    known = set(leaf.schema.get("properties", {}))
                    patterns = list(leaf.schema.get("patternProperties", {}))
                    removals += [[*path, k] for k in leaf.instance
                                 if k not in known and not any(re.search(p, str(k)) for p in patterns)]
                elif leaf.validator == "required" and not path:
                    return None  # the file lacks a key it cannot do without
                else:
                    removals.append(path)
        # later and deeper nodes first, so that removing one does not shift the path of another
        for path in sorted(removals, key=lambda p: [(0, s, "") if isinstance(s, int) else (1, 0, str(s)) for s in p],
                           reverse=True):
            if _remove(data, path):
                note(path)
                changed = True
        if not changed:
            return None
    return None
