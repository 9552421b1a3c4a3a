"""Output writers of ``predict`` and ``bench``: JSON lines, a JSON array, CSV (one row per fact), a terminal table,
and pre-annotations for Label Studio, doccano and Prodigy.

Writers receive a document's results chunk by chunk and write as they go: entities stream out,
relations (small) are kept, facts are spooled to a temporary file, so a very large document never
needs all its results in memory at once.
"""
from __future__ import annotations

import csv
import tempfile
import unicodedata
from typing import Any, TextIO

from ipner.data.exporters import EXPORT_FORMATS, export_record
from ipner.jsonlines import json_line
from ipner.pipeline.batch import ChunkResult
from ipner.types import FACT_ROW_COLUMNS

__all__ = [
    "JsonWriter", "CsvWriter", "TableWriter", "AnnotationToolWriter", "make_writer", "display_width", "fit", "short_names",
    "WRITER_FORMATS",
]


class JsonWriter:
    """One JSON object per document (SCHEMA.md), one per line, or all inside one array (``array``)."""

    def __init__(self, out: TextIO, array: bool = False):
        self.out = out
        self.array = array
        self.count = 0
        self.relations: list[dict[str, Any]] = []
        self.facts: Any = None
        self.n_entities = 0
        self.n_facts = 0

    def start(self) -> None:
        """Write what precedes the first document."""
        if self.array:
            self.out.write("[")

    def write(self, chunk: ChunkResult) -> None:
        """Write one piece of a document's results."""
        if chunk.first:
            if self.array and self.count:
                self.out.write(",")
            if self.array:
                self.out.write("\n")
            self.out.write('{"id": ' + json_line(chunk.doc_id) + ', "entities": [')
            self.relations, self.n_entities, self.n_facts = [], 0, 0
            self.facts = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024, mode="w+", encoding="utf-8")
        for ent in chunk.entities:
            self.out.write((", " if self.n_entities else "") + json_line(ent))
            self.n_entities += 1
        self.relations.extend(chunk.relations)
        for fact in chunk.facts:
            self.facts.write((", " if self.n_facts else "") + json_line(fact.to_dict()))
            self.n_facts += 1
        if chunk.last:
            self.out.write('], "relations": [' + ", ".join(json_line(r) for r in self.relations) + '], "facts": [')
            self.facts.seek(0)
            while block := self.facts.read(1 << 20):
                self.out.write(block)
            self.facts.close()
            self.out.write("]}" if self.array else "]}\n")
            self.count += 1

    def finish(self) -> None:
        """Write what follows the last document."""
        if self.array:
            self.out.write("\n]\n")


class CsvWriter:
    """One row per fact, with a header row."""

    def __init__(self, out: TextIO):
        self.writer = csv.DictWriter(out, fieldnames=FACT_ROW_COLUMNS, lineterminator="\n")

    def start(self) -> None:
        """Write what precedes the first document."""
        self.writer.writeheader()

    def write(self, chunk: ChunkResult) -> None:
        """Write one piece of a document's results."""
        for fact in chunk.facts:
            self.writer.writerow(fact.to_row(chunk.doc_id))

    def finish(self) -> None:
        """Write what follows the last document."""
        pass


TABLE_COLUMNS = [("id", 18), ("subject", 12), ("metric", 26), ("value", 14), ("unit", 4), ("approx", 6), ("kind", 6), ("time", 12), ("quantity", 12)]


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: wide (CJK) characters count two."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def fit(text: str, width: int) -> str:
    """Cut ``text`` to ``width`` terminal columns (marking the cut with …) and pad it; line breaks
    and tabs become spaces, so a cell never splits a row."""
    text = " ".join(str(text).split()) if any(c in str(text) for c in "\r\n\t") else str(text)
    if display_width(text) > width:
        while display_width(text) > width - 1:
            text = text[:-1]
        text += "…"
    return text + " " * (width - display_width(text))


def short_names(paths: list[str]) -> dict[str, str]:
    """For each path, its file name, or the shortest ending of the path that no other path shares."""
    names: dict[str, str] = {}
    parts = {path: path.replace("\\", "/").split("/") for path in paths}
    for path, pieces in parts.items():
        for n in range(1, len(pieces) + 1):
            tail = "/".join(pieces[-n:])
            if all(other == path or "/".join(o[-n:]) != tail for other, o in parts.items()):
                break
        names[path] = tail
    return names


