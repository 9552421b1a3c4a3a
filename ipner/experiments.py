"""Experiments over the corpus: leave-one-report-out training and evaluation on the seed reports.

Experiments combine training (:mod:`ipner.training.train`) and evaluation
(:mod:`ipner.training.evaluate`); they live apart from both so that neither imports the other back.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

import spacy
from spacy.language import Language

from ipner.data.gold import read_gold
from ipner.pipeline.load import load_baseline
from ipner.training.errors import collect_errors, merge_errors
from ipner.training.evaluate import evaluate_pipeline, merge_results
from ipner.training.train import is_trained, train_pipeline
from ipner.training.tuning import FACTS

__all__ = ["leave_one_report_out"]

#: The post-processing components whose settings a reused fold takes from the config, and the settings of each that
#: training tunes on dev and saves with the fold (those stay the fold's own).
_POST_PROCESSING = {"ipner_span_repair": (), FACTS: ("carry_over_chars",)}


def leave_one_report_out(
    config_path: str,
    corpus_path: str,
    work_dir: str,
    overrides: dict[str, Any] | None = None,
    quiet: bool = True,
    reuse: bool = False,
    errors: bool = False,
) -> dict[str, Any]:
    """Train once per seed report on everything but that report (and the dev split, kept for
    checkpoint selection and threshold tuning), evaluate on the report; also the rule baseline.
    With ``reuse``, a fold whose training ran to the end in ``work_dir`` is not trained again (an
    interrupted one is), and it is scored with the post-processing that ``config_path`` and ``overrides`` name
    now (:func:`_with_config_post_processing`), so that a change of a rule's setting is measured on the same
    fold models without retraining them. With
    ``errors``, the result also holds every error of each fold's model on its report (pooled under
    ``"errors"``, see :func:`ipner.training.errors.collect_errors`).

    Returns ``{"folds": {seed_id: {"model", "baseline"}}, "model": pooled, "baseline": pooled}``.
    """
    records = read_gold(corpus_path)
    seeds = [r for r in records if r.get("meta", {}).get("split") == "seed"]
    baseline = load_baseline()
    folds: dict[str, Any] = {}
    fold_errors: list[dict[str, Any]] = []
    for seed in seeds:
        fold_dir = Path(work_dir) / seed["id"]
        fold_overrides = {
            **(overrides or {}),
            "paths.corpus": str(corpus_path),
            "corpora.train.splits": ["train", "test", "seed"],
            "corpora.train.exclude_ids": [seed["id"]],
        }
        reused = reuse and is_trained(fold_dir)
        if not reused:
            train_pipeline(config_path, fold_dir, fold_overrides, quiet=quiet)
        nlp = spacy.load(fold_dir / "model-best")
        if reused:
            _with_config_post_processing(nlp, config_path, fold_overrides)
        folds[seed["id"]] = {"model": evaluate_pipeline(nlp, [seed]), "baseline": evaluate_pipeline(baseline, [seed])}
        if errors:
            fold_errors.append(collect_errors(nlp, [seed]))
    pooled: dict[str, Any] = {"errors": merge_errors(fold_errors)} if errors else {}
    return {
        **pooled,
        "folds": folds,
        "model": merge_results([f["model"] for f in folds.values()]),
        "baseline": merge_results([f["baseline"] for f in folds.values()]),
    }


def _with_config_post_processing(nlp: Language, config_path: str, overrides: dict[str, Any]) -> None:
    """Set the span repair's and the fact assembler's settings of ``nlp`` (a fold trained earlier) to those of
    ``config_path`` with ``overrides`` (``components.ipner_facts.nearest_mention`` and the like), except the ones
    training tuned for the fold (:data:`_POST_PROCESSING`); a setting the config does not name keeps the fold's."""
    components = spacy.util.load_config(config_path, interpolate=False).get("components", {})
    for name, tuned in _POST_PROCESSING.items():
        if name not in nlp.pipe_names or name not in components:
            continue
        pipe = nlp.get_pipe(name)
        prefix = f"components.{name}."
        wanted = {
            **dict(components[name]),
            **{key[len(prefix):]: value for key, value in overrides.items() if key.startswith(prefix)},
        }
        for setting in pipe.settings:
            if setting in wanted and setting not in tuned:
                setattr(pipe, setting, wanted[setting])
