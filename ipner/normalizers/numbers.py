"""The number grammar of Chinese reports, shared by the normaliser (``parse_quantity``) and the rule
recogniser (``ipner.pipeline.rule_entities``): numerals, multipliers, approximation marks, range
separators. One definition, so that what the rules tag as a QUANTITY is what the normaliser reads.
"""
from __future__ import annotations

__all__ = [
    "CN_DIGITS",
    "MULTIPLIERS",
    "MULTIPLIER_RE",
    "ARABIC_RE",
    "UNSIGNED_ARABIC_RE",
    "CHINESE_NUMERAL_RE",
    "NUMBER_RE",
    "RANGE_SEPARATOR_RE",
    "APPROX_BEFORE",
    "APPROX_AFTER_UNIT",
    "APPROX_INFIX",
    "alternation",
]

#: Characters of Chinese numerals, including the financial forms (壹贰叁 …).
CN_DIGITS = "〇零一二两三四五六七八九十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟"
#: Multipliers written after a number, longest first, with their values.
MULTIPLIERS: dict[str, int] = {
    "万亿": 10**12, "千亿": 10**11, "百亿": 10**10, "十亿": 10**9, "亿": 10**8,
    "千万": 10**7, "百万": 10**6, "十万": 10**5, "万": 10**4, "千": 10**3,
}
MULTIPLIER_RE = "(?:" + "|".join(MULTIPLIERS) + ")"
UNSIGNED_ARABIC_RE = r"\d+(?:,\d{3})*(?:\.\d+)?"
ARABIC_RE = rf"[+-]?{UNSIGNED_ARABIC_RE}"
CHINESE_NUMERAL_RE = rf"[{CN_DIGITS}]+(?:点[{CN_DIGITS}]+)?"
NUMBER_RE = rf"(?:{ARABIC_RE}|{CHINESE_NUMERAL_RE})"
RANGE_SEPARATOR_RE = r"\s*(?:—|–|-|~|～|至|到)\s*"

#: Approximation marks before the number, longest first where one begins another (超过 before 超).
APPROX_BEFORE: tuple[tuple[str, str], ...] = (
    ("超过", "over"), ("超出", "over"), ("超", "over"), ("逾", "over"), ("高于", "over"), ("多于", "over"),
    ("将近", "under"), ("接近", "under"), ("近", "under"), ("不到", "under"), ("不足", "under"), ("低于", "under"),
    ("大约", "about"), ("约", "about"),
)
#: Approximation marks after the unit (3%以上, 50亿元左右).
APPROX_AFTER_UNIT: tuple[tuple[str, str], ...] = (
    ("以上", "over"), ("以下", "under"), ("左右", "about"), ("上下", "about"), ("有余", "over"),
)
#: Approximation marks between the number and its unit (9700余件, 1万多件).
APPROX_INFIX: tuple[tuple[str, str], ...] = (("多", "over"), ("余", "over"))


def alternation(marks: tuple[tuple[str, str], ...]) -> str:
    """A regex group matching any of the marks (longest first)."""
    return "(?:" + "|".join(sorted((mark for mark, _ in marks), key=len, reverse=True)) + ")"
