"""Error analysis: every wrong or missing fact, entity and relation of a pipeline on gold records,
with its category, the sentence, gold and predicted, grouped and counted (``evaluate --errors``).

Categories:

- facts (matched as in :func:`ipner.scoring.fact_keys`): ``subject``, ``metric``,
  ``value`` (the predicted fact for the gold quantity has another subject / metric / value; one
  fact can have several), ``time`` (reported with them: the time is not part of the fact match),
  ``boundary`` (the quantity span overlaps the gold one but differs), ``missing`` (no predicted
  fact for the gold quantity), ``spurious`` (a predicted fact where gold has none);
- entities: ``boundary`` (same label, overlapping span), ``label`` (same span, other label),
  ``missing``, ``spurious``;
- relations, per label: ``wrong`` (the gold head has another child), ``missing``, ``spurious``.
"""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from spacy.language import Language

from ipner.pipeline.facts import sentence_around
from ipner.text.normalize import normalize_text
from ipner.training.evaluate import gold_doc
from ipner.types import Fact

__all__ = ["collect_errors", "merge_errors", "format_errors", "FACT_CATEGORIES"]

FACT_CATEGORIES = ("subject", "metric", "time", "value", "boundary", "missing", "spurious")


def _slot(fact: Fact | None, slot: str) -> str | None:
    part = getattr(fact, slot, None) if fact is not None else None
    return None if part is None else part.text


def _norm(text: str | None) -> str | None:
    return None if text is None else normalize_text(text)


def _fact_view(fact: Fact | None) -> dict[str, Any] | None:
    if fact is None:
        return None
    return {
        "quantity": fact.quantity.text, "value": fact.quantity.value, "metric": fact.metric.text,
        "subject": _slot(fact, "subject"), "time": _slot(fact, "time"),
    }


def _fact_errors(doc_id: str, text: str, predicted: Iterable[Fact], gold: Iterable[Fact]) -> list[dict[str, Any]]:
    by_span = {(f.quantity.start, f.quantity.end): f for f in predicted}
    used: set[tuple[int, int]] = set()
    errors = []
    for g in gold:
        span = (g.quantity.start, g.quantity.end)
        p = by_span.get(span)
        categories: list[str] = []
        if p is None:
            overlapping = [s for s in by_span if s[0] < span[1] and span[0] < s[1] and s not in used]
            if overlapping:
                p = by_span[overlapping[0]]
                used.add(overlapping[0])
                categories.append("boundary")
            else:
                categories.append("missing")
        else:
            used.add(span)
            if _norm(p.subject.text if p.subject else None) != _norm(g.subject.text if g.subject else None):
                categories.append("subject")
            if _norm(p.metric.text) != _norm(g.metric.text):
                categories.append("metric")
            if p.quantity.value != g.quantity.value:
                categories.append("value")
            if _norm(_slot(p, "time")) != _norm(_slot(g, "time")):
                categories.append("time")
        if categories:
            errors.append({
                "doc": doc_id, "kind": "fact", "categories": categories,
                "sentence": sentence_around(text, g.quantity.start, g.quantity.end),
                "gold": _fact_view(g), "predicted": _fact_view(p),
            })
    for span, p in by_span.items():
        if span not in used:
            errors.append({
                "doc": doc_id, "kind": "fact", "categories": ["spurious"],
                "sentence": sentence_around(text, *span), "gold": None, "predicted": _fact_view(p),
            })
    return errors


def _entity_errors(doc_id: str, text: str, predicted: set, gold: set) -> list[dict[str, Any]]:
    errors = []
    unmatched_predicted = set(predicted - gold)
    for start, end, label in sorted(gold - predicted):
        same_span = [p for p in unmatched_predicted if p[:2] == (start, end)]
        overlap = [p for p in unmatched_predicted if p[0] < end and start < p[1] and p[2] == label]
        if same_span:
            category, match = "label", same_span[0]
        elif overlap:
            category, match = "boundary", overlap[0]
        else:
            category, match = "missing", None
        if match:
            unmatched_predicted.discard(match)
        errors.append({
            "doc": doc_id, "kind": "entity", "categories": [category], "sentence": sentence_around(text, start, end),
            "gold": {"text": text[start:end], "label": label},
            "predicted": {"text": text[match[0]:match[1]], "label": match[2]} if match else None,
        })
    for start, end, label in sorted(unmatched_predicted):
        errors.append({
            "doc": doc_id, "kind": "entity", "categories": ["spurious"], "sentence": sentence_around(text, start, end),
            "gold": None, "predicted": {"text": text[start:end], "label": label},
        })
    return errors


