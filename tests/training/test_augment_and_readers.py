"""Augmentation of training records and the corpus reader used by spaCy's training loop."""
import random
import re

import pytest
import spacy

import ipner.pipeline.tokenizer  # noqa: F401
from ipner.data.gold import read_gold
from ipner.data.validate import validate_record
from ipner.resources import load_places
from ipner.training.augment import augment_record, figure_kind, metric_pool
from ipner.training.readers import GoldCorpus, select_records

AUGMENT = {"replace_places": 0.7, "replace_numbers": 0.8, "flip_script": 0.5}
from tests.conftest import REPO

GOLD = REPO / "annotations" / "gold" / "corpus.jsonl"


@pytest.fixture(scope="module")
def records():
    return read_gold(GOLD)


@pytest.fixture(scope="module")
def nlp():
    return spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})


def test_augmented_records_are_valid_gold(records):
    rng = random.Random(0)
    for record in records[:60]:
        new = augment_record(record, rng, replace_places=0.7, replace_numbers=0.8, flip_script=0.5)
        assert validate_record(new) == []
        assert len(new["entities"]) == len(record["entities"])
        assert [e["label"] for e in new["entities"]] == [e["label"] for e in record["entities"]]
        assert new["relations"] == [dict(r) for r in record["relations"]]
        assert new["meta"]["augmented_from"] == record["id"]


def test_augmentation_replaces_places_from_the_gazetteer_and_keeps_figure_forms(records):
    places = {form for form, _, _ in load_places()}
    record = next(r for r in records if sum(e["label"] == "CITY" for e in r["entities"]) >= 2)
    new = augment_record(record, random.Random(1), replace_places=1.0, replace_numbers=1.0, flip_script=0.0)
    for old, ent in zip(record["entities"], new["entities"]):
        if old["label"] in ("CITY", "REGION"):
            assert ent["text"] in places
        if old["label"] == "QUANTITY":
            shape = lambda s: re.sub(r"[0-9一二三四五六七八九]", "9", s)  # noqa: E731
            assert shape(ent["text"]) == shape(old["text"])
    assert new["text"] != record["text"]


def test_script_flip_changes_script_both_ways(records):
    simplified = next(r for r in records if r["meta"].get("script") == "simplified")
    traditional = next(r for r in records if r["meta"].get("script") == "traditional")
    to_trad = augment_record(simplified, random.Random(0), replace_places=0, replace_numbers=0, flip_script=1.0)
    to_simp = augment_record(traditional, random.Random(0), replace_places=0, replace_numbers=0, flip_script=1.0)
    assert to_trad["meta"]["script"] == "traditional" and to_trad["text"] != simplified["text"]
    assert to_simp["meta"]["script"] == "simplified" and to_simp["text"] != traditional["text"]
    assert validate_record(to_trad) == [] and validate_record(to_simp) == []


@pytest.mark.parametrize(
    ("quantity", "kind"),
    [("1284件", "件"), ("第2位", "rank"), ("前十", "rank"), ("5.6亿元", "元"), ("19.6%", "%"), ("2023", "")],
)
def test_figure_kind(quantity, kind):
    assert figure_kind(quantity) == kind


def test_metrics_are_replaced_by_metrics_of_the_same_kind_of_figure(records):
    train = select_records(records, ["train"])
    pool = metric_pool(train)
    assert {"件", "rank", "%", "元"} <= set(pool)
    record = next(r for r in train if len({e["text"] for e in r["entities"] if e["label"] == "METRIC"}) >= 3)
    new = augment_record(record, random.Random(2), replace_places=0, replace_numbers=0, flip_script=0, replace_metrics=1.0, metrics=pool)
    assert validate_record(new) == []
    assert new["relations"] == [dict(r) for r in record["relations"]]
    replaced = {}
    for relation in record["relations"]:
        if relation["label"] == "metric":
            old, ent = record["entities"][relation["child"]], new["entities"][relation["child"]]
            kinds = {
                figure_kind(record["entities"][r["head"]]["text"])
                for r in record["relations"] if r["label"] == "metric" and record["entities"][r["child"]]["text"] == old["text"]
            }
            assert any(ent["text"] in pool[kind] for kind in kinds)  # drawn for one of the figures measuring the text
            assert replaced.setdefault(old["text"], ent["text"]) == ent["text"]  # one text, one replacement
    # nothing but METRICs changes, and without a pool or probability nothing does
    assert [e["text"] for e in new["entities"] if e["label"] != "METRIC"] == [e["text"] for e in record["entities"] if e["label"] != "METRIC"]
    same = augment_record(record, random.Random(2), replace_places=0, replace_numbers=0, flip_script=0, replace_metrics=1.0)
    assert same["text"] == record["text"]


def test_a_traditional_record_gets_its_new_metrics_in_traditional_script(records):
    pool = metric_pool(select_records(records, ["train"]))
    traditional = next(r for r in records if r["meta"].get("script") == "traditional" and r["relations"])
    new = augment_record(traditional, random.Random(0), replace_places=0, replace_numbers=0, flip_script=0, replace_metrics=1.0, metrics=pool)
    from ipner.text.normalize import to_traditional

    for relation in traditional["relations"]:
        if relation["label"] == "metric":
            text = new["entities"][relation["child"]]["text"]
            assert text == to_traditional(text)


def test_select_records_by_split_and_ids(records):
    dev = select_records(records, ["dev"])
    assert dev and all(r["meta"]["split"] == "dev" for r in dev)
    seeds = select_records(records, ["seed"])
    assert len(seeds) == 5
    rest = select_records(records, ["seed"], exclude_ids=[seeds[0]["id"]])
    assert len(rest) == 4 and seeds[0]["id"] not in {r["id"] for r in rest}
    only = select_records(records, [], only_ids=[seeds[1]["id"]])
    assert [r["id"] for r in only] == [seeds[1]["id"]]


def test_reader_yields_examples_with_gold_relations_and_fresh_augmentations(nlp, records):
    ids = [r["id"] for r in select_records(records, ["train"])[:3]]
    corpus = GoldCorpus([GOLD], [], [], ids, augment_copies=1, seed=7, augment=AUGMENT)
    first = list(corpus(nlp))
    second = list(corpus(nlp))
    assert len(first) == len(second) == 6
    for eg in first:
        assert eg.predicted.text == eg.reference.text
        assert len(eg.predicted.ents) == 0
        assert eg.reference._.relations
    originals = [eg.reference.text for eg in first[::2]]
    assert originals == [eg.reference.text for eg in second[::2]]
    # a new epoch draws new augmentations; the same seed reproduces them
    assert [eg.reference.text for eg in first[1::2]] != [eg.reference.text for eg in second[1::2]]
    again = GoldCorpus([GOLD], [], [], ids, augment_copies=1, seed=7, augment=AUGMENT)
    assert [eg.reference.text for eg in again(nlp)] == [eg.reference.text for eg in first]
