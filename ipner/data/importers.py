"""Importers of annotation-tool exports into ipner's gold records, with located errors.

- doccano (relation projects) JSONL: ``entities`` with ``start_offset``/``end_offset``/``label``/``id``,
  ``relations`` with ``from_id``/``to_id``/``type``; and doccano's sequence-labelling export,
  ``label``: ``[[start, end, label], ...]`` (entities only).
- Label Studio JSON export: a list of tasks with ``data.text`` and ``annotations[].result`` holding
  ``labels`` regions (``value.start``/``end``/``labels``) and ``relation`` items (``from_id``/``to_id``/``labels``);
  the document id is ``data.id`` if the task has one (``predict --format labelstudio`` writes it),
  else the task's id. Only submitted annotations are gold: a task without one (unlabelled, only
  the model's ``predictions``, or skipped) is left out, and counted in a note.
- Prodigy JSONL (``rel.manual``/``spans.manual``): ``spans`` with ``start``/``end``/``label`` and
  ``relations`` with ``head_span``/``child_span``/``label``; only ``answer == "accept"`` is kept. A
  task without ``answer`` has not been reviewed (``predict --format prodigy`` writes none): it is
  left out, and counted in a note.

Every record that comes out is checked with :func:`ipner.data.validate.validate_record`. A file is
all or nothing: any problem raises :class:`AnnotationError` with every located problem (at most
:data:`MAX_PER_KIND` of one kind, then a count). A file that looks like another format than the
one asked for (:func:`detect_format`) is reported as that, with the ``--format`` to use.
"""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any, Callable, Iterable

from ipner.data.authoring import parse_file
from ipner.data.gold import parse_json, read_gold, read_jsonl, read_text, record_problems
from ipner.data.validate import AnnotationError
from ipner.errors import LocatedProblem

FORMATS = ("ipner", "authoring", "doccano", "labelstudio", "prodigy")
FORMAT_NAMES = {
    "ipner": "ipner gold JSONL",
    "authoring": "ipner's authoring format ('=== <id>' headers)",
    "doccano": "a doccano export",
    "labelstudio": "a Label Studio export",
    "prodigy": "a Prodigy export",
}
MAX_PER_KIND = 5  #: problems of one kind shown before the rest are counted
_DETECT_LINES = 50  #: JSONL lines looked at to recognise a format

_NOTE_EXAMPLES = 5  #: places named in a note about skipped tasks before the rest are counted

Read = tuple[list[tuple[str, dict[str, Any]]], list[LocatedProblem]]


def load_annotations(
    path: str | Path, fmt: str = "ipner", max_per_kind: int | None = MAX_PER_KIND, notes: list[LocatedProblem] | None = None
) -> list[dict[str, Any]]:
    """Read annotations in ``fmt`` (one of :data:`FORMATS`) as validated gold records.

    Raises :class:`AnnotationError` with located problems, capped to ``max_per_kind`` of each kind
    (``None``: all of them), or with one problem when the file looks like another format.
    Tasks left out because nobody reviewed them (Label Studio tasks without a submitted annotation,
    Prodigy tasks without an answer) are no error: one note per file says how many, appended to
    ``notes`` when given.
    """
    path = Path(path)
    if fmt not in FORMATS:
        raise AnnotationError([LocatedProblem(str(path), f"unknown annotation format {fmt!r} (one of {', '.join(FORMATS)})")])
    detected, line = _detect(path)
    if detected is not None and detected != fmt:
        where = f"{path}:{line}" if line else str(path)
        raise AnnotationError([LocatedProblem(
            where, f"this looks like {FORMAT_NAMES[detected]}: use --format {detected} (--format {fmt} reads {FORMAT_NAMES[fmt]})"
        )])
    try:
        return _load(path, fmt, notes if notes is not None else [])
    except AnnotationError as err:
        raise AnnotationError(cap_problems(err.problems, max_per_kind)) from None


def _load(path: Path, fmt: str, notes: list[LocatedProblem]) -> list[dict[str, Any]]:
    if fmt == "ipner":
        return read_gold(path)
    if fmt == "authoring":
        return [doc.record for doc in parse_file(path)]
    readers: dict[str, Callable[[Path, list[LocatedProblem]], Read]] = {
        "doccano": _read_doccano, "labelstudio": _read_labelstudio, "prodigy": _read_prodigy,
    }
    records = []
    # Problems of the export itself and of the records it yields are reported together.
    read, problems = readers[fmt](path, notes)
    for where, record in read:
        problems.extend(record_problems(where, record))
        records.append(record)
    if problems:
        raise AnnotationError(sorted(problems, key=_position))  # in file order (stable within a record)
    return records


