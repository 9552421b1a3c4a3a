"""``parse_date``: a DATE span → year (and quarter, month, day, span where stated).

The calendar expressions of the reports are read here, with the tables and regular expressions
below, and no library: jionlp's ``parse_time``, which read them before, requires jionlp's word
segmenter jiojio, which is GPL-3.0, so ``pip install ipner`` brought GPL code with it (see
``tests/test_licences.py``); and no other maintained library reads the Chinese forms (2023年底,
今年一季度, 1—9月, “十四五”期间). What is read, after Traditional → Simplified and full-width →
half-width (``normalize_text``), with a leading 截至/截止/到 and a trailing time of day or weekday
left out:

- years: 2023年, 2023, 二〇二三年, 2023年度/财年/学年, 23年 (the year nearest the reference's
  that ends in 23), 今年/本年/当年/同年, 去年/上年, 前年, 大前年, 明年, 后年, 十年前;
- parts of a year: 年底/年末/岁末 (November–December, as jionlp read them), 年初 (January–February),
  上半年/下半年, 一季度/第一季度/首季/Q1, 前三季度, 前5个月, 全年/年内, 元旦, 国庆, 世界知识产权日;
- months and days: 3月, 三月, 3月份, 3月初 (1st–5th), 上旬/中旬/下旬, 3月底/末 (25th to the end),
  3月15日/号, 2023-03-15, 2023/3/15, 2023.3, 20230315;
- ranges, the second part taking what it leaves out from the first: 2016年—2020年, 2016-2020年,
  1—9月, 2024年1月至6月, 4月22日—26日, 一、二季度, 2022/23学年, 2023—2024雪季;
- plan periods: 十三五末, “十四五”期间, 十四五规划, “十四五”开局之年;
- forms that run up to or start at the reference date: 目前/当前/如今/近日, 昨天, 22日 (in the
  reference's month), …以来/…至今, 近三年/三年来/过去一年, 未来三年/五年内, 本月/上月/下月.

Anything else (lunar dates and festivals, seasons, weeks, 近年来) is not read (``parsed=False``).
Relative dates are resolved only against a reference date that the caller gives, never against
today.

``ParsedDate.period`` is the sortable period of ``docs/SCHEMA.md`` ("Canonical fields"), derived
from the span that was read, as the coarsest calendar unit that covers it exactly:

- a whole year: ``2023`` (2023年, 2023年度, 十四五末 → ``2025``); a year's end (年底, 年末, 岁末,
  read as November–December) is the year too: 2023年底 → ``2023``;
- a half: ``2023-H1`` (上半年, 1—6月, 一、二季度), ``2023-H2``; a quarter: ``2023-Q3`` (三季度, 7—9月);
- a month: ``2023-06`` (6月, 6月份); a part of a month (6月初, 上旬, 中旬, 下旬, 6月底, 截至6月底)
  is the month;
- a day: ``2023-06-30`` (6月30日, 目前 → the reference date);
- any other span is an ISO 8601 interval ``START/END``, both ends at the same granularity, the
  coarsest that is exact: years (2016年—2020年, “十三五”期间 → ``2016/2020``), else months
  (1—9月, 前三季度 → ``2023-01/2023-09``; 年初, read as January–February → ``2023-01/2023-02``),
  else days (4月22日—26日 → ``2024-04-22/2024-04-26``; 今年以来 → ``2024-01-01/`` the reference date).

Sorted as strings, periods come in the order of their first year, and within a year months and
days in calendar order (halves and quarters after them). A relative date without a reference date
and text that is not read have ``period=None``.
"""
from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Callable
from dataclasses import asdict, dataclass, replace
from typing import Any

from ipner.text.normalize import normalize_text


@dataclass(frozen=True)
class ParsedDate:
    """A normalised date. ``resolved`` is False for relative dates without a reference date;
    ``period`` is the sortable period of SCHEMA.md, None when the date is not resolved or not read."""

    year: int | None
    quarter: int | None = None
    month: int | None = None
    day: int | None = None
    span: tuple[str, str] | None = None
    relative: bool = False
    resolved: bool = True
    parsed: bool = True
    period: str | None = None  # 2023, 2023-H1, 2023-Q3, 2023-06, 2023-06-30, 2016/2020 (see the module's docstring)

    def to_dict(self) -> dict[str, Any]:
        """All fields as a JSON-safe dict (``span`` as a list)."""
        out = asdict(self)
        out["span"] = list(self.span) if self.span else None
        return out


