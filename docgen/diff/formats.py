"""Show a `DiffResult`: text for a terminal, Markdown for pull requests and CI summaries, JSON for tools.

Every format writes to a given stream and shows the same changes in the same order. Reworded
text is shown character by character: deletions ``[-…-]`` and insertions ``{+…+}`` in text (red
and green when colour is on), ``<del>``/``<ins>`` in Markdown, ``["-", "…"]`` segments in JSON.
"""

from __future__ import annotations

import html
import json
from typing import Protocol, TextIO

import click

from docgen.diff import inline
from docgen.diff.changes import Change, Element, Kind
from docgen.diff.result import DiffResult, FileDiff, counts

_SYMBOL = {Kind.ADDED: "+", Kind.REMOVED: "-"}
_COLOUR = {Kind.ADDED: "green", Kind.REMOVED: "red", Kind.MOVED: "cyan", Kind.RENAMED: "cyan"}


class Format(Protocol):
    def write(self, result: DiffResult, out: TextIO) -> None: ...


def _group(change: Change) -> str:
    """The heading a change is listed under: 文件要素, 附件, or the section path."""
    if change.element is Element.DOCUMENT:
        return "文件要素"
    if change.element is Element.ATTACHMENT:
        return "附件"
    if change.element is Element.PLAN:
        return "方案文件"
    return " › ".join(change.section) or "正文"


def _line(change: Change) -> str:
    """The details after a change: the task's 编号 (the number in the YAML, not in the document) and the line."""
    parts = [f"编号{change.id}"] if change.id and change.element is Element.TASK else []
    if change.new_loc is not None:
        parts.append(f"第{change.new_loc.line}行")
    elif change.old_loc is not None:
        parts.append(f"原第{change.old_loc.line}行")
    return "，".join(parts)


def _shows_inline(change: Change) -> bool:
    """Rewordings are shown character by character; other notes already name both values."""
    return change.kind is Kind.REWORDED and change.old is not None and change.new is not None


class TextFormat:
    """For people at a terminal; `color` adds ANSI colours (the CLI turns it on for a TTY)."""

    def __init__(self, color: bool = False):
        self.color = color

    def _style(self, text: str, **styles) -> str:
        return click.style(text, **styles) if self.color else text

    def write(self, result: DiffResult, out: TextIO) -> None:
        for diff in result.files:
            if diff.changes:
                self._file(diff, out)

    def _file(self, diff: FileDiff, out: TextIO) -> None:
        out.write(self._style(f"--- {diff.old_name or '/dev/null'}", bold=True) + "\n")
        out.write(self._style(f"+++ {diff.new_name or '/dev/null'}", bold=True) + "\n")
        out.write(f"《{diff.title}》：{len(diff.changes)} 处修改（{counts(diff.changes)}）\n")
        heading = None
        for change in diff.changes:
            if _group(change) != heading:
                heading = _group(change)
                out.write(self._style(f"〔{heading}〕", fg="blue") + "\n")
            symbol = _SYMBOL.get(change.kind, "~")
            where = self._style(f"（{_line(change)}）", dim=True) if _line(change) else ""
            out.write(self._style(f"{symbol} {change.summary}", fg=_COLOUR.get(change.kind, "yellow")) + where + "\n")
            for line in self._detail(change):
                out.write(f"    {line}\n")

    def _detail(self, change: Change) -> list[str]:
        if _shows_inline(change):
            return [self._segments(inline.compact(inline.char_diff(change.old, change.new)))]
        if change.kind is Kind.ADDED and change.new and change.element is not Element.PLAN:
            return [self._style(f"+ {line}", fg="green") for line in change.new.split("\n")]
        if change.kind is Kind.REMOVED and change.old and change.element is not Element.PLAN:
            return [self._style(f"- {line}", fg="red") for line in change.old.split("\n")]
        return []

    def _segments(self, segments: list[inline.Segment]) -> str:
        parts = []
        for op, text in segments:
            text = text.replace("\n", "⏎")
            if op == "-":
                parts.append(self._style(f"[-{text}-]", fg="red", strikethrough=True))
            elif op == "+":
                parts.append(self._style(f"{{+{text}+}}", fg="green", underline=True))
            else:
                parts.append(text)
        return "".join(parts)


