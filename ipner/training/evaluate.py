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
from ipner.pipeline.facts import FactAssembler
from ipner.pipeline.relations import precision_recall_f, relation_keys
from ipner.schema import ENTITY_LABELS, RELATION_LABELS
from ipner.text.normalize import normalize_text

_GOLD_FACTS = FactAssembler(threshold=0.0, carry_over_chars=0)


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 (0 when undefined), rounded, with the counts."""
    scores = {name: round(value, 4) for name, value in precision_recall_f(tp, fp, fn).items()}
    return {**scores, "tp": tp, "fp": fp, "fn": fn}


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


def fact_keys(facts: list[dict[str, Any]]) -> set[tuple]:
    """The matching key of each fact: quantity span, metric and subject text (normalised), value."""
    keys = set()
    for fact in facts:
        subject = fact.get("subject")
        keys.add(
            (
                fact["quantity"]["start"],
                fact["quantity"]["end"],
                normalize_text(fact["metric"]["text"]),
                normalize_text(subject["text"]) if subject else None,
                fact["quantity"]["value"],
            )
        )
    return keys


def gold_doc(nlp: Language, record: dict[str, Any]) -> Doc:
    """The gold ``Doc`` of a record, with gold facts assembled from its relations."""
    return _GOLD_FACTS(record_to_doc(nlp, record))


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
        facts.add(fact_keys(predicted._.facts or []), fact_keys(gold._.facts), lambda key: "fact")
    return {
        "docs": len(records),
        "ner": ner.table(ENTITY_LABELS),
        "relations": rel.table(RELATION_LABELS),
        "facts": facts.table(["fact"])["micro"],
    }


def format_comparison(results: dict[str, dict[str, Any]]) -> str:
    """A plain-text table of P/R/F per label for several pipelines side by side."""
    names = list(results)
    header = f"{'':<22}" + "".join(f"{name:>24}" for name in names)
    lines = [header, f"{'':<22}" + "".join(f"{'P     R     F':>24}" for _ in names)]

    def row(title: str, getter) -> None:
        cells = []
        for name in names:
            s = getter(results[name])
            cells.append(f"{s['p']:>10.3f}{s['r']:>7.3f}{s['f']:>7.3f}")
        lines.append(f"{title:<22}" + "".join(cells))

    for label in ENTITY_LABELS:
        row(f"NER {label}", lambda r, label=label: r["ner"]["per_label"][label])
    row("NER micro", lambda r: r["ner"]["micro"])
    for label in RELATION_LABELS:
        row(f"relation {label}", lambda r, label=label: r["relations"]["per_label"][label])
    row("relation micro", lambda r: r["relations"]["micro"])
    row("facts", lambda r: r["facts"])
    return "\n".join(lines)


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


def leave_one_report_out(
    config_path: str,
    corpus_path: str,
    work_dir: str,
    overrides: dict[str, Any] | None = None,
    quiet: bool = True,
    reuse: bool = False,
) -> dict[str, Any]:
    """Train once per seed report on everything but that report (and the dev split, kept for
    checkpoint selection and threshold tuning), evaluate on the report; also the rule baseline.
    With ``reuse``, a fold whose model is already in ``work_dir`` is not trained again.

    Returns ``{"folds": {seed_id: {"model", "baseline"}}, "model": pooled, "baseline": pooled}``.
    """
    from pathlib import Path

    import spacy

    from ipner.data.gold import read_gold
    from ipner.pipeline.load import load_baseline
    from ipner.training.train import train_pipeline

    records = read_gold(corpus_path)
    seeds = [r for r in records if r.get("meta", {}).get("split") == "seed"]
    baseline = load_baseline()
    folds: dict[str, Any] = {}
    for seed in seeds:
        fold_dir = Path(work_dir) / seed["id"]
        fold_overrides = {
            **(overrides or {}),
            "paths.corpus": str(corpus_path),
            "corpora.train.splits": ["train", "test", "seed"],
            "corpora.train.exclude_ids": [seed["id"]],
        }
        if not (reuse and (fold_dir / "model-best" / "config.cfg").exists()):
            train_pipeline(config_path, fold_dir, fold_overrides, quiet=quiet)
        nlp = spacy.load(fold_dir / "model-best")
        folds[seed["id"]] = {"model": evaluate_pipeline(nlp, [seed]), "baseline": evaluate_pipeline(baseline, [seed])}
    return {
        "folds": folds,
        "model": merge_results([f["model"] for f in folds.values()]),
        "baseline": merge_results([f["baseline"] for f in folds.values()]),
    }
