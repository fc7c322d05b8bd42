"""Load stage: read a YAML file safely into a round-trip tree that remembers every node's position.

The only module that touches ruamel.yaml's parser. Every failure becomes a `Problem` (never an
exception): bad encoding, BOM, empty file, syntax error, duplicate key, alias, oversize file.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.constructor import DuplicateKeyError
from ruamel.yaml.error import MarkedYAMLError, YAMLError
from ruamel.yaml.events import AliasEvent

from docgen.problems import Location, Problem
from docgen.codes import syntax

#: Plans and registries are text; anything larger is a mistake (and must not hang the checker).
MAX_BYTES = 2 * 1024 * 1024

Kind = Literal["plan", "registry"]

_BOMS = {
    b"\xef\xbb\xbf": "带 BOM 的 UTF-8",
    b"\xff\xfe": "UTF-16",
    b"\xfe\xff": "UTF-16",
}

# ruamel's English problem texts, turned into advice a drafter can act on.
_SYNTAX_HINTS: tuple[tuple[str, str], ...] = (
    ("'\\t'", "使用了 Tab 缩进，请全部改用空格"),
    ("mapping values are not allowed", "这里不能出现“键: 值”，常见原因是冒号后少了空格、文字里有半角冒号没加引号，或上一行缩进不对"),
    ("could not find expected ':'", "缺少“键: 值”中的冒号，或上一行的引号没有闭合"),
    ("did not find expected key", "缩进不一致：同一层的键必须对齐"),
    ("did not find expected '-'", "列表缩进不一致：同一列表的“- ”必须对齐"),
    ("expected ',' or ']'", "方括号 [ ] 没有配对，或列表项之间缺少逗号"),
    ("expected ',' or '}'", "花括号 { } 没有配对，或各项之间缺少逗号"),
    ("while scanning a quoted scalar", "引号没有配对"),
    ("found unexpected end of stream", "文件意外结束：可能有引号或括号没有闭合"),
    ("special characters are not allowed", "含有不可见的控制字符，请删除"),
    ("unacceptable character", "含有不可见的控制字符，请删除"),
    ("found character", "含有 YAML 不允许出现在此处的字符；文字以 @、`、%、*、& 等开头时请加引号"),
    ("expected a single document", "一个文件只能有一个文档，请删除多余的“---”"),
    ("found undefined tag", "使用了不支持的标签（以 ! 开头），请删除"),
)


@dataclass
class Source:
    """A loaded YAML file: its text, its round-trip tree, and what kind of document it is."""

    path: Path
    name: str
    text: str
    data: CommentedMap
    kind: Kind
    _line_cache: list[str] | None = field(default=None, repr=False, compare=False)

    def location(self, line0: int = 0, col0: int = 0) -> Location:
        """A `Location` in this file from ruamel's 0-based line and column."""
        return Location(self.name, line0 + 1, col0 + 1)

    def node(self, node: object) -> Location:
        """Where a mapping or sequence node starts (its first key or item)."""
        lc = getattr(node, "lc", None)
        if lc is None or lc.line is None:
            return self.location()
        return self.location(lc.line, lc.col)

    def key(self, mapping: CommentedMap, key: str) -> Location:
        """Where `key` is written in `mapping`."""
        try:
            return self.location(*mapping.lc.key(key))
        except (KeyError, TypeError, AttributeError):
            return self.node(mapping)

    def value(self, mapping: CommentedMap, key: str) -> Location:
        """Where the value of `key` starts in `mapping`."""
        try:
            return self.location(*mapping.lc.value(key))
        except (KeyError, TypeError, AttributeError):
            return self.key(mapping, key)

    def item(self, seq: CommentedSeq, index: int) -> Location:
        """Where item `index` of `seq` starts."""
        try:
            return self.location(*seq.lc.item(index))
        except (KeyError, TypeError, AttributeError, IndexError):
            return self.node(seq)

    def locate(self, path: Sequence[str | int], on_key: bool = False) -> Location:
        """The location of the node at `path`, or of its nearest existing ancestor.

        With `on_key`, the last step points at the key rather than at its value.
        """
        node: object = self.data
        loc = self.node(node)
        for i, step in enumerate(path):
            last = i == len(path) - 1
            if isinstance(node, CommentedMap) and step in node:
                loc = self.key(node, step) if (last and on_key) else self.value(node, step)
                node = node[step]
            elif isinstance(node, CommentedSeq) and isinstance(step, int) and 0 <= step < len(node):
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

    def _lines(self) -> list[str]:
        if self._line_cache is None:
            self._line_cache = self.text.split("\n")
        return self._line_cache

    def strings(self) -> Iterator[tuple[tuple[str | int, ...], str, Location]]:
        """Every string value in the file with its path and where it starts, in file order."""
        def walk(node: object, path: tuple[str | int, ...]) -> Iterator[tuple[tuple[str | int, ...], str, Location]]:
            if isinstance(node, CommentedMap):
                for k, v in node.items():
                    if isinstance(v, str):
                        yield path + (k,), v, self.value(node, k)
                    else:
                        yield from walk(v, path + (k,))
            elif isinstance(node, CommentedSeq):
                for i, v in enumerate(node):
                    if isinstance(v, str):
                        yield path + (i,), v, self.item(node, i)
                    else:
                        yield from walk(v, path + (i,))
        yield from walk(self.data, ())


