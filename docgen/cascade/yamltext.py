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
