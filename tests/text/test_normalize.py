"""Normalisation keeps every character at its place (property tests) and normalises script and width."""
from hypothesis import given, settings
from hypothesis import strategies as st

from ipner.text import normalize_text
from ipner.text.normalize import _CACHED_CHARS, _normalize, _normalize_short, to_halfwidth

MIXED = st.text(
    alphabet=st.one_of(
        st.sampled_from(list("長沙每萬人有效發明專利擁有量增至件億元臺灣乾隆頭髮后面干燥")),
        st.sampled_from(list("株洲发明专利拥有量件万亿元，。；：、—“”《》")),
        st.characters(min_codepoint=0xFF01, max_codepoint=0xFF5E),
        st.sampled_from(list("0123456789.,% \n\t\u3000")),
        st.characters(codec="utf-8"),
    ),
    max_size=200,
)


@settings(max_examples=300, deadline=None)
@given(MIXED)
def test_normalisation_preserves_length(text):
    assert len(normalize_text(text)) == len(text)


@settings(max_examples=300, deadline=None)
@given(st.lists(MIXED, min_size=1, max_size=5))
def test_remembered_short_texts_normalise_as_without_the_cache(texts):
    """Texts up to ``_CACHED_CHARS`` are normalised once and remembered: asked again, in any order,
    each gives what the uncached normalisation gives."""
    for text in texts + texts[::-1]:
        assert normalize_text(text) == _normalize(text)
    short = [text for text in texts if len(text) <= _CACHED_CHARS]
    hits = _normalize_short.cache_info().hits
    for text in short:
        normalize_text(text)
    assert _normalize_short.cache_info().hits >= hits + len(short)


def test_traditional_and_fullwidth():
    assert normalize_text("長沙每萬人有效發明專利擁有量") == "长沙每万人有效发明专利拥有量"
    assert normalize_text("３１．２４件，ＰＣＴ") == "31.24件,PCT"
    assert to_halfwidth("\u3000") == " "


def test_simplified_text_is_unchanged():
    text = "截至2023年底,杭州有效发明专利拥有量15.3万件"
    assert normalize_text(text) == text
