"""The Python API behind ``ipner.extract``, ``ipner.render`` and ``predict``'s output loop."""
from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Iterator, TextIO, Union

from spacy.language import Language
from spacy.tokens import Doc

from ipner.normalizers.date import parse_reference_date
from ipner.pipeline.batch import DEFAULT_BATCH_CHARS, DEFAULT_CHUNK_CHARS, ChunkResult, InputDocument, iter_results
from ipner.pipeline.load import load
from ipner.types import Fact

__all__ = [
    "DocumentResult", "extract", "render", "write_predictions", "DocumentInput", "as_input_document", "package_info",
]

#: What ``extract`` accepts per document: a text, ``(id, text)``, or ``{"id"?, "text", "date"?}``.
DocumentInput = Union[str, tuple, dict, InputDocument]


@dataclass
class DocumentResult:
    """Everything ipner found in one document; offsets are into ``text``."""

    id: str
    text: str
    entities: list[dict[str, Any]] = field(default_factory=list)
    relations: list[dict[str, Any]] = field(default_factory=list)
    facts: list[Fact] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        """The ``predict`` record of SCHEMA.md (``id``, ``entities``, ``relations``, ``facts``)."""
        return {
            "id": self.id,
            "entities": self.entities,
            "relations": self.relations,
            "facts": [fact.to_dict() for fact in self.facts],
        }


def as_input_document(item: DocumentInput, index: int, date: str | None = None) -> InputDocument:
    """One document of :func:`extract`'s input as an :class:`InputDocument` (id ``str(index)`` when it has
    none; ``date`` for the documents that state no date of their own); TypeError for anything else."""
    if isinstance(item, InputDocument):
        return item
    if isinstance(item, str):
        return InputDocument(str(index), item, date)
    if isinstance(item, tuple) and len(item) == 2:
        return InputDocument(str(item[0]), str(item[1]), date)
    if isinstance(item, dict) and isinstance(item.get("text"), str):
        item_date = item.get("date")
        return InputDocument(
            str(item.get("id", index)), item["text"], parse_reference_date(item_date) if item_date else date
        )
    raise TypeError(f"document {index}: expected a text, (id, text) or {{'id', 'text', 'date'}}, got {type(item).__name__}")


def extract(
    documents: Iterable[DocumentInput],
    model: str | Language | None = None,
    date: str | None = None,
    chunk_chars: int = DEFAULT_CHUNK_CHARS,
    batch_chars: int = DEFAULT_BATCH_CHARS,
    n_process: int = 1,
) -> Iterator[DocumentResult]:
    """Run the pipeline over ``documents`` of any length and yield one :class:`DocumentResult` each, in order.

    ``documents``: texts (ids ``"0"``, ``"1"`` …), ``(id, text)`` pairs or dicts ``{"id", "text", "date"}``.
    ``date`` is the reference date for relative dates (今年, 去年) in every document without its own
    (``2025-02-24``, ``2025/2/24`` or ``2025年2月24日``; a bad date raises ``ValueError``). ``model`` is a
    loaded pipeline or a name for :func:`ipner.load`. Long documents are processed in pieces of
    ``chunk_chars`` characters, in batches of ``batch_chars`` characters, as ``predict`` does.
    """
    nlp = model if isinstance(model, Language) else load(model)
    reference = parse_reference_date(date) if date else None
    inputs = (as_input_document(item, index, reference) for index, item in enumerate(documents))
    current: DocumentResult | None = None
    # Documents come back in input order; ids need not be unique, so texts queue by arrival.
    order: deque[InputDocument] = deque()

    def queued(stream: Iterable[InputDocument]) -> Iterator[InputDocument]:
        for document in stream:
            order.append(document)
            yield document

    for chunk in iter_results(nlp, queued(inputs), n_process=n_process, batch_chars=batch_chars, chunk_chars=chunk_chars):
        if chunk.first:
            document = order.popleft()
            current = DocumentResult(document.id, document.text)
        assert current is not None
        current.entities.extend(chunk.entities)
        current.relations.extend(chunk.relations)
        current.facts.extend(chunk.facts)
        if chunk.last:
            yield current
            current = None


def render(doc_or_text: Doc | str, model: str | Language | None = None, page: bool = True) -> str:
    """HTML of one document (displaCy entities, relation arcs, facts table): a processed ``Doc``,
    or a text that is run through ``model`` first (default: the shipped pipeline)."""
    from ipner.visualize import render_doc

    if isinstance(doc_or_text, str):
        nlp = model if isinstance(model, Language) else load(model)
        doc_or_text = nlp(doc_or_text)
    return render_doc(doc_or_text, page=page)


def write_predictions(
    nlp: Language,
    documents: Iterable[InputDocument],
    out: TextIO,
    fmt: str = "jsonl",
    n_process: int = 1,
    batch_chars: int = DEFAULT_BATCH_CHARS,
    chunk_chars: int = DEFAULT_CHUNK_CHARS,
    on_chunk: Callable[[ChunkResult], None] | None = None,
    names: dict[str, str] | None = None,
) -> None:
    """Write ``predict``'s output for ``documents`` to ``out`` in ``fmt`` (see :func:`ipner.writers.make_writer`),
    piece by piece; ``on_chunk`` is called after each piece (progress); ``names`` are the ids the table shows.
    In an annotation tool's format, Label Studio predictions name ``nlp``'s name and version."""
    from ipner.data.exporters import model_version
    from ipner.writers import make_writer

    writer = make_writer(fmt, out, names, version=model_version(nlp.meta))
    writer.start()
    for chunk in iter_results(nlp, documents, n_process=n_process, batch_chars=batch_chars, chunk_chars=chunk_chars):
        writer.write(chunk)
        if on_chunk is not None:
            on_chunk(chunk)
    writer.finish()


def package_info() -> dict[str, Any]:
    """What ``python -m ipner info --json`` prints: ipner's version, the default model (its path, or
    ``baseline`` while none is shipped), the baseline's config, the entity labels and relation labels."""
    from ipner import __version__
    from ipner.pipeline.load import BASELINE_CONFIG, default_model_path
    from ipner.schema import ENTITY_LABELS, RELATION_LABELS

    path = default_model_path()
    return {
        "version": __version__,
        "model_path": str(path) if path else None,
        "model": "trained" if path else "baseline",
        "baseline_config": str(BASELINE_CONFIG),
        "labels": list(ENTITY_LABELS),
        "relations": list(RELATION_LABELS),
    }
