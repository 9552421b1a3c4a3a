"""Word edges from jieba's dictionary."""
from ipner.text.words import load_segmenter, word_end


def test_word_end_finds_the_end_of_the_word_that_holds_a_position():
    text = "办理知识产权各项业务23366件"
    assert word_end(text, 0, text.index("务"), len(text)) == text.index("务") + 1
    # a position on a word's edge stays
    assert word_end(text, 0, text.index("各"), len(text)) == text.index("各")
    # the limit bounds the segmented text
    assert word_end(text, 0, text.index("务"), text.index("务")) == text.index("务")


def test_the_segmenter_is_loaded_once():
    assert load_segmenter() is load_segmenter()
