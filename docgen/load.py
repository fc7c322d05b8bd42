"""Load stage: read a YAML file safely into a plain tree (dicts, lists, text, numbers) that
remembers where every key, value and item is written.

libyaml (through PyYAML's C parser) parses and composes; `_Builder` turns its nodes into `Map` and
`Seq` (a dict and a list carrying packed positions) in one pass. Every failure becomes a `Problem`
(never an exception): bad encoding, BOM, empty file, syntax error, tab, control character,
duplicate key, alias (refused before anything is built), absurd nesting, oversize file, a value
the constructor rejects or an unsupported tag. ruamel.yaml is used only by cascade, to edit an
existing child plan in place.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import yaml
from yaml.nodes import MappingNode, ScalarNode

from docgen.codes import syntax
from docgen.problems import Fix, Location, Problem

#: Plans and registries are text. A plan of 5,000 tasks of ordinary length is about 2.5 MB and is
#: checked in about a second; the cap only stops a wrong file (a data dump, a video) from being read.
MAX_BYTES = 20 * 1024 * 1024

Kind = Literal["plan", "registry", "progress", "data"]
#: Top-level keys of a 通报's data file (figures, tables, lists).
DATA_KEYS = ("指标", "表格", "名单", "文字", "格式")

#: Encodings refused by their byte-order mark. UTF-8 with a BOM (older Notepad) is read: the mark is dropped.
_UTF8_BOM = b"\xef\xbb\xbf"
_BOMS = {
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}

# libyaml's English problem texts, turned into advice a drafter can act on.
_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("'\\t'", "使用了 Tab 缩进，请全部改用空格"),
    ("tab character", "使用了 Tab 缩进，请全部改用空格"),
    ("mapping values are not allowed", "这里不能出现“键: 值”，常见原因是冒号后少了空格、文字里有半角冒号没加引号，或上一行缩进不对"),
    ("could not find expected ':'", "缺少“键: 值”中的冒号，或上一行的引号没有闭合"),
    ("did not find expected key", "缩进不一致：同一层的键必须对齐"),
    ("did not find expected '-'", "列表缩进不一致：同一列表的“- ”必须对齐"),
    ("expected ',' or ']'", "方括号 [ ] 没有配对，或列表项之间缺少逗号"),
    ("expected ',' or '}'", "花括号 { } 没有配对，或各项之间缺少逗号"),
    ("while scanning a quoted scalar", "引号没有配对"),
    ("found unexpected end of stream", "文件意外结束：可能有引号或括号没有闭合"),
    ("special characters are not allowed", "含有不可见的控制字符，请删除"),
    ("control characters are not allowed", "含有不可见的控制字符，请删除"),
    ("unacceptable character", "含有不可见的控制字符，请删除"),
    ("found character", "含有 YAML 不允许出现在此处的字符；文字以 @、`、%、*、& 等开头时请加引号"),
    ("expected a single document", "一个文件只能有一个文档，请删除多余的“---”"),
    ("found undefined tag", "使用了不支持的标签（以 ! 开头），请删除"),
)

Pos = tuple[int, int]  # 0-based line and column, as libyaml's marks give them

# Positions are packed into one int each (a large plan holds millions of them): a place is
# line << 24 | column (0-based); a mapping entry packs where its key and where its value start.
_COL = (1 << 24) - 1
_PLACE = (1 << 48) - 1


def _place(packed: int) -> Pos:
    return packed >> 24, packed & _COL


class Map(dict):
    """A YAML mapping as a plain dict that also remembers where it, each key and each value start.

    Read-only by convention: stages read it, nothing edits it in place (cascade builds new trees).
    """

    __slots__ = ("start", "marks")

    def __init__(self, start: Pos = (0, 0)):
        super().__init__()
        self.start = start
        #: key -> where the key and its value start, packed (see `_place`)
        self.marks: dict[Any, int] = {}


class Seq(list):
    """A YAML sequence as a plain list that also remembers where it and each item start."""

    __slots__ = ("start", "marks")

    def __init__(self, start: Pos = (0, 0)):
        super().__init__()
        self.start = start
        #: where each item starts, packed (see `_place`)
        self.marks: list[int] = []


@dataclass
class Source:
    """A loaded YAML file: its text, its tree (plain data with positions), and its kind."""

    path: Path
    name: str
    text: str
    data: Map
    kind: Kind
    _line_cache: list[str] | None = field(default=None, repr=False, compare=False)
    _strings: list | None = field(default=None, repr=False, compare=False)
    #: What the rules derive once per file and share (the single pass over its text).
    memo: dict = field(default_factory=dict, repr=False, compare=False)
    #: True for a copy with the nodes its schema refused taken out (`docgen.schema.repair`): linted, never used.
    repaired: bool = field(default=False, repr=False, compare=False)
    #: For a repaired copy: the lines where refused nodes and the objects holding them start.
    refused_lines: frozenset = field(default=frozenset(), repr=False, compare=False)

    def location(self, line0: int = 0, col0: int = 0) -> Location:
        """A `Location` in this file from a 0-based line and column."""
        return _location(self.name, line0 + 1, col0 + 1)

    def node(self, node: object) -> Location:
        """Where a mapping or sequence node starts (its first key or item)."""
        start = getattr(node, "start", None)
        if start is None:
            return self.location()
        return _location(self.name, start[0] + 1, start[1] + 1)

    def key(self, mapping: Map, key: Any) -> Location:
        """Where `key` is written in `mapping`."""
        marks = getattr(mapping, "marks", None)
        mark = marks.get(key) if marks is not None else None
        if mark is None:
            return self.node(mapping)
        line, col = _place(mark >> 48)
        return _location(self.name, line + 1, col + 1)

    def value(self, mapping: Map, key: Any) -> Location:
        """Where the value of `key` starts in `mapping`."""
        marks = getattr(mapping, "marks", None)
        mark = marks.get(key) if marks is not None else None
        if mark is None:
            return self.node(mapping)
        mark &= _PLACE  # (called for every value a model reads: no helper calls on this path)
        return _tuple(Location, (self.name, (mark >> 24) + 1, (mark & _COL) + 1, ""))

    def item(self, seq: Seq, index: int) -> Location:
        """Where item `index` of `seq` starts."""
        marks = getattr(seq, "marks", None)
        if marks is None or not 0 <= index < len(marks):
            return self.node(seq)
        mark = marks[index]
        return _tuple(Location, (self.name, (mark >> 24) + 1, (mark & _COL) + 1, ""))

    def locate(self, path: Sequence[str | int], on_key: bool = False) -> Location:
        """The location of the node at `path`, or of its nearest existing ancestor.

        With `on_key`, the last step points at the key rather than at its value.
        """
        node: object = self.data
        loc = self.node(node)
        for i, step in enumerate(path):
            last = i == len(path) - 1
            if isinstance(node, dict):
                key = _find_key(node, step)
                if key is _MISSING:
                    break
                loc = self.key(node, key) if (last and on_key) else self.value(node, key)
                node = node[key]
            elif isinstance(node, list) and isinstance(step, int) and 0 <= step < len(node):
                loc = self.item(node, step)
                node = node[step]
            else:
                break
        return loc

    def text_at(self, start: Location, value: str, offset: int) -> Location:
        """The location of character `offset` of the scalar `value` that starts at `start`.

        Exact for scalars written on one line (plain or quoted) and for literal blocks (`|`);
        otherwise the start of the scalar.
        """
        lines = self._lines()
        row = start.line - 1
        if 0 <= row < len(lines):
            line = lines[row]
            col0 = start.column - 1
            for skip in (0, 1):  # plain, or after an opening quote
                if line[col0 + skip : col0 + skip + len(value)] == value:
                    return Location(self.name, start.line, start.column + skip + offset)
            # literal block scalar: text begins on the next lines, each line indented
            if line[col0:].startswith("|"):
                before = value[:offset]
                target = row + 1 + before.count("\n")
                if target < len(lines):
                    indent = len(lines[target]) - len(lines[target].lstrip(" "))
                    col = indent + len(before) - (before.rfind("\n") + 1)
                    return Location(self.name, target + 1, col + 1)
        return start

    def edit(self, start: Location, value: str, offset: int, old: str, new: str, title: str) -> Fix | None:
        """A fix replacing `old`, found at character `offset` of the scalar `value` that starts at `start`,
        by `new`; None when the text there cannot be pinned down exactly (a folded scalar)."""
        at = self.text_at(start, value, offset)
        lines = self._lines()
        row = at.line - 1
        if not 0 <= row < len(lines) or lines[row][at.column - 1: at.column - 1 + len(old)] != old or "\n" in old:
            return None
        return Fix(at.line, at.column, old, new, title)

    def _lines(self) -> list[str]:
        if self._line_cache is None:
            self._line_cache = self.text.split("\n")
        return self._line_cache

    def strings(self) -> list[tuple[tuple[str | int, ...], str, Location]]:
        """Every string value in the file with its path and where it starts, in file order.

        Walked once per file and kept: every rule that reads all the text shares this one pass.
        """
        if self._strings is None:
            out: list[tuple[tuple[str | int, ...], str, Location]] = []
            self._walk_strings(self.data, (), out)
            self._strings = out
        return self._strings

    def _walk_strings(self, node: object, path: tuple[str | int, ...], out: list) -> None:
        # a method, not a recursive closure: a closure that calls itself is a reference cycle,
        # which kept every checked file's strings alive until the cyclic collector ran
        name = self.name
        if isinstance(node, Map):
            marks = node.marks
            for k, v in node.items():
                if isinstance(v, str):
                    m = marks[k] & _PLACE
                    out.append((path + (k,), v, _location(name, (m >> 24) + 1, (m & _COL) + 1)))
                elif isinstance(v, (dict, list)):
                    self._walk_strings(v, path + (k,), out)
        elif isinstance(node, Seq):
            marks = node.marks
            for i, v in enumerate(node):
                if isinstance(v, str):
                    m = marks[i]
                    out.append((path + (i,), v, _location(name, (m >> 24) + 1, (m & _COL) + 1)))
                elif isinstance(v, (dict, list)):
                    self._walk_strings(v, path + (i,), out)
        elif isinstance(node, (dict, list)):  # built in memory: no positions of its own
            here = self.node(node)
            items = node.items() if isinstance(node, dict) else enumerate(node)
            for k, v in items:
                if isinstance(v, str):
                    out.append((path + (k,), v, here))
                elif isinstance(v, (dict, list)):
                    self._walk_strings(v, path + (k,), out)


_MISSING = object()
_tuple = tuple.__new__


def _location(file: str, line: int, column: int) -> Location:
    """`Location(file, line, column)`, made without the named tuple's Python-level __new__.

    A large plan needs a few hundred thousand locations; this makes each about twice as fast.
    """
    return _tuple(Location, (file, line, column, ""))


def _find_key(mapping: dict, step: Any) -> Any:
    """The key of `mapping` that a (JSON) path step names: the key itself, or a non-string key
    written as a string (the schema sees years of 分年度 as strings)."""
    if step in mapping:
        return step
    for key in mapping:
        if str(key) == step:
            return key
    return _MISSING


def _problem(rule: type[syntax.Rule], name: str, message: str, line: int = 1, col: int = 1) -> list[Problem]:
    return [rule.problem(message, Location(name, line, col))]


def _line_col_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    head = data[:offset]
    line = head.count(b"\n") + 1
    last = head.rfind(b"\n")
    col = len(head[last + 1 :].decode("utf-8", errors="replace")) + 1
    return line, col


def _decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM):]
    for bom, label in _BOMS.items():
        if raw.startswith(bom):
            return None, _problem(
                syntax.FileEncoding, name,
                f"文件是{label}编码（开头有 BOM 标记）。请用编辑器另存为“UTF-8”（不带 BOM）后再检查。",
            )
    try:
        return raw.decode("utf-8"), []
    except UnicodeDecodeError as exc:
        line, col = _line_col_of_offset(raw, exc.start)
        try:
            raw.decode("gb18030")
            guess = "看起来是 GBK（ANSI）编码"
        except UnicodeDecodeError:
            guess = "不是 UTF-8 编码"
        return None, _problem(
            syntax.FileEncoding, name,
            f"文件{guess}，第 {line} 行起无法按 UTF-8 读取。请用编辑器另存为“UTF-8”（不带 BOM）。",
            line, col,
        )


#: libyaml's token names in its "expected …, but found …" texts, in a drafter's words.
_TOKENS = {
    "<block end>": "本层结束（缩进回到上一层）", "<block mapping start>": "“键: 值”", "<block sequence start>": "列表",
    "<block collection start>": "“键: 值”或列表", "<scalar>": "文字", "<document start>": "文档开始（---）",
    "<stream end>": "文件结束", "<flow mapping start>": "{", "<flow sequence start>": "[", "<anchor>": "锚点（&）",
    "<alias>": "别名（*）", "<tag>": "标签（!）", "<key>": "键", "<block entry>": "列表项“- ”",
    "node content": "内容（值）", "'-' indicator": "列表项“- ”", "URI escaped octet": "URI 转义字节",
    "whitespace or line break": "空格或换行", "tag handle": "标签前缀", "tag URI": "标签地址",
    "anchor name": "锚点名称", "alias name": "别名名称", "':'": "冒号“:”", "'!'": "“!”",
    "<document end>": "文档结束（...）", "<block mapping end>": "本层结束",
    "<flow sequence end>": "]", "<flow mapping end>": "}", "<flow entry>": "逗号“,”", "<value>": "值",
}

#: libyaml's other problem texts (and their first words, for those that name a character), in Chinese.
_PROBLEMS = {
    "found unexpected end of stream": "文件意外结束",
    "could not find expected ':'": "缺少冒号“:”",
    "mapping values are not allowed here": "这里不能出现“键: 值”",
    "mapping values are not allowed in this context": "这里不能出现“键: 值”",
    "block sequence entries are not allowed here": "这里不能出现列表项“- ”",
    "block sequence entries are not allowed in this context": "这里不能出现列表项“- ”",
    "mapping keys are not allowed here": "这里不能出现键",
    "mapping keys are not allowed in this context": "这里不能出现键",
    "found unexpected ':'": "冒号“:”出现在不该出现的地方",
    "found unexpected document indicator": "文字中出现了文档分隔符（--- 或 ...）",
    "found a tab character that violates indentation": "使用了 Tab 缩进",
    "found a tab character where an indentation space is expected": "使用了 Tab 缩进",
    "found undefined tag handle": "使用了未定义的标签",
    "found unknown escape character": "双引号中有无法识别的转义符（\\ 后面的字符）",
    "found duplicate anchor": "锚点（&）重复",
    "found incompatible YAML document": "YAML 版本不受支持",
    "found duplicate YAML directive": "YAML 指令重复",
    "found unexpected end of plain scalar": "文字意外结束",
    "expected a comment or a line break": "这里只能是注释或换行",
    "found extra characters at the end of the document": "文档末尾有多余的字符",
    "special characters are not allowed": "含有不允许的控制字符",
    "control characters are not allowed": "含有不允许的控制字符",
}


def _chinese(detail: str) -> str:
    """libyaml's English problem text in Chinese; '' when its form is not known."""
    def token(name: str) -> str:
        name = name.strip()
        if " or " in name:
            return "或".join(token(part) for part in name.split(" or "))
        if name in ("key", "'-'"):
            return {"key": "键", "'-'": "列表项“- ”"}[name]
        if name in _TOKENS:
            return _TOKENS[name]
        return f"“{name.strip(chr(39))}”" if name.startswith("'") else name

    found = re.fullmatch(r"expected (.+?), but found (.+)", detail)
    if found:
        return f"这里应为{token(found[1])}，却是{token(found[2])}"
    missing = re.fullmatch(r"did not find expected (.+)", detail)
    if missing:
        return f"缺少{token(missing[1])}"
    char = re.fullmatch(r"found character '(.+)' that cannot start any token", detail)
    if char:
        return f"字符“{char[1]}”不能出现在这里"
    for english, chinese in _PROBLEMS.items():
        if detail.startswith(english):
            return chinese
    return ""


