"""Data I/O: gold JSONL, the authoring format, validation, and the annotation-tool importers and exporters.

The names below are imported on first use, so that ``python -m ipner.data.authoring`` runs cleanly.
"""
from __future__ import annotations

from ipner._lazy import lazy_exports

_EXPORTS = {
    "read_gold": "ipner.data.gold",
    "write_gold": "ipner.data.gold",
    "record_to_doc": "ipner.data.gold",
    "to_docbin": "ipner.data.gold",
    "to_dataset_dict": "ipner.data.gold",
    "load_annotations": "ipner.data.importers",
    "FORMATS": "ipner.data.importers",
    "export_record": "ipner.data.exporters",
    "labelstudio_config": "ipner.data.exporters",
    "validate_record": "ipner.data.validate",
    "Problem": "ipner.data.validate",
}
__all__ = list(_EXPORTS)

__getattr__, __dir__ = lazy_exports(__name__, _EXPORTS)
