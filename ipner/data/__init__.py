"""Data I/O: gold JSONL, the authoring format, validation and the annotation-tool importers."""
from ipner.data.gold import read_gold, record_to_doc, to_dataset_dict, to_docbin, write_gold
from ipner.data.importers import FORMATS, load_annotations
from ipner.data.validate import Problem, validate_record

__all__ = [
    "read_gold",
    "write_gold",
    "record_to_doc",
    "to_docbin",
    "to_dataset_dict",
    "load_annotations",
    "FORMATS",
    "validate_record",
    "Problem",
]