def parse_date(text: str, reference: dt.date | str | None = None) -> ParsedDate:
    """Read a DATE span such as ``2023年底``, ``2024年一季度``, ``今年3月`` or ``“十三五”期间``.

    ``year`` is the year the span ends in (2016年—2020年 → 2020, with the whole ``span``);
    ``quarter``, ``month`` and ``day`` are set when the span is one quarter, month or day. Relative
    dates (今年, 去年, 目前, 近三年, 3月 with no year) are resolved against ``reference`` (a date or
    ``YYYY-MM-DD``) when one is given; without it they come back with ``relative=True,
    resolved=False``, no year, and the quarter, month and day they state. Text that cannot be read
    gives ``parsed=False``; it never raises. ``period`` is the span as a sortable period (``2023``,
    ``2023-H1``, ``2023-Q3``, ``2023-06``, ``2023-06-30``, ``2016/2020``, ``2023-01/2023-09``; see
    the module's docstring), None unless the date is read and resolved.
    """
    norm = _clean(text)
    ref = _as_date(reference)
    if not norm:
        return _unparsed()
    reading = _read(norm)
    if reading is None:
        return _unparsed()
    if ref is None and reading.anchored:
        return ParsedDate(None, relative=True, resolved=False)
    try:
        start, end = _span(reading, ref)
    except ValueError:  # a day that does not exist: 2月30日, 2024年13月, 2023年2月29日
        return _unparsed()
    if start > end:
        return _unparsed()
    parsed = _from_span(start, end, reading.relative)
    if reading.relative and ref is None:
        return ParsedDate(None, parsed.quarter, parsed.month, parsed.day, relative=True, resolved=False)
    return replace(parsed, period=_period(start, end, norm))


# ---------------------------------------------------------------------------------------------
# Tables

_CN_NUMBER = "[一二两三四五六七八九]?十[一二三四五六七八九]?|[一二两三四五六七八九]"
_NUMBER = rf"\d{{1,2}}|{_CN_NUMBER}"  # 1–31 in digits or Chinese numerals
_CN_DIGITS = {c: i for i, c in enumerate("〇一二三四五六七八九")} | {"零": 0, "两": 2}

# Days relative to the reference date; 目前 and its synonyms are the reference date itself.
_DAY_WORDS = {
    "目前": 0, "当前": 0, "现在": 0, "如今": 0, "当下": 0, "今天": 0, "今日": 0, "日前": 0, "近日": 0,
    "昨天": -1, "昨日": -1, "前天": -2, "明天": 1, "明日": 1,
}
# the word before 年 of a year relative to the reference's (今年, 去年, …), with its distance in years
_YEAR_WORDS = {"大前": -3, "前": -2, "去": -1, "上": -1, "今": 0, "本": 0, "当": 0, "同": 0, "明": 1, "后": 2}
_YEAR = re.compile(
    r"(?P<year>\d{4})(?!\d)"  # 2023(年)
    r"|(?P<yy>\d\d)(?=年)"  # 23年
    rf"|(?P<word>{'|'.join(_YEAR_WORDS)})(?=年)"  # 今年, 去年, …
    rf"|第(?P<ip_day>\d+|{_CN_NUMBER})个(?=世界知识产权日)"  # the first World IP Day was in 2001
)
_YEARS_AGO = re.compile(rf"({_NUMBER})年前")  # 十年前: the whole year ten years before the reference's

