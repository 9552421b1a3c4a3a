"""Scoring pipelines against gold records: a perfect pipeline scores 1, an empty one 0, and the
counts of a partial one are what its mistakes make them."""
import pytest
from dataclasses import replace

import spacy
from spacy.language import Language
from spacy.training import Example

import ipner.pipeline.tokenizer  # noqa: F401
from ipner.data.gold import read_gold, record_to_doc
from ipner.pipeline.facts import FactAssembler
from ipner.types import Fact, MetricSlot, QuantitySlot, SubjectSlot
from ipner.cli.formatting import format_comparison
from ipner.training.evaluate import evaluate_pipeline, fact_keys, merge_results
from tests.conftest import REPO

GOLD = REPO / "annotations" / "gold" / "corpus.jsonl"


@pytest.fixture(scope="module")
def records():
    return [r for r in read_gold(GOLD) if r["meta"]["split"] == "dev"][:6]


def _oracle(records, drop_label=None, drop_relation=None, assemble=True):
    """A pipeline that writes the gold annotation of each known text, minus one label or relation (and,
    with ``assemble``, the facts of what it wrote)."""
    by_text = {r["text"]: r for r in records}
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    name = f"oracle_{drop_label}_{drop_relation}_{assemble}"

    @Language.component(name)
    def oracle(doc):
        gold = record_to_doc(nlp, by_text[doc.text])
        keep = [i for i, e in enumerate(gold.ents) if e.label_ != drop_label]
        index = {old: new for new, old in enumerate(keep)}
        doc.ents = [doc.char_span(gold.ents[i].start_char, gold.ents[i].end_char, label=gold.ents[i].label_) for i in keep]
        doc._.relations = [
            {**r, "head": index[r["head"]], "child": index[r["child"]]}
            for r in gold._.relations
            if r["head"] in index and r["child"] in index and r["label"] != drop_relation
        ]
        return FactAssembler(threshold=0.0)(doc) if assemble else doc

    nlp.add_pipe(name)
    return nlp


def test_perfect_pipeline_scores_one(records):
    result = evaluate_pipeline(_oracle(records), records)
    assert result["docs"] == len(records)
    assert result["ner"]["micro"]["f"] == 1.0
    assert result["relations"]["micro"]["f"] == 1.0
    assert result["facts"]["f"] == 1.0
    assert result["facts"]["tp"] > 0


def test_missing_label_and_relation_lower_exactly_their_scores(records):
    result = evaluate_pipeline(_oracle(records, drop_label="DATE", drop_relation="subject"), records)
    ner = result["ner"]["per_label"]
    assert ner["DATE"]["r"] == 0.0 and ner["CITY"]["f"] == 1.0
    assert result["relations"]["per_label"]["time"]["r"] == 0.0
    assert result["relations"]["per_label"]["subject"]["r"] == 0.0
    assert result["relations"]["per_label"]["metric"]["f"] == 1.0
    # facts whose gold subject is set no longer match; facts without a subject still do
    perfect_docs = _oracle(records).pipe(r["text"] for r in records)
    gold_facts = [f for doc in perfect_docs for f in doc._.facts]
    without_subject = sum(f.subject is None for f in gold_facts)
    assert result["facts"]["tp"] == without_subject
    assert result["facts"]["fn"] == len(gold_facts) - without_subject


def test_the_fact_component_reports_fact_f_to_spacys_scorer(records):
    # what spaCy's training loop sees (nlp.evaluate), so [training.score_weights] can weigh facts_f
    nlp = _oracle(records, drop_relation="subject", assemble=False)
    nlp.add_pipe("ipner_facts", config={"threshold": 0.0, "carry_over_chars": 0})
    examples = [Example(nlp.make_doc(r["text"]), record_to_doc(nlp, r)) for r in records]
    gold_relations = [list(eg.reference._.relations) for eg in examples]
    scores = nlp.evaluate(examples)
    expected = evaluate_pipeline(nlp, records)["facts"]
    assert scores["facts_f"] == pytest.approx(expected["f"]) and scores["facts_r"] == pytest.approx(expected["r"])
    assert scores["facts_f"] < 1.0 and expected["fn"] > 0  # the subjects dropped are missed facts
    assert [eg.reference._.relations for eg in examples] == gold_relations  # the references are left alone
    assert not any(eg.reference._.facts for eg in examples)


def test_empty_pipeline_scores_zero(records):
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    nlp.add_pipe("ipner_facts")
    result = evaluate_pipeline(nlp, records)
    assert result["ner"]["micro"]["r"] == 0.0 and result["facts"]["r"] == 0.0
    assert result["ner"]["micro"]["fn"] == sum(len(r["entities"]) for r in records)


def test_fact_keys_compare_names_across_scripts():
    fact = Fact(
        quantity=QuantitySlot("72.42件", 5, 10, 72.42),
        metric=MetricSlot("每萬人有效發明專利擁有量", 0, 5),
        subject=SubjectSlot("長沙", 20, 22, "CITY"),
    )
    simplified = replace(fact, metric=MetricSlot("每万人有效发明专利拥有量", 0, 5), subject=SubjectSlot("长沙", 20, 22, "CITY"))
    assert fact_keys([fact]) == fact_keys([simplified])
    assert fact_keys([fact]) != fact_keys([replace(fact, subject=SubjectSlot("长春", 20, 22, "CITY"))])


def test_merge_pools_counts_and_the_table_shows_both(records):
    perfect = evaluate_pipeline(_oracle(records), records)
    partial = evaluate_pipeline(_oracle(records, drop_label="METRIC"), records)
    merged = merge_results([perfect, partial])
    assert merged["docs"] == 2 * len(records)
    assert merged["ner"]["micro"]["tp"] == perfect["ner"]["micro"]["tp"] + partial["ner"]["micro"]["tp"]
    assert perfect["facts"]["f"] > merged["facts"]["f"] > partial["facts"]["f"]
    table = format_comparison({"a": perfect, "b": partial})
    assert "NER METRIC" in table and "facts" in table and "relation time" in table
