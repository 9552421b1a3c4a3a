"""``parse_date``: a DATE span → year (and quarter, month, day, span where stated).

Calendar expressions are read by jionlp's ``parse_time``. It does not know plan periods
(十三五末, “十四五”期间), month ranges (1—9月) or 目前/当前, and it silently resolves relative
dates against today; this module handles those forms itself and resolves relative dates only
against a reference date that the caller gives.
"""
from __future__ import annotations

import contextlib
import datetime as dt
import io
import re
from dataclasses import asdict, dataclass
from functools import lru_cache
from typing import Any

from ipner.text.normalize import normalize_text

_PLAN = re.compile(r"“?(十[一二三四五六七八九]?五)”?(末|期末|期间|时期|以来|初|期初|开局之年)?(规划)?")
_PLAN_START = {"十五": 2001, "十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026, "十六五": 2031}
_RELATIVE = re.compile(r"今年|去年|前年|明年|本年|上年|当年|同年|近[一二三四五六七八九十\d]+年|近年|目前|当前|现在|截至目前|年初|年底|上半年|下半年|[一二三四]季度|本月|上月|前[一二三四五六七八九十\d]+个?月|^\d{1,2}月|^[一二三四五六七八九十]+月")
_NOW_WORDS = re.compile(r"^(截至)?(目前|当前|现在|今天|日前)$")
_MONTH_RANGE = re.compile(r"(?:(\d{4})年)?(今年|去年)?(\d{1,2})\s*(?:—|–|-|~|至|到)\s*(\d{1,2})月(?:份)?")
_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")


@dataclass(frozen=True)
class ParsedDate:
    """A normalised date. ``resolved`` is False for relative dates without a reference date."""

    year: int | None
    quarter: int | None = None
    month: int | None = None
    day: int | None = None
    span: tuple[str, str] | None = None
    relative: bool = False
    resolved: bool = True
    parsed: bool = True

    def to_dict(self) -> dict[str, Any]:
        """All fields as a JSON-safe dict (``span`` as a list)."""
        out = asdict(self)
        out["span"] = list(self.span) if self.span else None
        return out


def parse_date(text: str, reference: dt.date | str | None = None) -> ParsedDate:
    """Read a DATE span such as ``2023年底``, ``2024年一季度``, ``今年3月`` or ``“十三五”期间``.

    ``year`` is the year the span ends in (2016年—2020年 → 2020, with the whole ``span``);
    ``quarter``, ``month`` and ``day`` are set when the text states them. Relative dates (今年,
    去年, 目前, 近三年, 3月 with no year) are resolved against ``reference`` (a date or
    ``YYYY-MM-DD``) when one is given; without it they come back with ``relative=True,
    resolved=False`` and no year. Text that cannot be read gives ``parsed=False``; it never raises.
    """
    norm = normalize_text(text).strip().strip("“”\"'《》()（）")
    ref = _as_date(reference)
    if not norm:
        return _unparsed()
    plan = _PLAN.fullmatch(norm)
    if plan and plan.group(1) in _PLAN_START:
        first = _PLAN_START[plan.group(1)]
        if plan.group(2) in ("末", "期末"):
            return ParsedDate(first + 4, span=(f"{first + 4}-01-01", f"{first + 4}-12-31"))
        if plan.group(2) in ("初", "期初", "开局之年"):
            return ParsedDate(first, span=(f"{first}-01-01", f"{first}-12-31"))
        return ParsedDate(first + 4, span=(f"{first}-01-01", f"{first + 4}-12-31"))
    has_year = bool(_YEAR.search(norm))
    relative = not has_year and bool(_RELATIVE.search(norm) or re.search(r"\d{1,2}月", norm))
    if _NOW_WORDS.match(norm):
        if ref is None:
            return ParsedDate(None, relative=True, resolved=False)
        return ParsedDate(ref.year, month=ref.month, day=ref.day, span=(ref.isoformat(), ref.isoformat()), relative=True)
    month_range = _MONTH_RANGE.fullmatch(norm)
    if month_range:
        return _month_range(month_range, ref)
    if relative and ref is None:
        return _unresolved(norm)
    base = ref or dt.date(2000, 1, 1)  # absolute dates do not depend on the base
    result = _jionlp_parse(norm, base.isoformat())
    if result is None:
        return _unparsed()
    start, end = result
    return _from_span(start, end, relative)


def _from_span(start: dt.date, end: dt.date, relative: bool) -> ParsedDate:
    quarter = month = day = None
    if start.year == end.year and start.month == end.month:
        month = start.month
        if start == end:
            day = start.day
    elif start.year == end.year and start.day == 1 and (start.month - 1) % 3 == 0 and end.month == start.month + 2:
        quarter = (start.month - 1) // 3 + 1
    return ParsedDate(end.year, quarter, month, day, (start.isoformat(), end.isoformat()), relative=relative)


def _month_range(match: re.Match[str], ref: dt.date | None) -> ParsedDate:
    first, last = int(match.group(3)), int(match.group(4))
    if not 1 <= first <= last <= 12:
        return _unparsed()
    if match.group(1):
        year, relative = int(match.group(1)), False
    elif ref is not None:
        year, relative = ref.year - (1 if match.group(2) == "去年" else 0), True
    else:
        return ParsedDate(None, relative=True, resolved=False)
    end = _month_end(year, last)
    return ParsedDate(year, span=(f"{year}-{first:02d}-01", end.isoformat()), relative=relative)


def _unresolved(norm: str) -> ParsedDate:
    month = re.search(r"(\d{1,2})月", norm)
    day = re.search(r"(\d{1,2})[日号]", norm)
    quarter = re.search(r"([一二三四])季度", norm)
    return ParsedDate(
        None,
        quarter="一二三四".index(quarter.group(1)) + 1 if quarter else None,
        month=int(month.group(1)) if month and 1 <= int(month.group(1)) <= 12 else None,
        day=int(day.group(1)) if day and 1 <= int(day.group(1)) <= 31 else None,
        relative=True,
        resolved=False,
    )


def _unparsed() -> ParsedDate:
    return ParsedDate(None, parsed=False, resolved=False)


def _month_end(year: int, month: int) -> dt.date:
    following = dt.date(year + month // 12, month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


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


@lru_cache(maxsize=1)
def _jionlp():
    # jionlp prints a banner on import; it must not reach stdout, where ipner writes its results
    with contextlib.redirect_stdout(io.StringIO()):
        import jionlp

    return jionlp


@lru_cache(maxsize=4096)
def _jionlp_parse(text: str, base: str) -> tuple[dt.date, dt.date] | None:
    jio = _jionlp()
    year, month, day = (int(x) for x in base.split("-"))
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            result = jio.parse_time(text, time_base={"year": year, "month": month, "day": day})
    except (ValueError, TypeError, KeyError, IndexError, AttributeError):  # jionlp's ways of refusing text
        return None
    times = result.get("time") if isinstance(result, dict) else None
    if result.get("type") not in ("time_point", "time_span") or not times or len(times) != 2:
        return None
    try:
        start = dt.date.fromisoformat(str(times[0])[:10])
        end = dt.date.fromisoformat(str(times[1])[:10])
    except ValueError:
        return None
    return start, end
