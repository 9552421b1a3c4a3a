"""One JSON-lines record: the one definition every JSONL writer of ipner uses."""
from __future__ import annotations

import json
from typing import Any

__all__ = ["json_line"]

#: Characters that are line breaks to some readers (Python's str.splitlines, JavaScript) but not to
#: JSON: written escaped, so that one record stays one line for every reader.
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(obj: Any) -> str:
    """``obj`` as one line of JSON (no newline at the end), non-ASCII kept readable."""
    return json.dumps(obj, ensure_ascii=False).translate(_LINE_BREAKS)
