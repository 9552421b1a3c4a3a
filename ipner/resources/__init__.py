"""Data files shipped with ipner: the place gazetteer and the metric lexicon of the rule baseline, the list of
national bodies, and where the default training config and the gold corpus are, in a checkout or an installed
wheel."""
from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

__all__ = [
    "RESOURCES", "load_places", "load_metric_lexicon", "load_national_bodies", "default_config_path", "default_corpus_path",
]

RESOURCES = Path(__file__).parent
_PACKAGE = RESOURCES.parent
_CHECKOUT = _PACKAGE.parent


def _shipped(packaged: Path, in_checkout: Path) -> Path | None:
    """A repository data file: the copy packed into the wheel (``ipner/_configs``, ``ipner/_gold``,
    see pyproject.toml), else the file of the checkout ipner runs from, else None."""
    for path in (packaged, in_checkout):
        if path.is_file():
            return path
    return None


def default_config_path() -> Path | None:
    """``configs/cnn.cfg``, the default training config."""
    return _shipped(_PACKAGE / "_configs" / "cnn.cfg", _CHECKOUT / "configs" / "cnn.cfg")


def default_corpus_path() -> Path | None:
    """``annotations/gold/corpus.jsonl``, the gold corpus (training, evaluation, fine-tuning rehearsal)."""
    return _shipped(_PACKAGE / "_gold" / "corpus.jsonl", _CHECKOUT / "annotations" / "gold" / "corpus.jsonl")


@lru_cache(maxsize=1)
def load_places() -> list[tuple[str, str, str]]:
    """``(name, label, canonical simplified name)`` for every place form in ``places.tsv``."""
    with open(RESOURCES / "places.tsv", encoding="utf-8", newline="") as f:
        rows = csv.reader((line for line in f if not line.startswith("#")), delimiter="\t")
        return [(row[0], row[1], row[2]) for row in rows if len(row) >= 3]


def _listed(name: str) -> list[str]:
    """The entries of a list file of this folder: one per line, ``#`` comments and blank lines skipped."""
    lines = (RESOURCES / name).read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.startswith("#")]


@lru_cache(maxsize=1)
def load_metric_lexicon() -> list[str]:
    """The metric phrases of the rule baseline (``metrics.txt``)."""
    return _listed("metrics.txt")


@lru_cache(maxsize=1)
def load_national_bodies() -> list[str]:
    """The national bodies that the fact assembler tags ORG (``national_bodies.txt``)."""
    return _listed("national_bodies.txt")
