"""Chunking long texts: pieces cover the text exactly, respect the size and prefer paragraph breaks."""
from hypothesis import given, settings
from hypothesis import strategies as st

from ipner.text import iter_chunks


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="专利件。\n 1", max_size=500), st.integers(min_value=2, max_value=60))
def test_chunks_cover_text(text, size):
    pieces = list(iter_chunks(text, size))
    assert "".join(p for _, p in pieces) == text
    for offset, piece in pieces:
        assert text[offset : offset + len(piece)] == piece
        assert 0 < len(piece) <= size


def test_cut_at_paragraph_break():
    text = "甲" * 60 + "\n\n" + "乙" * 30
    pieces = [p for _, p in iter_chunks(text, 80)]
    assert pieces[0].endswith("\n\n") and pieces[1] == "乙" * 30