class TableWriter:
    """Facts as aligned columns (CJK-aware widths); a document without facts gets one line.

    ``names`` maps document ids to what the id column shows (see :func:`short_names`)."""

    def __init__(self, out: TextIO, names: dict[str, str] | None = None):
        self.out = out
        self.names = names or {}
        self.has_facts = False

    def start(self) -> None:
        """Write what precedes the first document."""
        self.out.write("  ".join(fit(name, width) for name, width in TABLE_COLUMNS).rstrip() + "\n")
        self.out.write("  ".join("-" * width for _, width in TABLE_COLUMNS) + "\n")

    def write(self, chunk: ChunkResult) -> None:
        """Write one piece of a document's results."""
        if chunk.first:
            self.has_facts = False
        for fact in chunk.facts:
            row = fact.to_row(self.names.get(chunk.doc_id, chunk.doc_id))
            self.out.write("  ".join(fit(row[name], width) for name, width in TABLE_COLUMNS).rstrip() + "\n")
            self.has_facts = True
        if chunk.last and not self.has_facts:
            self.out.write(fit(self.names.get(chunk.doc_id, chunk.doc_id), TABLE_COLUMNS[0][1]) + "  (no facts)\n")

    def finish(self) -> None:
        """Write what follows the last document."""
        pass


class AnnotationToolWriter:
    """Entities and relations as pre-annotations in an annotation tool's import format (``fmt``, one
    of :data:`ipner.data.exporters.EXPORT_FORMATS`): a JSON array of tasks for Label Studio, one JSON
    line per document for doccano and Prodigy.

    One document's text, entities and relations are kept until its last piece, since each tool
    wants a document as one record; facts are not written (the tools annotate spans and relations).
    ``version`` is the Label Studio ``model_version``."""

    def __init__(self, out: TextIO, fmt: str, version: str | None = None):
        if fmt not in EXPORT_FORMATS:
            raise ValueError(f"unknown annotation tool {fmt!r}")
        self.out = out
        self.fmt = fmt
        self.version = version
        self.array = fmt == "labelstudio"
        self.count = 0
        self.pieces: list[str] = []
        self.entities: list[dict[str, Any]] = []
        self.relations: list[dict[str, Any]] = []

    def start(self) -> None:
        """Write what precedes the first document."""
        if self.array:
            self.out.write("[")

    def write(self, chunk: ChunkResult) -> None:
        """Collect one piece of a document's results; write the document after its last piece."""
        if chunk.first:
            self.pieces, self.entities, self.relations = [], [], []
        self.pieces.append(chunk.text)
        self.entities.extend(chunk.entities)
        self.relations.extend(chunk.relations)
        if chunk.last:
            record = {"id": chunk.doc_id, "text": "".join(self.pieces), "entities": self.entities, "relations": self.relations}
            line = json_line(export_record(self.fmt, record, self.version))
            if self.array:
                self.out.write(("," if self.count else "") + "\n" + line)
            else:
                self.out.write(line + "\n")
            self.count += 1
            self.pieces, self.entities, self.relations = [], [], []

    def finish(self) -> None:
        """Write what follows the last document."""
        if self.array:
            self.out.write("\n]\n")


#: The output formats of :func:`make_writer`: ipner's own, then the annotation tools' import formats.
WRITER_FORMATS = ("jsonl", "json", "csv", "table") + EXPORT_FORMATS


def make_writer(fmt: str, out: TextIO, names: dict[str, str] | None = None, version: str | None = None):
    """The writer for ``--format`` (one of :data:`WRITER_FORMATS`); ``names`` for the table's id column,
    ``version`` for the ``model_version`` of Label Studio predictions."""
    if fmt == "jsonl":
        return JsonWriter(out)
    if fmt == "json":
        return JsonWriter(out, array=True)
    if fmt == "csv":
        return CsvWriter(out)
    if fmt == "table":
        return TableWriter(out, names)
    if fmt in EXPORT_FORMATS:
        return AnnotationToolWriter(out, fmt, version)
    raise ValueError(f"unknown format {fmt!r}")
