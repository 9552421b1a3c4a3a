"""Data I/O: gold JSONL, the authoring format, validation and importers."""
