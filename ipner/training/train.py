"""Training: spaCy's own loop with ipner registered, then settings tuned on dev (:mod:`ipner.training.tuning`)."""
from __future__ import annotations

import contextlib
import io
import json
import sys
from pathlib import Path
from typing import Any, Iterable

import spacy
from spacy.language import Language
from spacy.training import Example
from thinc.api import ConfigValidationError

import ipner.pipeline  # noqa: F401  (registers the tokenizer, factories and architectures in a checkout)
import ipner.relations  # noqa: F401
import ipner.training.readers  # noqa: F401  (registers ipner.GoldCorpus.v1)
from ipner.errors import TrainingError
from ipner.training.tuning import (
    FACTS, RELATIONS, relation_inputs, tune_carry_over, tune_max_candidates, tune_threshold,
)

__all__ = ["train_pipeline", "is_trained", "SUMMARY_FILE", "corpus_examples"]

#: Written last by :func:`train_pipeline`, after the tuned ``model-best``: a run that has it is complete.
SUMMARY_FILE = "training.json"


def is_trained(output_dir: str | Path) -> bool:
    """Whether :func:`train_pipeline` ran to the end in ``output_dir``. spaCy saves ``model-best`` at
    every better checkpoint, so an interrupted run leaves a loadable but untrained and untuned one."""
    output_dir = Path(output_dir)
    return (output_dir / SUMMARY_FILE).is_file() and (output_dir / "model-best" / "config.cfg").is_file()


def train_pipeline(
    config_path: str | Path,
    output_dir: str | Path,
    overrides: dict[str, Any] | None = None,
    use_gpu: int = -1,
    quiet: bool = False,
) -> dict[str, Any]:
    """Train the pipeline of ``config_path`` with spaCy into ``output_dir`` and tune its threshold.

    ``output_dir`` gets spaCy's ``model-last`` and ``model-best``; ``model-best`` is rewritten with
    the settings tuned on the config's dev corpus (:mod:`ipner.training.tuning`): the relation
    threshold, then the relation candidates per slot, for the best relation micro F, and the fact
    carry-over for the best fact F. Returns (and writes as ``training.json``) the tuning tables and
    the chosen values.
    """
    from spacy.cli.train import train as spacy_train

    output_dir = Path(output_dir)
    # an earlier run's summary must not vouch for this run's model until it is complete
    (output_dir / SUMMARY_FILE).unlink(missing_ok=True)
    log = io.StringIO()
    try:
        with contextlib.ExitStack() as stack:
            if quiet:  # spaCy's loop logs to stdout; keep it to show if training fails
                stack.enter_context(contextlib.redirect_stdout(log))
            spacy_train(Path(config_path), output_path=output_dir, use_gpu=use_gpu, overrides=overrides or {})
    except SystemExit as err:  # spaCy reports config and data problems with msg.fail(..., exits=1)
        if quiet:
            sys.stderr.write(log.getvalue()[-4000:])
        raise TrainingError(f"training stopped (spaCy exit {err.code}); see the messages above") from None
    except ConfigValidationError as err:
        raise TrainingError(f"invalid config:\n{err}") from None
    except Exception:
        if quiet:
            sys.stderr.write(log.getvalue()[-4000:])
        raise
    best = output_dir / "model-best"
    nlp = spacy.load(best)
    summary: dict[str, Any] = {"config": str(config_path), "overrides": overrides or {}}
    if RELATIONS in nlp.pipe_names:
        dev = list(corpus_examples(nlp, "dev"))
        inputs = relation_inputs(nlp, dev)
        summary["threshold"] = tune_threshold(nlp, dev, inputs=inputs)
        max_candidates = tune_max_candidates(nlp, dev, inputs=inputs)
        if max_candidates is not None:
            summary["max_candidates"] = max_candidates
        if FACTS in nlp.pipe_names:
            summary["carry_over_chars"] = tune_carry_over(nlp, dev)
    set_meta(nlp)
    nlp.to_disk(best)
    (output_dir / SUMMARY_FILE).write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary


def set_meta(nlp: Language) -> None:
    """Name the pipeline as ipner's packages are named (``zh_ipner``, ipner's version), with a
    description and licence; spaCy's training writes ``pipeline 0.0.0``. The measured accuracy is
    added to ``meta.json`` by hand from ``training/results/`` when a model is shipped."""
    from ipner import __version__

    nlp.meta.update(
        name="ipner",
        version=__version__,
        description="Chinese intellectual-property statistics: NER, relation extraction and fact assembly (ipner)",
        license="MIT",
        author="ipner maintainers",
    )


def corpus_examples(nlp: Language, name: str) -> Iterable[Example]:
    """The examples of ``[corpora.<name>]`` of the pipeline's own config."""
    from spacy.util import registry

    corpora = registry.resolve(nlp.config.interpolate()["corpora"])
    return corpora[name](nlp)


def resolve_training_inputs(
    config: str | Path | None, corpus: str | Path | None, overrides: dict[str, Any]
) -> tuple[Path, dict[str, Any]]:
    """The config to train (given, else the default one) and the overrides with ``paths.corpus``
    set: to ``corpus`` if given, else left to the config when its path exists, else the shipped
    gold corpus. Raises :class:`UsageError` when the config or the corpus cannot be found."""
    from ipner.errors import UsageError
    from ipner.resources import default_config_path, default_corpus_path

    path = Path(config) if config else default_config_path()
    if path is None or not path.is_file():
        raise UsageError(f"config not found: {config or 'configs/cnn.cfg (not shipped with this installation)'}")
    overrides = dict(overrides)
    if corpus is not None:
        overrides["paths.corpus"] = str(corpus)
    elif "paths.corpus" not in overrides:
        configured = spacy.util.load_config(path).get("paths", {}).get("corpus")
        if not (configured and Path(configured).is_file()):
            shipped = default_corpus_path()
            if shipped is None:
                raise UsageError(f"the config's corpus {configured!r} does not exist; give --corpus FILE")
            overrides["paths.corpus"] = str(shipped)
    corpus_path = Path(overrides.get("paths.corpus") or "")
    if "paths.corpus" in overrides and not corpus_path.is_file():
        raise UsageError(f"corpus not found: {corpus_path}")
    return path, overrides
