"""Running a pipeline over many documents of any size, chunk by chunk, with document offsets.

Long documents are cut into pieces (``ipner.text.iter_chunks``) that spaCy processes one at a
time, so memory stays bounded whatever the input size; results carry offsets into the whole
document and relation indices into the document's whole entity list.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from spacy.language import Language

from ipner.extensions import register_extensions
from ipner.text import iter_chunks
from ipner.types import Fact

__all__ = ["InputDocument", "ChunkResult", "iter_results"]


@dataclass
class InputDocument:
    """One document to process: its id, its text (as decoded) and an optional reference date."""

    id: str
    text: str
    date: str | None = None


@dataclass
class ChunkResult:
    """What the pipeline found in one piece of a document; offsets are into the whole document."""

    doc_id: str
    first: bool
    last: bool
    chars: int = 0
    entities: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)


def iter_results(
    nlp: Language,
    documents: Iterable[InputDocument],
    n_process: int = 1,
    batch_size: int = 16,
    chunk_chars: int = 20000,
) -> Iterator[ChunkResult]:
    """Yield the results of every piece of every document, in input order."""
    register_extensions()
    state: dict[str, int] = {"entities": 0}

    def pieces() -> Iterator[tuple[Any, tuple[str, int, bool, bool]]]:
        for document in documents:
            chunks = list(_chunk_bounds(document.text, chunk_chars))
            for n, (offset, piece) in enumerate(chunks):
                doc = nlp.make_doc(piece)
                doc._.doc_date = document.date
                yield doc, (document.id, offset, n == 0, n == len(chunks) - 1)

    for doc, (doc_id, offset, first, last) in nlp.pipe(pieces(), as_tuples=True, n_process=n_process, batch_size=batch_size):
        if first:
            state["entities"] = 0
        base = state["entities"]
        result = ChunkResult(doc_id, first, last, len(doc.text))
        result.entities = [
            {"start": e.start_char + offset, "end": e.end_char + offset, "label": e.label_, "text": e.text} for e in doc.ents
        ]
        result.relations = [
            {"head": r["head"] + base, "child": r["child"] + base, "label": r["label"]} for r in doc._.relations
        ]
        result.facts = [fact.shifted(offset) for fact in doc._.facts]
        state["entities"] += len(result.entities)
        yield result


def _chunk_bounds(text: str, chunk_chars: int) -> Iterator[tuple[int, str]]:
    if not text:
        yield 0, ""
        return
    yield from iter_chunks(text, chunk_chars)
