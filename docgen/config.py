"""Project settings from ``docgen.toml`` or ``[tool.docgen]``, found like ruff finds its configuration.

For each path checked or rendered, the settings are those of the nearest ``docgen.toml`` (the keys
at its top: a repository of plans needs no Python project) or ``pyproject.toml`` with a
``[tool.docgen]`` table at or above it (`settings_for`); paths in it are relative to that file.
Without either, a ``plans/registry/`` folder above the path (within its git repository) is used. Checking a second project from inside the first gives exactly the findings that checking
it from its own root gives. Keys (all optional):

- ``registry``: files or folders holding the unit registry (default ``["plans/registry"]``); a
  path that does not exist is a configuration error;
- ``paths``: what ``docgen check`` and ``docgen build`` look at when given no path (default ``["plans"]``);
- ``select`` / ``ignore``: rule codes, code prefixes or names, as on the command line;
- ``severity``: a table from rule code or name to ``"error"``, ``"warning"`` or ``"info"``;
- ``fail-on``: the least severe finding that makes `docgen check` fail (exit 1): ``"error"``
  (default: warnings alone exit 0, as yamllint does) or ``"warning"``;
- ``percent-places``: decimals of a 通报's percentages when its data file does not say (default 1);
- ``font-set``: the font names written into rendered documents: ``"gb2312"`` (default: 仿宋_GB2312,
  楷体_GB2312, as most offices install them) or ``"windows"`` (仿宋, 楷体, which Windows 10+ ship).

Every problem with the configuration is a `ConfigError` carrying a DG020 finding at the line of
the offending key.
"""

from __future__ import annotations

import dataclasses
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from docgen.codes.syntax import InvalidConfig
from docgen.errors import ConfigError
from docgen.problems import Location, Severity, display_path
from docgen.project import CONFIG_FILE, OWN_CONFIG_FILE, find_config
from docgen.rules import registry

KNOWN_KEYS = {"registry", "paths", "select", "ignore", "severity", "font-set", "fail-on", "percent-places"}
FONT_SETS = ("gb2312", "windows")


@dataclass
class Settings:
    root: Path
    registry: list[Path] = field(default_factory=list)
    paths: list[Path] = field(default_factory=list)
    select: list[str] | None = None
    ignore: list[str] = field(default_factory=list)
    severity: dict[str, Severity] = field(default_factory=dict)
    #: The pyproject.toml these settings came from; None when no configuration was found.
    config_file: Path | None = None
    font_set: str = FONT_SETS[0]
    #: `docgen check` fails on errors only ("error") or on any finding ("warning").
    fail_on: Severity = Severity.ERROR
    #: Decimals of a 通报's percentages unless its data file says (the office's house style).
    percent_places: int = 1

    def with_options(self, *, select: list[str] | None = None, ignore: list[str] = (),
                     registry: list[Path] = ()) -> Settings:
        """A copy with command-line options applied over the file's settings."""
        copy = dataclasses.replace(self, ignore=self.ignore + list(ignore))
        if select is not None:
            copy.select = select
        if registry:
            copy.registry = list(registry)
        return copy


