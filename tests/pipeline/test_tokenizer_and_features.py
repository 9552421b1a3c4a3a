"""The character tokenizer (offsets on the original text, normalised norms) and the rule features it feeds."""
import numpy
import spacy

from ipner.pipeline.features import N_RULE_FEATURES, RULE_FEATURE_LABELS, build_rule_features
from ipner.pipeline.tokenizer import CharTokenizer
from ipner.schema import ENTITY_LABELS


def test_tokens_are_characters_and_ascii_runs_with_normalised_norms():
    nlp = spacy.blank("zh")
    text = "長沙PCT申請31.24件，１１,９２５件 2023年"
    doc = CharTokenizer(nlp.vocab)(text)
    assert doc.text == text
    words = [t.text for t in doc]
    assert words[:6] == ["長", "沙", "PCT", "申", "請", "31.24"]
    assert "１１,９２５" in words  # full-width run kept whole, offsets on the original
    assert [t.norm_ for t in doc][:2] == ["长", "沙"]
    assert doc[words.index("１１,９２５")].norm_ == "11,925"
    for token in doc:
        assert text[token.idx : token.idx + len(token.text)] == token.text


def test_rule_features_mark_begin_inside_end_of_candidates():
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    doc = nlp("2023年,杭州发明专利授权量9286件。")
    model = build_rule_features()
    (features,), _ = model([doc], is_train=False)
    assert features.shape == (len(doc), N_RULE_FEATURES)
    assert RULE_FEATURE_LABELS == ENTITY_LABELS
    city = 3 * RULE_FEATURE_LABELS.index("CITY")
    hang, zhou = [t.i for t in doc if t.text in ("杭", "州")]
    assert features[hang, city] == 1 and features[hang, city + 2] == 0  # begins, does not end
    assert features[zhou, city + 1] == 1 and features[zhou, city + 2] == 1
    quantity = 3 * RULE_FEATURE_LABELS.index("QUANTITY")
    figure = [t.i for t in doc if t.text == "9286"][0]
    assert features[figure, quantity] == 1
    assert numpy.all(features[[t.i for t in doc if t.text == "。"][0]] == 0)
