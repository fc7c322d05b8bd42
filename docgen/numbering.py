"""Heading and item numbers: 一、 （一） 1. （1） by level, and 一是 二是 for sub-points.

On the ground floor beside `wording` and `textchars`: plain functions of numbers, importing nothing
of docgen, so that the model (task labels), compose, diff and ingest all number alike.
"""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def _below_10000(n: int, lead: bool) -> str:
    """1–9999 in Chinese numerals; `lead`: the number stands first (10 is 十, not 一十)."""
    out = ""
    zero = False
    for value, name in ((1000, "千"), (100, "百"), (10, "十"), (1, "")):
        digit, n = divmod(n, value)
        if digit:
            if zero and out:
                out += "零"
            zero = False
            out += ("" if (value == 10 and digit == 1 and lead and not out) else _DIGITS[digit]) + name
        elif out:
            zero = True
    return out


def chinese(n: int) -> str:
    """`n` (1 or more) in Chinese numerals as used in headings: 一, 十, 十一, 二十一, 一百, 一百零一,
    一百一十, 一千零一十, 一万零一."""
    if n < 1:
        raise ValueError(f"heading number out of range: {n}")
    if n < 10000:
        return _below_10000(n, lead=True)
    high, low = divmod(n, 10000)
    tail = "" if low == 0 else ("零" if low < 1000 else "") + _below_10000(low, lead=False)
    return chinese(high) + "万" + tail


#: The markers of levels 1–4 (GB/T 9704), as a plan's `序号样式` names them.
MARKERS = ("一、", "（一）", "1.", "（1）")


def marker(style: str, n: int) -> str:
    """The `n`-th number in `style` ("一、", "（一）", "1.", "1、" or "（1）")."""
    if style == "一、":
        return f"{chinese(n)}、"
    if style == "（一）":
        return f"（{chinese(n)}）"
    if style == "（1）":
        return f"（{n}）"
    if style in ("1.", "1、"):
        return f"{n}{style[-1]}"
    raise ValueError(f"unknown numbering style: {style}")


def heading(level: int, n: int, styles: tuple[str, ...] = ()) -> str:
    """The number of the `n`-th heading of `level` (1–4), punctuation included; `styles` are the
    markers of the first levels when they are not the standard ones (`序号样式`)."""
    if not 1 <= level <= len(MARKERS):
        raise ValueError(f"heading level out of range: {level}")
    return marker(styles[level - 1] if level <= len(styles) else MARKERS[level - 1], n)


def ordinal(n: int) -> str:
    """The marker of the `n`-th sub-point: 一是, 二是 …"""
    return f"{chinese(n)}是"
