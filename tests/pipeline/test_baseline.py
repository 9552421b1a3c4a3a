"""The rule baseline as a spaCy pipeline: entities, relations and facts with offsets into the input."""
import pytest

from ipner.schema import ENTITY_LABELS, RELATION_SIGNATURES


def _check_doc(doc, text):
    assert doc.text == text
    ents = list(doc.ents)
    for ent in ents:
        assert ent.label_ in ENTITY_LABELS
        assert text[ent.start_char : ent.end_char] == ent.text
    for rel in doc._.relations:
        head_label, child_labels = RELATION_SIGNATURES[rel["label"]]
        assert ents[rel["head"]].label_ == head_label
        assert ents[rel["child"]].label_ in child_labels
    for fact in (f.to_dict() for f in doc._.facts):
        for slot in ("subject", "metric", "quantity", "time"):
            if fact[slot] is not None:
                assert text[fact[slot]["start"] : fact[slot]["end"]] == fact[slot]["text"]


def test_seed_reports(baseline_nlp, seed_paths):
    for path in seed_paths:
        text = path.read_text(encoding="utf-8")
        doc = baseline_nlp(text)
        _check_doc(doc, text)
        assert len(doc._.facts) >= 5, path.name


def test_simplified_sentence(baseline_nlp):
    text = "截至2023年底,杭州有效发明专利拥有量15.3万件。"
    doc = baseline_nlp(text)
    _check_doc(doc, text)
    (fact,) = [f.to_dict() for f in doc._.facts]
    assert fact["subject"]["text"] == "杭州" and fact["subject"]["label"] == "CITY"
    assert fact["metric"]["text"] == "有效发明专利拥有量"
    assert fact["quantity"]["value"] == 153000 and fact["quantity"]["unit"] == "件"
    assert fact["time"]["text"] == "2023年底" and fact["time"]["year"] == 2023


def test_traditional_and_fullwidth_sentence(baseline_nlp):
    text = "２０２４年，長沙每萬人有效發明專利擁有量增至７２．４２件，同比增長１２．５％。"
    doc = baseline_nlp(text)
    _check_doc(doc, text)
    values = {f.quantity.text: f.to_dict() for f in doc._.facts}
    assert values["７２．４２件"]["quantity"]["value"] == pytest.approx(72.42)
    assert values["７２．４２件"]["subject"]["text"] == "長沙"
    assert values["１２．５％"]["quantity"]["kind"] == "growth"
    assert values["７２．４２件"]["time"]["year"] == 2024


def test_relative_date_uses_document_date(baseline_nlp):
    doc = baseline_nlp.make_doc("去年杭州发明专利授权量9286件。")
    doc._.doc_date = "2024-04-26"
    doc = baseline_nlp(doc)
    assert doc._.facts[0].time.year == 2023


from hypothesis import HealthCheck, given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

PIECES = st.sampled_from(
    ["長沙", "株洲市", "杭州", "發明專利", "有效发明专利拥有量", "每萬人", "７．６１萬件", "31.24件", "超5.6亿元", "37.5%",
     "2023年底", "今年一季度", "第2", "同比增长", "，", "。", "\n", " ", "\u3000", "ＰＣＴ", "国家知识产权局", "２０２４年",
     "三分之二", "1,234件", "—", "“", "”", "a", "𠀀", "\r\n", "\ufeff", "⼈"]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.one_of(PIECES, st.text(max_size=3)), max_size=40).map("".join))
def test_every_reported_span_matches_the_original_text(baseline_nlp, text):
    _check_doc(baseline_nlp(text), text)
