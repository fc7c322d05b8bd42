"""YAML text of child plans: new children written by libyaml's emitter in one go; an existing
child edited in place (three-way merge) read and written by ruamel.yaml's round-trip mode, so the
drafter's comments, order and quoting survive.

The only module that writes plan YAML (cascade, and `docgen import`, whose tree carries a comment
per task); ruamel.yaml is used nowhere else for plans.
"""

from __future__ import annotations

import io
from pathlib import Path

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap


class _Dumper(yaml.CSafeDumper):
    def ignore_aliases(self, data) -> bool:  # every value written out in full, as a drafter would
        return True


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
    """YAML text of a new child plan (plain data): block style, long lines never folded."""
    body = yaml.dump(data, Dumper=_Dumper, allow_unicode=True, sort_keys=False, width=100_000,
                     default_flow_style=False)
    return header_lines(header) + body


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
