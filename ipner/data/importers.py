"""Importers of annotation-tool exports into ipner's gold records, with located errors.

- doccano (relation projects) JSONL: ``entities`` with ``start_offset``/``end_offset``/``label``/``id``,
  ``relations`` with ``from_id``/``to_id``/``type``; and doccano's sequence-labelling export,
  ``label``: ``[[start, end, label], ...]`` (entities only).
- Label Studio JSON export: a list of tasks with ``data.text`` and ``annotations[].result`` holding
  ``labels`` regions (``value.start``/``end``/``labels``) and ``relation`` items (``from_id``/``to_id``/``labels``).
- Prodigy JSONL (``rel.manual``/``spans.manual``): ``spans`` with ``start``/``end``/``label`` and
  ``relations`` with ``head_span``/``child_span``/``label``; only ``answer == "accept"`` is kept.

Every record that comes out is checked with :func:`ipner.data.validate.validate_record`.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Callable

from ipner.data.authoring import parse_file
from ipner.data.gold import read_gold, read_jsonl
from ipner.data.validate import AnnotationError, validate_record
from ipner.errors import LocatedProblem

FORMATS = ("ipner", "authoring", "doccano", "labelstudio", "prodigy")


def load_annotations(path: str | Path, fmt: str = "ipner") -> list[dict[str, Any]]:
    """Read annotations in ``fmt`` (one of :data:`FORMATS`) as validated gold records."""
    path = Path(path)
    if fmt == "ipner":
        return read_gold(path)
    if fmt == "authoring":
        return [doc.record for doc in parse_file(path)]
    readers: dict[str, Callable[[Path], tuple[list[tuple[str, dict[str, Any]]], list[str]]]] = {
        "doccano": _read_doccano,
        "labelstudio": _read_labelstudio,
        "prodigy": _read_prodigy,
    }
    if fmt not in readers:
        raise AnnotationError([f"{path}: unknown annotation format {fmt!r} (one of {', '.join(FORMATS)})"])
    records = []
    # Problems of the export itself and of the records it yields are reported together.
    read, problems = readers[fmt](path)
    for where, record in read:
        found = validate_record(record)
        problems.extend(LocatedProblem(where, p.message, p.unknown_label) for p in found)
        records.append(record)
    if problems:
        raise AnnotationError(problems)
    return records


def _jsonl(path: Path) -> list[tuple[str, Any]]:
    rows, problems = read_jsonl(path)
    if problems:
        raise AnnotationError(problems)
    return rows


def _record(doc_id: str, text: str, entities: list, relations: list, fmt: str) -> dict[str, Any]:
    return {"id": doc_id, "text": text, "entities": entities, "relations": relations, "meta": {"doc_id": doc_id, "source_format": fmt}}


def _entity(text: str, start: Any, end: Any, label: Any, where: str) -> dict[str, Any]:
    if not isinstance(start, int) or not isinstance(end, int):
        raise AnnotationError([f"{where}: span offsets must be integers, got {start!r}-{end!r}"])
    return {"start": start, "end": end, "label": label, "text": text[start:end] if 0 <= start < end <= len(text) else ""}


def _read_doccano(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """The records read from the export, as ``(where, record)``, and the located problems."""
    out, problems = [], []
    for where, row in _jsonl(path):
        text = row.get("text") if isinstance(row, dict) else None
        if not isinstance(text, str):
            problems.append(f"{where}: no string 'text'")
            continue
        entities, index_of = [], {}
        try:
            for ent in row.get("entities", []):
                index_of[ent.get("id")] = len(entities)
                entities.append(_entity(text, ent.get("start_offset"), ent.get("end_offset"), ent.get("label"), where))
            # doccano's sequence-labelling export: "label": [[start, end, label], ...], no relations
            for item in row.get("label", []) if isinstance(row.get("label"), list) else []:
                if not (isinstance(item, list) and len(item) == 3):
                    raise AnnotationError([f"{where}: a 'label' item must be [start, end, label], got {item!r}"])
                entities.append(_entity(text, item[0], item[1], item[2], where))
        except AnnotationError as err:
            problems.extend(err.problems)
            continue
        relations = []
        for rel in row.get("relations", []):
            if rel.get("from_id") not in index_of or rel.get("to_id") not in index_of:
                problems.append(f"{where}: relation {rel.get('id')} links unknown entity ids {rel.get('from_id')}->{rel.get('to_id')}")
                continue
            relations.append({"head": index_of[rel["from_id"]], "child": index_of[rel["to_id"]], "label": rel.get("type")})
        doc_id = str(row.get("id", where))
        out.append((where, _record(doc_id, text, entities, relations, "doccano")))
    return out, problems


def _read_labelstudio(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """The records read from the export, as ``(where, record)``, and the located problems."""
    try:
        tasks = json.loads(path.read_text(encoding="utf-8-sig"))
    except (OSError, UnicodeDecodeError) as err:
        raise AnnotationError([f"{path}: cannot read: {err}"]) from None
    except json.JSONDecodeError as err:
        raise AnnotationError([f"{path}:{err.lineno}: not valid JSON ({err.msg})"]) from None
    if not isinstance(tasks, list):
        raise AnnotationError([f"{path}: a Label Studio export is a JSON list of tasks"])
    out, problems = [], []
    for n, task in enumerate(tasks):
        where = f"{path}: task {n} (id {task.get('id') if isinstance(task, dict) else '?'})"
        text = task.get("data", {}).get("text") if isinstance(task, dict) else None
        if not isinstance(text, str):
            problems.append(f"{where}: no string data.text")
            continue
        annotations = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
        if not annotations:
            continue
        result = annotations[-1].get("result", [])
        entities, index_of, relations = [], {}, []
        try:
            for item in result:
                if item.get("type") == "labels":
                    value = item.get("value", {})
                    labels = value.get("labels") or [None]
                    index_of[item.get("id")] = len(entities)
                    entities.append(_entity(text, value.get("start"), value.get("end"), labels[0], where))
        except AnnotationError as err:
            problems.extend(err.problems)
            continue
        for item in result:
            if item.get("type") != "relation":
                continue
            if item.get("from_id") not in index_of or item.get("to_id") not in index_of:
                problems.append(f"{where}: relation links unknown region ids {item.get('from_id')}->{item.get('to_id')}")
                continue
            head, child = index_of[item["from_id"]], index_of[item["to_id"]]
            if item.get("direction") == "left":
                head, child = child, head
            for label in item.get("labels") or [None]:
                relations.append({"head": head, "child": child, "label": label})
        doc_id = str(task.get("id", n))
        out.append((where, _record(doc_id, text, entities, relations, "labelstudio")))
    return out, problems


def _read_prodigy(path: Path) -> tuple[list[tuple[str, dict[str, Any]]], list[str]]:
    """The records read from the export, as ``(where, record)``, and the located problems."""
    out, problems = [], []
    for where, row in _jsonl(path):
        if not isinstance(row, dict) or row.get("answer", "accept") != "accept":
            continue
        text = row.get("text")
        if not isinstance(text, str):
            problems.append(f"{where}: no string 'text'")
            continue
        entities, index_of = [], {}
        try:
            for span in row.get("spans", []):
                index_of[(span.get("start"), span.get("end"))] = len(entities)
                entities.append(_entity(text, span.get("start"), span.get("end"), span.get("label"), where))
        except AnnotationError as err:
            problems.extend(err.problems)
            continue
        relations = []
        for rel in row.get("relations", []):
            head = rel.get("head_span", {})
            child = rel.get("child_span", {})
            head_key, child_key = (head.get("start"), head.get("end")), (child.get("start"), child.get("end"))
            if head_key not in index_of or child_key not in index_of:
                problems.append(f"{where}: relation {rel.get('label')} joins spans {head_key}->{child_key} that are not in 'spans'")
                continue
            relations.append({"head": index_of[head_key], "child": index_of[child_key], "label": rel.get("label")})
        doc_id = str(row.get("meta", {}).get("id", row.get("_input_hash", where)))
        out.append((where, _record(doc_id, text, entities, relations, "prodigy")))
    return out, problems
