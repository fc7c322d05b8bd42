"""Heading and item numbers: 一、 （一） 1. （1） by level, and 一是 二是 for sub-points."""

from __future__ import annotations

_DIGITS = "零一二三四五六七八九"


def chinese(n: int) -> str:
    """`n` (1–99) in Chinese numerals as used in headings: 一, 十, 十一, 二十, 二十一."""
    if not 1 <= n <= 99:
        raise ValueError(f"heading number out of range: {n}")
    tens, units = divmod(n, 10)
    head = "" if tens == 0 else ("十" if tens == 1 else _DIGITS[tens] + "十")
    return head + (_DIGITS[units] if units else "")


def heading(level: int, n: int) -> str:
    """The number of the `n`-th heading of `level` (1–4), punctuation included."""
    if level == 1:
        return f"{chinese(n)}、"
    if level == 2:
        return f"（{chinese(n)}）"
    if level == 3:
        return f"{n}."
    if level == 4:
        return f"（{n}）"
    raise ValueError(f"heading level out of range: {level}")


def ordinal(n: int) -> str:
    """The marker of the `n`-th sub-point: 一是, 二是 …"""
    return f"{chinese(n)}是"
