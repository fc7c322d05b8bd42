"""YAML text of child plans: new children written by libyaml's emitter in one go; an existing
child edited in place (three-way merge) read and written by ruamel.yaml's round-trip mode, so the
drafter's comments, order and quoting survive.

The only module that writes plan YAML (cascade, and `docgen import`, whose tree carries a comment
per task); ruamel.yaml is used nowhere else for plans.
"""

from __future__ import annotations

import functools
import io
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap


@functools.lru_cache(maxsize=1 << 16)
def _scalar_tag(value: str, implicit: tuple[bool, bool]) -> str:
    """PyYAML's tag resolution of a plain scalar (a pure function of its text): a cascade writes the
    same texts for every sibling, and the emitter asks twice per scalar."""
    return _RESOLVER.resolve(yaml.ScalarNode, value, implicit)


_RESOLVER = yaml.resolver.Resolver()


class _Dumper(yaml.CSafeDumper):
    def ignore_aliases(self, data) -> bool:  # every value written out in full, as a drafter would
        return True

    def represent_data(self, data):
        # what SafeRepresenter.represent_str makes (no aliases here), without its dispatch per string
        if type(data) is str:
            return yaml.ScalarNode("tag:yaml.org,2002:str", data, style=self.default_style)
        return super().represent_data(data)

    def resolve(self, kind, value, implicit):
        if kind is yaml.ScalarNode and not self.yaml_path_resolvers:
            return _scalar_tag(value, tuple(implicit))
        return super().resolve(kind, value, implicit)


def _represent_dict(dumper: yaml.SafeDumper, data: dict):
    # years (分年度) are keys of four digits: written as 2025:, as drafters write them
    pairs = [(int(k) if isinstance(k, str) and k.isascii() and k.isdigit() else k, v) for k, v in data.items()]
    return dumper.represent_mapping("tag:yaml.org,2002:map", pairs)


_Dumper.add_representer(dict, _represent_dict)
_Dumper.add_multi_representer(dict, _represent_dict)
_Dumper.add_multi_representer(list, lambda dumper, data: dumper.represent_list(list(data)))


def header_lines(header: str) -> str:
    return "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())


def dump_new(data: dict, header: str = "") -> str:
    """YAML text of a new child plan (plain data): block style, long lines never folded.

    The text is what libyaml's emitter writes for `data` (`_libyaml_dump`). Most of it is laid out
    by `_layout` from the scalars libyaml has already written once: a cascade writes the same
    scalars in every sibling, and PyYAML's representer, which builds a node per value, costs three
    times the emitting itself. Whatever `_layout` does not handle is dumped by libyaml whole.
    """
    body = _layout(data) if isinstance(data, dict) and data else None
    if body is None:
        body = _libyaml_dump(data)
    return header_lines(header) + body


def _libyaml_dump(data) -> str:
    return yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000,
                     default_flow_style=False)


# -- block layout from libyaml's scalars -----------------------------------------------------------
#
# With `default_flow_style=False`, indent 2 and no aliases, libyaml lays a document out so:
#   key: scalar        key: {}        key: []        key:            key:
#                                                      sub: value    - item     (a list under a key
#                                                                               is not indented)
#   - scalar           - {}           - []           - key: value    - - item
#                                                      key2: value     - item
# Where a scalar starts on its line only matters to libyaml for folding at the width (100,000
# columns here: never reached, `_LONGEST`) and for scalars written over several lines (those with
# a line break: not laid out here). A scalar's text is therefore the same wherever it stands as a
# value, and libyaml writes each new one (`_learn`); a key's text is learnt as a key.

#: Written by libyaml whole: strings this long (never folded at column 100,000 wherever they stand)…
_LONGEST = 50_000
#: …and strings with a line break (YAML's line breaks), which libyaml writes over several lines.
_BREAKS = frozenset("\r\n\x85\u2028\u2029")
#: The text libyaml writes for a scalar value (None: not laid out here), by string; by (type, repr)
#: for numbers, booleans and null (1, 1.0 and True differ; so do 0.0 and -0.0).
_values: dict[object, str | None] = {}
#: The text libyaml writes for a mapping key (None: a key libyaml writes as `? key`).
_keys: dict[object, str | None] = {}
_CACHE_LIMIT = 1 << 17


class _Unhandled(Exception):
    """A value `_layout` leaves to libyaml."""


def _layout(data: dict) -> str | None:
    """What `_libyaml_dump(data)` returns, or None for a document it leaves to libyaml."""
    if len(_values) > _CACHE_LIMIT or len(_keys) > _CACHE_LIMIT:
        _values.clear()
        _keys.clear()
    out: list[str | None] = []
    new: dict[str, list[int]] = {}  # strings not yet learnt: their places in `out`
    try:
        _mapping(data, "", "", out, new)
        if new:
            _learn(list(new))
            for value, places in new.items():
                text = _values[value]
                if text is None:
                    raise _Unhandled
                for i in places:
                    out[i] = text
    except _Unhandled:
        return None
    return "".join(out)


