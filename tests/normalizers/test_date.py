"""Table-driven tests of parse_date: absolute, relative, plan periods and the seed reports' forms."""
import datetime as dt
import subprocess
import sys
from pathlib import Path

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


# Forms that jionlp's parse_time (the reader before ipner's own) got wrong or did not read:
# (text, reference, year, quarter, month, day, span or None); reference None = an absolute date.
READ_BY_IPNER = [
    ("5月", REF, 2024, None, 5, None, ("2024-05-01", "2024-05-31")),  # a bare month, in the reference's year
    ("十一月", REF, 2024, None, 11, None, ("2024-11-01", "2024-11-30")),
    ("2024年1月至6月", None, 2024, None, None, None, ("2024-01-01", "2024-06-30")),  # not January only
    ("今年1月-3月", REF, 2024, 1, None, None, ("2024-01-01", "2024-03-31")),
    ("4月22日至26日", REF, 2024, None, 4, None, ("2024-04-22", "2024-04-26")),
    ("2024年前半年", None, 2024, None, None, None, ("2024-01-01", "2024-06-30")),  # jionlp: OverflowError
    ("2024年后半年", None, 2024, None, None, None, ("2024-07-01", "2024-12-31")),  # jionlp: year 4022
    ("今年首季", REF, 2024, 1, None, None, ("2024-01-01", "2024-03-31")),
    ("2024年Q2", None, 2024, 2, None, None, ("2024-04-01", "2024-06-30")),
    ("2023年第一季", None, 2023, 1, None, None, ("2023-01-01", "2023-03-31")),
    ("2024年一、二季度", None, 2024, None, None, None, ("2024-01-01", "2024-06-30")),
    ("二〇二三年底", None, 2023, None, None, None, ("2023-11-01", "2023-12-31")),  # absolute, not relative
    ("2022/23學年", None, 2023, None, None, None, ("2022-01-01", "2023-12-31")),  # jionlp: February 2022
    ("2023—2024雪季", None, 2024, None, None, None, ("2023-01-01", "2024-12-31")),
    ("2023年12月31日24时", None, 2023, None, 12, 31, ("2023-12-31", "2023-12-31")),  # jionlp: 2024-01-01
    ("2024年4月26日（星期五）", None, 2024, None, 4, 26, ("2024-04-26", "2024-04-26")),
    ("截至2024年3月底", None, 2024, None, 3, None, ("2024-03-25", "2024-03-31")),
    ("「十四五」期間", None, 2025, None, None, None, ("2021-01-01", "2025-12-31")),
    ("“十四五”规划期间", None, 2025, None, None, None, ("2021-01-01", "2025-12-31")),
    ("第24个世界知识产权日", None, 2024, None, 4, 26, ("2024-04-26", "2024-04-26")),
    ("今年以来", REF, 2024, None, None, None, ("2024-01-01", "2024-04-26")),  # jionlp: not read
    ("今年以來", "2023-12-31", 2023, None, None, None, ("2023-01-01", "2023-12-31")),
    ("2021年以来", REF, 2024, None, None, None, ("2021-01-01", "2024-04-26")),
    ("“十四五”以来", REF, 2024, None, None, None, ("2021-01-01", "2024-04-26")),  # up to the reference, not 2025
    ("近三年", "2023-12-31", 2023, None, None, None, ("2021-01-01", "2023-12-31")),  # three calendar years
    ("三年来", REF, 2024, None, None, None, ("2021-04-27", "2024-04-26")),
    ("过去一年", REF, 2024, None, None, None, ("2023-04-27", "2024-04-26")),
    ("未来三年", REF, 2027, None, None, None, ("2024-04-26", "2027-04-25")),
    ("十年前", "2023-12-31", 2013, None, None, None, ("2013-01-01", "2013-12-31")),
    ("下月", REF, 2024, None, 5, None, ("2024-05-01", "2024-05-31")),
    ("上月底", REF, 2024, None, 3, None, ("2024-03-25", "2024-03-31")),
    ("如今", REF, 2024, None, 4, 26, ("2024-04-26", "2024-04-26")),
    ("当下", REF, 2024, None, 4, 26, ("2024-04-26", "2024-04-26")),
    ("近日", REF, 2024, None, 4, 26, ("2024-04-26", "2024-04-26")),
    ("歲末", "2023-12-29", 2023, None, None, None, ("2023-11-01", "2023-12-31")),
    ("年内", REF, 2024, None, None, None, ("2024-01-01", "2024-12-31")),
]


