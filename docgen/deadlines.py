"""Parse the drafters' deadline phrases and dates into dates.

Pure functions, no I/O. A phrase is one of:

- a date: ``2024年9月30日``, ``2024年9月30日前``, ``2024-09-30``;
- an end of period: ``2024年底前``, ``2025年6月底前``, ``2025年上半年``, ``2025年第三季度``, ``2025年``;
- inside a milestone list, the year may be left out after the first item: ``9月底前``;
- a recurrence: ``每周``, ``每月``, ``每季度``, ``每半年``, ``每年`` (optionally followed by a requirement
  such as ``每季度至少1次``);
- a recurrence on a day of the period: ``每月7日前``, ``每季度首月10日前``, ``每年3月底前``;
- a standing duty: ``长期坚持``, ``持续推进``, ``常态化``;
- a named period registered for the issuing organisation (`NamedPeriod`): ``主汛期前`` (the day
  before it starts), ``汛期期间``/``汛期结束前`` (its last day), in the plan's year unless written
  (``2026年主汛期前``);
- ``2026年前``: read as the end of 2026, with a note saying so.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum
import functools
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
    """The meaning of one deadline phrase. `date` is set for DATE; `year` is the year it names.

    A recurrence says how often (`every`: 周, 月, 季度, 半年, 年) and, when the phrase names it, by
    which month of the period (`month`, 1 = the first) and day (`day`). `note` says how a phrase
    that could be read two ways was read.
    """

    kind: DeadlineKind
    date: dt.date | None = None
    year: int | None = None
    every: str | None = None
    month: int | None = None
    day: int | None = None
    note: str | None = None


@dataclass(frozen=True)
class NamedPeriod:
    """A period a plan may name (主汛期, 春节, 开学…): its first and last day (month, day), every
    year or (`year`) in one year only. Registered per organisation (`时段` in the registry)."""

    name: str
    start: tuple[int, int]
    end: tuple[int, int]
    year: int | None = None

    def dates(self, year: int) -> tuple[dt.date, dt.date]:
        start = dt.date(year, *self.start)
        # a period that runs over new year (冬春季: 11月1日至次年3月31日) ends in the next year
        end = dt.date(year + (1 if self.end < self.start else 0), *self.end)
        return start, end


#: Named periods by every name a plan may use for them (names and aliases).
Periods = dict[str, list[NamedPeriod]]


class DeadlineError(ValueError):
    """A phrase that cannot be read; the message (Chinese) says how to write it."""


#: A deadline phrase as sentences write it inside their text ("……，2026年4月30日前完成。"): the
#: forms `parse` reads that can be told from the words around them. The year may be left out
#: (于4月30日前: read in the plan's year).
PHRASE_IN_TEXT = re.compile(
    r"((?<!\d)\d{4}年(?:\d{1,2}月(?:\d{1,2}日)?|上半年|下半年|第[一二三四]季度)?(?:年底|底|末)?(?:前|之前)"
    r"|(?<![\d年])\d{1,2}月(?:\d{1,2}日|底|末)(?:前|之前)"
    # a day of each period: 每月5日前, 每季度首月10日前, 每年3月底前
    r"|每月\d{1,2}日(?:前|之前)|每(?:季度|半年)(?:首|末|第[一二三四五六])月\d{1,2}日(?:前|之前)"
    r"|每年\d{1,2}月(?:\d{1,2}日|底|末)(?:前|之前))")
#: Where a deadline phrase may end inside a longer text: after 前, 底, 末, 季度, 半年, 日.
PHRASE_END = re.compile(r"(?:之前|以前|前|底|末|季度|半年|日)")

_DATE_ISO = re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})$")
_DATE_CN = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(\d{1,2})日(?:前|之前|以前)?$")
_YEAR_END = re.compile(r"^(\d{4})年(?:年底|底|末|年末)(?:前|之前|以前)?$")
_MONTH_END = re.compile(r"^(?:(\d{4})年)?(\d{1,2})月(?:底|末|份)?(?:前|之前|以前)?$")
_HALF = re.compile(r"^(?:(\d{4})年)?(上|下)半年(?:前|之前|以前)?$")
_QUARTER = re.compile(r"^(?:(\d{4})年)?第?([一二三四1-4])季度(?:末)?(?:前|之前|以前)?$")
_YEAR = re.compile(r"^(\d{4})年(?:内|全年)?$")

HOW_TO = ("可写作“2024年底前”“2025年6月底前”“2024年9月30日前”“2025年上半年”“每季度”“每月7日前”或“长期坚持”；"
          "“主汛期前”“节前”这类时段须先在单位库本级或上级组织的“时段”中登记起止日期")

_RECUR_DAY = re.compile(r"^每月(\d{1,2})日(?:前|之前|以前)?$")
_RECUR_QUARTER_DAY = re.compile(r"^每(季度|半年)(首|第[一二三四五六1-6]个?|末)月(\d{1,2})日(?:前|之前|以前)?$")
_RECUR_YEAR_DAY = re.compile(r"^每年(\d{1,2})月(?:(\d{1,2})日|底|末)(?:前|之前|以前)?$")
_YEAR_BEFORE = re.compile(r"^(\d{4})年(?:前|之前|以前)$")
_NAMED = re.compile(r"^(?:(\d{4})年)?(.+?)(结束前|结束之前|期间|期内|前|之前|以前)$")
_MONTH_WORDS = {"首": 1, "末": 0, "一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6}


#: The years docgen reads and computes with. A date outside them (9999年12月31日, 0001年1月1日) is
#: refused where it is read, with a message, so that no later step (a notice's reply date 15 days on,
#: the day before a period, the year before for 同比) leaves the calendar Python can hold.
FIRST_YEAR, LAST_YEAR = 1900, 2199


def check_year(year: int, phrase: str, what: str = "完成时限") -> int:
    """`year`, or a `DeadlineError` saying that `phrase` is outside the years docgen handles."""
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise DeadlineError(f"{what}“{phrase}”的年份{year}超出了范围：docgen 只处理{FIRST_YEAR}年至{LAST_YEAR}年的日期。"
                            "请检查年份。")
    return year


def in_range(date: dt.date, phrase: str, what: str = "日期") -> dt.date:
    """`date` (read by YAML or a spreadsheet), or a `DeadlineError` when its year is out of range."""
    check_year(date.year, phrase, what)
    return date


_ANY_YEAR = re.compile(r"(\d{4,})年|^(\d{4,})-")


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


def _recurrence(compact: str, phrase: str) -> Parsed | None:
    """A recurrence with a day of the period (每月7日前, 每季度首月10日前, 每年3月底前), or None."""
    if m := _RECUR_DAY.match(compact):
        every, month, day = "月", None, int(m.group(1))
    elif m := _RECUR_QUARTER_DAY.match(compact):
        every, day = m.group(1), int(m.group(3))
        word = m.group(2).strip("第个")
        length = 3 if every == "季度" else 6
        month = length if word == "末" else int(word) if word.isdigit() else _MONTH_WORDS[word]
        if not 1 <= month <= length:
            raise DeadlineError(f"完成时限“{phrase}”中的月份超出了{every}（{every}只有{length}个月）。")
    elif m := _RECUR_YEAR_DAY.match(compact):
        every, month = "年", int(m.group(1))
        if not 1 <= month <= 12:
            raise DeadlineError(f"完成时限“{phrase}”中的月份不对。请检查月份。")
        day = int(m.group(2)) if m.group(2) else calendar.monthrange(2001, month)[1]
    else:
        return None
    if not 1 <= day <= 31:
        raise DeadlineError(f"完成时限“{phrase}”中的日期“{day}日”不存在。请检查日期。")
    return Parsed(DeadlineKind.RECURRING, every=every, month=month, day=day)


def _named(compact: str, phrase: str, default_year: int | None, periods: Periods | None) -> Parsed | None:
    """A deadline set by a registered period (主汛期前, 2026年汛期结束前), or None."""
    m = _NAMED.match(compact)
    if not m or not periods or m.group(2) not in periods:
        return None
    name, edge = m.group(2), m.group(3)
    year = _need_year(m.group(1), default_year, phrase)
    entries = periods[name]
    period = next((p for p in entries if p.year == year), None) or next((p for p in entries if p.year is None), None)
    if period is None:
        years = "、".join(str(p.year) for p in entries if p.year)
        real = entries[0].name
        raise DeadlineError(f"完成时限“{phrase}”：单位库中“{real}”只登记了{years}年的日期，没有{year}年的。"
                            f"请在单位库的“时段”中补登{year}年的“{real}”。")
    start, end = _checked(phrase, lambda: period.dates(year))
    if edge in ("前", "之前", "以前"):
        return Parsed(DeadlineKind.DATE, start - dt.timedelta(days=1), year)
    return Parsed(DeadlineKind.DATE, end, year)


def parse(phrase: str, default_year: int | None = None, periods: Periods | None = None,
          plan_year: int | None = None) -> Parsed:
    """Parse one deadline phrase.

    `default_year` fills a phrase without a year (milestone lists); `periods` are the named periods
    the plan may use, placed in `default_year`, else `plan_year` (the year the plan starts).
    """
    text = phrase.strip().rstrip("。；;，,")
    compact = text.replace(" ", "")
    if compact.startswith(("在", "于")) and len(compact) > 1:
        compact = compact[1:]
    for m in _ANY_YEAR.finditer(compact):
        check_year(int(m.group(1) or m.group(2)), phrase)
    if default_year is not None:
        check_year(default_year, phrase)
    for word in STANDING:
        if compact.startswith(word):
            return Parsed(DeadlineKind.STANDING)
    if compact.startswith("每"):
        if parsed := _recurrence(compact, phrase):
            return parsed
    for word in RECURRENCES:
        if compact.startswith(word):
            return Parsed(DeadlineKind.RECURRING, every=word[1:])
    if m := _YEAR_BEFORE.match(compact):
        y = int(m.group(1))
        return Parsed(DeadlineKind.DATE, dt.date(y, 12, 31), y,
                      note=f"完成时限“{phrase}”按{y}年12月31日（{y}年底）计。如指{y}年开始之前，请写“{y - 1}年底前”；"
                           f"否则请写“{y}年底前”，意思更明确。")
    if parsed := _named(compact, phrase, default_year if default_year is not None else plan_year, periods):
        return parsed
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



def frozen(periods: Periods | None) -> tuple | None:
    """`periods` as a value that can be remembered by (for `read`)."""
    return None if periods is None else tuple((name, tuple(entries)) for name, entries in periods.items())


@functools.lru_cache(maxsize=1 << 14)
def read(phrase: str, default_year: int | None = None, periods: tuple | None = None,
         plan_year: int | None = None) -> Parsed | str:
    """`parse` with `frozen(periods)`, remembered; the message of the `DeadlineError` when the phrase
    cannot be read. A cascade reads the same phrases in every child plan (and a plan, the same few
    thousands of times): each is read once for the same periods and years."""
    try:
        return parse(phrase, default_year, None if periods is None else {n: list(e) for n, e in periods}, plan_year)
    except DeadlineError as exc:
        return str(exc)

_CN_DATE_STRICT = re.compile(r"^(\d{4})年([1-9]\d?)月([1-9]\d?)日$")


def parse_date(value: str) -> dt.date:
    """Parse a document date (成文日期, 印发日期…): ``2024年3月8日`` or ISO ``2024-03-08``.

    Raises `DeadlineError` with advice for zero padding or Chinese numerals (GB/T 9704 7.3.5).
    """
    text = value.strip()
    for m in _ANY_YEAR.finditer(text):
        check_year(int(m.group(1) or m.group(2)), value, "日期")
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


def phrase_of(date: dt.date) -> str:
    """The drafters' phrase for a deadline date: 2025年底前, 2025年6月底前, 2025年6月15日前."""
    if date.month == 12 and date.day == 31:
        return f"{date.year}年底前"
    if date.day == calendar.monthrange(date.year, date.month)[1]:
        return f"{date.year}年{date.month}月底前"
    return f"{format_date(date)}前"


def standalone(milestone) -> str:
    """A milestone's phrase as it reads on its own: one without a year ("6月底前", a batch of 分期
    read in the year of the batch before it) is written out from its date ("2013年6月底前")."""
    if milestone.date is None or re.search(r"\d{4}年|\d{4}-", milestone.phrase):
        return milestone.phrase
    return phrase_of(milestone.date)