def _position(problem: Any) -> int:
    """The line (JSONL) or task (Label Studio) a problem is at; -1 for the file as a whole."""
    match = _POSITION_RE.search(problem.where if isinstance(problem, LocatedProblem) else "")
    return int(match.group(1) or match.group(2)) if match else -1


_POSITION_RE = re.compile(r":(\d+)$|: task (\d+) \(")


# --- problems: one of a kind is enough -------------------------------------------------------

_NUMBER_RE = re.compile(r"\d+")
_QUOTED_RE = re.compile(r"'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"")


def problem_kind(problem: Any) -> tuple[str, str]:
    """What makes two problems "of the same kind": the same unknown label, or the same message once
    numbers (lines, offsets, indices) and quoted texts are taken out."""
    if isinstance(problem, LocatedProblem):
        if problem.unknown_label is not None:
            return ("label", problem.unknown_label)
        message = problem.message
    else:
        message = str(problem)
    return ("message", _NUMBER_RE.sub("#", _QUOTED_RE.sub("…", message)))


def cap_problems(problems: Iterable[Any], max_per_kind: int | None = MAX_PER_KIND) -> list[Any]:
    """``problems`` with at most ``max_per_kind`` of each kind (:func:`problem_kind`); the rest of a
    kind becomes one line ``… and N more like this`` after the last one shown."""
    problems = list(problems)
    if max_per_kind is None:
        return problems
    kinds = [problem_kind(p) for p in problems]
    total: dict[tuple[str, str], int] = {}
    for kind in kinds:
        total[kind] = total.get(kind, 0) + 1
    shown: dict[tuple[str, str], int] = {}
    out = []
    for problem, kind in zip(problems, kinds):
        shown[kind] = shown.get(kind, 0) + 1
        if shown[kind] <= max_per_kind:
            out.append(problem)
        if shown[kind] == max_per_kind and total[kind] > max_per_kind:
            out.append(LocatedProblem("", f"… and {total[kind] - max_per_kind} more like this"))
    return out


# --- which format is a file in ---------------------------------------------------------------


def detect_format(path: str | Path) -> str | None:
    """The format (one of :data:`FORMATS`) the file looks like, from its first record that tells;
    ``None`` when it cannot be told (empty, unreadable, not JSON, or records without annotations)."""
    return _detect(Path(path))[0]


def _detect(path: Path) -> tuple[str | None, int]:
    """The format the file looks like and the line that tells (0: the whole file)."""
    try:
        content = read_text(path)
    except AnnotationError:
        return None, 0
    lines = content.split("\n")
    meaningful = [(n, line) for n, line in enumerate(lines, 1) if line.strip()]
    if not meaningful:
        return None, 0
    first_line, first = meaningful[0]
    # authoring files may start with '%' comment lines before the first '=== <id>' header
    header = next(((n, line) for n, line in meaningful if not line.startswith("%")), None)
    if header is not None and header[1].startswith("=== "):
        return "authoring", header[0]
    stripped = content.strip()
    if stripped[:1] in "[{" and (len(meaningful) > 1 or stripped[:1] == "["):
        whole, why, _ = parse_json(stripped)
        if why is None:
            tasks = whole if isinstance(whole, list) else [whole]
            for task in tasks[:_DETECT_LINES]:
                if _is_labelstudio(task):
                    return "labelstudio", first_line
            if isinstance(whole, list):
                return None, 0
        elif stripped[:1] == "[" and ('"annotations"' in content or '"data"' in content):
            return "labelstudio", first_line
    for n, line in meaningful[:_DETECT_LINES]:
        value, why, _ = parse_json(line)
        if why is None:
            fmt = _record_format(value)
            if fmt is not None:
                return fmt, n
    return None, 0


def _is_labelstudio(task: Any) -> bool:
    return isinstance(task, dict) and isinstance(task.get("data"), dict) and any(k in task for k in ("annotations", "predictions"))


def _has_key(items: Any, *keys: str) -> bool:
    return isinstance(items, list) and any(isinstance(i, dict) and any(k in i for k in keys) for i in items)


def _record_format(row: Any) -> str | None:
    """The format one JSONL record is in, if it tells (records without annotations often do not)."""
    if not isinstance(row, dict):
        return None
    if _is_labelstudio(row):
        return "labelstudio"
    if any(key in row for key in ("spans", "answer", "_input_hash", "_task_hash")) or _has_key(row.get("relations"), "head_span", "child_span"):
        return "prodigy"
    entities, relations, label = row.get("entities"), row.get("relations"), row.get("label")
    if _has_key(entities, "start_offset", "end_offset") or _has_key(relations, "from_id", "to_id", "type"):
        return "doccano"
    if isinstance(label, list) and label and all(isinstance(item, list) and len(item) == 3 for item in label):
        return "doccano"
    if _has_key(entities, "start", "end") or _has_key(relations, "head", "child"):
        return "ipner"
    meta = row.get("meta")
    if isinstance(meta, dict) and any(key in meta for key in ("doc_id", "split", "source_format")) and "entities" in row:
        return "ipner"
    return None


# --- the readers --------------------------------------------------------------------------------


def _jsonl(path: Path) -> list[tuple[str, Any]]:
    rows, problems = read_jsonl(path)
    if problems:
        raise AnnotationError(problems)
    return rows


def _record(doc_id: str, text: str, entities: list, relations: list, fmt: str) -> dict[str, Any]:
    return {"id": doc_id, "text": text, "entities": entities, "relations": relations, "meta": {"doc_id": doc_id, "source_format": fmt}}


def _objects(container: dict[str, Any], key: str, where: str) -> list[dict[str, Any]]:
    """``container[key]`` as a list of JSON objects (absent or null: empty)."""
    items = container.get(key)
    if items is None:
        return []
    if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
        raise AnnotationError([LocatedProblem(where, f"'{key}' must be a list of JSON objects, got {json.dumps(items, ensure_ascii=False)[:60]}")])
    return items


def _object(container: dict[str, Any], key: str, where: str) -> dict[str, Any]:
    value = container.get(key)
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise AnnotationError([LocatedProblem(where, f"'{key}' must be a JSON object, got {json.dumps(value, ensure_ascii=False)[:60]}")])
    return value


def _key(value: Any) -> str:
    """A hashable key for an id of any JSON type."""
    return json.dumps(value, sort_keys=True)


def _entity(text: str, start: Any, end: Any, label: Any, where: str) -> dict[str, Any]:
    if not isinstance(start, int) or not isinstance(end, int) or isinstance(start, bool) or isinstance(end, bool):
        raise AnnotationError([LocatedProblem(where, f"span offsets must be integers, got {start!r}-{end!r}")])
    if isinstance(label, (list, dict)):
        raise AnnotationError([LocatedProblem(where, f"a span label must be a string, got {label!r}")])
    return {"start": start, "end": end, "label": label, "text": text[start:end] if 0 <= start < end <= len(text) else ""}


def _skipped_note(path: Path, places: list[str], what: str, why: str) -> LocatedProblem:
    """One note for the tasks of a file left out as not reviewed: how many, the first few, and why."""
    shown = ", ".join(places[:_NOTE_EXAMPLES]) + (f" and {len(places) - _NOTE_EXAMPLES} more" if len(places) > _NOTE_EXAMPLES else "")
    return LocatedProblem(str(path), f"{len(places)} {what} left out, not imported as gold ({shown}): {why}")


def _read_doccano(path: Path, notes: list[LocatedProblem]) -> Read:
    """The records read from the export, as ``(where, record)``, and the located problems
    (doccano's export cannot tell reviewed documents from others, so ``notes`` gets none)."""
    out, problems = [], []
    for where, row in _jsonl(path):
        text = row.get("text") if isinstance(row, dict) else None
        if not isinstance(text, str):
            problems.append(LocatedProblem(where, "no string 'text'"))
            continue
        entities, index_of, relations = [], {}, []
        try:
            for ent in _objects(row, "entities", where):
                index_of[_key(ent.get("id"))] = len(entities)
                entities.append(_entity(text, ent.get("start_offset"), ent.get("end_offset"), ent.get("label"), where))
            # doccano's sequence-labelling export: "label": [[start, end, label], ...], no relations
            for item in row.get("label", []) if isinstance(row.get("label"), list) else []:
                if not (isinstance(item, list) and len(item) == 3):
                    raise AnnotationError([LocatedProblem(where, f"a 'label' item must be [start, end, label], got {item!r}")])
                entities.append(_entity(text, item[0], item[1], item[2], where))
            rels = _objects(row, "relations", where)
        except AnnotationError as err:
            problems.extend(err.problems)
            continue
        for rel in rels:
            head, child = index_of.get(_key(rel.get("from_id"))), index_of.get(_key(rel.get("to_id")))
            if head is None or child is None:
                problems.append(LocatedProblem(where, f"relation {rel.get('id')} links unknown entity ids {rel.get('from_id')}->{rel.get('to_id')}"))
                continue
            relations.append({"head": head, "child": child, "label": rel.get("type")})
        doc_id = str(row.get("id", where))
        out.append((where, _record(doc_id, text, entities, relations, "doccano")))
    return out, problems


def _read_labelstudio(path: Path, notes: list[LocatedProblem]) -> Read:
    """The records read from the export, as ``(where, record)``, and the located problems; tasks
    without a submitted annotation are counted in one note."""
    tasks, why, line = parse_json(read_text(path))
    if why is not None:
        raise AnnotationError([LocatedProblem(f"{path}:{line}", why)])
    if not isinstance(tasks, list):
        raise AnnotationError([LocatedProblem(str(path), "a Label Studio export is a JSON list of tasks")])
    out, problems, unreviewed = [], [], []
    for n, task in enumerate(tasks):
        where = f"{path}: task {n} (id {task.get('id') if isinstance(task, dict) else '?'})"
        try:
            if not isinstance(task, dict):
                raise AnnotationError([LocatedProblem(where, "a task must be a JSON object")])
            data = _object(task, "data", where)
            text = data.get("text")
            if not isinstance(text, str):
                raise AnnotationError([LocatedProblem(where, "no string data.text")])
            annotations = [a for a in _objects(task, "annotations", where) if not a.get("was_cancelled")]
            if not annotations:
                unreviewed.append(where.removeprefix(f"{path}: "))
                continue
            result = _objects(annotations[-1], "result", where)
            entities, index_of = [], {}
            for item in result:
                if item.get("type") == "labels":
                    value = _object(item, "value", where)
                    labels = value.get("labels")
                    label = labels[0] if isinstance(labels, list) and labels else labels or None
                    index_of[_key(item.get("id"))] = len(entities)
                    entities.append(_entity(text, value.get("start"), value.get("end"), label, where))
        except AnnotationError as err:
            problems.extend(err.problems)
            continue
        relations = []
        for item in result:
            if item.get("type") != "relation":
                continue
            head, child = index_of.get(_key(item.get("from_id"))), index_of.get(_key(item.get("to_id")))
            if head is None or child is None:
                problems.append(LocatedProblem(where, f"relation links unknown region ids {item.get('from_id')}->{item.get('to_id')}"))
                continue
            if item.get("direction") == "left":
                head, child = child, head
            labels = item.get("labels")
            for label in labels if isinstance(labels, list) and labels else [labels or None]:
                relations.append({"head": head, "child": child, "label": label})
        given = data.get("id")
        doc_id = str(given if isinstance(given, (str, int)) and not isinstance(given, bool) else task.get("id", n))
        out.append((where, _record(doc_id, text, entities, relations, "labelstudio")))
    if unreviewed:
        notes.append(_skipped_note(
            path, unreviewed, "task(s) without a submitted annotation",
            "predictions become annotations only when they are submitted in Label Studio",
        ))
    return out, problems


def _read_prodigy(path: Path, notes: list[LocatedProblem]) -> Read:
    """The records read from the export, as ``(where, record)``, and the located problems; tasks
    without an answer are counted in one note."""
    out, problems, unreviewed = [], [], []
    for where, row in _jsonl(path):
        if not isinstance(row, dict):
            problems.append(LocatedProblem(where, "a Prodigy task must be a JSON object"))
            continue
        if row.get("answer", "accept") != "accept":
            continue
        text = row.get("text")
        if not isinstance(text, str):
            problems.append(LocatedProblem(where, "no string 'text'"))
            continue
        entities, index_of, relations = [], {}, []
        try:
            for span in _objects(row, "spans", where):
                entities.append(_entity(text, span.get("start"), span.get("end"), span.get("label"), where))
                index_of[_key([span["start"], span["end"]])] = len(entities) - 1
            for rel in _objects(row, "relations", where):
                head, child = _object(rel, "head_span", where), _object(rel, "child_span", where)
                head_key, child_key = _key([head.get("start"), head.get("end")]), _key([child.get("start"), child.get("end")])
                if head_key not in index_of or child_key not in index_of:
                    problems.append(LocatedProblem(
                        where, f"relation {rel.get('label')} joins spans {head.get('start')}-{head.get('end')}->"
                               f"{child.get('start')}-{child.get('end')} that are not in 'spans'"))
                    continue
                relations.append({"head": index_of[head_key], "child": index_of[child_key], "label": rel.get("label")})
            meta = _object(row, "meta", where)
        except AnnotationError as err:
            problems.extend(err.problems)
            continue
        if "answer" not in row:  # read all the same: a broken task is an error, reviewed or not
            unreviewed.append("line " + where.rsplit(":", 1)[-1])
            continue
        doc_id = str(meta.get("id", row.get("_input_hash", where)))
        out.append((where, _record(doc_id, text, entities, relations, "prodigy")))
    if unreviewed:
        notes.append(_skipped_note(
            path, unreviewed, "task(s) without an 'answer'", "only tasks accepted in Prodigy are imported",
        ))
    return out, problems