@pytest.mark.parametrize("text,reference,year,quarter,month,day,span", READ_BY_IPNER)
def test_forms_read_by_ipner(text, reference, year, quarter, month, day, span):
    parsed = parse_date(text, reference)
    assert parsed.parsed and parsed.resolved and parsed.relative == (reference is not None)
    assert (parsed.year, parsed.quarter, parsed.month, parsed.day, parsed.span) == (year, quarter, month, day, span)


@pytest.mark.parametrize(
    "text", ["2020年—2016年", "2024年13月", "2024年0月", "2月30日", "2023年2月29日", "2024年1—13月", "近年来", "多年來",
             "连续五年", "同期", "2023年以后", "十九五", "春节期间"],
)
def test_impossible_or_vague_dates_are_not_read(text):
    assert not parse_date(text).parsed and not parse_date(text, REF).parsed


@pytest.mark.parametrize(
    "text,quarter,month,day",
    [("今年前三季度", None, None, None), ("今年首季", 1, None, None), ("三月十五日", None, 3, 15), ("过去一年", None, None, None),
     ("十年前", None, None, None), ("今年2月29日", None, 2, 29), ("去年2月29日", None, 2, 29)],
)
def test_unresolved_dates_keep_what_they_state(text, quarter, month, day):
    parsed = parse_date(text)
    assert parsed.parsed and parsed.relative and not parsed.resolved and parsed.year is None
    assert (parsed.quarter, parsed.month, parsed.day) == (quarter, month, day)


def test_reference_dates_that_lack_the_day():
    assert not parse_date("今年2月29日", "2023-12-31").parsed
    assert parse_date("今年2月29日", REF).day == 29


HIDE_JIONLP = """
import importlib.abc, sys

class Hide(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in ("jionlp", "jiojio"):
            raise ModuleNotFoundError(f"No module named {name!r} (hidden)", name=name)
        return None

sys.meta_path.insert(0, Hide())
import pytest
code = pytest.main([sys.argv[1], "-q", "-p", "no:cacheprovider", "-k", "not without_jionlp"])
assert not {m for m in sys.modules if m.split(".")[0] in ("jionlp", "jiojio")}
sys.exit(code)
"""


def test_dates_are_read_without_jionlp():
    """jionlp (and the GPL-3.0 jiojio it requires) is no dependency of the default install: every test
    above passes with both made unimportable."""
    run = subprocess.run(
        [sys.executable, "-c", HIDE_JIONLP, __file__], capture_output=True, text=True, timeout=300,
        cwd=Path(__file__).resolve().parents[2],
    )
    assert run.returncode == 0, run.stdout[-3000:] + run.stderr[-3000:]
    assert " passed" in run.stdout and "failed" not in run.stdout


