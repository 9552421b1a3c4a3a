"""Scoring relations: the keys they are matched on and the registered scorer ``ipner.relation_scorer.v1``."""
from __future__ import annotations

from typing import Any, Callable, Iterable

from spacy.tokens import Doc
from spacy.training import Example
from spacy.util import registry

from ipner.schema import RELATION_LABELS
from ipner.scoring import precision_recall_f

__all__ = ["relation_keys", "score_relations", "make_relation_scorer"]


def relation_keys(doc: Doc) -> set[tuple[int, int, int, int, str]]:
    """``(head start, head end, child start, child end, label)`` of every relation of ``doc``."""
    ents = list(doc.ents)
    return {
        (ents[r["head"]].start_char, ents[r["head"]].end_char, ents[r["child"]].start_char, ents[r["child"]].end_char, r["label"])
        for r in doc._.relations or []
    }


def score_relations(examples: Iterable[Example], **kwargs) -> dict[str, Any]:
    """Micro and per-label P/R/F of predicted against gold relations (both entities must match by span).

    Keys: ``rel_micro_p``, ``rel_micro_r``, ``rel_micro_f`` and ``rel_per_type`` (``{label: {p, r, f}}``),
    in the shape spaCy's own scorers use, so training logs and ``spacy evaluate`` show them.
    """
    counts: dict[str, list[int]] = {label: [0, 0, 0] for label in RELATION_LABELS}  # tp, fp, fn
    for eg in examples:
        predicted = relation_keys(eg.predicted)
        gold = relation_keys(eg.reference)
        for key in predicted | gold:
            c = counts.setdefault(key[4], [0, 0, 0])
            if key in predicted and key in gold:
                c[0] += 1
            elif key in predicted:
                c[1] += 1
            else:
                c[2] += 1
    per_type = {label: precision_recall_f(*c) for label, c in counts.items()}
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    micro = precision_recall_f(tp, fp, fn)
    return {"rel_micro_p": micro["p"], "rel_micro_r": micro["r"], "rel_micro_f": micro["f"], "rel_per_type": per_type}


@registry.scorers("ipner.relation_scorer.v1")
def make_relation_scorer() -> Callable[..., dict[str, Any]]:
    """The relation scorer, registered so configs can name it (``spacy_scorers`` entry point)."""
    return score_relations


