"""The Python API: ipner.load with spaCy's arguments, ipner.extract with a reference date, ipner.render."""
import pytest

import ipner

TEXT = "今年,杭州发明专利授权量9286件。"


def test_load_passes_spacy_arguments():
    nlp = ipner.load("baseline", disable=["ipner_facts"])
    assert "ipner_facts" in nlp.disabled
    assert not nlp(TEXT)._.facts


def test_extract_resolves_relative_dates_with_the_given_date(baseline_nlp):
    (result,) = ipner.extract([TEXT], model=baseline_nlp, date="2024年4月26日")
    assert result.id == "0" and result.facts[0].time.year == 2024
    (undated,) = ipner.extract([("a", TEXT)], model=baseline_nlp)
    assert undated.id == "a" and undated.facts[0].time.year is None
    (own,) = ipner.extract([{"id": "b", "text": TEXT, "date": "2021-01-01"}], model=baseline_nlp, date="2024-04-26")
    assert own.facts[0].time.year == 2021
    with pytest.raises(ValueError):
        list(ipner.extract([TEXT], model=baseline_nlp, date="2024-13-01"))


def test_extract_joins_the_pieces_of_long_documents(baseline_nlp):
    long_text = "\n".join([TEXT] * 200)
    (whole,) = ipner.extract([long_text], model=baseline_nlp, chunk_chars=500)
    assert len(whole.facts) == 200
    assert all(long_text[f.quantity.start : f.quantity.end] == "9286件" for f in whole.facts)
    assert whole.to_dict()["facts"][199]["quantity"]["start"] == whole.facts[199].quantity.start


def test_render_a_text_or_a_doc(baseline_nlp):
    page = ipner.render(baseline_nlp(TEXT))
    assert page.startswith("<!DOCTYPE html>") and "发明专利授权量" in page and "<table" in page
    assert not ipner.render(TEXT, model=baseline_nlp, page=False).startswith("<!DOCTYPE")