# ParsedDate.period (SCHEMA.md, "Canonical fields"): (text, reference or None, period).
PERIODS = [
    # a year, or its end
    ("2023年", None, "2023"),
    ("2023", None, "2023"),
    ("2023年度", None, "2023"),
    ("二〇二三年", None, "2023"),
    ("２０２３年", None, "2023"),
    ("2023年底", None, "2023"),
    ("2023年末", None, "2023"),
    ("截至2023年底", None, "2023"),
    ("2022年底", REF, "2022"),  # a reference never changes an absolute date
    ("十四五末", None, "2025"),  # a plan's end is its last year
    ("“十三五”末", None, "2020"),
    ("“十四五”开局之年", None, "2021"),
    ("今年", REF, "2024"),
    ("去年", REF, "2023"),
    ("前年", REF, "2022"),
    ("去年底", REF, "2023"),
    ("去年年底", REF, "2023"),
    ("去年同期", REF, "2023"),
    ("歲末", "2023-12-29", "2023"),
    ("十年前", "2023-12-31", "2013"),
    ("23年", REF, "2023"),
    # halves and quarters
    ("2023年上半年", None, "2023-H1"),
    ("2024年后半年", None, "2024-H2"),
    ("2024年後半年", None, "2024-H2"),
    ("今年上半年", REF, "2024-H1"),
    ("下半年", REF, "2024-H2"),
    ("2024年1-6月", None, "2024-H1"),  # a range that is a whole half
    ("2024年一、二季度", None, "2024-H1"),
    ("2023年三季度", None, "2023-Q3"),
    ("2024年第一季度", None, "2024-Q1"),
    ("2024年Q2", None, "2024-Q2"),
    ("今年一季度", REF, "2024-Q1"),
    ("今年首季", REF, "2024-Q1"),
    ("今年1月-3月", REF, "2024-Q1"),  # a range that is a whole quarter
    ("1—3月", REF, "2024-Q1"),
    # months, and parts of a month
    ("2023年6月", None, "2023-06"),
    ("2023年6月份", None, "2023-06"),
    ("2023.12", None, "2023-12"),
    ("今年3月", REF, "2024-03"),
    ("5月", REF, "2024-05"),
    ("十一月", REF, "2024-11"),
    ("截至6月底", REF, "2024-06"),
    ("截至2024年3月底", None, "2024-03"),
    ("2023年3月初", None, "2023-03"),
    ("2023年4月下旬", None, "2023-04"),
    ("上月底", REF, "2024-03"),
    ("本月", REF, "2024-04"),
    # days
    ("2023年6月30日", None, "2023-06-30"),
    ("2025年2月24日", None, "2025-02-24"),
    ("2024-03-15", None, "2024-03-15"),
    ("20231231", None, "2023-12-31"),
    ("2023年12月31日24时", None, "2023-12-31"),
    ("第24个世界知识产权日", None, "2024-04-26"),
    ("2月24日", REF, "2024-02-24"),
    ("目前", REF, "2024-04-26"),  # the reference date itself
    ("截至目前", REF, "2024-04-26"),
    ("如今", REF, "2024-04-26"),
    # spans of years
    ("2016年—2020年", None, "2016/2020"),
    ("2016-2020年", None, "2016/2020"),
    ("2024—2026年", None, "2024/2026"),
    ("“十三五”期间", None, "2016/2020"),
    ("十二五時期", None, "2011/2015"),
    ("「十四五」期間", None, "2021/2025"),
    ("“十四五”规划期间", None, "2021/2025"),
    ("2022/23學年", None, "2022/2023"),
    ("近三年", "2023-12-31", "2021/2023"),  # three calendar years up to the reference date
    # spans of months: START/END, months on both sides
    ("2024年1—9月", None, "2024-01/2024-09"),
    ("今年1—9月", REF, "2024-01/2024-09"),
    ("1—9月", REF, "2024-01/2024-09"),
    ("今年前三季度", REF, "2024-01/2024-09"),
    ("2023年前5个月", None, "2023-01/2023-05"),
    ("2024年二、三季度", None, "2024-04/2024-09"),
    ("2023年11月—2024年2月", None, "2023-11/2024-02"),
    ("2023年11—12月", None, "2023-11/2023-12"),  # written as months, not as a year's end
    ("年初", REF, "2024-01/2024-02"),  # read as January–February
    # spans of days: START/END, days on both sides
    ("4月22日至26日", REF, "2024-04-22/2024-04-26"),
    ("今年以来", REF, "2024-01-01/2024-04-26"),
    ("今年以來", "2023-12-31", "2023"),
    ("2021年以来", REF, "2021-01-01/2024-04-26"),
    ("三年来", REF, "2021-04-27/2024-04-26"),
    ("未来三年", REF, "2024-04-26/2027-04-25"),
    # unresolved (relative, no reference) and unread: None
    ("今年", None, None),
    ("去年底", None, None),
    ("今年一季度", None, None),
    ("3月底", None, None),
    ("截至目前", None, None),
    ("近三年", None, None),
    ("今年以來", None, None),
    ("近年来", REF, None),
    ("春节期间", REF, None),
    ("2月30日", REF, None),
    ("abc", None, None),
    ("", REF, None),
]


@pytest.mark.parametrize("text,reference,period", PERIODS)
def test_period(text, reference, period):
    parsed = parse_date(text, reference)
    assert parsed.period == period
    assert parsed.to_dict()["period"] == period
    assert (period is not None) == (parsed.parsed and parsed.resolved)


@pytest.mark.parametrize("text", [t for t, *_ in ABSOLUTE])
def test_absolute_dates_have_a_period_with_or_without_reference(text):
    parsed = parse_date(text)
    assert parsed.period is not None and parsed.period == parse_date(text, REF).period
    assert parsed.period[:4] == parsed.span[0][:4]  # it sorts by its first year


def test_period_agrees_with_the_other_fields():
    """The period says no more and no less than year, quarter, month and day where they are set."""
    for text, reference, period in PERIODS:
        parsed = parse_date(text, reference)
        if period is None:
            continue
        if parsed.day is not None and "/" not in period:
            assert period == f"{parsed.year:04d}-{parsed.month:02d}-{parsed.day:02d}", text
        elif parsed.month is not None and "/" not in period:
            assert period == f"{parsed.year:04d}-{parsed.month:02d}", text
        elif parsed.quarter is not None:
            assert period == f"{parsed.year}-Q{parsed.quarter}", text
        assert period.split("/")[-1][:4] == str(parsed.year), text  # the year is the year the period ends in


def test_periods_sort_in_time_order():
    periods = [parse_date(t).period for t in ("2016年—2020年", "2021年", "2023年1月", "2023年6月30日", "2023年12月", "2024年")]
    assert periods == sorted(periods)
