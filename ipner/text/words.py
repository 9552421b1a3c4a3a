"""Words of two to four characters from jieba's dictionary, where an entity's boundary is checked against the words
of the text (:mod:`ipner.pipeline.span_repair` carries a METRIC that stops inside a word to the word's end).

The words are read from the ``dict.txt`` that jieba (a dependency already: the yardstick of ``python -m ipner
bench``) ships, once, when the first pipeline with span repair is built. Loaded by jieba itself the dictionary
takes about 60 MB, which put the peak RSS of ``predict`` on a 10 MB file over the 600 MB target; held here as
one sorted array of 64-bit keys (four UTF-16 code units per word) it takes about 3 MB, and a lookup is one
binary search. Only membership is needed, not jieba's segmentation.
"""
from __future__ import annotations

import importlib.util
from functools import lru_cache
from pathlib import Path

import numpy

__all__ = ["is_word", "load_words"]

#: The lengths of the words kept: the span repair looks at most two characters past an entity's end.
MIN_WORD_CHARS, MAX_WORD_CHARS = 2, 4
_NEWLINE, _SPACE = 10, 32
_SURROGATES = (0xD800, 0xDFFF)


def _dictionary_path() -> Path:
    """jieba's ``dict.txt``, found without importing jieba (whose import alone takes 20 MB)."""
    spec = importlib.util.find_spec("jieba")
    if spec is None or not spec.submodule_search_locations:
        raise ImportError("jieba is not installed: pip install jieba")
    return Path(spec.submodule_search_locations[0]) / "dict.txt"


def _key(units: numpy.ndarray) -> numpy.ndarray:
    """The 64-bit key of each row of ``units`` (code units, zero-padded to :data:`MAX_WORD_CHARS`)."""
    keys = numpy.zeros(len(units), dtype=numpy.uint64)
    for column in range(MAX_WORD_CHARS):
        keys = (keys << numpy.uint64(16)) | units[:, column].astype(numpy.uint64)
    return keys


@lru_cache(maxsize=1)
def load_words() -> numpy.ndarray:
    """The sorted keys of jieba's dictionary words of two to four characters."""
    codes = numpy.frombuffer(_dictionary_path().read_text(encoding="utf-8").encode("utf-16-le"), dtype="<u2")
    starts = numpy.concatenate(([0], numpy.flatnonzero(codes == _NEWLINE) + 1))
    starts = starts[starts < len(codes)]
    spaces = numpy.flatnonzero(codes == _SPACE)
    ends = spaces[numpy.minimum(numpy.searchsorted(spaces, starts), len(spaces) - 1)]
    lengths = ends - starts
    keep = (lengths >= MIN_WORD_CHARS) & (lengths <= MAX_WORD_CHARS) & (ends >= starts)
    starts, lengths = starts[keep], lengths[keep]
    units = numpy.zeros((len(starts), MAX_WORD_CHARS), dtype=numpy.uint16)
    for column in range(MAX_WORD_CHARS):
        present = lengths > column
        units[present, column] = codes[starts[present] + column]
    # a word with a character outside the BMP takes two code units per character: left out (none in jieba's)
    plain = ~((units >= _SURROGATES[0]) & (units <= _SURROGATES[1])).any(axis=1)
    return numpy.unique(_key(units[plain]))


def is_word(text: str) -> bool:
    """Whether ``text`` (two to four characters, normalised) is a word of jieba's dictionary."""
    if not MIN_WORD_CHARS <= len(text) <= MAX_WORD_CHARS:
        return False
    units = numpy.frombuffer(text.encode("utf-16-le"), dtype="<u2")
    if len(units) != len(text):
        return False
    padded = numpy.zeros((1, MAX_WORD_CHARS), dtype=numpy.uint16)
    padded[0, : len(units)] = units
    key = _key(padded)[0]
    words = load_words()
    index = int(numpy.searchsorted(words, key))
    return index < len(words) and words[index] == key