def _syntax_message(exc: yaml.YAMLError, char: str = "") -> str:
    detail = getattr(exc, "problem", None) or getattr(exc, "reason", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    if char == "\t":
        return "YAML 语法错误：使用了 Tab 缩进，请全部改用空格。"
    said = _chinese(detail)
    where = f"（解析器：{said}）" if said else ""
    for needle, hint in _SYNTAX_HINTS:
        if needle in detail or needle in context:
            return f"YAML 语法错误：{hint}。" + (where if said and said not in hint else "")
    return f"YAML 语法错误：请检查这一行和上一行的缩进、冒号和引号。{where}"


def _mark(exc: yaml.YAMLError, text: str = "") -> tuple[int, int]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return mark.line + 1, mark.column + 1
    position = getattr(exc, "position", None)  # ReaderError (bad characters): a UTF-8 byte offset
    if isinstance(position, int) and text:
        return _line_col_of_offset(text.encode("utf-8"), position)
    return 1, 1


def _char_at(text: str, line: int, col: int) -> str:
    lines = text.split("\n", line)
    if line - 1 < len(lines):
        row = lines[line - 1]
        return row[col - 1] if 0 < col <= len(row) else ""
    return ""


#: Plans nest a dozen levels; refuse absurd depths before parsing.
MAX_NESTING = 64
MAX_INDENT = 256
_DEEP_INDENT = re.compile(rf"^ {{{MAX_INDENT + 1}}}", re.MULTILINE)
_BRACKETS = re.compile(r"[\[\]{}]")


def _scan_nesting(text: str, name: str) -> list[Problem]:
    deep = _DEEP_INDENT.search(text)
    if deep:
        row = text.count("\n", 0, deep.start()) + 1
        return _problem(syntax.YamlSyntax, name, f"缩进超过 {MAX_INDENT} 格，层次过深，无法读取。请检查缩进。", row, 1)
    depth = 0
    for m in _BRACKETS.finditer(text):
        if m.group() in "[{":
            depth += 1
            if depth > MAX_NESTING:
                pos = m.start()
                row = text.count("\n", 0, pos) + 1
                col = pos - (text.rfind("\n", 0, pos) + 1) + 1
                return _problem(
                    syntax.YamlSyntax, name,
                    f"括号嵌套超过 {MAX_NESTING} 层，无法读取。请检查是否有大量未闭合的括号。", row, col)
        else:
            depth = max(0, depth - 1)
    return []


def _scan_events(text: str, name: str) -> list[Problem]:
    """First pass over parser events: aliases, refused before anything is built (an alias needs a `*`)."""
    if "*" not in text:
        return []
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                mark = event.start_mark
                return _problem(
                    syntax.AliasNotAllowed, name,
                    f"使用了 YAML 别名“*{event.anchor}”。方案文件里每项内容都应直接写出，请把它替换为所指的内容。",
                    mark.line + 1, mark.column + 1,
                )
    except yaml.YAMLError as exc:
        line, col = _mark(exc, text)
        return _problem(syntax.YamlSyntax, name, _syntax_message(exc, _char_at(text, line, col)), line, col)
    except RecursionError:
        return _problem(syntax.YamlSyntax, name, "YAML 嵌套层数过多，无法读取。请检查是否有大量未闭合的括号。")
    return []


def read_yaml(path: Path, name: str, lenient: bool = False,
              block_form: bool = False) -> tuple[Map | None, str, list[Problem]]:
    """Read `path` as a YAML mapping. Returns (tree or None, text, problems); `block_form`: see
    `parse_text`."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            return None, "", _problem(syntax.UnreadableFile, name, "不是普通文件，无法读取。")
        if size > MAX_BYTES:
            return None, "", _problem(
                syntax.FileTooLarge, name,
                f"文件有 {size / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限"
                f"（约 4 万项任务）。请确认没有选错文件；确实这么大的方案请按章节拆成多个文件。",
            )
        raw = path.read_bytes()
    except OSError as exc:
        return None, "", _problem(syntax.UnreadableFile, name, f"无法读取文件：{exc.strerror or exc}。请检查路径和权限。")

    text, problems = _decode(raw, name)
    if text is None:
        return None, "", problems
    return parse_text(text, name, lenient, block_form)


# -- building the tree -------------------------------------------------------------------------------

_TAG = "tag:yaml.org,2002:"
_STR, _MAP, _SEQ = _TAG + "str", _TAG + "map", _TAG + "seq"
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_RESOLVER = yaml.resolver.Resolver()
#: Scalar tags a plan may carry, implicitly or written out (``!!int 3``).
_SCALARS = {
    _TAG + "null": "空值", _TAG + "bool": "true 或 false", _TAG + "int": "整数", _TAG + "float": "数字",
    _TAG + "timestamp": "日期",
}
#: Tags that read as plain text (``<<`` and ``=`` keys): the schema then says what is wrong.
_AS_TEXT = {_STR, _TAG + "merge", _TAG + "value"}


class _Loader(yaml.CSafeLoader):
    """libyaml's parser and composer, with a faster answer for the common scalar: a plain scalar
    whose first character starts no implicit type (Chinese text) is text, without trying the
    resolver's regular expressions one by one. Answers are those of PyYAML's resolver."""

    _FIRST = frozenset(k for k in yaml.resolver.Resolver.yaml_implicit_resolvers if k)

    def resolve(self, kind, value, implicit):
        if kind is ScalarNode and (not implicit[0] or (value and value[0] not in self._FIRST)):
            return _STR
        return super().resolve(kind, value, implicit)


class _Builder:
    """Turns libyaml's composed nodes into `Map`/`Seq`/scalars, collecting located findings."""

    def __init__(self, name: str):
        self.name = name
        self.problems: list[Problem] = []

    def fail(self, rule: type, message: str, node) -> None:
        mark = node.start_mark
        self.problems.append(rule.problem(message, Location(self.name, mark.line + 1, mark.column + 1)))

    def scalar(self, node: ScalarNode) -> Any:
        tag = node.tag
        if tag in _AS_TEXT:
            return node.value
        if tag in _SCALARS:
            try:
                value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, node)
            except (ValueError, TypeError, OverflowError, KeyError, IndexError, yaml.YAMLError):
                if node.style == "" and _RESOLVER.resolve(ScalarNode, node.value, (True, False)) == tag:
                    return node.value  # looks like a number or date but is none (2025-02-30, ._): text
                self.fail(syntax.InvalidValue,
                          f"“{node.value}”不是{_SCALARS[tag]}，不能写成 {_short(tag)}。请删除标签或改正这个值。", node)
                return None
            if isinstance(value, dt.date):  # what the user wrote, as the schema and the model read dates
                return value.isoformat()
            return value
        self.fail(syntax.YamlSyntax, f"使用了不支持的标签“{_short(tag)}”。请删除它，直接写出内容。", node)
        return None

    def build(self, node) -> Any:
        if isinstance(node, ScalarNode):
            return self.scalar(node)
        if node.tag not in (_MAP, _SEQ):
            self.fail(syntax.YamlSyntax, f"使用了不支持的标签“{_short(node.tag)}”。请删除它，直接写出内容。", node)
            return None
        mark = node.start_mark
        if isinstance(node, MappingNode):
            out = Map((mark.line, mark.column))
            marks = out.marks
            for key_node, value_node in node.value:
                if not isinstance(key_node, ScalarNode):
                    self.fail(syntax.YamlSyntax, "键必须是一段文字，不能是列表或映射。请检查这一行的写法。", key_node)
                    continue
                if key_node.tag not in _AS_TEXT and key_node.tag not in _SCALARS:
                    self.scalar(key_node)  # an unsupported tag: say so
                key = key_node.value  # keys are text as written (2025: in 分年度 is "2025"), as JSON has them
                if key in out:
                    self.problems.append(syntax.DuplicateKey.problem(
                        f"同一层里重复出现了键“{key_node.value}”，后一个会覆盖前一个。请删除或合并重复的键。",
                        Location(self.name, key_node.start_mark.line + 1, key_node.start_mark.column + 1)))
                km, vm = key_node.start_mark, value_node.start_mark
                marks[key] = (km.line << 72) | (km.column << 48) | (vm.line << 24) | vm.column
                if type(value_node) is ScalarNode and value_node.tag == _STR:
                    out[key] = value_node.value
                else:
                    out[key] = self.build(value_node)
            return out
        out = Seq((mark.line, mark.column))
        append, mark_append = out.append, out.marks.append
        for item in node.value:
            m = item.start_mark
            mark_append((m.line << 24) | m.column)
            if type(item) is ScalarNode and item.tag == _STR:
                append(item.value)
            else:
                append(self.build(item))
        return out


