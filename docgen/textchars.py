"""Characters plan text may not contain: tabs, line breaks and invisible control codes.

They cannot be printed in an official document. Shared by the checker (rule DG408) and the
composer (which refuses such text at render time).
"""

from __future__ import annotations

import re
import unicodedata

#: Every character `control_name` names (categories Cc and Cs, line breaks, U+FFFE/U+FFFF): one
#: search finds the first of them instead of a call per character.
_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff\ufffe\uffff]")


def control_name(ch: str) -> str | None:
    """The drafter's name for `ch` if it is a control character, else None."""
    if ch == "\t":
        return "制表符（Tab）"
    if ch in "\n\r\u2028\u2029":
        return "换行符"
    if unicodedata.category(ch) in ("Cc", "Cs") or ch in "\ufffe\uffff":
        return f"不可见的控制字符（U+{ord(ch):04X}）"
    return None


def first_control(text: str) -> tuple[int, str, str] | None:
    """(offset, name, Chinese message) of the first control character of `text`, else None.

    The line break a YAML literal block (`|`) ends with does not count.
    """
    for m in _CONTROL.finditer(text.rstrip("\n")):
        offset, name = m.start(), control_name(m.group())
        if name:
            hint = "一段文字请写在一行内，要分段请写成多个“段落”" if name == "换行符" else "请删除它"
            return offset, name, f"文字中第 {offset + 1} 个字符是{name}，公文中不能出现。{hint}。"
    return None
