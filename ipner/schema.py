"""The labels, relations and value vocabularies of ``SCHEMA.md``, in one place."""
from __future__ import annotations

ENTITY_LABELS: tuple[str, ...] = ("CITY", "REGION", "ORG", "METRIC", "QUANTITY", "DATE")
RELATION_LABELS: tuple[str, ...] = ("metric", "subject", "time")

#: For each relation label: the label of its head and the labels its child may have.
RELATION_SIGNATURES: dict[str, tuple[str, frozenset[str]]] = {
    "metric": ("QUANTITY", frozenset({"METRIC"})),
    "subject": ("QUANTITY", frozenset({"CITY", "REGION", "ORG"})),
    "time": ("QUANTITY", frozenset({"DATE"})),
}

APPROX_VALUES: tuple[str | None, ...] = (None, "over", "under", "about")
KIND_VALUES: tuple[str, ...] = ("value", "growth", "share", "rank", "target")
