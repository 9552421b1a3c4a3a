"""Evaluation of pipelines on gold records: entities, relations and facts, per label and micro.

- Entities match on ``(start, end, label)``.
- Relations match on both entities' spans and the label (end to end: a relation whose quantity
  was not found counts as missed).
- Facts match when the quantity span, the metric, the subject and the normalised value all match.
  Metric and subject are compared as normalised text (Simplified, half-width), because a table of
  facts holds names, not positions: linking a figure to another mention of the same city is right.
  Gold facts are assembled from the gold relations by the same fact component the pipelines use.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from spacy.language import Language
from spacy.tokens import Doc

from ipner.data.gold import record_to_doc
from ipner.pipeline.facts import assemble_gold_facts
from ipner.relations import relation_keys
from ipner.schema import ENTITY_LABELS, RELATION_LABELS
from ipner.scoring import fact_keys, prf

__all__ = ["evaluate_pipeline", "merge_results", "entity_keys", "fact_keys", "gold_doc"]


class _Counts:
    def __init__(self) -> None:
        self.tp: Counter = Counter()
        self.fp: Counter = Counter()
        self.fn: Counter = Counter()

    def add(self, predicted: set, gold: set, label_of) -> None:
        for key in predicted & gold:
            self.tp[label_of(key)] += 1
        for key in predicted - gold:
            self.fp[label_of(key)] += 1
        for key in gold - predicted:
            self.fn[label_of(key)] += 1

    def table(self, labels: Iterable[str]) -> dict[str, Any]:
        per_label = {label: prf(self.tp[label], self.fp[label], self.fn[label]) for label in labels}
        micro = prf(sum(self.tp.values()), sum(self.fp.values()), sum(self.fn.values()))
        return {"micro": micro, "per_label": per_label}


def entity_keys(doc: Doc) -> set[tuple[int, int, str]]:
    """``(start, end, label)`` of every entity."""
    return {(e.start_char, e.end_char, e.label_) for e in doc.ents}


def gold_doc(nlp: Language, record: dict[str, Any]) -> Doc:
    """The gold ``Doc`` of a record, with gold facts assembled from its relations."""
    return assemble_gold_facts(record_to_doc(nlp, record))


def evaluate_pipeline(nlp: Language, records: list[dict[str, Any]], batch_size: int = 16) -> dict[str, Any]:
    """Scores of ``nlp`` on gold ``records``: ``{"ner", "relations", "facts", "docs"}``."""
    ner, rel, facts = _Counts(), _Counts(), _Counts()
    texts = []
    for record in records:
        doc = nlp.make_doc(record["text"])
        doc._.doc_date = record.get("meta", {}).get("date") or None
        texts.append(doc)
    predicted_docs = nlp.pipe(texts, batch_size=batch_size)
    for record, predicted in zip(records, predicted_docs):
        gold = gold_doc(nlp, record)
        ner.add(entity_keys(predicted), entity_keys(gold), lambda key: key[2])
        rel.add(relation_keys(predicted), relation_keys(gold), lambda key: key[4])
        facts.add(fact_keys(predicted._.facts), fact_keys(gold._.facts), lambda key: "fact")
    return {
        "docs": len(records),
        "ner": ner.table(ENTITY_LABELS),
        "relations": rel.table(RELATION_LABELS),
        "facts": facts.table(["fact"])["micro"],
    }


def merge_results(results: list[dict[str, Any]]) -> dict[str, Any]:
    """Pool the counts of several evaluations (e.g. the folds of leave-one-report-out) into one."""

    def pool(tables: list[dict[str, Any]]) -> dict[str, Any]:
        return prf(*(sum(t[k] for t in tables) for k in ("tp", "fp", "fn")))

    return {
        "docs": sum(r["docs"] for r in results),
        "ner": {
            "micro": pool([r["ner"]["micro"] for r in results]),
            "per_label": {label: pool([r["ner"]["per_label"][label] for r in results]) for label in ENTITY_LABELS},
        },
        "relations": {
            "micro": pool([r["relations"]["micro"] for r in results]),
            "per_label": {label: pool([r["relations"]["per_label"][label] for r in results]) for label in RELATION_LABELS},
        },
        "facts": pool([r["facts"] for r in results]),
    }