# A stretch of a year: ((first month, day), (last month, day)), a last day of None being the month's last.
_Stretch = tuple[tuple[int, int], tuple[int, int | None]]
_WHOLE_YEAR: _Stretch = ((1, 1), (12, 31))
# What may follow a year and means the whole year: 2023, 2023年, 2023年度, 今年同期, 2023财年.
_YEAR_SUFFIXES = {"", "度", "同期", "财年", "学年", "雪季", "赛季"}
# Parts of a year, with or without a year before them. 年底 and 年初 span two months, as jionlp read them.
_YEAR_PARTS: dict[str, _Stretch] = {
    "全年": _WHOLE_YEAR, "年内": _WHOLE_YEAR, "年中": _WHOLE_YEAR,
    "年初": ((1, 1), (2, None)), "岁末年初": ((1, 1), (2, None)),
    "年底": ((11, 1), (12, 31)), "年末": ((11, 1), (12, 31)), "岁末": ((11, 1), (12, 31)),
    "年底前": ((11, 1), (12, 31)), "年末前": ((11, 1), (12, 31)),
    "新年伊始": ((1, 1), (1, 31)),
    "上半年": ((1, 1), (6, 30)), "上半年度": ((1, 1), (6, 30)), "前半年": ((1, 1), (6, 30)),
    "下半年": ((7, 1), (12, 31)), "后半年": ((7, 1), (12, 31)),
    "元旦": ((1, 1), (1, 1)), "世界知识产权日": ((4, 26), (4, 26)),
    "国庆": ((10, 1), (10, 1)), "国庆节": ((10, 1), (10, 1)),
}
# Parts of a month after 3月: (first day, last day), None being the month's last.
_MONTH_PARTS: dict[str, tuple[int, int | None]] = {
    "": (1, None), "份": (1, None), "初": (1, 5), "上旬": (1, 10), "中": (10, 20), "中旬": (11, 20),
    "下旬": (21, None), "底": (25, None), "末": (25, None),
}
_MONTH_PART = "|".join(sorted(filter(None, _MONTH_PARTS), key=len, reverse=True))
# Parts of a year written with numbers: pattern → its numbers (and words) → ((first month, day), (last month, day))
_NUMBERED_PARTS: list[tuple[re.Pattern[str], Callable[..., _Stretch]]] = [
    (re.compile(r"第?([一二三四1-4])季度?|[Qq]([1-4])"), lambda q: _months(3 * q - 2, 3 * q)),  # 一季度, 第一季, Q1
    (re.compile(r"首季度?"), lambda: _months(1, 3)),  # 首季: the first quarter
    (re.compile(r"前([一二两三四1-4])个?季度"), lambda n: _months(1, 3 * n)),  # 前三季度: January–September
    (re.compile(rf"前({_NUMBER})个月"), lambda n: _months(1, n)),  # 前5个月: January–May
    (re.compile(rf"({_NUMBER})月({_MONTH_PART})?"), lambda m, part="": _in_month(m, part)),  # 3月, 3月底
    (re.compile(rf"({_NUMBER})月({_NUMBER})[日号]"), lambda m, d: ((m, d), (m, d))),  # 3月15日
]


def _months(first: int, last: int) -> _Stretch:
    return (first, 1), (last, None)


def _in_month(month: int, part: str) -> _Stretch:
    first, last = _MONTH_PARTS[part]
    return (month, first), (month, last)