def _md(text: str) -> str:
    """Text safe inside Markdown (and its HTML): no markup, no table breaks."""
    escaped = html.escape(text, quote=False)
    for char in "\\`*_[]#|~":
        escaped = escaped.replace(char, "\\" + char)
    return escaped.replace("\n", "<br>")


class MarkdownFormat:
    """GitHub-flavoured Markdown for pull-request comments and ``$GITHUB_STEP_SUMMARY``."""

    def write(self, result: DiffResult, out: TextIO) -> None:
        out.write(f"## 方案修订情况（{_md(result.old_label)} → {_md(result.new_label)}）\n\n")
        changed = [d for d in result.files if d.changes]
        if not changed:
            out.write("没有实质性修改。\n")
            return
        for diff in changed:
            self._file(diff, out)

    def _file(self, diff: FileDiff, out: TextIO) -> None:
        out.write(f"### 《{_md(diff.title)}》\n\n")
        out.write(f"`{diff.old_name or '（无）'}` → `{diff.new_name or '（无）'}`：")
        out.write(f"{len(diff.changes)} 处修改（{counts(diff.changes)}）\n")
        heading = None
        for change in diff.changes:
            if _group(change) != heading:
                heading = _group(change)
                out.write(f"\n#### {_md(heading)}\n\n")
            out.write(f"- **{change.kind.label}** {_md(change.summary)}\n")
            detail = self._detail(change)
            if detail:
                out.write(f"  > {detail}\n")
        out.write("\n")

    @staticmethod
    def _detail(change: Change) -> str:
        if _shows_inline(change):
            parts = []
            for op, text in inline.compact(inline.char_diff(change.old, change.new), context=20):
                tag = {"-": "del", "+": "ins"}.get(op)
                parts.append(f"<{tag}>{_md(text)}</{tag}>" if tag else _md(text))
            return "".join(parts)
        if change.element is Element.PLAN:
            return ""
        if change.kind is Kind.ADDED and change.new:
            return f"<ins>{_md(change.new)}</ins>"
        if change.kind is Kind.REMOVED and change.old:
            return f"<del>{_md(change.old)}</del>"
        return ""


def change_dict(change: Change) -> dict[str, object]:
    """A change as JSON-ready data."""
    data: dict[str, object] = {
        "element": change.element.value,
        "kind": change.kind.value,
        "id": change.id,
        "old_id": change.old_id,
        "subject": change.subject,
        "field": change.field,
        "section": list(change.section),
        "note": change.note,
        "old": change.old,
        "new": change.new,
        "old_line": change.old_loc.line if change.old_loc else None,
        "new_line": change.new_loc.line if change.new_loc else None,
    }
    if change.old is not None and change.new is not None:
        data["diff"] = [[op, text] for op, text in inline.char_diff(change.old, change.new)]
    return data


class JsonFormat:
    """``{"old", "new", "different", "files": [{"old", "new", "path", "status", "title", "changes"}]}``."""

    def write(self, result: DiffResult, out: TextIO) -> None:
        data = {
            "old": result.old_label,
            "new": result.new_label,
            "different": result.different,
            "files": [
                {"old": d.old_name, "new": d.new_name, "path": d.path, "status": d.status, "title": d.title,
                 "changes": [change_dict(c) for c in d.changes]}
                for d in result.files if d.changes
            ],
        }
        json.dump(data, out, ensure_ascii=False, indent=2)
        out.write("\n")


FORMATS = {"text": TextFormat, "markdown": MarkdownFormat, "json": JsonFormat}
