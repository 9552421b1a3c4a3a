"""The labels, relations and value vocabularies of ``SCHEMA.md``, and the text conventions every
part of ipner shares (one definition each)."""
from __future__ import annotations

import re

__all__ = [
    "ENTITY_LABELS",
    "PLACE_LABELS",
    "SUBJECT_LABELS",
    "RELATION_LABELS",
    "RELATION_SIGNATURES",
    "PLACE_LEVELS",
    "APPROX_VALUES",
    "KIND_VALUES",
    "SENTENCE_END_CHARS",
    "SENTENCE_END_RE",
    "SENTENCE_BOUNDARY_CHARS",
    "SENTENCE_BOUNDARY_RE",
]

#: The six entity labels, in this order wherever an order matters (feature columns, tables).
ENTITY_LABELS: tuple[str, ...] = ("CITY", "REGION", "ORG", "METRIC", "QUANTITY", "DATE")
PLACE_LABELS: tuple[str, ...] = ("CITY", "REGION")
SUBJECT_LABELS: tuple[str, ...] = ("CITY", "REGION", "ORG")
RELATION_LABELS: tuple[str, ...] = ("metric", "subject", "time")

#: For each relation label: the label of its head and the labels its child may have.
RELATION_SIGNATURES: dict[str, tuple[str, frozenset[str]]] = {
    "metric": ("QUANTITY", frozenset({"METRIC"})),
    "subject": ("QUANTITY", frozenset(SUBJECT_LABELS)),
    "time": ("QUANTITY", frozenset({"DATE"})),
}

#: The levels of a fact's ``place`` (SCHEMA.md, "Canonical fields").
PLACE_LEVELS: tuple[str, ...] = ("country", "province", "city", "county", "district", "zone", "other")
APPROX_VALUES: tuple[str | None, ...] = (None, "over", "under", "about")
KIND_VALUES: tuple[str, ...] = ("value", "growth", "share", "rank", "target")

#: Characters that end a sentence (full- and half-width); a line break ends one too where noted.
SENTENCE_END_CHARS = "。！？!?；;"
#: One sentence end.
SENTENCE_END_RE = re.compile(f"[{SENTENCE_END_CHARS}]")
#: The sentence ends and the line break: the boundaries of the sentence a fact quotes.
SENTENCE_BOUNDARY_CHARS = SENTENCE_END_CHARS + "\n"
#: One sentence end or line break.
SENTENCE_BOUNDARY_RE = re.compile(f"[{SENTENCE_BOUNDARY_CHARS}]")
