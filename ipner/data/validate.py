"""Validation of gold records against ``SCHEMA.md``.

A gold record is a dict ``{"id", "text", "entities", "relations", "meta"}`` where each entity is
``{"start", "end", "label", "text"}`` (character offsets into ``text``, end exclusive) and each
relation is ``{"head", "child", "label"}`` indexing into ``entities``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ipner.errors import AnnotationError  # noqa: F401  (re-exported: callers catch it from here)
from ipner.schema import ENTITY_LABELS, RELATION_LABELS, RELATION_SIGNATURES


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a record; ``entity`` points at the entity it concerns, if any."""

    message: str
    entity: int | None = None
    unknown_label: str | None = None




def validate_record(record: dict[str, Any]) -> list[Problem]:
    """Return every way in which ``record`` breaks the gold format or SCHEMA.md (empty if none)."""
    problems: list[Problem] = []
    text = record.get("text")
    if not isinstance(text, str):
        return [Problem("record has no string 'text'")]
    entities = record.get("entities", [])
    relations = record.get("relations", [])
    if not isinstance(entities, list) or not isinstance(relations, list):
        return [Problem("'entities' and 'relations' must be lists")]
    spans: list[tuple[int, int, int]] = []
    for index, ent in enumerate(entities):
        start, end, label = ent.get("start"), ent.get("end"), ent.get("label")
        if not isinstance(start, int) or not isinstance(end, int) or not 0 <= start < end <= len(text):
            problems.append(Problem(f"entity {index} has bad offsets {start}-{end} (text length {len(text)})", index))
            continue
        span_text = text[start:end]
        if label not in ENTITY_LABELS:
            problems.append(Problem(f"entity {index} {span_text!r} has unknown label {label!r}", index, str(label)))
        if "text" in ent and ent["text"] != span_text:
            problems.append(
                Problem(f"entity {index} says {ent['text']!r} but offsets {start}-{end} hold {span_text!r}", index)
            )
        if span_text != span_text.strip():
            problems.append(Problem(f"entity {index} {span_text!r} has surrounding whitespace", index))
        spans.append((start, end, index))
    spans.sort()
    for (s1, e1, i1), (s2, e2, i2) in zip(spans, spans[1:]):
        if s2 < e1:
            problems.append(Problem(f"entities {i1} {text[s1:e1]!r} and {i2} {text[s2:e2]!r} overlap", i2))
    seen: set[tuple[int, str]] = set()
    for rel in relations:
        head, child, label = rel.get("head"), rel.get("child"), rel.get("label")
        if label not in RELATION_LABELS:
            problems.append(
                Problem(f"relation {head}->{child} has unknown label {label!r}", head if isinstance(head, int) else None, str(label))
            )
            continue
        if not all(isinstance(i, int) and 0 <= i < len(entities) for i in (head, child)):
            problems.append(Problem(f"relation {label} {head}->{child} points outside the entities"))
            continue
        if head == child:
            problems.append(Problem(f"relation {label} links entity {head} to itself", head))
            continue
        head_label, child_labels = RELATION_SIGNATURES[label]
        head_ent, child_ent = entities[head], entities[child]
        if head_ent.get("label") != head_label:
            problems.append(
                Problem(f"relation {label} starts at {head_ent.get('label')} {_quote(text, head_ent)}, not {head_label}", head)
            )
        if child_ent.get("label") not in child_labels:
            problems.append(
                Problem(
                    f"relation {label} of {_quote(text, head_ent)} ends at {child_ent.get('label')} "
                    f"{_quote(text, child_ent)}; it must end at {'/'.join(sorted(child_labels))}",
                    head,
                )
            )
        if (head, label) in seen:
            problems.append(Problem(f"quantity {_quote(text, head_ent)} has two '{label}' relations", head))
        seen.add((head, label))
    return problems


def _quote(text: str, ent: dict[str, Any]) -> str:
    try:
        return repr(text[ent["start"] : ent["end"]])
    except (KeyError, TypeError):
        return "?"
