"""Parse the drafters' deadline phrases and dates into dates.

Pure functions, no I/O. A phrase is one of:

- a date: ``2024年9月30日``, ``2024年9月30日前``, ``2024-09-30``;
- an end of period: ``2024年底前``, ``2025年6月底前``, ``2025年上半年``, ``2025年第三季度``, ``2025年``;
- inside a milestone list, the year may be left out after the first item: ``9月底前``;
- a recurrence: ``每周``, ``每月``, ``每季度``, ``每半年``, ``每年`` (optionally followed by a requirement
  such as ``每季度至少1次``);
- a standing duty: ``长期坚持``, ``持续推进``, ``常态化``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import re
from dataclasses import dataclass

from docgen import wording

CN_DIGITS = {"一": 1, "二": 2, "三": 3, "四": 4}

RECURRENCES = ("每周", "每月", "每季度", "每半年", "每年")
STANDING = ("长期坚持", "持续推进", "常态化")


class DeadlineKind(str, enum.Enum):
    DATE = "date"
    RECURRING = "recurring"
    STANDING = "standing"


@dataclass(frozen=True)
class Parsed:
    """The meaning of one deadline phrase. `date` is set for DATE; `year` is the year it names."""

    kind: DeadlineKind
    date: dt.date | None = None
    year: int | None = None


class DeadlineError(ValueError):
    """A phrase that cannot be read; the message (Chinese) says how to write it."""


_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_CN = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:前|之前|以前)?$")
_YEAR_END = re.compile(r"^(\d{4})年(?:年底|底|末|年末)(?:前|之前|以前)?$")
_MONTH_END = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(?:底|末|份)?(?:前|之前|以前)?$")
_HALF = re.compile(r"^(?:(\d{4})年)?(上|下)半年(?:前|之前|以前)?$")
_QUARTER = re.compile(r"^(?:(\d{4})年)?第?([一二三四1-4])季度(?:末)?(?:前|之前|以前)?$")
_YEAR = re.compile(r"^(\d{4})年(?:内|全年)?$")

HOW_TO = "可写作“2024年底前”“2025年6月底前”“2024年9月30日前”“2025年上半年”“每季度”或“长期坚持”"


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _need_year(year: str | None, default: int | None, phrase: str) -> int:
    if year:
        return int(year)
    if default is None:
        raise DeadlineError(f"完成时限“{phrase}”没有写年份。请写出年份，例如“2025年{phrase}”。")
    return default


def _checked(phrase: str, build, what: str = "完成时限") -> dt.date:
    try:
        return build()
    except ValueError:
        raise DeadlineError(f"{what}“{phrase}”不是有效日期。请检查月、日。") from None


def parse(phrase: str, default_year: int | None = None) -> Parsed:
    """Parse one deadline phrase. `default_year` fills a phrase without a year (milestone lists)."""
    text = phrase.strip().rstrip("。；;，,")
    compact = text.replace(" ", "")
    for word in STANDING:
        if compact.startswith(word):
            return Parsed(DeadlineKind.STANDING)
    for word in RECURRENCES:
        if compact.startswith(word):
            return Parsed(DeadlineKind.RECURRING)
    if m := _DATE_ISO.match(compact):
        y, mo, d = map(int, m.groups())
        date = _checked(phrase, lambda: dt.date(y, mo, d))
        return Parsed(DeadlineKind.DATE, date, y)
    if m := _DATE_CN.match(compact):
        y = _need_year(m.group(1), default_year, text)
        date = _checked(phrase, lambda: dt.date(y, int(m.group(2)), int(m.group(3))))
        return Parsed(DeadlineKind.DATE, date, y)
    if m := _YEAR_END.match(compact):
        y = int(m.group(1))
        return Parsed(DeadlineKind.DATE, dt.date(y, 12, 31), y)
    if m := _MONTH_END.match(compact):
        y = _need_year(m.group(1), default_year, text)
        date = _checked(phrase, lambda: _month_end(y, int(m.group(2))))
        return Parsed(DeadlineKind.DATE, date, y)
    if m := _HALF.match(compact):
        y = _need_year(m.group(1), default_year, text)
        return Parsed(DeadlineKind.DATE, dt.date(y, 6, 30) if m.group(2) == "上" else dt.date(y, 12, 31), y)
    if m := _QUARTER.match(compact):
        y = _need_year(m.group(1), default_year, text)
        q = m.group(2)
        quarter = int(q) if q.isdigit() else CN_DIGITS[q]
        return Parsed(DeadlineKind.DATE, _month_end(y, quarter * 3), y)
    if m := _YEAR.match(compact):
        y = int(m.group(1))
        return Parsed(DeadlineKind.DATE, dt.date(y, 12, 31), y)
    raise DeadlineError(f"看不懂完成时限“{phrase}”。{HOW_TO}。")


_CN_DATE_STRICT = re.compile(r"^(\d{4})年([1-9]\d?)月([1-9]\d?)日$")


def parse_date(value: str) -> dt.date:
    """Parse a document date (成文日期, 印发日期…): ``2024年3月8日`` or ISO ``2024-03-08``.

    Raises `DeadlineError` with advice for zero padding or Chinese numerals (GB/T 9704 7.3.5).
    """
    text = value.strip()
    if m := _DATE_ISO.match(text):
        y, mo, d = map(int, m.groups())
        return _checked(value, lambda: dt.date(y, mo, d), "日期")
    if m := _CN_DATE_STRICT.match(text):
        y, mo, d = map(int, m.groups())
        return _checked(value, lambda: dt.date(y, mo, d), "日期")
    if re.match(r"^\d{4}年\d{1,2}月\d{1,2}日$", text):
        fixed = re.sub(r"(?<=[年月])0(?=\d)", "", text)
        raise DeadlineError(f"日期“{value}”的月、日不应补零，请写作“{fixed}”。")
    if re.search(r"[〇零一二三四五六七八九十]", text):
        raise DeadlineError(f"日期“{value}”应使用阿拉伯数字，例如“2024年3月8日”。")
    raise DeadlineError(f"看不懂日期“{value}”，请写作“2024年3月8日”。")


#: ``2024年3月8日`` (GB/T 9704 7.3.5); worded in `docgen.wording`.
format_date = wording.date
