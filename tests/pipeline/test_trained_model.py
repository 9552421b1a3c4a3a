"""The shipped trained pipeline: what it promises about offsets, scripts, relations and facts."""
import pytest

from ipner.pipeline.load import default_model_path, load
from ipner.schema import ENTITY_LABELS, RELATION_SIGNATURES
from ipner.text.normalize import to_traditional

pytestmark = pytest.mark.skipif(default_model_path() is None, reason="no trained model is shipped")

SIMPLIFIED = "截至2023年底,杭州有效发明专利拥有量15.3万件,同比增长12.5%;每万人高价值发明专利拥有量居全省第2。"
FULLWIDTH = "２０２４年，长沙市ＰＣＴ国际专利申请量达到８５０件。"


@pytest.fixture(scope="module")
def nlp():
    return load()


def test_the_default_is_the_trained_pipeline(nlp):
    assert nlp.pipe_names == ["tok2vec", "ner", "ipner_span_repair", "ipner_relations", "ipner_facts"]
    assert set(nlp.get_pipe("ner").labels) == set(ENTITY_LABELS)
    assert 0.0 < nlp.get_pipe("ipner_relations").threshold < 1.0


def test_offsets_are_on_the_original_text(nlp):
    for text in (SIMPLIFIED, to_traditional(SIMPLIFIED), FULLWIDTH):
        doc = nlp(text)
        assert doc.ents
        for fact in (f.to_dict() for f in doc._.facts):
            for slot in ("metric", "quantity", "subject", "time"):
                if fact[slot]:
                    assert text[fact[slot]["start"] : fact[slot]["end"]] == fact[slot]["text"]


def test_both_scripts_give_the_same_analysis(nlp):
    simplified, traditional = nlp(SIMPLIFIED), nlp(to_traditional(SIMPLIFIED))
    assert len(simplified.text) == len(traditional.text)
    assert [(e.start_char, e.end_char, e.label_) for e in simplified.ents] == [
        (e.start_char, e.end_char, e.label_) for e in traditional.ents
    ]
    assert [(r["head"], r["child"], r["label"]) for r in simplified._.relations] == [
        (r["head"], r["child"], r["label"]) for r in traditional._.relations
    ]


def test_relations_fit_the_schema_and_facts_its_shape(nlp):
    doc = nlp(SIMPLIFIED)
    ents = list(doc.ents)
    seen = set()
    for rel in doc._.relations:
        head_label, child_labels = RELATION_SIGNATURES[rel["label"]]
        assert ents[rel["head"]].label_ == head_label and ents[rel["child"]].label_ in child_labels
        assert (rel["head"], rel["label"]) not in seen  # at most one relation of each label per quantity
        seen.add((rel["head"], rel["label"]))
    assert doc._.facts
    for fact in (f.to_dict() for f in doc._.facts):
        assert set(fact) >= {"subject", "metric", "quantity", "time", "sentence", "score"}
        assert set(fact["quantity"]) >= {"text", "start", "end", "value", "unit", "approx", "kind"}
    first = doc._.facts[0].to_dict()  # the guide's example row
    assert (first["subject"]["text"], first["subject"]["label"]) == ("杭州", "CITY")
    assert (first["metric"]["text"], first["quantity"]["value"], first["quantity"]["unit"]) == ("有效发明专利拥有量", 153000, "件")
    assert first["time"]["text"] == "2023年底"


def test_meta_names_the_package_version_and_labels(nlp):
    import ipner
    from ipner.schema import RELATION_LABELS

    meta = nlp.meta
    assert (meta["lang"], meta["name"], meta["version"]) == ("zh", "ipner", ipner.__version__)
    assert set(meta["labels"]["ner"]) == set(ENTITY_LABELS)
    assert set(meta["labels"]["ipner_relations"]) == set(RELATION_LABELS)
    assert meta["license"] == "MIT" and meta["description"] and meta["sources"]
    assert 0 < meta["performance"]["ents_f"] <= 1 and 0 < meta["performance"]["loro"]["facts_f"] <= 1
