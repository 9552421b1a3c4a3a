"""Data files shipped with ipner: the place gazetteer and the metric lexicon of the rule baseline."""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

RESOURCES = Path(__file__).parent


@lru_cache(maxsize=1)
def load_places() -> list[tuple[str, str, str]]:
    """``(name, label, canonical simplified name)`` for every place form in ``places.tsv``."""
    with open(RESOURCES / "places.tsv", encoding="utf-8", newline="") as f:
        rows = csv.reader((line for line in f if not line.startswith("#")), delimiter="\t")
        return [(row[0], row[1], row[2]) for row in rows if len(row) >= 3]


@lru_cache(maxsize=1)
def load_metric_lexicon() -> list[str]:
    """The metric phrases of the rule baseline (``metrics.txt``, one per line, ``#`` comments)."""
    lines = (RESOURCES / "metrics.txt").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]
