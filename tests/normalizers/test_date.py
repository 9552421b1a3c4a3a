"""Table-driven tests of parse_date: absolute, relative, plan periods and the seed reports' forms."""
import datetime as dt

import pytest

from ipner import parse_date

REF = "2024-04-26"

# (text, year, quarter, month, day) for dates that need no reference
ABSOLUTE = [
    ("2023年", 2023, None, None, None),
    ("2024年", 2024, None, None, None),
    ("2013年", 2013, None, None, None),
    ("2021年", 2021, None, None, None),
    ("2023年底", 2023, None, None, None),
    ("2023年末", 2023, None, None, None),
    ("2023年度", 2023, None, None, None),
    ("2024年一季度", 2024, 1, None, None),
    ("2024年第一季度", 2024, 1, None, None),
    ("2023年三季度", 2023, 3, None, None),
    ("2024年1月", 2024, None, 1, None),
    ("2021年4月", 2021, None, 4, None),
    ("2024年1月2日", 2024, None, 1, 2),
    ("2025年2月24日", 2025, None, 2, 24),
    ("2023年上半年", 2023, None, None, None),
    ("2024年1—9月", 2024, None, None, None),
    ("2024年1-6月", 2024, None, None, None),
    ("2016年—2020年", 2020, None, None, None),
    ("2024—2026年", 2026, None, None, None),
    ("十三五末", 2020, None, None, None),
    ("“十三五”期间", 2020, None, None, None),
    ("十四五", 2025, None, None, None),
    ("“十四五”末", 2025, None, None, None),
    ("十二五期间", 2015, None, None, None),
    ("“十四五”开局之年", 2021, None, None, None),
    ("２０２３年", 2023, None, None, None),
    ("2013年", 2013, None, None, None),
    ("2024年4月", 2024, None, 4, None),
    ("2022年底", 2022, None, None, None),
    ("2020年", 2020, None, None, None),
]

# (text, year, month) resolved against REF
RELATIVE = [
    ("今年", 2024, None),
    ("去年", 2023, None),
    ("前年", 2022, None),
    ("今年3月", 2024, 3),
    ("今年1月", 2024, 1),
    ("去年底", 2023, None),
    ("去年年底", 2023, None),
    ("今年上半年", 2024, None),
    ("今年一季度", 2024, None),
    ("今年1—9月", 2024, None),
    ("目前", 2024, 4),
    ("截至目前", 2024, 4),
    ("当前", 2024, 4),
    ("近三年", 2024, None),
    ("2月24日", 2024, 2),
    ("4月22日", 2024, 4),
    ("3月底", 2024, 3),
    ("上半年", 2024, None),
]

UNPARSED = ["abc", "专利", "", "第三届", "件"]


@pytest.mark.parametrize("text,year,quarter,month,day", ABSOLUTE)
def test_absolute_dates(text, year, quarter, month, day):
    parsed = parse_date(text)
    assert parsed.parsed and parsed.resolved and not parsed.relative
    assert (parsed.year, parsed.quarter, parsed.month, parsed.day) == (year, quarter, month, day)
    assert parse_date(text, REF) == parsed  # a reference never changes an absolute date


@pytest.mark.parametrize("text,year,month", RELATIVE)
def test_relative_dates_resolve_against_reference(text, year, month):
    parsed = parse_date(text, REF)
    assert parsed.parsed and parsed.resolved and parsed.relative
    assert parsed.year == year
    assert parsed.month == month


@pytest.mark.parametrize("text", [t for t, _, _ in RELATIVE])
def test_relative_dates_stay_unresolved_without_reference(text):
    parsed = parse_date(text)
    assert parsed.parsed and parsed.relative and not parsed.resolved
    assert parsed.year is None and parsed.span is None


@pytest.mark.parametrize("text", UNPARSED)
def test_unreadable_date_is_marked_not_guessed(text):
    parsed = parse_date(text)
    assert not parsed.parsed and parsed.year is None


def test_spans_and_reference_types():
    assert parse_date("2024年一季度").span == ("2024-01-01", "2024-03-31")
    assert parse_date("2016年—2020年").span == ("2016-01-01", "2020-12-31")
    assert parse_date("“十三五”期间").span == ("2016-01-01", "2020-12-31")
    assert parse_date("去年", dt.date(2025, 2, 24)).year == 2024
    assert parse_date("今年1—9月", REF).span == ("2024-01-01", "2024-09-30")
    assert parse_date("2月24日").month == 2 and parse_date("2月24日").day == 24


def test_traditional_script_dates():
    assert parse_date("今年一季度", REF).quarter == 1
    assert parse_date("去年", REF).year == 2023
    assert parse_date("“十三五”時期").year == 2020
