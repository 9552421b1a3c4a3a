"""The work behind the endpoints: one pipeline per process, its calls one at a time.

:class:`Extractor` owns a loaded pipeline and a single thread on which every call of it runs
(spaCy does not document its pipelines as thread-safe), so an event loop hands work to it with
:meth:`Extractor.submit` and stays free to answer other requests meanwhile. Each call builds its
results from the request alone: nothing is kept between requests but the pipeline.

The answers are those of the command line, by the same code: :meth:`records` writes ``predict``'s
JSON lines with :func:`ipner.api.write_predictions` and reads them back, :meth:`table_rows` builds
``table``'s rows with :mod:`ipner.tables` and returns them as ``--format jsonl`` writes them.
"""
from __future__ import annotations

import io
import json
import threading
from concurrent.futures import Future, ThreadPoolExecutor
from typing import Any, Callable, Iterable

from spacy.language import Language

from ipner.pipeline.batch import InputDocument

__all__ = ["Extractor", "VIEW_COLUMNS"]

#: The columns of the page's facts table and of its CSV, taken from :meth:`ipner.Fact.to_row`.
VIEW_COLUMNS: tuple[str, ...] = ("place", "subject", "metric", "value", "unit", "kind", "period", "sentence")


class Extractor:
    """A loaded pipeline that answers ``predict``, ``table`` and page requests, one call at a time."""

    def __init__(self, nlp: Language, model: str = "default") -> None:
        self.nlp = nlp
        self.model = model
        self._lock = threading.Lock()
        self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipner-pipeline")

    def submit(self, method: Callable[..., Any], *args: Any) -> Future:
        """Run ``method(*args)`` on the pipeline's thread; a future of its result."""
        return self._executor.submit(method, *args)

    def close(self) -> None:
        """Stop the pipeline's thread once the calls already submitted have finished."""
        self._executor.shutdown(wait=True)

    def records(self, documents: Iterable[InputDocument]) -> list[dict[str, Any]]:
        """``predict``'s records (docs/SCHEMA.md) of ``documents``, in order."""
        from ipner.api import write_predictions

        out = io.StringIO()
        with self._lock:
            write_predictions(self.nlp, documents, out, "jsonl")
        return [json.loads(line) for line in out.getvalue().splitlines() if line]

    def table_rows(self, documents: Iterable[InputDocument]) -> list[dict[str, Any]]:
        """The rows of ``python -m ipner table --format jsonl`` for ``documents``."""
        from ipner.tables import frame_records, group_facts, iter_fact_sources, rows_to_frame

        with self._lock:
            rows = group_facts(iter_fact_sources(documents, model=self.nlp))
        return frame_records(rows_to_frame(rows))

    def view(self, document: InputDocument) -> dict[str, Any]:
        """What the page shows of one document: its ``text``, the ``predict`` ``record``, displaCy's
        entity view as ``html`` and the facts as ``rows`` of :data:`VIEW_COLUMNS`."""
        from ipner.types import Fact
        from ipner.visualize import entity_view

        record = self.records([document])[0]
        rows = []
        for fact in record["facts"]:
            row = Fact.from_dict(fact).to_row(record["id"])
            rows.append({column: row[column] for column in VIEW_COLUMNS})
        return {
            "text": document.text,
            "record": record,
            "html": entity_view(document.text, record["entities"]) if document.text else "",
            "rows": rows,
            "columns": list(VIEW_COLUMNS),
        }