# -- the block form docgen writes, read without libyaml ---------------------------------------------

#: What a plain scalar of the block form may not start with (YAML indicators, space).
_INDICATORS = frozenset("-?:,[]{}#&*!|>'\"%@` ")


def parse_block_form(text: str, name: str) -> Map | None:
    """The tree libyaml and `_Builder` make of `text`, when `text` is in the block form that
    `docgen.progress.model.dump` writes: block mappings of plain keys, plain scalars and block
    sequences of plain scalars, comments and blank lines; None for anything else (quotes, flow
    collections, block scalars, multi-line scalars, anchors, tags, tabs, duplicate keys, a value
    the constructor refuses …): the caller then parses with libyaml, which also locates every error.

    The same values (through the same resolver and constructor) and the same positions, read in
    one pass over the lines: libyaml's composer builds a node per scalar, which took seconds for
    the progress file of a few thousand units.

    A plain scalar here starts with no indicator, holds no ``:`` or ``#`` and does not end with a
    space; every character of the file is printable (no tab, control character or other break).
    """
    if "\t" in text:
        return None
    if "\r" in text:
        text = text.replace("\r\n", "\n")  # one break for libyaml too: lines and columns unchanged
        if "\r" in text:
            return None
    if not text.replace("\n", "").isprintable():
        return None
    builder = _Builder(name)
    root: Map | None = None
    stack: list[tuple[int, Any, bool]] = []  # (indent, mapping or sequence, is a sequence)
    pending = None  # a key whose value is the block on the next lines: (mapping, key, line, indent)
    try:
        for number, line in enumerate(text.split("\n")):
            content = line.lstrip(" ")
            if not content or content[0] == "#":
                continue
            at = len(line) - len(content)
            item = content[0] == "-" and (len(content) == 1 or content[1] == " ")
            if pending is not None:
                mapping, key, key_line, key_at = pending
                pending = None
                if item and at >= key_at:
                    child, is_seq = Seq((number, at)), True
                elif not item and at > key_at:
                    child, is_seq = Map((number, at)), False
                else:
                    raise _NotBlockForm  # an empty value (null)
                mapping[key] = child
                mapping.marks[key] = (key_line << 72) | (key_at << 48) | (number << 24) | at
                stack.append((at, child, is_seq))
            elif root is None:
                root = Map((number, at))
                stack.append((at, root, False))
            else:
                while stack and at < stack[-1][0]:
                    stack.pop()
                if stack and stack[-1][2] and not item and at == stack[-1][0]:
                    stack.pop()  # the end of a sequence written at its key's indent
                if not stack or at != stack[-1][0]:
                    raise _NotBlockForm  # a continued scalar, or indentation libyaml refuses
            _, top, is_seq = stack[-1]
            if is_seq:
                if not item:
                    raise _NotBlockForm
                value = content[2:].lstrip(" ")
                column = at + len(content) - len(value)
                top.append(_block_scalar(value, number, column, builder))
                top.marks.append((number << 24) | column)
                continue
            key, colon, rest = content.partition(":")
            if item or not colon or not key or key[0] in _INDICATORS or key[-1] == " " or "#" in key or key in top:
                raise _NotBlockForm
            if not rest:
                pending = (top, key, number, at)
                continue
            value = rest.lstrip(" ")
            if len(value) == len(rest):  # "key:x"
                raise _NotBlockForm
            column = at + len(key) + 1 + len(rest) - len(value)
            top[key] = _block_scalar(value, number, column, builder)
            top.marks[key] = (number << 72) | (at << 48) | (number << 24) | column
    except _NotBlockForm:
        return None
    return root if pending is None else None


