"""Settings tuned on dev after training (ipner.training.tuning): the relation component's candidates
per slot, tuned at the threshold already chosen, on the shipped model and a few dev documents."""
import pytest
import spacy

from ipner.data.gold import read_gold
from ipner.pipeline.load import default_model_path
from ipner.resources import default_corpus_path
from ipner.training import tuning
from ipner.training.readers import records_to_examples
from ipner.training.tuning import RELATIONS, tune_max_candidates

pytestmark = pytest.mark.skipif(default_model_path() is None, reason="no trained model is shipped")


@pytest.fixture(scope="module")
def dev_examples():
    nlp = spacy.load(default_model_path())
    dev = [r for r in read_gold(default_corpus_path()) if r["meta"]["split"] == "dev"][:12]
    return list(records_to_examples(nlp, dev))


@pytest.fixture
def nlp():
    return spacy.load(default_model_path())


def set_grid(nlp, values):
    nlp.config["tuning"] = {**dict(nlp.config.get("tuning") or {}), "max_candidates": values}


def test_more_candidates_than_one_per_slot_win_and_are_saved(nlp, dev_examples):
    set_grid(nlp, [8, 1])
    threshold = nlp.get_pipe(RELATIONS).threshold
    result = tune_max_candidates(nlp, dev_examples)
    by_value = {row["max_candidates"]: row["f"] for row in result["tried"]}
    assert list(by_value) == [1, 8]  # tried in increasing order
    # one candidate per slot cannot reach a gold partner behind a nearer entity of the same label
    assert by_value[1] < by_value[8]
    assert result["chosen"] == 8 == nlp.get_pipe(RELATIONS).cfg["max_candidates"]
    assert nlp.get_pipe(RELATIONS).threshold == threshold  # the threshold is kept
    assert result["threshold"] == pytest.approx(threshold)
    assert result["dev_rel_micro_f"] == by_value[8]


def test_ties_go_to_the_fewest_candidates(nlp, dev_examples, monkeypatch):
    monkeypatch.setattr(tuning, "_relation_f", lambda *args: 0.5)
    set_grid(nlp, [12, 6, 10])
    result = tune_max_candidates(nlp, dev_examples)
    assert result["chosen"] == 6 == nlp.get_pipe(RELATIONS).cfg["max_candidates"]


def test_an_empty_grid_keeps_the_trained_value(nlp, dev_examples):
    before = nlp.get_pipe(RELATIONS).cfg["max_candidates"]
    set_grid(nlp, [])
    assert tune_max_candidates(nlp, dev_examples) is None
    assert nlp.get_pipe(RELATIONS).cfg["max_candidates"] == before


def test_inputs_computed_once_give_the_same_tuning(nlp, dev_examples, monkeypatch):
    set_grid(nlp, [6, 8])
    relations = nlp.get_pipe(RELATIONS)
    trained = (relations.threshold, relations.cfg["max_candidates"])
    alone = (tuning.tune_threshold(nlp, dev_examples), tune_max_candidates(nlp, dev_examples))
    relations.threshold, relations.cfg["max_candidates"] = trained
    inputs = tuning.relation_inputs(nlp, dev_examples)
    calls = []
    monkeypatch.setattr(tuning, "relation_inputs", lambda *args: calls.append(args))
    shared = (tuning.tune_threshold(nlp, dev_examples, inputs=inputs),
              tune_max_candidates(nlp, dev_examples, inputs=inputs))
    assert shared == alone
    assert calls == []  # the docs were not run through tok2vec and NER again
