"""Words of jieba's dictionary, held as sorted keys."""
from ipner.text.words import MAX_WORD_CHARS, MIN_WORD_CHARS, is_word, load_words


def test_words_of_jiebas_dictionary_are_found_and_others_are_not():
    for word in ("业务", "院士", "评选", "知识产权", "参与"):
        assert is_word(word), word
    for text in ("务2", "业务23", "xx", "某某某某", "", "知"):
        assert not is_word(text), text


def test_only_words_of_two_to_four_characters_are_held():
    assert (MIN_WORD_CHARS, MAX_WORD_CHARS) == (2, 4)
    assert not is_word("中华人民共和国")  # a word of jieba's, but longer than any the repair looks at
    words = load_words()
    assert len(words) > 300_000 and (words[1:] > words[:-1]).all()  # sorted, no duplicates
    assert load_words() is words  # read once