class _NotBlockForm(Exception):
    """`parse_block_form` met something outside the block form."""


def _block_scalar(value: str, line: int, column: int, builder: _Builder) -> Any:
    """A plain scalar of the block form, read as `_Builder` reads libyaml's node of it."""
    if not value or value[0] in _INDICATORS or value[-1] == " " or ":" in value or "#" in value:
        raise _NotBlockForm
    if value[0] not in _Loader._FIRST:
        return value
    tag = _RESOLVER.resolve(ScalarNode, value, (True, False))
    if tag == _STR:
        return value
    mark = yaml.Mark(builder.name, 0, line, column, None, None)
    out = builder.scalar(ScalarNode(tag, value, mark, mark, style=""))
    if builder.problems:
        raise _NotBlockForm
    return out


def _short(tag: str) -> str:
    return "!!" + tag[len(_TAG):] if tag.startswith(_TAG) else tag


def parse_text(text: str, name: str, lenient: bool = False,
               block_form: bool = False) -> tuple[Map | None, str, list[Problem]]:
    """Parse YAML text into a mapping. Returns (tree or None, text, problems).

    With `lenient`, a tree whose only fault is a duplicate key (DG004) is returned with that finding:
    the checker reports it and still checks the rest, so one duplicate 别名 in a registry file does not
    take the whole registry away from every plan. With `block_form`, text in the block form docgen
    writes is read without libyaml (`parse_block_form`: the same tree, many times faster)."""
    if not re.search(r"^[ \t]*[^#\s]", text, re.MULTILINE):
        return None, text, _problem(syntax.EmptyFile, name, "文件是空的（或只有注释）。请补上内容，或删除这个文件。")
    problems = _scan_nesting(text, name) or _scan_events(text, name)
    if problems:
        return None, text, problems
    if block_form:
        tree = parse_block_form(text, name)
        if tree is not None:
            return tree, text, []
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.YAMLError as exc:
        line, col = _mark(exc, text)
        return None, text, _problem(syntax.YamlSyntax, name, _syntax_message(exc, _char_at(text, line, col)), line, col)
    except RecursionError:
        return None, text, _problem(syntax.YamlSyntax, name, "YAML 嵌套层数过多，无法读取。")
    if root is None:
        return None, text, _problem(syntax.EmptyFile, name, "文件是空的（或只有注释）。请补上内容，或删除这个文件。")
    if not isinstance(root, MappingNode):
        return None, text, _problem(
            syntax.UnknownDocument, name,
            "文件顶层必须是“键: 值”的映射（方案以“文种”开头，单位库以“组织”开头），现在是列表或单个值。",
        )
    builder = _Builder(name)
    try:
        data = builder.build(root)
    except RecursionError:
        return None, text, _problem(syntax.YamlSyntax, name, "YAML 嵌套层数过多，无法读取。")
    if builder.problems:
        found = sorted(set(builder.problems), key=Problem.sort_key)
        if lenient and all(p.code == syntax.DuplicateKey.code for p in found):
            return data, text, found  # the tree is whole (the first of two keys kept): the rest can be checked
        return None, text, found
    return data, text, []


