"""ipner's authoring format: documents with inline marks, comfortable to write by hand.

A file holds one or more documents. Each starts with a header line ``=== <doc id>``, then
``key: value`` lines (``source``, ``date``, ``script``, ``origin``, optional ``style``), then a line
``---``; the body follows up to the next header line or the end of the file (one newline before
the next header, or at the end of the file, is not part of the body). Lines starting with ``%``
before ``---`` are comments.

In the body an entity is written ``[[text|LABEL]]``; it gets an id with ``[[text|LABEL#id]]``,
and a quantity names its slots after ``>``::

    截至[[2023年底|DATE#d1]],[[杭州|CITY#c1]][[有效发明专利拥有量|METRIC#m1]]
    [[15.3万件|QUANTITY>metric=m1 subject=c1 time=d1]]

``m``, ``s`` and ``t`` are accepted for ``metric``, ``subject`` and ``time``. Ids are local to a
document and may be used before they are defined.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterator

from ipner.data.validate import AnnotationError, validate_record
from ipner.errors import LocatedProblem

MARK_RE = re.compile(
    r"\[\[(?P<text>[^\[\]|]+)\|(?P<label>[A-Za-z]+)(?:#(?P<id>[A-Za-z0-9_]+))?(?:>(?P<rels>[^\[\]]*))?\]\]"
)
RELATION_ALIASES = {"m": "metric", "s": "subject", "t": "time", "metric": "metric", "subject": "subject", "time": "time"}
META_KEYS = {"source", "date", "script", "origin", "style", "note"}
SCRIPTS = {"simplified", "traditional"}
ORIGINS = {"real", "synthetic"}


@dataclass
class AuthoredDocument:
    """One parsed document: its gold record plus where each entity was written."""

    record: dict[str, Any]
    path: str
    header_line: int
    entity_lines: list[int] = field(default_factory=list)


def parse_file(path: str | Path) -> list[AuthoredDocument]:
    """Parse an authoring file into gold records; raise :class:`AnnotationError` naming file and line."""
    path = Path(path)
    try:
        content = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise AnnotationError([f"{path}: cannot read: {err}"]) from None
    docs: list[AuthoredDocument] = []
    problems: list[str | LocatedProblem] = []
    for header_line, doc_id, meta_lines, body, body_line in _split_documents(content, path, problems):
        meta = _parse_meta(meta_lines, path, problems)
        doc = _parse_body(doc_id, body, body_line, meta, str(path), header_line, problems)
        if doc is not None:
            docs.append(doc)
    seen: dict[str, int] = {}
    for doc in docs:
        if doc.record["id"] in seen:
            problems.append(f"{path}:{doc.header_line}: document id {doc.record['id']!r} repeats line {seen[doc.record['id']]}")
        seen.setdefault(doc.record["id"], doc.header_line)
    if not docs and not problems:
        problems.append(f"{path}: no document (a document starts with a line '=== <id>')")
    if problems:
        raise AnnotationError(problems)
    return docs


def _split_documents(content: str, path: Path, problems: list[str]) -> Iterator[tuple[int, str, list[tuple[int, str]], str, int]]:
    lines = content.split("\n")
    starts = [i for i, line in enumerate(lines) if line.startswith("=== ")]
    if starts and any(line.strip() and not line.startswith("%") for line in lines[: starts[0]]):
        problems.append(f"{path}:1: text before the first '=== <id>' header")
    for n, start in enumerate(starts):
        stop = starts[n + 1] if n + 1 < len(starts) else len(lines)
        doc_id = lines[start][4:].strip()
        try:
            sep = next(i for i in range(start + 1, stop) if lines[i] == "---")
        except StopIteration:
            problems.append(f"{path}:{start + 1}: document {doc_id!r} has no '---' line before its text")
            continue
        meta_lines = [(i + 1, lines[i]) for i in range(start + 1, sep)]
        body_lines = lines[sep + 1 : stop]
        body = "\n".join(body_lines)
        if n + 1 < len(starts) or content.endswith("\n"):
            # the newline before the next header (or closing the file) belongs to the file, not the body
            body = body[:-1] if body.endswith("\n") or (body_lines and body_lines[-1] == "") else body
        yield start + 1, doc_id, meta_lines, body, sep + 2


def _parse_meta(meta_lines: list[tuple[int, str]], path: Path, problems: list[str]) -> dict[str, str]:
    meta: dict[str, str] = {}
    for lineno, line in meta_lines:
        if not line.strip() or line.startswith("%"):
            continue
        key, sep, value = line.partition(":")
        key = key.strip()
        if not sep or key not in META_KEYS:
            problems.append(f"{path}:{lineno}: unknown header line {line!r} (keys: {', '.join(sorted(META_KEYS))})")
            continue
        meta[key] = value.strip()
    for key, allowed in (("script", SCRIPTS), ("origin", ORIGINS)):
        if meta.get(key) not in allowed:
            where = meta_lines[0][0] - 1 if meta_lines else "?"
            problems.append(f"{path}:{where}: header '{key}' must be one of {sorted(allowed)}, not {meta.get(key)!r}")
    return meta


def _parse_body(
    doc_id: str, body: str, body_line: int, meta: dict[str, str], path: str, header_line: int, problems: list[str | LocatedProblem]
) -> AuthoredDocument | None:
    if not re.fullmatch(r"[A-Za-z0-9_.\-]+", doc_id):
        problems.append(f"{path}:{header_line}: document id {doc_id!r} must be letters, digits, '_', '-', '.'")
    text_parts: list[str] = []
    entities: list[dict[str, Any]] = []
    entity_lines: list[int] = []
    ids: dict[str, int] = {}
    pending: list[tuple[int, str, str, int]] = []  # (head index, relation label, target id, line)
    pos = 0
    plain_len = 0
    local_problems: list[str | LocatedProblem] = []
    for match in MARK_RE.finditer(body):
        before = body[pos : match.start()]
        text_parts.append(before)
        plain_len += len(before)
        line = body_line + body.count("\n", 0, match.start())
        span_text = match.group("text")
        label = match.group("label").upper()
        index = len(entities)
        entities.append({"start": plain_len, "end": plain_len + len(span_text), "label": label, "text": span_text})
        entity_lines.append(line)
        text_parts.append(span_text)
        plain_len += len(span_text)
        if match.group("id"):
            if match.group("id") in ids:
                local_problems.append(f"{path}:{line}: id #{match.group('id')} is defined twice")
            ids[match.group("id")] = index
        for item in re.split(r"[\s,，]+", (match.group("rels") or "").strip()):
            if not item:
                continue
            key, eq, target = item.partition("=")
            if not eq or key not in RELATION_ALIASES or not target:
                local_problems.append(f"{path}:{line}: bad relation {item!r} in {match.group(0)!r} (write metric=ID subject=ID time=ID)")
                continue
            pending.append((index, RELATION_ALIASES[key], target.lstrip("#"), line))
        pos = match.end()
    text_parts.append(body[pos:])
    text = "".join(text_parts)
    for leftover in ("[[", "]]"):
        at = text.find(leftover)
        if at >= 0:
            line = body_line + text.count("\n", 0, at)
            local_problems.append(f"{path}:{line}: unmatched or malformed mark near {text[max(0, at - 10):at + 20]!r}")
    relations = []
    for head, label, target, line in pending:
        if target not in ids:
            local_problems.append(f"{path}:{line}: relation {label}={target} names no id in document {doc_id!r}")
            continue
        relations.append({"head": head, "child": ids[target], "label": label})
    record = {"id": doc_id, "text": text, "entities": entities, "relations": relations, "meta": {"doc_id": doc_id, **meta}}
    for problem in validate_record(record):
        line = entity_lines[problem.entity] if problem.entity is not None else header_line
        local_problems.append(LocatedProblem(f"{path}:{line}", problem.message, problem.unknown_label))
    problems.extend(local_problems)
    return AuthoredDocument(record, path, header_line, entity_lines) if not local_problems else None


def to_authoring(record: dict[str, Any]) -> str:
    """Write a gold record back in the authoring format (the inverse of :func:`parse_file`)."""
    text = record["text"]
    entities = record["entities"]
    needs_id = {r["child"] for r in record.get("relations", [])}
    rels_by_head: dict[int, list[str]] = {}
    for rel in record.get("relations", []):
        rels_by_head.setdefault(rel["head"], []).append(f"{rel['label']}={_entity_id(entities[rel['child']], rel['child'])}")
    parts, pos = [], 0
    for index in sorted(range(len(entities)), key=lambda i: entities[i]["start"]):
        ent = entities[index]
        parts.append(text[pos : ent["start"]])
        mark = f"[[{text[ent['start']:ent['end']]}|{ent['label']}"
        if index in needs_id:
            mark += f"#{_entity_id(ent, index)}"
        if index in rels_by_head:
            mark += ">" + " ".join(rels_by_head[index])
        parts.append(mark + "]]")
        pos = ent["end"]
    parts.append(text[pos:])
    meta = {k: v for k, v in record.get("meta", {}).items() if k in META_KEYS}
    header = [f"=== {record['id']}"] + [f"{k}: {v}" for k, v in meta.items()] + ["---"]
    return "\n".join(header) + "\n" + "".join(parts) + "\n"


def _entity_id(ent: dict[str, Any], index: int) -> str:
    return f"{ent['label'][0].lower()}{index}"


def _show(doc: AuthoredDocument) -> str:
    record = doc.record
    ents = record["entities"]
    lines = [f"== {record['id']} ({len(record['text'])} chars, {len(ents)} entities, {len(record['relations'])} relations)"]
    slots: dict[int, dict[str, str]] = {}
    for rel in record["relations"]:
        slots.setdefault(rel["head"], {})[rel["label"]] = ents[rel["child"]]["text"]
    for index, ent in enumerate(ents):
        if ent["label"] == "QUANTITY":
            s = slots.get(index, {})
            lines.append(f"  {ent['text']:<14} metric={s.get('metric', '-')} subject={s.get('subject', '-')} time={s.get('time', '-')}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    """``python -m ipner.data.authoring check|show|convert FILE...``"""
    parser = argparse.ArgumentParser(prog="python -m ipner.data.authoring", description=__doc__.split("\n")[0])
    parser.add_argument("action", choices=["check", "show", "convert"], help="check files, show their facts, or print gold JSONL")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args(argv)
    failed = False
    for name in args.files:
        try:
            docs = parse_file(name)
        except AnnotationError as err:
            print("\n".join(map(str, err.problems)), file=sys.stderr)
            failed = True
            continue
        for doc in docs:
            if args.action == "show":
                print(_show(doc))
            elif args.action == "convert":
                print(json.dumps(doc.record, ensure_ascii=False))
        if args.action == "check":
            n_ents = sum(len(d.record["entities"]) for d in docs)
            print(f"{name}: {len(docs)} documents, {n_ents} entities: ok")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
