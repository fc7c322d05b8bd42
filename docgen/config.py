"""Project settings from ``[tool.docgen]`` in the nearest ``pyproject.toml``.

Keys (all optional; paths are relative to the pyproject.toml):

- ``registry``: files or folders holding the unit registry (default ``["plans/registry"]``);
- ``paths``: what ``docgen check`` looks at when given no path (default ``["plans"]``);
- ``select`` / ``ignore``: rule codes, code prefixes or names, as on the command line;
- ``severity``: a table from rule code or name to ``"error"``, ``"warning"`` or ``"info"``;
- ``font-set``: the font names written into rendered documents: ``"gb2312"`` (default: 仿宋_GB2312,
  楷体_GB2312, as most offices install them) or ``"windows"`` (仿宋, 楷体, which Windows 10+ ship).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from docgen.problems import DocgenError, Location, Severity
from docgen.rules import registry
from docgen.codes.syntax import UnknownKey

KNOWN_KEYS = {"registry", "paths", "select", "ignore", "severity", "font-set"}
FONT_SETS = ("gb2312", "windows")


@dataclass
class Settings:
    root: Path
    registry: list[Path] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    config_file: Path | None = None
    font_set: str = FONT_SETS[0]


def find_pyproject(start: Path) -> Path | None:
    for folder in (start, *start.parents):
        candidate = folder / "pyproject.toml"
        if candidate.is_file():
            return candidate
    return None


def _fail(config: Path, message: str) -> DocgenError:
    return DocgenError([UnknownKey.problem(message, Location(str(config)))])


def _str_list(config: Path, table: dict, key: str) -> list[str] | None:
    value = table.get(key)
    if value is None:
        return None
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _fail(config, f"[tool.docgen] 的 {key} 应为文字列表，例如 {key} = [\"plans\"]。")
    return value


def load_settings(start: Path | None = None) -> Settings:
    """Settings for a run started in `start` (default: the working directory)."""
    start = (start or Path.cwd()).resolve()
    pyproject = find_pyproject(start)
    root = pyproject.parent if pyproject else start
    table: dict = {}
    if pyproject:
        try:
            data = tomllib.loads(pyproject.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            raise _fail(pyproject, f"无法读取配置文件：{exc}") from None
        table = data.get("tool", {}).get("docgen", {})
        if not isinstance(table, dict):
            raise _fail(pyproject, "[tool.docgen] 应为一个表。")
    unknown = sorted(set(table) - KNOWN_KEYS)
    if unknown:
        raise _fail(pyproject, f"[tool.docgen] 中有不认识的设置：{'、'.join(unknown)}。可用的设置：{'、'.join(sorted(KNOWN_KEYS))}。")
    settings = Settings(root=root, config_file=pyproject)
    settings.registry = [root / p for p in (_str_list(pyproject, table, "registry") or ["plans/registry"])]
    settings.paths = [root / p for p in (_str_list(pyproject, table, "paths") or ["plans"])]
    settings.select = _str_list(pyproject, table, "select")
    settings.ignore = _str_list(pyproject, table, "ignore") or []
    for key, level in (table.get("severity") or {}).items():
        try:
            rule = registry.get(key)
            settings.severity[rule.code] = Severity(level)
        except (registry.UnknownRule, ValueError):
            raise _fail(pyproject, f"[tool.docgen.severity] 中“{key} = {level!r}”无效：键应为规则代码或名称，值为 \"error\"、\"warning\" 或 \"info\"。") from None
    try:
        registry.selected_codes(settings.select, settings.ignore)
    except registry.UnknownRule as exc:
        raise _fail(pyproject, f"[tool.docgen] 的 select/ignore 中“{exc.key}”不是规则代码或名称。") from None
    font_set = table.get("font-set", FONT_SETS[0])
    if font_set not in FONT_SETS:
        raise _fail(pyproject, f"[tool.docgen] 的 font-set = {font_set!r} 无效：应为 {' 或 '.join(repr(f) for f in FONT_SETS)}。")
    settings.font_set = font_set
    return settings
