"""Loading pipelines by name: the shipped default, the rule baseline, a path or a package."""
from __future__ import annotations

from pathlib import Path

import spacy
from spacy.language import Language

import ipner.pipeline.pipeline_component  # noqa: F401  (registers factories when running from a checkout)
import ipner.pipeline.tokenizer  # noqa: F401
from ipner.resources import RESOURCES

BASELINE = "baseline"
BASELINE_CONFIG = RESOURCES / "baseline.cfg"
#: Where the trained default pipeline is shipped inside the package (absent until it is trained).
DEFAULT_MODEL_DIR = RESOURCES / "model"


def default_model_path() -> Path | None:
    """The shipped trained pipeline's directory, or None while only the baseline exists."""
    return DEFAULT_MODEL_DIR if (DEFAULT_MODEL_DIR / "config.cfg").exists() else None


def load(name: str | Path | None = None) -> Language:
    """Load a pipeline: ``None``/``"default"`` (the shipped model, else the baseline), ``"baseline"``,
    a directory written by ``nlp.to_disk`` or the name of an installed package such as ``zh_ipner``."""
    if name in (None, "default"):
        path = default_model_path()
        return spacy.load(path) if path else load_baseline()
    if str(name) == BASELINE:
        return load_baseline()
    return spacy.load(name)


def load_baseline() -> Language:
    """Build the rule baseline from its config (no weights to load)."""
    config = spacy.util.load_config(BASELINE_CONFIG)
    return spacy.util.load_model_from_config(config, auto_fill=True, validate=True)