class _Reader:
    """Reads ``[tool.docgen]`` of one pyproject.toml; every problem raises a located ConfigError."""

    def __init__(self, pyproject: Path):
        self.pyproject = pyproject
        self.name = display_path(pyproject)
        try:
            self.text = pyproject.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise self.fail(f"无法读取配置文件：{getattr(exc, 'strerror', None) or exc}。") from None

    def fail(self, message: str, key: str | None = None, line: int | None = None, column: int = 1) -> ConfigError:
        if line is None:
            line = self.line_of(key) if key else 1
        loc = Location(self.name, line, column)
        return ConfigError(problems=[InvalidConfig.problem(message, loc)])

    def line_of(self, key: str) -> int:
        """The line of `key` inside the docgen table (1 when it cannot be found)."""
        lines = self.text.split("\n")
        in_table = False
        for number, line in enumerate(lines, 1):
            stripped = line.strip()
            if stripped.startswith("["):
                in_table = re.match(r"\[\s*tool\s*\.\s*docgen\s*[.\]]", stripped) is not None
                if in_table and key in stripped:
                    return number
                continue
            if in_table and re.match(rf'["\']?{re.escape(key)}["\']?\s*=', stripped):
                return number
        for number, line in enumerate(lines, 1):  # a key outside the table (tool = …, docgen = …)
            if re.match(rf'\s*["\']?{re.escape(key)}["\']?\s*=', line):
                return number
        return 1

    def table(self) -> dict:
        try:
            data = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as exc:
            where = re.search(r"at line (\d+), column (\d+)", str(exc))
            line, column = (int(where[1]), int(where[2])) if where else (1, 1)
            raise self.fail("配置文件不是合法的 TOML（括号、引号或等号有误），请改正这一行。", line=line, column=column) from None
        if self.pyproject.name == OWN_CONFIG_FILE:  # docgen.toml: the keys at the top ([tool.docgen] also read)
            nested = data.get("tool", {}).get("docgen") if isinstance(data.get("tool"), dict) else None
            data = {"tool": {"docgen": nested if isinstance(nested, dict) and len(data) == 1 else data}}
        tool = data.get("tool", {})
        if not isinstance(tool, dict):
            raise self.fail("“tool”应为一个表（[tool.docgen] 写在 [tool] 之下），不能是单个值。", key="tool")
        table = tool.get("docgen", {})
        if not isinstance(table, dict):
            raise self.fail("[tool.docgen] 应为一个表，例如：\n[tool.docgen]\nregistry = [\"plans/registry\"]", key="docgen")
        unknown = sorted(set(table) - KNOWN_KEYS)
        if unknown:
            raise self.fail(f"[tool.docgen] 中有不认识的设置：{'、'.join(unknown)}。可用的设置：{'、'.join(sorted(KNOWN_KEYS))}。",
                            key=unknown[0])
        return table

    def str_list(self, table: dict, key: str) -> list[str] | None:
        value = table.get(key)
        if value is None:
            return None
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise self.fail(f"[tool.docgen] 的 {key} 应为文字列表，例如 {key} = [\"plans\"]。", key=key)
        return value


def load_settings(start: Path | None = None) -> Settings:
    """Settings of the project at or above `start` (default: the working directory)."""
    start = (start or Path.cwd()).resolve()
    pyproject = find_config(start)
    if pyproject is None:
        return _unconfigured(start)
    return _read(pyproject)


def _unconfigured(start: Path) -> Settings:
    """Settings where no configuration is found: a repository holding ``plans/registry/`` (found
    upwards, up to the top of the git repository) uses it, as a configuration would by default."""
    folder = start if start.is_dir() else start.parent
    for candidate in (folder, *folder.parents):
        if (candidate / "plans" / "registry").is_dir():
            return Settings(root=candidate, registry=[candidate / "plans" / "registry"], paths=[candidate / "plans"])
        if (candidate / ".git").exists():
            break
    return Settings(root=folder, paths=[folder / "plans"])


#: Settings read, by configuration file, with the file's (mtime_ns, size) when it was read.
_CACHE: dict[Path, tuple[tuple[int, int], Settings]] = {}


def settings_for(path: Path) -> Settings:
    """The settings that govern `path` (a file or folder): those of its nearest configuration.

    A path outside every project (say a draft written with ``-o`` to another folder) falls back to
    the configuration of the working directory, as ruff does. One `Settings` object per
    configuration file while it is unchanged, so paths can be grouped by it; a long-running process
    (the language server) reads a configuration again once it is edited.
    """
    pyproject = find_config(path) or find_config(Path.cwd())
    if pyproject is None:
        return load_settings(path)
    key = pyproject.resolve()
    try:
        info = key.stat()
        stamp = (info.st_mtime_ns, info.st_size)
    except OSError:
        stamp = (0, 0)
    kept = _CACHE.get(key)
    if kept is None or kept[0] != stamp:
        kept = _CACHE[key] = (stamp, _read(key))
    return kept[1]


