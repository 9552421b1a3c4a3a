"""Running a pipeline over many documents of any size, piece by piece, in bounded memory.

Long documents are cut into pieces of at most ``chunk_chars`` characters (``ipner.text.iter_chunks``);
pieces are processed in batches of at most ``batch_chars`` characters (or one piece, if longer), so
peak memory depends on these two settings, not on the length or number of documents. Results carry
offsets into the whole document and relation indices into the document's whole entity list.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Iterable, Iterator

from spacy.language import Language
from spacy.tokens import Doc

from ipner.extensions import register_extensions
from ipner.pipeline.tokenizer import doc_text
from ipner.text.chunk import DEFAULT_BATCH_CHARS, DEFAULT_CHUNK_CHARS, iter_chunks
from ipner.types import Fact

__all__ = ["InputDocument", "ChunkResult", "iter_results", "DEFAULT_CHUNK_CHARS", "DEFAULT_BATCH_CHARS"]

_Context = tuple[str, int, bool, bool]  # document id, offset of the piece, first piece, last piece


@dataclass
class InputDocument:
    """One document to process: its id, its text (as decoded) and an optional reference date."""

    id: str
    text: str
    date: str | None = None


@dataclass
class ChunkResult:
    """What the pipeline found in one piece of a document; offsets are into the whole document.

    ``text`` is the piece itself: the pieces of a document, joined in order, are its text."""

    doc_id: str
    first: bool
    last: bool
    chars: int = 0
    entities: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)
    text: str = ""


def iter_results(
    nlp: Language,
    documents: Iterable[InputDocument],
    n_process: int = 1,
    batch_chars: int = DEFAULT_BATCH_CHARS,
    chunk_chars: int = DEFAULT_CHUNK_CHARS,
) -> Iterator[ChunkResult]:
    """Yield the results of every piece of every document, in input order.

    In one process, pieces are grouped into batches of at most ``batch_chars`` characters. With
    ``n_process > 1`` spaCy's worker processes receive batches of ``batch_chars // chunk_chars``
    pieces (at least one), which bounds each worker's memory the same way.
    """
    register_extensions()
    state: dict[str, int] = {"entities": 0}

    def pieces() -> Iterator[tuple[Doc, _Context]]:
        for document in documents:
            for offset, piece, first, last in _pieces(document.text, chunk_chars):
                doc = nlp.make_doc(piece)
                doc._.doc_date = document.date
                yield doc, (document.id, offset, first, last)

    if n_process > 1:
        processed = nlp.pipe(pieces(), as_tuples=True, n_process=n_process, batch_size=max(1, batch_chars // chunk_chars))
    else:
        processed = (
            item
            for batch in _batches(pieces(), batch_chars)
            for item in nlp.pipe(batch, as_tuples=True, batch_size=len(batch))
        )
    for doc, (doc_id, offset, first, last) in processed:
        if first:
            state["entities"] = 0
        base = state["entities"]
        text = doc_text(doc)
        result = ChunkResult(doc_id, first, last, len(text), text=text)
        result.entities = [
            {"start": e.start_char + offset, "end": e.end_char + offset, "label": e.label_, "text": e.text} for e in doc.ents
        ]
        result.relations = [
            {"head": r["head"] + base, "child": r["child"] + base, "label": r["label"]} for r in doc._.relations
        ]
        result.facts = [fact.shifted(offset) for fact in doc._.facts]
        state["entities"] += len(result.entities)
        yield result


def _pieces(text: str, chunk_chars: int) -> Iterator[tuple[int, str, bool, bool]]:
    """``(offset, piece, first, last)``, streamed: the next piece is cut only to know the last one."""
    if not text:
        yield 0, "", True, True
        return
    chunks = iter_chunks(text, chunk_chars)
    previous = next(chunks)
    first = True
    for current in chunks:
        yield previous[0], previous[1], first, False
        previous, first = current, False
    yield previous[0], previous[1], first, True


def _batches(items: Iterable[tuple[Doc, _Context]], batch_chars: int) -> Iterator[list[tuple[Doc, _Context]]]:
    """Groups of consecutive items with at most ``batch_chars`` characters (one item if longer)."""
    batch: list[tuple[Doc, _Context]] = []
    size = 0
    for item in items:
        length = len(item[0].text)
        if batch and size + length > batch_chars:
            yield batch
            batch, size = [], 0
        batch.append(item)
        size += length
    if batch:
        yield batch
