"""Loading pipelines by name: the shipped default, the rule baseline, a path or a package."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

import ipner.pipeline  # noqa: F401  (registers the tokenizer, factories and architectures in a checkout)
import ipner.relations  # noqa: F401
from ipner.errors import ModelLoadError
from ipner.resources import RESOURCES

__all__ = ["load", "load_baseline", "default_model_path", "pipeline_path", "BASELINE", "DEFAULT_MODEL_DIR"]

BASELINE = "baseline"
BASELINE_CONFIG = RESOURCES / "baseline.cfg"
#: Where the trained default pipeline is shipped inside the package (absent until it is trained).
DEFAULT_MODEL_DIR = RESOURCES / "model"


def default_model_path() -> Path | None:
    """The shipped trained pipeline's directory, or None while only the baseline exists."""
    return DEFAULT_MODEL_DIR if (DEFAULT_MODEL_DIR / "config.cfg").exists() else None


def load(name: str | Path | None = None, **spacy_kwargs: Any) -> Language:
    """Load a pipeline: ``None``/``"default"`` (the shipped model, else the baseline), ``"baseline"``,
    a directory written by ``nlp.to_disk`` or the name of an installed package such as ``zh_ipner``.

    Keyword arguments go to spaCy (``disable``, ``enable``, ``exclude``, ``config``). A pipeline
    that cannot be found or loaded raises :class:`ipner.errors.ModelLoadError`.
    """
    try:
        if name in (None, "default"):
            path = default_model_path()
            return spacy.load(path, **spacy_kwargs) if path else load_baseline(**spacy_kwargs)
        if str(name) == BASELINE:
            return load_baseline(**spacy_kwargs)
        return spacy.load(name, **spacy_kwargs)
    except (OSError, ValueError) as err:
        raise ModelLoadError(f"cannot load model {str(name or 'default')!r}: {err}") from None


def load_baseline(**spacy_kwargs: Any) -> Language:
    """Build the rule baseline from its config (no weights to load); ``spacy_kwargs`` as for :func:`load`."""
    config = spacy.util.load_config(BASELINE_CONFIG)
    return spacy.util.load_model_from_config(config, auto_fill=True, validate=True, **spacy_kwargs)


def pipeline_path(name: str | Path | None) -> Path:
    """The directory of a trained pipeline: ``None``/``"default"`` (the shipped model), a directory,
    or an installed pipeline package such as ``zh_ipner``. Raises :class:`ModelLoadError`."""
    if name in (None, "default"):
        path = default_model_path()
    elif Path(name).exists():
        path = Path(name)
    elif spacy.util.is_package(str(name)):
        path = spacy.util.get_package_path(str(name))
        # a spaCy package keeps its data in a folder <name>-<version> beside __init__.py
        path = next((p for p in path.iterdir() if (p / "config.cfg").is_file()), path)
    else:
        path = None
    if path is None or not (path / "config.cfg").is_file():
        raise ModelLoadError(
            f"no trained pipeline at {name or 'the shipped model path'} "
            "(need a pipeline directory with config.cfg or an installed pipeline package)"
        )
    return path
