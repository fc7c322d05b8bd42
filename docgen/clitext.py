"""Chinese for the command line: click's own messages through a catalogue, help wrapped by width.

click words its messages through gettext (``from gettext import gettext as _`` in each module);
`install()` points those names at `CATALOGUE`, so usage lines, errors and help headings read in
Chinese ("用法：", "错误：缺少选项 '--progress'。"). Help text is wrapped by *display* width (a
Chinese character takes two columns) at the terminal's width, and lines of a Chinese paragraph
are joined without the space an English rewrap would put between them.
"""

from __future__ import annotations

import importlib
import re
import unicodedata

#: click's English messages (as in click 8.1-8.5) and their Chinese wording.
CATALOGUE: dict[str, str] = {
    "%(prog)s, version %(version)s": "%(prog)s，版本 %(version)s",
    "Aborted!": "已中止。",
    "Choose from:\n\t{choices}": "可选：\n\t{choices}",
    "Commands": "命令",
    "Could not open file {filename!r}: {message}": "无法打开文件 {filename!r}：{message}",
    "Do you want to continue?": "是否继续？",
    "Error: The two entered values do not match.": "错误：两次输入的值不一致。",
    "Error: invalid input": "错误：输入无效",
    "Error: {message}": "错误：{message}",
    "Invalid value for {param_hint}: {message}": "{param_hint} 的值无效：{message}",
    "Invalid value: {message}": "值无效：{message}",
    "Missing argument": "缺少参数",
    "Missing command.": "缺少命令。",
    "Missing option": "缺少选项",
    "Missing parameter": "缺少参数",
    "Missing parameter: {param_name}": "缺少参数：{param_name}",
    "Missing {param_type}": "缺少{param_type}",
    "No such command {name!r}.": "没有命令 {name!r}。",
    "No such option {name!r}.": "没有选项 {name!r}。",
    "No such option: {name}": "没有选项：{name}",
    "Option {name!r} does not take a value.": "选项 {name!r} 不带值。",
    "Options": "选项",
    "Positional arguments": "位置参数",
    "Press any key to continue...": "按任意键继续……",
    "Repeat for confirmation": "再输入一次以确认",
    "Show the version and exit.": "显示版本并退出。",
    "Show this message and exit.": "显示本帮助并退出。",
    "Try '{command} {option}' for help.": "运行 '{command} {option}' 查看帮助。",
    "Usage:": "用法：",
    "Value must be an iterable.": "值应为列表。",
    "default: {default}": "默认：{default}",
    "deprecated": "已弃用",
    "directory": "目录",
    "env var: {var}": "环境变量：{var}",
    "file": "文件",
    "path": "路径",
    "required": "必填",
    "unknown error": "未知错误",
    "{name} {filename!r} does not exist.": "{name} {filename!r} 不存在。",
    "{name} {filename!r} is a directory.": "{name} {filename!r} 是目录，应为文件。",
    "{name} {filename!r} is a file.": "{name} {filename!r} 是文件，应为目录。",
    "{name} {filename!r} is not executable.": "{name} {filename!r} 不可执行。",
    "{name} {filename!r} is not readable.": "{name} {filename!r} 无法读取。",
    "{name} {filename!r} is not writable.": "{name} {filename!r} 无法写入。",
    "{value!r} is not a valid boolean. Recognized values: {states}": "{value!r} 不是有效的是/否值。可用：{states}",
    "{value!r} is not a valid {number_type}.": "{value!r} 不是有效的{number_type}。",
    "{value} is not in the range {range}.": "{value} 不在范围 {range} 内。",
    "integer": "整数",
    "float": "数",
}

