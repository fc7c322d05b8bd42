"""Deadline phrases and document dates."""

from __future__ import annotations

import datetime as dt

import pytest

from docgen.deadlines import DeadlineError, DeadlineKind, format_date, parse, parse_date

D = dt.date


@pytest.mark.parametrize(
    "phrase, year, expected",
    [
        ("2024年底前", None, D(2024, 12, 31)),
        ("2024年年底前", None, D(2024, 12, 31)),
        ("2025年6月底前", None, D(2025, 6, 30)),
        ("2024年2月底前", None, D(2024, 2, 29)),
        ("2024年9月30日前", None, D(2024, 9, 30)),
        ("2024年9月30日", None, D(2024, 9, 30)),
        ("2024-09-30", None, D(2024, 9, 30)),
        ("2025年上半年", None, D(2025, 6, 30)),
        ("2025年下半年", None, D(2025, 12, 31)),
        ("2025年第三季度", None, D(2025, 9, 30)),
        ("2025年一季度", None, D(2025, 3, 31)),
        ("2025年", None, D(2025, 12, 31)),
        ("9月底前", 2025, D(2025, 9, 30)),
        ("11月15日前", 2025, D(2025, 11, 15)),
    ],
)
def test_dates(phrase, year, expected):
    parsed = parse(phrase, default_year=year)
    assert parsed.kind is DeadlineKind.DATE and parsed.date == expected


@pytest.mark.parametrize("phrase", ["每季度", "每年", "每半年至少1次", "每月", "每周"])
def test_recurrences(phrase):
    assert parse(phrase).kind is DeadlineKind.RECURRING


@pytest.mark.parametrize("phrase", ["长期坚持", "持续推进", "常态化开展"])
def test_standing(phrase):
    assert parse(phrase).kind is DeadlineKind.STANDING


@pytest.mark.parametrize("phrase, hint", [
    ("尽快", "2024年底前"),
    ("9月底前", "写出年份"),
    ("2025年13月底前", "有效日期"),
    ("2025年2月30日前", "有效日期"),
])
def test_unreadable_phrases_explain_how_to_write_them(phrase, hint):
    with pytest.raises(DeadlineError, match=hint):
        parse(phrase)


def test_document_dates():
    assert parse_date("2024年3月8日") == D(2024, 3, 8)
    assert parse_date("2024-03-08") == D(2024, 3, 8)
    with pytest.raises(DeadlineError, match="2024年3月8日"):
        parse_date("2024年03月08日")
    with pytest.raises(DeadlineError, match="阿拉伯数字"):
        parse_date("二〇二四年三月八日")
    assert format_date(D(2024, 3, 8)) == "2024年3月8日"


def test_impossible_document_date_is_called_a_date():
    with pytest.raises(DeadlineError, match="^日期“2024年13月1日”不是有效日期"):
        parse_date("2024年13月1日")


def test_years_docgen_cannot_compute_with_are_refused_where_read():
    """9999年12月31日 + 15 days, or the day before 0001年1月1日, would leave Python's calendar."""
    import pytest

    from docgen.deadlines import DeadlineError, parse, parse_date

    for phrase in ("9999年底前", "9999年12月31日前", "10000年6月底前", "1899年上半年", "0000年"):
        with pytest.raises(DeadlineError, match="超出了范围：docgen 只处理1900年至2199年的日期"):
            parse(phrase)
    for value in ("9999年12月31日", "9999-12-31", "1000年1月1日"):
        with pytest.raises(DeadlineError, match="超出了范围"):
            parse_date(value)
    assert parse_date("2199年12月31日").year == 2199 and parse("1900年底前").date.year == 1900
