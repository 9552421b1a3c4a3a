"""ipner: structured facts from Chinese reports on intellectual-property statistics.

- ``ipner.load(name, **spacy_kwargs)``: the spaCy pipeline (default: the shipped trained model);
- ``ipner.extract(texts, date=...)``: chunked batch runs from Python, one result per document;
- ``ipner.render(doc_or_text)``: HTML with entities, relation arcs and a facts table;
- ``ipner.parse_quantity`` / ``ipner.parse_date``: the normalisers;
- ``ipner.Fact`` and its slots: the typed facts that ``doc._.facts`` returns.

Heavy modules (spaCy, OpenCC) are imported on first use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from ipner._lazy import lazy_exports

__version__ = "0.1.0"

#: Public name → the module that defines it (imported on first access).
_EXPORTS: dict[str, str] = {
    "load": "ipner.pipeline.load",
    "extract": "ipner.api",
    "render": "ipner.api",
    "DocumentResult": "ipner.api",
    "parse_quantity": "ipner.normalizers",
    "parse_date": "ipner.normalizers",
    "Fact": "ipner.types",
    "SubjectSlot": "ipner.types",
    "MetricSlot": "ipner.types",
    "QuantitySlot": "ipner.types",
    "TimeSlot": "ipner.types",
    "IpnerError": "ipner.errors",
    "facts_table": "ipner.tables",
}
__all__ = ["__version__", *_EXPORTS]

if TYPE_CHECKING:
    from ipner.api import DocumentResult, extract, render
    from ipner.errors import IpnerError
    from ipner.normalizers import parse_date, parse_quantity
    from ipner.pipeline.load import load
    from ipner.types import Fact, MetricSlot, QuantitySlot, SubjectSlot, TimeSlot

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