#: click's plural messages: (singular, plural) -> Chinese (one form).
PLURALS: dict[tuple[str, str], str] = {
    ("Did you mean {possibility}?", "(Did you mean one of: {possibilities}?)"):
        "您是否想写：{possibility}{possibilities}？",
    ("Got unexpected extra argument ({args})", "Got unexpected extra arguments ({args})"):
        "多余的参数（{args}）",
    ("Option {name!r} requires an argument.", "Option {name!r} requires {nargs} arguments."):
        "选项 {name!r} 需要一个值。",
    ("Takes {nargs} values but 1 was given.", "Takes {nargs} values but {len} were given."):
        "需要 {nargs} 个值，给出了 {len} 个。",
    ("{value!r} is not {choice}.", "{value!r} is not one of {choices}."):
        "{value!r} 不是可选值：{choice}{choices}。",
}

_CLICK_MODULES = ("core", "decorators", "exceptions", "formatting", "parser", "termui", "types", "utils")


def translate(message: str) -> str:
    return CATALOGUE.get(message, message)


def translate_plural(singular: str, plural: str, n: int) -> str:
    worded = PLURALS.get((singular, plural))
    if worded is None:
        return singular if n == 1 else plural
    # One Chinese form for both: fill whichever field the caller formats, leave the other empty.
    return worded.replace("{possibility}{possibilities}", "{possibility}" if n == 1 else "{possibilities}").replace(
        "{choice}{choices}", "{choice}" if n == 1 else "{choices}")


# -- display width ----------------------------------------------------------------------------------

_ANSI = re.compile(r"\x1b\[[0-9;]*m")
_NO_LINE_START = set("，。、；：？！）》」』】”’…%")
_NO_LINE_END = set("（《「『【“‘[(")
_CJK_PUNCT = set("，。、；：？！（）《》「」『』【】“”‘’…—")


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in "WF"


def display_width(text: str) -> int:
    """Columns `text` takes on a terminal: Chinese characters two, combining marks none."""
    text = _ANSI.sub("", text)
    return sum(2 if _wide(c) else 0 if unicodedata.combining(c) else 1 for c in text)


def _tokens(text: str) -> list[str]:
    """Break points: each wide character is a token, runs of other characters are words."""
    return re.findall(r"\s+|[^\s\u2e80-\uffef]+|[\u2e80-\uffef]", text)


def _join_lines(lines: list[str]) -> str:
    """Join the lines of one paragraph: a space between words, none between Chinese characters."""
    out = ""
    for line in (ln.strip() for ln in lines):
        if out and line and not (_wide(out[-1]) and _wide(line[0])) and not (
                out[-1] in _CJK_PUNCT or line[0] in _CJK_PUNCT):
            out += " "
        out += line
    return out


def _fill(text: str, width: int, initial: str, subsequent: str) -> str:
    """Greedy fill by display width; a closing mark never starts a line, an opening mark never ends one."""
    lines: list[str] = []
    line: list[str] = []  # tokens of the current line, spaces included
    indent = initial

    for token in _tokens(text):
        if token.isspace():
            if line:
                line.append(" ")
            continue
        if line and display_width(indent + "".join(line)) + display_width(token) > width:
            carry: list[str] = []
            # Move the tokens that may not end a line, or that must precede this one, down with it.
            while line and (token[0] in _NO_LINE_START and not carry or line[-1].isspace()
                            or line[-1][-1] in _NO_LINE_END) and len(line) > 1:
                carry.insert(0, line.pop())
                if not carry[0].isspace() and carry[0][-1] not in _NO_LINE_END:
                    break
            lines.append(indent + "".join(line).rstrip())
            indent = subsequent
            line = [t for t in carry if not (t.isspace() and not line)]
            while line and line[0].isspace():
                line.pop(0)
        line.append(token)
    lines.append(indent + "".join(line).rstrip())
    return "\n".join(lines)


