"""ipner: structured facts from Chinese reports on intellectual-property statistics.

``ipner.load()`` returns the spaCy pipeline; ``parse_quantity`` and ``parse_date`` are the
normalisers it uses. Heavy modules (spaCy, OpenCC, jionlp) are imported on first use.
"""
from __future__ import annotations

from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"
__all__ = ["__version__", "load", "parse_quantity", "parse_date"]

if TYPE_CHECKING:
    from ipner.normalizers import parse_date, parse_quantity
    from ipner.pipeline.load import load


def __getattr__(name: str) -> Any:
    if name in ("parse_quantity", "parse_date"):
        from ipner import normalizers

        return getattr(normalizers, name)
    if name == "load":
        from ipner.pipeline.load import load

        return load
    raise AttributeError(f"module 'ipner' has no attribute {name!r}")