def _problem(rule: type[syntax.Rule], name: str, message: str, line: int = 1, col: int = 1) -> list[Problem]:
    return [rule.problem(message, Location(name, line, col))]


def _line_col_of_offset(data: bytes, offset: int) -> tuple[int, int]:
    head = data[:offset]
    line = head.count(b"\n") + 1
    last = head.rfind(b"\n")
    col = len(head[last + 1 :].decode("utf-8", errors="replace")) + 1
    return line, col


def _decode(raw: bytes, name: str) -> tuple[str | None, list[Problem]]:
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


def _syntax_message(exc: YAMLError) -> str:
    detail = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None) or ""
    for needle, hint in _SYNTAX_HINTS:
        if needle in detail or needle in context:
            return f"YAML 语法错误：{hint}。（{detail}）"
    return f"YAML 语法错误：请检查这一行和上一行的缩进、冒号和引号。（{detail}）"


def _mark(exc: YAMLError, text: str = "") -> tuple[int, int]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    if mark is not None:
        return mark.line + 1, mark.column + 1
    position = getattr(exc, "position", None)  # ReaderError (bad characters) has only an offset
    if isinstance(position, int) and text:
        head = text[:position]
        return head.count("\n") + 1, position - (head.rfind("\n") + 1) + 1
    return 1, 1


def _fresh_yaml() -> YAML:
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    return yaml


#: Plans nest a dozen levels; ruamel's parser slows down quadratically with nesting, so refuse
#: absurd depths before parsing.
MAX_NESTING = 64
MAX_INDENT = 256


def _scan_nesting(text: str, name: str) -> list[Problem]:
    depth = 0
    for row, line in enumerate(text.split("\n"), start=1):
        indent = len(line) - len(line.lstrip(" "))
        if indent > MAX_INDENT:
            return _problem(syntax.YamlSyntax, name, f"缩进超过 {MAX_INDENT} 格，层次过深，无法读取。请检查缩进。", row, 1)
        for col, char in enumerate(line, start=1):
            if char in "[{":
                depth += 1
                if depth > MAX_NESTING:
                    return _problem(
                        syntax.YamlSyntax, name,
                        f"括号嵌套超过 {MAX_NESTING} 层，无法读取。请检查是否有大量未闭合的括号。", row, col)
            elif char in "]}":
                depth = max(0, depth - 1)
    return []


def _scan_events(text: str, name: str) -> list[Problem]:
    """First pass over parser events: aliases, before anything is built (an alias needs a `*`)."""
    if "*" not in text:
        return []
    try:
        for event in _fresh_yaml().parse(text):
            if isinstance(event, AliasEvent):
                mark = event.start_mark
                return _problem(
                    syntax.AliasNotAllowed, name,
                    f"使用了 YAML 别名“*{event.anchor}”。方案文件里每项内容都应直接写出，请把它替换为所指的内容。",
                    mark.line + 1, mark.column + 1,
                )
    except YAMLError as exc:
        line, col = _mark(exc, text)
        return _problem(syntax.YamlSyntax, name, _syntax_message(exc), line, col)
    except RecursionError:
        return _problem(syntax.YamlSyntax, name, "YAML 嵌套层数过多，无法读取。请检查是否有大量未闭合的括号。")
    return []


