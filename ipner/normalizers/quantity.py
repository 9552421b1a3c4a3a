"""``parse_quantity``: a QUANTITY span (and its left context) → value, unit, approx and kind.

Chinese numerals are read with cn2an. cn2an does not cover numerals followed by a multiplier
(十五点八万), percentages written in words (百分之三十, 三成, 三分之二), approximation marks or
units, so this module splits those off itself and hands cn2an only the bare numeral.
"""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass
from typing import Any

from ipner.normalizers.numbers import (
    APPROX_AFTER_UNIT,
    APPROX_BEFORE,
    APPROX_INFIX,
    CN_DIGITS,
    MULTIPLIER_RE,
    MULTIPLIERS,
    NUMBER_RE,
    RANGE_SEPARATOR_RE,
)
from ipner.schema import SENTENCE_BOUNDARY_RE
from ipner.text.normalize import normalize_text

# Two neighbouring digits before a place value or 成 (两三千, 五六万, 一二十, 七八成): a range.
_NEIGHBOUR_DIGITS = re.compile(r"(?P<a>[一二两三四五六七八])(?P<b>[二三四五六七八九])(?P<rest>[十百千万亿成].*)")
_DIGIT_VALUES = {"一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}
#: Marks stripped from the end of a span: after the unit, then between number and unit (有余 before 余).
_APPROX_SUFFIX = APPROX_AFTER_UNIT + APPROX_INFIX
# 3000多万元, 3000余万元: an approximation mark between the number and its multiplier
_NUMBER_RE = re.compile(rf"(?P<num>{NUMBER_RE})(?:(?P<infix>[多余])(?={MULTIPLIER_RE}))?(?P<mult>{MULTIPLIER_RE})?")
# 前十名, 前2位, 前五强, 前三: a place among the first N (a rank of at most N)
_TOP_N = re.compile(rf"前(?P<num>{NUMBER_RE})(?P<unit>[名位强])?")

# Words in the left context that decide ``kind``; the last one found in the clause wins.
_KIND_WORDS: list[tuple[str, str]] = [
    # 提高到, 增长至 … give the new level, not the change
    (r"(?:同比增长|同比增加|同比提高|同比上升|增长|增加|提高|提升|上升|增幅|增速|涨幅|翻了|高出|多出|净增)(?![到至])", "growth"),
    # 缩短至30天, 压缩到5天 give the new level; 缩短七成, 压减35% the decline
    (r"(?:同比下降|同比减少|下降|减少|降低|回落|下滑|降幅|缩短|压减|压缩|缩减)(?![到至])", "decline"),
    (r"占比|占|比重|份额", "share"),
    (r"居|位居|位列|排名|排在|排|列", "rank"),
]
_TARGET_WORDS = re.compile(r"力争|目标|预计到|到20\d\d年|(?<![截止])至20\d\d年")
_CLAUSE_SEP = re.compile(r"[，,；;。！？!?\n：:、]")


@dataclass(frozen=True)
class ParsedQuantity:
    """A normalised quantity. ``parsed`` is False when the text could not be read (value is None)."""

    value: float | None
    unit: str | None
    approx: str | None
    kind: str
    parsed: bool = True
    range: tuple[float, float] | None = None

    def to_dict(self) -> dict[str, Any]:
        """The SCHEMA.md fields (``value, unit, approx, kind``) plus ``parsed`` and ``range``."""
        out = asdict(self)
        out["range"] = list(self.range) if self.range else None
        return out


def parse_quantity(text: str, context: str = "") -> ParsedQuantity:
    """Read a QUANTITY span such as ``7.61萬件``, ``超5.6亿元``, ``百分之三十`` or ``第32位``.

    ``value`` has the Chinese multipliers applied (7.61萬件 → 76100); percentages keep the number
    (37.5% → 37.5, unit ``%``); words (三成, 百分之三十) and fractions (三分之二, 1/3) become percent.
    Ranges (3000—5000件, 2至3倍) give the lower bound as ``value`` and both bounds in ``range``.
    ``kind`` is ``rank`` for 第N and otherwise read from ``context``, the text just left of the span:
    growth (同比增长, 增长, 高出…; declines such as 下降 make the value negative), share (占, 占比),
    rank (居…第), target (力争, 目标, 到2025年…), else value. Text that cannot be read returns
    ``parsed=False`` with ``value=None``; it never raises.
    """
    parsed = _read_quantity(text, context)
    # a number too large for a float (hundreds of digits) is no figure, and inf is no JSON
    if any(v is not None and not math.isfinite(v) for v in (parsed.value, *(parsed.range or ()))):
        return _unparsed(parsed.kind)
    return parsed


def _read_quantity(text: str, context: str) -> ParsedQuantity:
    norm = normalize_text(text).strip()
    kind = _kind_from_context(normalize_text(context)) if context else "value"
    body, approx = _strip_approx(norm)
    top = _TOP_N.fullmatch(body)
    if top:
        value = _to_number(top.group("num"))
        unit = top.group("unit")
        return ParsedQuantity(value, unit if unit in ("名", "位") else None, approx or "under", "rank") if value else _unparsed("rank")
    if body.startswith("第"):
        number = _read_number(body[1:])
        if number is None:
            return _unparsed(kind)
        value, rest = number
        unit = rest.strip() or None
        if unit is not None and not re.fullmatch(r"[位名]", unit):
            return _unparsed("rank")
        return ParsedQuantity(value, unit, approx, "rank")
    parsed = _parse_amount(body)
    if parsed is None:
        return _unparsed(kind)
    value, unit, infix_approx, value_range = parsed
    approx = approx or infix_approx
    if kind == "decline":
        kind = "growth"
        value = -abs(value)
        value_range = (-abs(value_range[0]), -abs(value_range[1])) if value_range else None
    if kind == "rank":
        kind = "value"  # 居 without 第N (居全国前列 …) is not a rank figure
    return ParsedQuantity(_tidy(value), unit, approx, kind, True, value_range)


def _unparsed(kind: str) -> ParsedQuantity:
    return ParsedQuantity(None, None, None, "growth" if kind == "decline" else kind, parsed=False)


def _strip_approx(text: str) -> tuple[str, str | None]:
    approx = None
    for mark, meaning in APPROX_BEFORE:
        if text.startswith(mark) and len(text) > len(mark):
            text, approx = text[len(mark) :].lstrip(), meaning
            break
    for mark, meaning in _APPROX_SUFFIX:
        if text.endswith(mark) and len(text) > len(mark):
            text, approx = text[: -len(mark)].rstrip(), approx or meaning
            break
    return text, approx


def _parse_amount(body: str) -> tuple[float, str | None, str | None, tuple[float, float] | None] | None:
    neighbours = _NEIGHBOUR_DIGITS.fullmatch(body)
    if neighbours and _DIGIT_VALUES[neighbours["b"]] == _DIGIT_VALUES[neighbours["a"]] + 1:
        # 两三千元, 五六万件, 七八成: two neighbouring digits before a place value are a range (2000–3000);
        # cn2an reads them as one numeral (两三千 → 23000)
        low, high = _parse_amount(neighbours["a"] + neighbours["rest"]), _parse_amount(neighbours["b"] + neighbours["rest"])
        if low is not None and high is not None and low[1] == high[1]:
            return low[0], low[1], low[2] or high[2], (_tidy(low[0]), _tidy(high[0]))
    word = _percent_words(body)
    if word is not None:
        value, rest = word
        rest_body, infix = _strip_approx(rest) if rest else ("", None)
        if rest_body:
            return None
        return value, "%", infix, None
    range_match = re.fullmatch(rf"(?P<a>{NUMBER_RE}{MULTIPLIER_RE}?)(?:[^\d{CN_DIGITS}]{{0,3}}?){RANGE_SEPARATOR_RE}(?P<b>{NUMBER_RE}{MULTIPLIER_RE}?.*)", body)
    if range_match and not body.startswith("-"):
        high = _read_number(range_match.group("b"))
        low = _read_number(range_match.group("a"))
        if high and low is not None:
            high_value, rest = high
            unit, infix = _read_unit(rest)
            if unit is not False:
                low_value = low[0]
                if not low[1] and _NUMBER_RE.fullmatch(range_match.group("a")) and _multiplier_of(range_match.group("b")):
                    low_value *= _multiplier_of(range_match.group("b"))  # 3—5万件: the multiplier serves both
                return low_value, unit, infix, (_tidy(low_value), _tidy(high_value))
    number = _read_number(body)
    if number is None:
        return None
    value, rest = number
    unit, infix = _read_unit(rest)
    if unit is False:
        return None
    return value, unit, infix, None


def _percent_words(body: str) -> tuple[float, str] | None:
    """百分之三十 → 30, 千分之五 → 0.5, 三分之二 → 66.67, 1/3 → 33.33, 三成 → 30, 两成半 → 25."""
    if body.startswith(("一半", "半数")):
        return 50.0, body[2:]
    m = re.match(rf"(百|千)分之({NUMBER_RE})", body)
    if m:
        n = _to_number(m.group(2))
        if n is None:
            return None
        return (n if m.group(1) == "百" else n / 10), body[m.end() :]
    m = re.match(rf"({NUMBER_RE})分之({NUMBER_RE})", body)
    if m:
        denominator, numerator = _to_number(m.group(1)), _to_number(m.group(2))
        if not denominator or numerator is None:
            return None
        return round(numerator / denominator * 100, 2), body[m.end() :]
    m = re.match(r"(\d+)/(\d+)", body)
    if m and int(m.group(2)):
        return round(int(m.group(1)) / int(m.group(2)) * 100, 2), body[m.end() :]
    m = re.match(rf"([{CN_DIGITS}\d.]+)成(半)?", body)
    if m:
        n = _to_number(m.group(1))
        if n is None:
            return None
        return n * 10 + (5 if m.group(2) else 0), body[m.end() :]
    return None


def _read_number(text: str) -> tuple[float, str] | None:
    """The number at the start of ``text`` with its multiplier applied, and what follows it."""
    m = _NUMBER_RE.match(text)
    if not m:
        return None
    num, mult = m.group("num"), m.group("mult")
    value = _to_number(num)
    if value is None:
        # a Chinese numeral ending in a multiplier that cn2an refused (十五点八万): split it off
        split = re.fullmatch(rf"(.+?)({MULTIPLIER_RE})", num)
        if not split:
            return None
        base = _to_number(split.group(1))
        if base is None:
            return None
        value, mult_value = base, MULTIPLIERS[split.group(2)]
        return value * mult_value, text[m.end() :]
    if mult:
        value *= MULTIPLIERS[mult]
    rest = text[m.end() :]
    if num.endswith("十") and rest.startswith("几"):
        rest = "多" + rest[1:]  # 十几件, 二十几家: ten and some, as 十多件
    # the infix mark goes back in front of the unit, where _read_unit reads it as approx "over"
    return value, (m.group("infix") or "") + rest


def _multiplier_of(text: str) -> float | None:
    m = _NUMBER_RE.match(text)
    return MULTIPLIERS[m.group("mult")] if m and m.group("mult") else None


def _to_number(numeral: str) -> float | None:
    numeral = numeral.replace(",", "")
    if numeral[:1] in ("百", "千", "万", "亿"):
        numeral = "一" + numeral  # 百家, 千余件: cn2an needs the leading 一
    try:
        return float(numeral)
    except ValueError:
        pass
    import cn2an

    try:
        return float(cn2an.cn2an(numeral, "smart"))
    except (ValueError, KeyError, IndexError, TypeError):
        return None


_UNIT_RE = re.compile(r"(?P<infix>余|多)?(?P<unit>%|‰|[^\d\s%]{1,4})?")


def _read_unit(rest: str) -> tuple[str | None, str | None] | tuple[bool, None]:
    """Split what follows the number into an infix approximation mark (9700余件) and the unit."""
    rest = rest.strip()
    if not rest:
        return None, None
    m = _UNIT_RE.fullmatch(rest)
    if not m or not (m.group("unit") or m.group("infix")):
        return False, None
    infix = "over" if m.group("infix") else None
    unit = m.group("unit")
    if unit and re.search(rf"[{CN_DIGITS}\d]", unit) and unit not in ("个", "位", "百分点", "个百分点"):
        return False, None
    if unit == "‰" or (unit and "分之" in unit):
        return False, None
    return unit, infix


def _kind_from_context(context: str) -> str:
    clause = _CLAUSE_SEP.split(context)[-1]
    best_pos, best_kind = -1, "value"
    for pattern, kind in _KIND_WORDS:
        for m in re.finditer(pattern, clause):
            if m.start() > best_pos:
                best_pos, best_kind = m.start(), kind
    if best_kind != "value":
        return best_kind
    sentence = SENTENCE_BOUNDARY_RE.split(context)[-1]
    return "target" if _TARGET_WORDS.search(sentence) else "value"


def _tidy(value: float) -> float:
    """Round away binary noise (7.61 × 10000 = 76100.00000000001, 137.3 × 10⁸ = 13730000000.000002)
    and keep integers integral: no figure in a report has more than 15 significant digits."""
    rounded = round(float(f"{value:.15g}"), 6)
    if not math.isfinite(rounded):
        return rounded
    return float(int(rounded)) if rounded == int(rounded) else rounded
