"""`docgen schema`: the JSON Schemas of plans, registries, progress and 通报 data, written into a repository.

A repository that keeps only plans has no `schemas/` folder: the `# yaml-language-server: $schema=`
comment at the top of each plan points at ``../../schemas/plan.schema.json``. Writing the schemas
shipped with the installed docgen there lets any editor with a YAML plugin complete and explain every
key; running it again after an upgrade brings them up to date.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from docgen import resources
from docgen.errors import UsageError

#: The kinds and their files, in the order they are written.
KINDS = ("plan", "registry", "progress", "data")


@dataclass
class Written:
    path: Path
    changed: bool


def schema_text(kind: str) -> str:
    """The JSON Schema of a kind ("plan", "registry", "progress", "data"), as shipped."""
    if kind not in KINDS:
        raise UsageError(f"没有“{kind}”的 schema。可选：{'、'.join(KINDS)}。")
    return resources.schema_path(kind).read_text(encoding="utf-8")


def write_schemas(folder: Path) -> list[Written]:
    """Write every schema into `folder` (created if needed); files already up to date are left alone."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UsageError(f"无法创建目录 {folder}：{exc.strerror or exc}。") from None
    out = []
    for kind in KINDS:
        source = resources.schema_path(kind)
        target = folder / source.name
        text = source.read_text(encoding="utf-8")
        changed = not target.is_file() or target.read_text(encoding="utf-8") != text
        if changed:
            try:
                target.write_text(text, encoding="utf-8")
            except OSError as exc:
                raise UsageError(f"无法写入 {target}：{exc.strerror or exc}。") from None
        out.append(Written(target, changed))
    return out