def _classify(path: Path, name: str, data: Map, text: str, kind: Kind | None) -> tuple[Source | None, list[Problem]]:
    if kind is not None:
        return Source(path, name, text, data, kind), []
    if "文种" in data:
        kind = "plan"
    elif "组织" in data:
        kind = "registry"
    elif any(key in data for key in DATA_KEYS):
        kind = "data"  # a 通报's data file: read by the 通报 that names it (docgen.bulletin.data)
    else:
        return None, _problem(
            syntax.UnknownDocument, name,
            "无法识别这个文件：方案文件顶层要有“文种”，单位库文件顶层要有“组织”。",
        )
    return Source(path, name, text, data, kind), []


def load_text(text: str, path: Path, name: str, kind: Kind | None = None,
              lenient: bool = False) -> tuple[Source | None, list[Problem]]:
    """Load YAML text as if it were the file `path` (for documents not written yet)."""
    if text.startswith("\ufeff"):
        text = text[1:]
    data, text, problems = parse_text(text, name, lenient)
    if data is None:
        return None, problems
    source, more = _classify(path, name, data, text, kind)
    return source, problems + more


def load(path: Path, name: str, kind: Kind | None = None, lenient: bool = False) -> tuple[Source | None, list[Problem]]:
    """Load a plan or registry file (or a file of the given `kind`). Returns (source or None, problems).

    With `lenient`, see `parse_text`. A progress file (`docgen collect` writes thousands of lines of
    block YAML) is read in its block form without libyaml when it is in that form."""
    data, text, problems = read_yaml(path, name, lenient, block_form=kind == "progress")
    if data is None:
        return None, problems
    source, more = _classify(path, name, data, text, kind)
    return source, problems + more


def from_data(data: Map, path: Path, name: str, kind: Kind, text: str = "") -> Source:
    """A source for a tree built in memory (a derived child plan): positions are those the tree
    carries (none: every location is the top of the file)."""
    return Source(path, name, text, data, kind)
