"""Character-level differences of Chinese text, and short descriptions of them.

Chinese has no spaces, so words cannot be diffed; characters can. `char_diff` cleans up what
difflib finds so that a replaced word shows as one deletion and one insertion, not as a comb of
single characters.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from typing import Literal

Op = Literal["=", "-", "+"]
Segment = tuple[Op, str]

#: Unchanged runs this short between two edits are folded into the edits.
_GLUE = 1


def similarity(a: str, b: str) -> float:
    """How alike two texts are, 0 to 1 (difflib ratio on characters; below 0.3 only an estimate)."""
    if not a and not b:
        return 1.0
    matcher = SequenceMatcher(None, a, b, autojunk=False)
    quick = matcher.quick_ratio()  # an upper bound, cheap: most pairs stop here
    return quick if quick < 0.3 else matcher.ratio()


def char_diff(old: str, new: str) -> list[Segment]:
    """Segments turning `old` into `new`: ``("=", same)``, ``("-", deleted)``, ``("+", inserted)``.

    In every changed stretch the deletion comes before the insertion.
    """
    raw: list[Segment] = []
    for tag, i1, i2, j1, j2 in SequenceMatcher(None, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            raw.append(("=", old[i1:i2]))
        else:
            if i2 > i1:
                raw.append(("-", old[i1:i2]))
            if j2 > j1:
                raw.append(("+", new[j1:j2]))
    return _merge(_glue(raw))


def _glue(segments: list[Segment]) -> list[Segment]:
    """Fold very short unchanged runs between edits into both sides of the edit."""
    out: list[Segment] = []
    for i, (op, text) in enumerate(segments):
        between = 0 < i < len(segments) - 1 and segments[i - 1][0] != "=" and segments[i + 1][0] != "="
        if op == "=" and between and len(text) <= _GLUE:
            out += [("-", text), ("+", text)]
        else:
            out.append((op, text))
    return out


def _merge(segments: list[Segment]) -> list[Segment]:
    """Join neighbouring segments of one kind; within an edit put all deletions first."""
    out: list[Segment] = []
    pending = {"-": "", "+": ""}
    for op, text in segments + [("=", "")]:
        if op != "=":
            pending[op] += text
            continue
        for kind in ("-", "+"):
            if pending[kind]:
                out.append((kind, pending[kind]))  # type: ignore[arg-type]
                pending[kind] = ""
        if text:
            if out and out[-1][0] == "=":
                out[-1] = ("=", out[-1][1] + text)
            else:
                out.append(("=", text))
    return out


def compact(segments: list[Segment], context: int = 12) -> list[Segment]:
    """Shorten long unchanged runs to `context` characters each side of an edit, with ……"""
    out: list[Segment] = []
    last = len(segments) - 1
    for i, (op, text) in enumerate(segments):
        if op != "=":
            out.append((op, text))
            continue
        keep_head = context if i > 0 else 0
        keep_tail = context if i < last else 0
        if len(text) > keep_head + keep_tail + 2:
            text = text[:keep_head] + "……" + (text[-keep_tail:] if keep_tail else "")
        out.append((op, text))
    return out


def describe(segments: list[Segment], limit: int = 40) -> str | None:
    """``将“整治”改为“治理”；增加“…”`` for a few short edits, else None."""
    parts: list[str] = []
    size = 0
    i = 0
    while i < len(segments):
        op, text = segments[i]
        if op == "-" and i + 1 < len(segments) and segments[i + 1][0] == "+":
            parts.append(f"将“{text}”改为“{segments[i + 1][1]}”")
            size += len(text) + len(segments[i + 1][1])
            i += 1
        elif op == "-":
            parts.append(f"删去“{text}”")
            size += len(text)
        elif op == "+":
            parts.append(f"增加“{text}”")
            size += len(text)
        i += 1
    if not parts or len(parts) > 3 or size > limit:
        return None
    return "；".join(parts)
