"""The Doc extensions of ipner, declared in one place; the components that write them register them
(:func:`register_extensions` is idempotent), as do the readers that build gold Docs.

- ``doc._.relations``: list of ``{"head", "child", "label", "score"}``; ``head`` and ``child`` index
  ``doc.ents`` *as they are when read*. The Doc stores each relation by its entities' character
  spans, so a later component that adds or removes entities does not shift them; a relation whose
  entity is gone is dropped. Assign a new list to change them (the list read is a copy). Written by
  ``ipner_relations`` and made to agree with the facts by ``ipner_facts`` (a subject or time the facts
  carry over is a relation with score 0).
- ``doc._.facts``: tuple of :class:`ipner.types.Fact` (offsets relative to ``doc.text``); stored as
  SCHEMA.md JSON dicts, so Docs pickle and cross processes. Assign facts or dicts.
- ``doc._.doc_date``: the reference date (``YYYY-MM-DD``) for relative dates, or None.
"""
from __future__ import annotations

from typing import Any, Iterable

from spacy.tokens import Doc

from ipner.types import Fact

__all__ = ["register_extensions", "RELATIONS_KEY", "FACTS_KEY"]

#: Keys of ``doc.user_data`` that hold the stored relations and facts (JSON-safe values).
RELATIONS_KEY = "ipner.relations"
FACTS_KEY = "ipner.facts"


def _get_relations(doc: Doc) -> list[dict[str, Any]]:
    stored = doc.user_data.get(RELATIONS_KEY)
    if not stored:
        return []
    index = {(ent.start_char, ent.end_char): i for i, ent in enumerate(doc.ents)}
    relations = []
    for head_start, head_end, child_start, child_end, label, score in stored:
        head, child = index.get((head_start, head_end)), index.get((child_start, child_end))
        if head is not None and child is not None:
            relations.append({"head": head, "child": child, "label": label, "score": score})
    return relations


def _set_relations(doc: Doc, relations: Iterable[dict[str, Any]] | None) -> None:
    ents = doc.ents
    doc.user_data[RELATIONS_KEY] = [
        [
            ents[r["head"]].start_char, ents[r["head"]].end_char, ents[r["child"]].start_char, ents[r["child"]].end_char,
            r["label"], float(r.get("score", 1.0)),
        ]
        for r in relations or ()
    ]


def _get_facts(doc: Doc) -> tuple[Fact, ...]:
    return tuple(Fact.from_dict(fact) for fact in doc.user_data.get(FACTS_KEY) or ())


def _set_facts(doc: Doc, facts: Iterable[Fact | dict[str, Any]] | None) -> None:
    doc.user_data[FACTS_KEY] = [fact.to_dict() if isinstance(fact, Fact) else dict(fact) for fact in facts or ()]


def register_extensions() -> None:
    """Declare ipner's Doc extensions if they are not declared yet (idempotent)."""
    if not Doc.has_extension("relations"):
        Doc.set_extension("relations", getter=_get_relations, setter=_set_relations)
    if not Doc.has_extension("facts"):
        Doc.set_extension("facts", getter=_get_facts, setter=_set_facts)
    if not Doc.has_extension("doc_date"):
        Doc.set_extension("doc_date", default=None)
