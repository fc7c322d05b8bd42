"""Characters of plan text: how wide they print, and which may not appear at all.

`width` measures text in full-width characters (CJK 1, ASCII ½), for title line breaking and the
ledger's row heights. Tabs, line breaks, control codes and invisible format characters cannot be
printed in an official document, and some are dangerous: the bidirectional controls (U+202E
RIGHT-TO-LEFT OVERRIDE and its kin) reorder what a reader sees, so a document can show one text and
hold another. Shared by the checker (rule DG408) and the composer (which refuses such text at
render time). Imports nothing of docgen.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

#: Bidirectional formatting characters (Unicode UAX #9): marks, embeddings, overrides, isolates.
BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
#: Invisible characters outside the format category that still look like nothing at all.
_INVISIBLE = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0")
#: Every character `control_name` names (categories Cc, Cs and Cf as of Unicode 14, line breaks,
#: U+FFFE/U+FFFF, the invisible ones above): one search finds the first of them instead of a call
#: per character; `control_name` decides.
CONTROL = re.compile(
    "[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff\u034f\u115f\u1160\u17b4\u17b5\u3164\uffa0"
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]")


@lru_cache(maxsize=4096)
def _char_width(ch: str) -> float:
    return 1.0 if unicodedata.east_asian_width(ch) in "FWA" else 0.5


def width(text: str) -> float:
    """Width in full-width characters: CJK and full-width punctuation 1, ASCII ½."""
    return sum(map(_char_width, text))


def control_name(ch: str) -> str | None:
    """The drafter's name for `ch` if it is a control or invisible format character, else None."""
    if ch == "\t":
        return "制表符（Tab）"
    if ch in "\n\r\u2028\u2029":
        return "换行符"
    if ch in BIDI:
        return f"双向文字控制符（U+{ord(ch):04X}）"
    category = unicodedata.category(ch)
    if category in ("Cc", "Cs") or ch in "\ufffe\uffff":
        return f"不可见的控制字符（U+{ord(ch):04X}）"
    if category == "Cf" or ch in _INVISIBLE:
        return f"不可见的格式字符（U+{ord(ch):04X}）"
    return None


def first_control(text: str) -> tuple[int, str, str] | None:
    """(offset, name, Chinese message) of the first control character of `text`, else None.

    The line break a YAML literal block (`|`) ends with does not count.
    """
    for m in CONTROL.finditer(text.rstrip("\n")):
        offset, ch = m.start(), m.group()
        name = control_name(ch)
        if name:
            if name == "换行符":
                hint = "一段文字请写在一行内，要分段请写成多个“段落”"
            elif ch in BIDI:
                hint = "它会改变文字的显示顺序，使看到的文字与实际内容不同，请删除它"
            else:
                hint = "它看不见，常是从网页或其他文件复制带来的，请删除它"
            return offset, name, f"文字中第 {offset + 1} 个字符是{name}，公文中不能出现。{hint}。"
    return None