# Plan periods: the first year of each five-year plan.
_PLAN = re.compile(r"(十[一二三四五六]?五)(?:规划)?(末|期末|期间|时期|初|期初|开局之年)?(?:规划)?")
_PLAN_START = {"十五": 2001, "十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026, "十六五": 2031}

# Ranges: the first part, a separator, the second part.
_RANGE = re.compile(r"(.+?)(?:—{1,2}|–|-|~|至|到|、)(.+)")
_RANGE_UNIT = re.compile(rf"(?:\d+|{_CN_NUMBER})(年度|年|月|日|号|季度|季|财年|学年|雪季|赛季)")

# Text around the date that says nothing about it.
_QUOTES = re.compile(r"[“”\"'‘’「」『』《》()（）\s]")
_LEADING = re.compile(r"^(?:截至|截止到?|到|至)")
_TRAILING = re.compile(r"(?:上午|下午|中午|晚上|凌晨|早上|\d{1,2}[时点](?:\d{1,2}分)?|(?:星期|周)[一二三四五六日天]|之际)+$")


# ---------------------------------------------------------------------------------------------
# Reading


@dataclass(frozen=True)
class _Reading:
    """A date expression as read: ``span(reference)`` gives its first and last day, or raises
    ``ValueError`` for a day that does not exist."""

    span: Callable[[dt.date], tuple[dt.date, dt.date]]
    relative: bool = False  # it needs a reference date
    anchored: bool = False  # it needs the reference's month and day too (本月, 近三年), not only its year


@dataclass(frozen=True)
class _Point:
    """A year (stated, relative to the reference's, or not given) and a stretch of it."""

    year: int | None = None  # 2023年
    shift: int | None = None  # 去年: -1 (no year at all: the reference's)
    yy: int | None = None  # 23年
    first: tuple[int, int] = (1, 1)  # (month, day)
    last: tuple[int, int | None] = (12, 31)  # (month, day), None: the month's last day

    @property
    def relative(self) -> bool:
        return self.year is None

    def in_year(self, reference: dt.date) -> int:
        if self.year is not None:
            return self.year
        if self.yy is not None:  # the year ending in yy that is nearest the reference's
            return reference.year + (self.yy - reference.year + 50) % 100 - 50
        return reference.year + (self.shift or 0)

    def first_day(self, reference: dt.date) -> dt.date:
        return dt.date(self.in_year(reference), *self.first)

    def last_day(self, reference: dt.date) -> dt.date:
        year, (month, day) = self.in_year(reference), self.last
        return dt.date(year, month, day or calendar.monthrange(year, month)[1])

    def span_in(self, reference: dt.date) -> tuple[dt.date, dt.date]:
        return self.first_day(reference), self.last_day(reference)


def _read(text: str) -> _Reading | None:
    """The reading of a cleaned date expression, or None."""
    for pattern, read in _ANCHORED:
        match = pattern.fullmatch(text)
        if match:
            return read(match)
    plan = _PLAN.fullmatch(text)
    if plan and plan.group(1) in _PLAN_START:
        first = _PLAN_START[plan.group(1)]
        if plan.group(2) in ("末", "期末"):
            return _between(_Point(first + 4), _Point(first + 4))
        if plan.group(2) in ("初", "期初", "开局之年"):
            return _between(_Point(first), _Point(first))
        return _between(_Point(first), _Point(first + 4))
    split = _RANGE.fullmatch(text)
    if split:
        left, right = _complete_range(*split.groups())
        start, end = _point(left), _point(right)
        return _between(start, end) if start and end else None
    point = _point(text)
    return _between(point, point) if point else None


def _span(reading: _Reading, ref: dt.date | None) -> tuple[dt.date, dt.date]:
    """The reading's first and last day. Without a reference, a relative date is placed in a stand-in
    year, which tells its quarter, month and day: one of four years in a row, so that 去年2月29日 has
    its 29 February."""
    if ref is not None:
        return reading.span(ref)
    for year in range(2000, 2004):
        try:
            return reading.span(dt.date(year, 1, 1))
        except ValueError:
            continue
    raise ValueError("no such day")


def _between(start: _Point, end: _Point) -> _Reading:
    return _Reading(lambda ref: (start.first_day(ref), end.last_day(ref)), relative=start.relative or end.relative)


def _point(text: str) -> _Point | None:
    """A year and a part of it: 2023年, 今年3月底, 2024年一季度, 去年同期, 上半年, 3月15日."""
    ago = _YEARS_AGO.fullmatch(text)
    if ago:
        return _Point(shift=-_number(ago.group(1)))
    match = _YEAR.match(text)
    if not match:
        part = _part(text)
        return _Point(first=part[0], last=part[1]) if part else None
    if match["year"]:
        year = dict(year=int(match["year"]))
    elif match["ip_day"]:
        year = dict(year=2000 + _number(match["ip_day"]))
    elif match["yy"]:
        year = dict(yy=int(match["yy"]))
    else:
        year = dict(shift=_YEAR_WORDS[match["word"]])
    rest = text[match.end():]
    for key in (rest, rest[1:]) if rest.startswith("年") else (rest,):  # 2023年底 = 2023 + 年底; 2023年3月 = 2023 + 3月
        if key in _YEAR_SUFFIXES:
            return _Point(**year)
        part = _part(key)
        if part:
            return _Point(**year, first=part[0], last=part[1])
    return None


def _part(text: str) -> _Stretch | None:
    if text in _YEAR_PARTS:
        return _YEAR_PARTS[text]
    for pattern, stretch in _NUMBERED_PARTS:
        match = pattern.fullmatch(text)
        if match:
            return stretch(*(_number(g) if re.fullmatch(_NUMBER, g) else g for g in match.groups() if g))
    return None


def _complete_range(left: str, right: str) -> tuple[str, str]:
    """Give each side of a range what it leaves to the other: 1—9月 → 1月, 9月; 2024年1—9月 → 2024年1月,
    2024年9月; 4月22日—26日 → 4月22日, 4月26日; 2016—2020年 → 2016年, 2020年."""
    unit = _RANGE_UNIT.match(right)
    if unit and re.search(rf"(?:\d|{_CN_NUMBER})$", left):
        left += unit.group(1)
    if re.fullmatch(rf"(?:{_NUMBER})[日号]", right) and "月" in left:
        right = left[: left.rindex("月") + 1] + right
    elif not _YEAR.match(right) and (year := _YEAR.match(left)):
        right = left[: year.end()] + ("年" if left[year.end():].startswith("年") else "") + right
    return left, right


# Forms that need the reference's month and day, not only its year (listed in _ANCHORED)


def _since(match: re.Match[str]) -> _Reading | None:
    start = _read(match.group(1))
    if start is None:
        return None
    return _Reading(lambda ref: (start.span(ref)[0], ref), relative=True, anchored=True)


def _past_years(match: re.Match[str]) -> _Reading:
    """近三年, 三年来, 过去三年: the three years up to the reference date."""
    years = _number(match.group(1) or match.group(2))
    return _Reading(lambda ref: (_add_years(ref, -years) + dt.timedelta(days=1), ref), relative=True, anchored=True)


def _next_years(match: re.Match[str]) -> _Reading:
    """未来三年, 三年内: the three years from the reference date."""
    years = _number(match.group(1) or match.group(2))
    return _Reading(lambda ref: (ref, _add_years(ref, years) - dt.timedelta(days=1)), relative=True, anchored=True)


def _relative_month(match: re.Match[str]) -> _Reading:
    """本月, 上个月, 下月底: a month counted from the reference's."""
    shift = {"本": 0, "上": -1, "下": 1}[match.group(1)]
    part = match.group(2) or ""

    def span(ref: dt.date) -> tuple[dt.date, dt.date]:
        year, month = divmod(ref.year * 12 + ref.month - 1 + shift, 12)
        first, last = _in_month(month + 1, part)
        return _Point(year, first=first, last=last).span_in(ref)

    return _Reading(span, relative=True, anchored=True)


def _relative_day(match: re.Match[str]) -> _Reading:
    days = _DAY_WORDS[match.group(0)]
    return _Reading(lambda ref: (ref + dt.timedelta(days=days),) * 2, relative=True, anchored=True)


def _day_of_month(match: re.Match[str]) -> _Reading:
    day = _number(match.group(1))
    return _Reading(lambda ref: (ref.replace(day=day),) * 2, relative=True, anchored=True)


_ANCHORED: list[tuple[re.Pattern[str], Callable[[re.Match[str]], _Reading | None]]] = [
    (re.compile(rf"(?:近|过去的?|刚刚过去的?)({_NUMBER})年(?:来|里|间)?|({_NUMBER})年(?:以)?来"), _past_years),
    (re.compile(rf"未来({_NUMBER})年|({_NUMBER})年内"), _next_years),
    (re.compile(r"(.+?)(?:以来|至今)"), _since),  # 2021年以来: from 2021-01-01 to the reference date
    (re.compile(rf"(本|上|下)个?月({_MONTH_PART}|份)?"), _relative_month),  # 上月底
    (re.compile("|".join(_DAY_WORDS)), _relative_day),  # 目前, 昨天
    (re.compile(rf"({_NUMBER})[日号]"), _day_of_month),  # 22日: in the reference's month
]


# ---------------------------------------------------------------------------------------------
# Helpers


def _clean(text: str) -> str:
    """Simplified, half-width, without quotes, spaces and the words around a date that say nothing;
    Chinese-numeral years and numeric dates rewritten as 2023年12月31日."""
    norm = _QUOTES.sub("", normalize_text(str(text)))
    norm = _TRAILING.sub("", _LEADING.sub("", norm))
    norm = re.sub(r"[〇零一二三四五六七八九]{4}(?=年)", lambda m: "".join(str(_CN_DIGITS[c]) for c in m.group()), norm)
    norm = re.sub(r"(\d\d)(\d\d)/(\d\d)(?=学年|财年|年度|雪季|赛季)", r"\1\2—\1\3", norm)  # 2022/23学年
    norm = re.sub(r"^(\d{4})(\d\d)(\d\d)$", r"\1年\2月\3日", norm)  # 20231231
    return re.sub(  # 2023-12-31, 2023/12/31, 2023.12
        r"(?<!\d)(\d{4})([-/.])(\d{1,2})(?:\2(\d{1,2}))?(?!\d)",
        lambda m: f"{m.group(1)}年{m.group(3)}月" + (f"{m.group(4)}日" if m.group(4) else ""),
        norm,
    )


def _number(text: str) -> int:
    """12, 十二, 两 → 12, 12, 2."""
    if text.isdigit():
        return int(text)
    tens, ten, units = text.partition("十")
    if not ten:
        return _CN_DIGITS[text]
    return (_CN_DIGITS[tens] if tens else 1) * 10 + (_CN_DIGITS[units] if units else 0)


def _add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _from_span(start: dt.date, end: dt.date, relative: bool) -> ParsedDate:
    quarter = month = day = None
    if start.year == end.year and start.month == end.month:
        month = start.month
        if start == end:
            day = start.day
    elif (
        start.year == end.year and start.day == 1 and (start.month - 1) % 3 == 0 and end.month == start.month + 2
        and end.day == calendar.monthrange(end.year, end.month)[1]
    ):
        quarter = (start.month - 1) // 3 + 1
    return ParsedDate(end.year, quarter, month, day, (start.isoformat(), end.isoformat()), relative=relative)


# Words whose span (as read) stands for a coarser period: a year's end is the year (年底: November–
# December → 2023), a part of a month is the month (6月底: 25–30 June → 2023-06).
_YEAR_END = re.compile(r"(?:年底|年末|岁末)前?$")
_PART_OF_MONTH = re.compile(rf"月(?:{_MONTH_PART})$")


def _period(start: dt.date, end: dt.date, text: str) -> str:
    """The span from ``start`` to ``end`` (read from the cleaned ``text``) as a sortable period."""
    if _YEAR_END.search(text) and (start, end) == (dt.date(end.year, 11, 1), dt.date(end.year, 12, 31)):
        return str(end.year)
    if _PART_OF_MONTH.search(text) and (start.year, start.month) == (end.year, end.month):
        return f"{end.year:04d}-{end.month:02d}"
    if start == end:
        return start.isoformat()
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31):
        return str(end.year) if start.year == end.year else f"{start.year:04d}/{end.year:04d}"
    if start.day == 1 and end.day == calendar.monthrange(end.year, end.month)[1]:
        first, last = f"{start.year:04d}-{start.month:02d}", f"{end.year:04d}-{end.month:02d}"
        if start.year == end.year:
            if (start.month, end.month) in ((1, 6), (7, 12)):
                return f"{end.year:04d}-H{end.month // 6}"
            if start.month % 3 == 1 and end.month == start.month + 2:
                return f"{end.year:04d}-Q{end.month // 3}"
            if start.month == end.month:
                return last
        return f"{first}/{last}"
    return f"{start.isoformat()}/{end.isoformat()}"


