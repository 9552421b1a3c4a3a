"""The page at ``GET /``: a self-contained HTML file shipped with the package (no CDN, no external
loads), which sends pasted text or an uploaded file to ``POST /render`` and shows the answer."""
from __future__ import annotations

from functools import lru_cache
from importlib.resources import files

__all__ = ["page_html", "PAGE_FILE"]

#: The page's file, inside the package ``ipner.serve``.
PAGE_FILE = "static/index.html"


@lru_cache(maxsize=1)
def page_html() -> str:
    """The page's HTML."""
    return files("ipner.serve").joinpath(PAGE_FILE).read_text(encoding="utf-8")
