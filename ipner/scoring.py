"""Precision, recall and F1: the one definition every score of ipner uses; and what makes two facts the same."""
from __future__ import annotations

from typing import TYPE_CHECKING, Iterable

from ipner.text.normalize import normalize_text

if TYPE_CHECKING:
    from ipner.types import Fact

__all__ = ["precision_recall_f", "prf", "fact_keys"]


def precision_recall_f(tp: int, fp: int, fn: int) -> dict[str, float]:
    """``{"p", "r", "f"}`` from true positive, false positive and false negative counts (0 when undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 rounded to 4 places, with the counts (``tp``, ``fp``, ``fn``)."""
    scores = {name: round(value, 4) for name, value in precision_recall_f(tp, fp, fn).items()}
    return {**scores, "tp": tp, "fp": fp, "fn": fn}


def fact_keys(facts: Iterable[Fact]) -> set[tuple]:
    """The matching key of each fact: quantity span, metric and subject text (normalised), value.

    Metric and subject are compared as normalised text (Simplified, half-width), because a table of
    facts holds names, not positions: linking a figure to another mention of the same city is right."""
    return {
        (
            fact.quantity.start,
            fact.quantity.end,
            normalize_text(fact.metric.text),
            normalize_text(fact.subject.text) if fact.subject else None,
            fact.quantity.value,
        )
        for fact in facts
    }