def wrap_text(text: str, width: int = 78, initial_indent: str = "", subsequent_indent: str = "",
              preserve_paragraphs: bool = False) -> str:
    """click's `wrap_text`, measuring display width and joining Chinese lines without spaces."""
    text = text.expandtabs()
    if not preserve_paragraphs:
        return _fill(_join_lines(text.splitlines()) if "\n" in text else text, width, initial_indent, subsequent_indent)
    paragraphs: list[tuple[int, bool, str]] = []
    buf: list[str] = []
    indent: int | None = None

    def flush() -> None:
        if not buf:
            return
        if buf[0].strip() == "\b":
            paragraphs.append((indent or 0, True, "\n".join(buf[1:])))
        else:
            paragraphs.append((indent or 0, False, _join_lines(buf)))
        buf.clear()

    for line in text.splitlines():
        if not line:
            flush()
            indent = None
        else:
            if indent is None:
                indent = len(line) - len(line.lstrip())
            buf.append(line)
    flush()
    out = []
    for para_indent, raw, body in paragraphs:
        extra = " " * para_indent
        if raw:
            out.append("\n".join(initial_indent + extra + ln for ln in body.splitlines()))
        else:
            out.append(_fill(body, width, initial_indent + extra, subsequent_indent + extra))
    return "\n\n".join(out)


# -- option help: ranges, defaults and metavars in Chinese -------------------------------------------

def _range(low, high, open_low: bool = False, open_high: bool = False) -> str:
    if low is not None and high is not None:
        return f"{low}～{high}"
    if low is not None:
        return f"大于 {low}" if open_low else f"至少 {low}"
    if high is not None:
        return f"小于 {high}" if open_high else f"至多 {high}"
    return ""


def _chinese_range_class(base):
    class Ranged(base):
        __doc__ = f"{base.__name__} whose range reads in Chinese in help (“1～64”, “至少 1”) rather than “1<=x<=64”."

        def _describe_range(self) -> str:
            return _range(self.min, self.max, self.min_open, self.max_open)

    Ranged.__name__ = base.__name__
    return Ranged


def _types():
    import click

    return _chinese_range_class(click.IntRange), _chinese_range_class(click.FloatRange)


#: click's type names, shown when an option or argument has no metavar of its own.
TYPE_METAVARS = {"INTEGER": "整数", "INTEGER RANGE": "整数", "FLOAT": "数", "FLOAT RANGE": "数", "TEXT": "文字",
                 "BOOLEAN": "是/否", "PATH": "路径", "FILENAME": "文件", "UUID": "UUID"}


def _help_record(self, ctx):
    """click's `Option.get_help_record`, its bracketed extras joined the Chinese way (“[默认：300；至少 1]”)."""
    if self.hidden:
        return None
    help = self.help or ""
    extra = self.get_help_extra(ctx)
    items = []
    if "envvars" in extra:
        items.append(translate("env var: {var}").format(var="、".join(extra["envvars"])))
    if "default" in extra:
        items.append(translate("default: {default}").format(default=extra["default"]))
    if "range" in extra:
        items.append(f"范围：{extra['range']}")
    if "required" in extra:
        items.append(translate(extra["required"]))
    if items:
        joined = "；".join(items)
        help = f"{help}  [{joined}]" if help else f"[{joined}]"
    return self.get_help_spec(ctx) if hasattr(self, "get_help_spec") else self._write_opts(self.opts), help


def install() -> None:
    """Point click's gettext names, text wrapping and width measure at the Chinese versions."""
    import click

    for name in _CLICK_MODULES:
        try:
            module = importlib.import_module(f"click.{name}")
        except ImportError:  # a click without that module
            continue
        if hasattr(module, "_"):
            module._ = translate
        if hasattr(module, "ngettext"):
            module.ngettext = translate_plural
    formatting = importlib.import_module("click.formatting")
    formatting.wrap_text = wrap_text
    formatting.term_len = display_width
    click.Option.param_type_name = "选项"
    click.Argument.param_type_name = "参数"
    click.Option.get_help_record = _help_record
    for cls in (click.Option, click.Argument):
        made = cls.make_metavar

        def make_metavar(self, ctx=None, _made=made):
            var = _made(self, ctx) if ctx is not None else _made(self)
            core = var.removesuffix("...").removeprefix("[").removesuffix("]")
            if core in TYPE_METAVARS:
                var = var.replace(core, TYPE_METAVARS[core], 1)
            return var

        cls.make_metavar = make_metavar


IntRange, FloatRange = _types()
