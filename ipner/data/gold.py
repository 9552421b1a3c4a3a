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
from ipner.jsonlines import json_line


def read_text(path: str | Path) -> str:
    """The text of a UTF-8 file (a BOM is accepted); raise :class:`AnnotationError` naming the file,
    and for bytes that are not UTF-8 the line they are on."""
    path = Path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise AnnotationError([LocatedProblem(str(path), f"cannot read: {err.strerror or err}")]) from None
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = data.count(b"\n", 0, err.start) + 1
        bad = data[err.start : err.end].hex(" ")
        raise AnnotationError([LocatedProblem(f"{path}:{line}", f"not UTF-8 text (bytes {bad}: {err.reason}); save the file as UTF-8")]) from None


def parse_json(text: str) -> tuple[Any, str | None, int]:
    """``(value, None, 0)``, or ``(None, why, line)`` when ``text`` is not JSON that Python can hold
    (``line``: the line of ``text`` where it stops being JSON)."""
    try:
        return json.loads(text), None, 0
    except json.JSONDecodeError as err:
        return None, f"not valid JSON ({err.msg})", err.lineno
    except ValueError as err:  # e.g. an integer with more digits than Python converts
        return None, f"not valid JSON ({err})", 1
    except RecursionError:
        return None, "not valid JSON (nested too deeply)", 1


def read_jsonl(path: str | Path) -> tuple[list[tuple[str, Any]], list[LocatedProblem]]:
    """The parsed lines of a JSONL file as ``("file:line", value)`` pairs, and the lines that are not JSON.

    A file that cannot be read raises :class:`AnnotationError`; a UTF-8 BOM is accepted. Lines end
    at ``\n`` only (a record may hold U+2028 and other characters ``str.splitlines`` would split at).
    """
    path = Path(path)
    rows, problems = [], []
    for lineno, line in enumerate(read_text(path).split("\n"), 1):
        if not line.strip():
            continue
        value, why, _ = parse_json(line)
        if why is None:
            rows.append((f"{path}:{lineno}", value))
        else:
            problems.append(LocatedProblem(f"{path}:{lineno}", why))
    return rows, problems


def shape_problems(record: Any) -> list[str]:
    """How ``record`` fails to have the gold record's shape (an object with string ``text``, lists of
    objects in ``entities`` and ``relations``, an object in ``meta``); empty if it has it.

    :func:`ipner.data.validate.validate_record` checks the contents of records of this shape.
    """
    if not isinstance(record, dict):
        return [f"expected a JSON object, got {_kind(record)}"]
    problems = []
    if not isinstance(record.get("text"), str):
        problems.append("record has no string 'text'")
    for key in ("entities", "relations"):
        items = record.get(key, [])
        if not isinstance(items, list):
            problems.append(f"'{key}' must be a list, got {_kind(items)}")
        elif not all(isinstance(item, dict) for item in items):
            problems.append(f"'{key}' must hold JSON objects only")
        elif key == "entities":
            problems.extend(
                f"entity {n} has a label that is not a string: {ent['label']!r}"
                for n, ent in enumerate(items)
                if isinstance(ent.get("label"), (list, dict))
            )
    if "meta" in record and not isinstance(record["meta"], dict):
        problems.append(f"'meta' must be a JSON object, got {_kind(record['meta'])}")
    try:
        json.dumps(record, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError as err:
        problems.append(f"holds {err.object[err.start:err.end]!r}, half of a UTF-16 surrogate pair, which is not a character")
    except (TypeError, ValueError, RecursionError) as err:
        problems.append(f"cannot be written as JSON: {err}")
    return problems


def _kind(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "true/false", type(None): "null"}
    return names.get(type(value), "a number")


def read_gold(path: str | Path, validate: bool = True) -> list[dict[str, Any]]:
    """Read a gold JSONL file; with ``validate``, raise :class:`AnnotationError` naming file and line."""
    rows, problems = read_jsonl(path)
    records = []
    for where, record in rows:
        if not isinstance(record, dict):
            problems.append(LocatedProblem(where, f"expected a JSON object, got {_kind(record)}"))
            continue
        if validate:
            problems.extend(record_problems(where, record))
        records.append(record)
    if problems:
        raise AnnotationError(problems)
    return records


def write_gold(records: Iterable[dict[str, Any]], path: str | Path) -> int:
    """Write records as gold JSONL (one per line), replacing ``path`` only when complete; returns
    how many were written."""
    from ipner.files import atomic_output

    n = 0
    with atomic_output(path, "w", encoding="utf-8", newline="\n") as f:
        for record in records:
            f.write(json_line(record) + "\n")
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


def record_problems(where: str, record: dict[str, Any]) -> list[LocatedProblem]:
    """Every problem of one record, located at ``where``: its shape first, then SCHEMA.md's rules."""
    shape = shape_problems(record)
    if shape:
        return [LocatedProblem(where, message) for message in shape]
    return [LocatedProblem(where, p.message, p.unknown_label) for p in validate_record(record)]