def _learn(strings: list[str]) -> None:
    """libyaml's text of each string as a value: all in one document when each is one line."""
    plain = [s for s in strings if len(s) <= _LONGEST and _BREAKS.isdisjoint(s)]
    for s in strings:
        _values[s] = None
    if not plain:
        return
    lines = _libyaml_dump(plain).split("\n")
    if len(lines) == len(plain) + 1 and all(line.startswith("- ") for line in lines[:-1]):
        for s, line in zip(plain, lines):
            _values[s] = line[2:]
        return
    for s in plain:  # some string spans lines after all: learn them one by one
        _values[s] = _one_line(_libyaml_dump([s]), "- ", "\n")


def _one_line(text: str, start: str, end: str) -> str | None:
    """`text` between `start` and `end` when it is one line so framed, else None."""
    if text.count("\n") == 1 and text.startswith(start) and text.endswith(end):
        return text[len(start):len(text) - len(end)]
    return None


def _scalar(value) -> str:
    """libyaml's text of a number, boolean or null value."""
    kind = type(value)
    if kind not in (int, float, bool, type(None)):
        raise _Unhandled
    key = (kind, repr(value))
    text = _values.get(key, "")
    if text == "":
        text = _values[key] = _one_line(_libyaml_dump([value]), "- ", "\n")
    if text is None:
        raise _Unhandled
    return text


def _key(key) -> str:
    """libyaml's text of a mapping key (as `_represent_dict` passes it on: digits as a number)."""
    kind = type(key)
    if kind is str:
        if key.isascii() and key.isdigit():
            key, kind = int(key), int
    elif kind is not int:
        raise _Unhandled
    cache = (kind, key)
    text = _keys.get(cache, "")
    if text == "":
        ok = kind is int or (len(key) <= _LONGEST and _BREAKS.isdisjoint(key))
        text = _keys[cache] = _one_line(_libyaml_dump({key: None}), "", ": null\n") if ok else None
        if text is not None and text.startswith("?"):
            text = _keys[cache] = None
    if text is None:
        raise _Unhandled
    return text


def _value(value, out: list, new: dict) -> None:
    if type(value) is str:
        text = _values.get(value, "")
        if text == "":  # not learnt yet: filled in by `_layout`
            places = new.get(value)
            if places is None:
                places = new[value] = []
            places.append(len(out))
            out.append(None)
        elif text is None:
            raise _Unhandled
        else:
            out.append(text)
    else:
        out.append(_scalar(value))


def _mapping(data: dict, indent: str, first: str, out: list, new: dict) -> None:
    """A non-empty mapping whose keys start at column len(indent); `first` precedes its first key."""
    lead = first
    for key, value in data.items():
        out.append(lead)
        out.append(_key(key))
        lead = indent
        if isinstance(value, dict):
            if value:
                out.append(":\n")
                _mapping(value, indent + "  ", indent + "  ", out, new)
            else:
                out.append(": {}\n")
        elif isinstance(value, list):
            if value:
                out.append(":\n")
                _sequence(value, indent, indent, out, new)
            else:
                out.append(": []\n")
        else:
            out.append(": ")
            _value(value, out, new)
            out.append("\n")


def _sequence(data: list, indent: str, first: str, out: list, new: dict) -> None:
    """A non-empty list whose dashes stand at column len(indent); `first` precedes its first dash."""
    lead = first
    inner = indent + "  "
    for value in data:
        out.append(lead)
        lead = indent
        if isinstance(value, dict):
            if value:
                out.append("- ")
                _mapping(value, inner, "", out, new)
            else:
                out.append("- {}\n")
        elif isinstance(value, list):
            if value:
                out.append("- ")
                _sequence(value, inner, "", out, new)
            else:
                out.append("- []\n")
        else:
            out.append("- ")
            _value(value, out, new)
            out.append("\n")


def _round_trip() -> YAML:
    rt = YAML(typ="rt")
    rt.allow_duplicate_keys = False
    rt.indent(mapping=2, sequence=4, offset=2)
    rt.width = 100_000
    rt.allow_unicode = True
    return rt


def read_for_edit(path: Path) -> CommentedMap:
    """An existing child plan as a round-trip tree, to merge into. The file was checked first."""
    return _round_trip().load(path.read_text(encoding="utf-8"))


def dump_edited(tree: CommentedMap) -> str:
    """YAML text of a round-trip tree (comments kept): a child plan after an in-place merge, or an
    imported plan with its source comments."""
    stream = io.StringIO()
    _round_trip().dump(tree, stream)
    return stream.getvalue()