def _read(pyproject: Path) -> Settings:
    reader = _Reader(pyproject)
    table = reader.table()
    root = pyproject.parent
    settings = Settings(root=root, config_file=pyproject)
    settings.registry = [root / p for p in (reader.str_list(table, "registry") or ["plans/registry"])]
    settings.paths = [root / p for p in (reader.str_list(table, "paths") or ["plans"])]
    settings.select = reader.str_list(table, "select")
    settings.ignore = reader.str_list(table, "ignore") or []
    severity = table.get("severity") or {}
    if not isinstance(severity, dict):
        raise reader.fail("[tool.docgen] 的 severity 应为一个表，例如 severity = { DG305 = \"warning\" }。", key="severity")
    for key, level in severity.items():
        try:
            rule = registry.get(key)
            settings.severity[rule.code] = Severity(level)
        except (registry.UnknownRule, ValueError, TypeError):
            raise reader.fail(f"[tool.docgen.severity] 中“{key} = {level!r}”无效：键应为规则代码或名称，"
                              "值为 \"error\"、\"warning\" 或 \"info\"。", key="severity") from None
    try:
        check_selection(settings.select, settings.ignore)
    except ValueError as exc:
        raise reader.fail(f"[tool.docgen] 的 select/ignore 中{exc}", key="select" if settings.select is not None else "ignore") from None
    font_set = table.get("font-set", FONT_SETS[0])
    if font_set not in FONT_SETS:
        raise reader.fail(f"[tool.docgen] 的 font-set = {font_set!r} 无效：应为 {' 或 '.join(repr(f) for f in FONT_SETS)}。",
                          key="font-set")
    settings.font_set = font_set
    fail_on = table.get("fail-on", Severity.ERROR.value)
    if not isinstance(fail_on, str) or fail_on not in ("error", "warning"):
        raise reader.fail(f"[tool.docgen] 的 fail-on = {fail_on!r} 无效：应为 \"error\"（只有错误时失败）"
                          f"或 \"warning\"（有警告也失败）。", key="fail-on")
    settings.fail_on = Severity(fail_on)
    places = table.get("percent-places", 1)
    if isinstance(places, bool) or not isinstance(places, int) or not 0 <= places <= 4:
        raise reader.fail(f"[tool.docgen] 的 percent-places = {places!r} 无效：应为 0 到 4 的整数（通报中百分数的小数位数）。",
                          key="percent-places")
    settings.percent_places = places
    return settings


def check_selection(select: list[str] | None, ignore: list[str]) -> None:
    """Raise ValueError (a Chinese sentence) when `select`/`ignore` name no rule or select nothing."""
    if select is not None and not [s for s in select if s.strip()]:
        raise ValueError("select 为空，会关闭全部检查。要检查全部规则，请删除 select；要少查几条，请用 ignore。")
    try:
        registry.selected_codes(select, ignore)
    except registry.UnknownRule as exc:
        raise ValueError(f"“{exc.key}”不是规则代码或名称。运行 docgen rules 查看全部规则。") from None


def require_registry(settings: Settings, path: Path) -> None:
    """Raise ConfigError when no unit registry is known for `path`, or a configured one is missing."""
    missing = [p for p in settings.registry if not p.exists()]
    if missing and settings.config_file is not None:
        reader = _Reader(settings.config_file)
        raise reader.fail(f"[tool.docgen] 的 registry 中“{display_path(missing[0], settings.root)}”不存在。"
                          "请改为单位库文件或目录的路径（相对于这个 pyproject.toml），或用 --registry 指定。",
                          key="registry")
    if missing:
        raise ConfigError(f"单位库“{display_path(missing[0])}”不存在。请用 --registry 指定单位库文件或目录。")
    if settings.registry:
        return
    raise ConfigError(
        f"没有找到 docgen 的配置：{display_path(path)} 及其上层目录中没有 {OWN_CONFIG_FILE}，也没有含 [tool.docgen] 的 "
        f"{CONFIG_FILE}，因此不知道单位库在哪里。请在仓库根目录建 {OWN_CONFIG_FILE}，写入：\n"
        "registry = [\"plans/registry\"]\n（或在 pyproject.toml 的 [tool.docgen] 中写同样的设置），"
        "或用 --registry 指定单位库文件或目录。")
