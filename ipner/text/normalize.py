"""Script and width normalisation that keeps every character at its place.

The model and the rules read normalised text (Traditional → Simplified with OpenCC, full-width
ASCII → half-width), but ipner reports offsets into the original text. Rather than keep an
alignment, :func:`normalize_text` is length-preserving: character ``i`` of the result is the
normalised form of character ``i`` of the input, so offsets carry over unchanged.
"""
from __future__ import annotations

from functools import lru_cache

# U+FF01..U+FF5E are the full-width forms of ASCII 0x21..0x7E; U+3000 is the ideographic space.
_WIDTH_TABLE = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_WIDTH_TABLE[0x3000] = 0x20


@lru_cache(maxsize=1)
def _converter(config: str = "t2s"):
    from opencc import OpenCC

    return OpenCC(config)


@lru_cache(maxsize=1)
def _convertible_chars() -> frozenset[str] | None:
    """Every character of every key of OpenCC's t2s dictionaries: a line with none of them is
    already Simplified, and OpenCC (pure Python, the slowest step of tokenising) can be skipped.
    None (no shortcut) if this OpenCC keeps its dictionaries elsewhere."""
    converter = _converter()
    converter.convert("\u9ad4")  # loads the dictionaries
    chars: set[str] = set()
    try:
        paths = [p for chain in converter._dict_chain for p in chain]
        for path in paths:
            with open(path, encoding="utf-8") as f:
                for line in f:
                    chars.update(line.split("\t", 1)[0])
    except (AttributeError, OSError, TypeError):
        return None
    return frozenset(chars) or None


def to_simplified(text: str) -> str:
    """Traditional → Simplified with OpenCC (phrase-aware; the length may change)."""
    return _converter().convert(text)


def to_traditional(text: str) -> str:
    """Simplified → Traditional with OpenCC (used for Traditional gazetteer forms and augmentation)."""
    return _converter("s2t").convert(text)


def to_halfwidth(text: str) -> str:
    """Full-width ASCII letters, digits, punctuation and the ideographic space → half-width."""
    return text.translate(_WIDTH_TABLE)


def normalize_text(text: str) -> str:
    """Return ``text`` in Simplified script and half-width ASCII, with exactly the same length.

    OpenCC converts line by line; a line whose conversion changes length (a phrase rule mapping
    n characters to m) is converted character by character instead, and a character whose
    conversion is not one character is kept as it is.
    """
    if len(text) <= _CACHED_CHARS:
        return _normalize_short(text)
    return _normalize(text)


#: Texts up to this length (a date, a figure, a metric's name: the same few strings recur in every
#: document) are normalised once and remembered; OpenCC is pure Python and the slowest step here.
_CACHED_CHARS = 64


@lru_cache(maxsize=65536)
def _normalize_short(text: str) -> str:
    return _normalize(text)


def _normalize(text: str) -> str:
    text = to_halfwidth(text)
    if text.isascii():
        return text
    out = []
    convertible = _convertible_chars()
    for line in text.split("\n"):
        if convertible is not None and convertible.isdisjoint(line):
            out.append(line)
            continue
        converted = to_simplified(line)
        if len(converted) != len(line):
            converted = "".join(_char_to_simplified(c) for c in line)
        out.append(converted)
    return "\n".join(out)


@lru_cache(maxsize=65536)
def _char_to_simplified(char: str) -> str:
    converted = to_simplified(char)
    return converted if len(converted) == 1 else char