def _unparsed() -> ParsedDate:
    return ParsedDate(None, parsed=False, resolved=False)


_REFERENCE_DATE = re.compile(r"\s*(\d{4})\s*(?:-|/|\.|年)\s*(\d{1,2})\s*(?:-|/|\.|月)\s*(\d{1,2})\s*日?\s*")


def parse_reference_date(text: str) -> str:
    """A document's reference date as ``YYYY-MM-DD`` from ``2025-02-24``, ``2025/2/24``,
    ``2025.2.24`` or ``2025年2月24日`` (also in full-width digits); raises ``ValueError`` with a
    message for anything else, including dates that do not exist (2025-02-30)."""
    match = _REFERENCE_DATE.fullmatch(normalize_text(str(text)))
    if not match:
        raise ValueError(f"not a date: {text!r} (use YYYY-MM-DD, YYYY/M/D or YYYY年M月D日)")
    try:
        return dt.date(*(int(part) for part in match.groups())).isoformat()
    except ValueError:
        raise ValueError(f"no such date: {text!r}") from None


def _as_date(reference: dt.date | str | None) -> dt.date | None:
    if reference is None or isinstance(reference, dt.date):
        return reference
    try:
        return dt.date.fromisoformat(str(reference)[:10])
    except ValueError:
        match = re.match(r"(\d{4})-(\d{1,2})", str(reference))
        return dt.date(int(match.group(1)), int(match.group(2)), 1) if match else None