def _relation_errors(doc_id: str, text: str, predicted: set, gold: set) -> list[dict[str, Any]]:
    errors = []
    predicted_by_head = {(k[0], k[1], k[4]): k for k in predicted}
    matched: set = set()
    for key in sorted(gold - predicted):
        other = predicted_by_head.get((key[0], key[1], key[4]))
        category = "wrong" if other is not None else "missing"
        if other is not None:
            matched.add(other)
        errors.append({
            "doc": doc_id, "kind": "relation", "categories": [f"{key[4]}:{category}"],
            "sentence": sentence_around(text, key[0], key[1]),
            "gold": {"head": text[key[0]:key[1]], "child": text[key[2]:key[3]], "label": key[4]},
            "predicted": {"head": text[other[0]:other[1]], "child": text[other[2]:other[3]], "label": other[4]} if other else None,
        })
    for key in sorted(predicted - gold - matched):
        errors.append({
            "doc": doc_id, "kind": "relation", "categories": [f"{key[4]}:spurious"], "sentence": sentence_around(text, key[0], key[1]),
            "gold": None, "predicted": {"head": text[key[0]:key[1]], "child": text[key[2]:key[3]], "label": key[4]},
        })
    return errors


def collect_errors(nlp: Language, records: list[dict[str, Any]]) -> dict[str, Any]:
    """Every error of ``nlp`` on ``records`` and the counts per kind and category.

    Returns ``{"counts": {"fact": {...}, "entity": {...}, "relation": {...}}, "errors": [...]}``.
    """
    from ipner.relations import relation_keys
    from ipner.training.evaluate import entity_keys

    errors: list[dict[str, Any]] = []
    docs = []
    for record in records:
        doc = nlp.make_doc(record["text"])
        doc._.doc_date = record.get("meta", {}).get("date") or None
        docs.append(doc)
    for record, predicted in zip(records, nlp.pipe(docs)):
        gold = gold_doc(nlp, record)
        text = record["text"]
        errors += _fact_errors(record["id"], text, predicted._.facts, gold._.facts)
        errors += _entity_errors(record["id"], text, entity_keys(predicted), entity_keys(gold))
        errors += _relation_errors(record["id"], text, relation_keys(predicted), relation_keys(gold))
    return merge_errors([{"errors": errors}])


def merge_errors(reports: list[dict[str, Any]]) -> dict[str, Any]:
    """Pool several error reports (the folds of leave-one-report-out) into one."""
    errors = [error for report in reports for error in report["errors"]]
    counts: dict[str, Counter] = {"fact": Counter(), "entity": Counter(), "relation": Counter()}
    for error in errors:
        counts[error["kind"]].update(error["categories"])
    return {"counts": {kind: dict(c.most_common()) for kind, c in counts.items()}, "errors": errors}


def format_errors(report: dict[str, Any], examples: int = 5) -> str:
    """The counts per category, then up to ``examples`` errors of each, as plain text."""
    lines = []
    for kind, counts in report["counts"].items():
        lines.append(f"{kind} errors: " + (", ".join(f"{c} {n}" for c, n in counts.items()) or "none"))
    for kind, counts in report["counts"].items():
        for category in counts:
            shown = [e for e in report["errors"] if e["kind"] == kind and category in e["categories"]][:examples]
            lines.append(f"\n== {kind} / {category} ({counts[category]})")
            for error in shown:
                lines.append(f"  [{error['doc']}] {error['sentence'][:80]}")
                lines.append(f"    gold:      {error['gold']}")
                lines.append(f"    predicted: {error['predicted']}")
    return "\n".join(lines)
