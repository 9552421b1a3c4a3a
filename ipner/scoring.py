"""Precision, recall and F1: the one definition every score of ipner uses."""
from __future__ import annotations

__all__ = ["precision_recall_f", "prf"]


def precision_recall_f(tp: int, fp: int, fn: int) -> dict[str, float]:
    """``{"p", "r", "f"}`` from true positive, false positive and false negative counts (0 when undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}


def prf(tp: int, fp: int, fn: int) -> dict[str, float]:
    """Precision, recall and F1 rounded to 4 places, with the counts (``tp``, ``fp``, ``fn``)."""
    scores = {name: round(value, 4) for name, value in precision_recall_f(tp, fp, fn).items()}
    return {**scores, "tp": tp, "fp": fp, "fn": fn}