def read_yaml(path: Path, name: str) -> tuple[CommentedMap | None, str, list[Problem]]:
    """Read `path` as a YAML mapping. Returns (tree or None, text, problems)."""
    try:
        size = path.stat().st_size
        if not path.is_file():
            return None, "", _problem(syntax.UnreadableFile, name, "不是普通文件，无法读取。")
        if size > MAX_BYTES:
            return None, "", _problem(
                syntax.FileTooLarge, name,
                f"文件有 {size / 1024 / 1024:.1f} MB，超过 {MAX_BYTES // 1024 // 1024} MB 的上限。请确认没有选错文件；大表格请拆成多个文件。",
            )
        raw = path.read_bytes()
    except OSError as exc:
        return None, "", _problem(syntax.UnreadableFile, name, f"无法读取文件：{exc.strerror or exc}。请检查路径和权限。")

    text, problems = _decode(raw, name)
    if text is None:
        return None, "", problems
    return parse_text(text, name)


def parse_text(text: str, name: str) -> tuple[CommentedMap | None, str, list[Problem]]:
    """Parse YAML text into a mapping. Returns (tree or None, text, problems)."""
    if not re.search(r"^[ \t]*[^#\s]", text, re.MULTILINE):
        return None, text, _problem(syntax.EmptyFile, name, "文件是空的（或只有注释）。请补上内容，或删除这个文件。")
    problems = _scan_nesting(text, name) or _scan_events(text, name)
    if problems:
        return None, text, problems
    try:
        data = _fresh_yaml().load(text)
    except DuplicateKeyError as exc:
        line, col = _mark(exc)
        key = re.search(r'duplicate key "(.*?)"', exc.problem or "")
        what = f"“{key.group(1)}”" if key else ""
        return None, text, _problem(
            syntax.DuplicateKey, name,
            f"同一层里重复出现了键{what}，后一个会覆盖前一个。请删除或合并重复的键。",
            line, col,
        )
    except (MarkedYAMLError, YAMLError) as exc:
        line, col = _mark(exc, text)
        return None, text, _problem(syntax.YamlSyntax, name, _syntax_message(exc), line, col)
    except RecursionError:
        return None, text, _problem(syntax.YamlSyntax, name, "YAML 嵌套层数过多，无法读取。")
    if data is None:
        return None, text, _problem(syntax.EmptyFile, name, "文件是空的（或只有注释）。请补上内容，或删除这个文件。")
    if not isinstance(data, CommentedMap):
        return None, text, _problem(
            syntax.UnknownDocument, name,
            "文件顶层必须是“键: 值”的映射（方案以“文种:”开头，单位库以“组织:”开头），现在是列表或单个值。",
        )
    return data, text, []


def _classify(path: Path, name: str, data: CommentedMap, text: str) -> tuple[Source | None, list[Problem]]:
    if "文种" in data:
        kind: Kind = "plan"
    elif "组织" in data:
        kind = "registry"
    else:
        return None, _problem(
            syntax.UnknownDocument, name,
            "无法识别这个文件：方案文件顶层要有“文种”，单位库文件顶层要有“组织”。",
        )
    return Source(path, name, text, data, kind), []


def load_text(text: str, path: Path, name: str) -> tuple[Source | None, list[Problem]]:
    """Load YAML text as if it were the file `path` (for documents not written yet)."""
    data, text, problems = parse_text(text, name)
    if data is None:
        return None, problems
    return _classify(path, name, data, text)


def load(path: Path, name: str) -> tuple[Source | None, list[Problem]]:
    """Load a plan or registry file. Returns (source or None, problems)."""
    data, text, problems = read_yaml(path, name)
    if data is None:
        return None, problems
    return _classify(path, name, data, text)


def dump_yaml(data: CommentedMap, header: str = "") -> str:
    """YAML text for a round-trip tree: block style, two-space indents, long lines never folded.

    `header` lines are written first, each as a comment.
    """
    import io

    yaml = _fresh_yaml()
    yaml.indent(mapping=2, sequence=4, offset=2)
    yaml.width = 100_000
    yaml.allow_unicode = True
    stream = io.StringIO()
    yaml.dump(data, stream)
    lines = "".join(f"# {line}".rstrip() + "\n" for line in header.splitlines())
    return lines + stream.getvalue()
