"""Gold JSONL: reading, writing and converting to spaCy ``Doc``/``DocBin`` and ``datasets``.

One document per line: ``{"id", "text", "entities": [{"start", "end", "label", "text"}],
"relations": [{"head", "child", "label"}], "meta": {"doc_id", "split", ...}}``.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from ipner.data.validate import AnnotationError, validate_record
from ipner.errors import LocatedProblem


def read_jsonl(path: str | Path) -> tuple[list[tuple[str, Any]], list[str]]:
    """The parsed lines of a JSONL file as ``("file:line", value)`` pairs, and the lines that are not JSON.

    A file that cannot be read raises :class:`AnnotationError`; a UTF-8 BOM is accepted.
    """
    path = Path(path)
    try:
        lines = path.read_text(encoding="utf-8-sig").splitlines()
    except (OSError, UnicodeDecodeError) as err:
        raise AnnotationError([f"{path}: cannot read: {err}"]) from None
    rows, problems = [], []
    for lineno, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            rows.append((f"{path}:{lineno}", json.loads(line)))
        except json.JSONDecodeError as err:
            problems.append(f"{path}:{lineno}: not valid JSON ({err.msg})")
    return rows, problems


def read_gold(path: str | Path, validate: bool = True) -> list[dict[str, Any]]:
    """Read a gold JSONL file; with ``validate``, raise :class:`AnnotationError` naming file and line."""
    rows, problems = read_jsonl(path)
    records = []
    for where, record in rows:
        if not isinstance(record, dict):
            problems.append(f"{where}: expected a JSON object")
            continue
        if validate:
            problems.extend(LocatedProblem(where, p.message, p.unknown_label) for p in validate_record(record))
        records.append(record)
    if problems:
        raise AnnotationError(problems)
    return records


def write_gold(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Write records as gold JSONL (one per line); returns how many were written."""
    n = 0
    with open(path, "w", encoding="utf-8") as f:
        for record in records:
            f.write(json.dumps(record, ensure_ascii=False) + "\n")
            n += 1
    return n


def record_to_doc(nlp, record: dict[str, Any]):
    """A spaCy ``Doc`` of ``record`` (tokenised by ``nlp``) with ``ents`` and ``doc._.relations``.

    Raises :class:`AnnotationError` if an entity does not fall on token boundaries.
    """
    from ipner.extensions import register_extensions

    register_extensions()
    doc = nlp.make_doc(record["text"])
    spans, order = [], {}
    for index, ent in sorted(enumerate(record["entities"]), key=lambda item: item[1]["start"]):
        span = doc.char_span(ent["start"], ent["end"], label=ent["label"])
        if span is None:
            raise AnnotationError([f"{record.get('id')}: entity {ent['start']}-{ent['end']} {ent.get('text')!r} does not fall on token boundaries"])
        order[index] = len(spans)
        spans.append(span)
    doc.ents = spans
    doc._.relations = [
        {"head": order[r["head"]], "child": order[r["child"]], "label": r["label"], "score": 1.0} for r in record.get("relations", [])
    ]
    doc._.doc_date = record.get("meta", {}).get("date") or None
    return doc


def to_docbin(nlp, records: Iterable[dict[str, Any]]):
    """A ``DocBin`` (with user data, so relations travel) of the records."""
    from spacy.tokens import DocBin

    docbin = DocBin(store_user_data=True)
    for record in records:
        docbin.add(record_to_doc(nlp, record))
    return docbin


def to_dataset_dict(records: Iterable[dict[str, Any]]):
    """A ``datasets.DatasetDict`` with one split per ``meta.split`` value."""
    from datasets import Dataset, DatasetDict

    by_split: dict[str, list[dict[str, Any]]] = {}
    for record in records:
        split = record.get("meta", {}).get("split", "train")
        by_split.setdefault(split, []).append(
            {
                "id": record["id"],
                "text": record["text"],
                "entities": [{k: e[k] for k in ("start", "end", "label", "text")} for e in record["entities"]],
                "relations": [{k: r[k] for k in ("head", "child", "label")} for r in record.get("relations", [])],
                "script": record.get("meta", {}).get("script", ""),
                "origin": record.get("meta", {}).get("origin", ""),
            }
        )
    return DatasetDict({split: Dataset.from_list(rows) for split, rows in by_split.items()})

