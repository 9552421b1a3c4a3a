"""Fine-tuning a trained pipeline on newly annotated documents without losing what it knew.

The base pipeline's components are *sourced* into a training config (spaCy then resumes their
weights instead of initialising new ones), the new training documents are mixed with a seeded
rehearsal sample of the original training corpus, the checkpoint kept is the one with the best
entity, relation and fact F (``FinetuneSettings.score_weights``) on the new dev documents together
with the original dev split, its relation threshold is retuned on them, and the result is written
atomically: it is built in a staging directory beside ``output`` and renamed into place only when
complete.
"""
from __future__ import annotations

import hashlib
import json
import random
import shutil
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

import spacy

from ipner.data.gold import read_gold, record_to_doc, write_gold
from ipner.data.importers import load_annotations
from ipner.errors import AnnotationError, LocatedProblem
from ipner.schema import ENTITY_LABELS, RELATION_LABELS
from ipner.files import replace_directory
from ipner.training.evaluate import evaluate_pipeline
from ipner.training.finetune_settings import FinetuneSettings
from ipner.training.train import train_pipeline
from ipner.training.tuning import FACTS





def load_new_data(paths: list[str | Path], fmt: str, notes: list[LocatedProblem] | None = None) -> list[dict[str, Any]]:
    """Read and validate every file; raise :class:`AnnotationError` with all located problems.

    Labels outside SCHEMA.md are summarised first, naming each unknown label and how often it is
    used; entities that do not fall on the tokenizer's boundaries are reported too. A file in
    another format than ``fmt`` gets one problem naming the format to use, and after
    ``MAX_PER_KIND`` problems of one kind the rest are counted on one line. Tasks left out because
    nobody reviewed them in the tool are counted in ``notes`` (see :func:`load_annotations`), and
    named in the problem when no document is left.
    """
    from ipner.data.importers import MAX_PER_KIND, cap_problems

    records, problems, skipped = [], [], []
    for path in paths:
        try:
            # all problems, so that the unknown labels are counted right; capped below
            records.extend(load_annotations(path, fmt, max_per_kind=None, notes=skipped))
        except AnnotationError as err:
            problems.extend(err.problems)
    unknown = Counter(p.unknown_label for p in problems if isinstance(p, LocatedProblem) and p.unknown_label)
    if not problems:
        nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
        for record in records:
            try:
                record_to_doc(nlp, record)
            except AnnotationError as err:
                problems.extend(err.problems)
        ids = Counter(str(r.get("id")) for r in records)
        problems.extend(f"document id {i!r} is used {n} times" for i, n in ids.items() if n > 1)
    problems = cap_problems(problems, MAX_PER_KIND)
    if unknown:
        named = ", ".join(f"{label} ({n}×)" for label, n in unknown.most_common())
        problems.insert(
            0,
            f"labels outside SCHEMA.md: {named}; the entity labels are {', '.join(ENTITY_LABELS)} "
            f"and the relations {', '.join(RELATION_LABELS)}",
        )
    if notes is not None:
        notes.extend(skipped)
    if not records and not problems:
        problems.append("no documents in " + ", ".join(map(str, paths)) + "".join(f"; {note}" for note in skipped))
    if problems:
        raise AnnotationError(problems)
    return records


def split_dev(records: list[dict[str, Any]], fraction: float) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """A stable train/dev split of new documents by a hash of their ids (at least one of each
    when there are two or more documents)."""
    if len(records) < 2:
        return records, []
    ranked = sorted(records, key=lambda r: hashlib.sha1(str(r.get("id")).encode("utf-8")).hexdigest())
    n_dev = min(len(records) - 1, max(1, round(len(records) * fraction)))
    return ranked[n_dev:], ranked[:n_dev]


def finetune(
    base: str | Path,
    new_train: list[dict[str, Any]],
    new_dev: list[dict[str, Any]],
    original_corpus: str | Path,
    output: str | Path,
    settings: FinetuneSettings | None = None,
    quiet: bool = False,
) -> dict[str, Any]:
    """Fine-tune ``base`` and write the new pipeline (with ``finetune_report.json``) to ``output``.

    Returns the report: before/after scores on the new dev documents and on the original dev split,
    the chosen threshold and the data used. ``output`` is replaced only when everything succeeded.
    """
    settings = settings or FinetuneSettings()
    base = Path(base)
    output = Path(output)
    original = read_gold(original_corpus)
    original_train = [r for r in original if r.get("meta", {}).get("split") in ("train", "seed")]
    original_dev = [r for r in original if r.get("meta", {}).get("split") == "dev"]
    rng = random.Random(settings.seed)
    n_rehearsal = min(len(original_train), round(settings.rehearsal_ratio * len(new_train)))
    rehearsal = rng.sample(original_train, n_rehearsal)

    output.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{output.name}-staging-", dir=output.parent))
    try:
        data_dir = staging / "data"
        data_dir.mkdir()
        train_path, dev_path = data_dir / "train.jsonl", data_dir / "dev.jsonl"
        write_gold([_with_split(r, "train") for r in new_train + rehearsal], train_path)
        write_gold([_with_split(r, "dev") for r in new_dev + original_dev], dev_path)
        config_path = staging / "finetune.cfg"
        config = _sourced_config(base)
        config.to_disk(config_path)
        overrides = {
            "corpora.train.path": str(train_path),
            "corpora.train.splits": ["train"],
            "corpora.train.exclude_ids": [],
            "corpora.train.only_ids": [],
            "corpora.train.augment_copies": settings.augment_copies,
            "corpora.dev.path": str(dev_path),
            "corpora.dev.splits": ["dev"],
            "corpora.dev.exclude_ids": [],
            "corpora.dev.only_ids": [],
            "training.max_steps": settings.max_steps,
            "training.eval_frequency": settings.eval_frequency,
            "training.optimizer.learn_rate": settings.learn_rate,
            "system.seed": settings.seed,
            **_score_weight_overrides(settings.score_weights, config["nlp"]["pipeline"]),
            **settings.overrides,
        }
        train_dir = staging / "train"
        summary = train_pipeline(config_path, train_dir, overrides, quiet=quiet)
        model_dir = train_dir / "model-best"

        before_nlp = spacy.load(base)
        after_nlp = spacy.load(model_dir)
        report = {
            "base": str(base),
            "data": {
                "new_train_docs": len(new_train),
                "new_dev_docs": len(new_dev),
                "rehearsal_docs": len(rehearsal),
                "original_dev_docs": len(original_dev),
            },
            "settings": {k: v for k, v in vars(settings).items()},
            "threshold": summary.get("threshold", {}).get("chosen"),
            "max_candidates": summary.get("max_candidates", {}).get("chosen"),
            "new_dev": _before_after(before_nlp, after_nlp, new_dev),
            "original_dev": _before_after(before_nlp, after_nlp, original_dev),
        }
        (model_dir / "finetune_report.json").write_text(json.dumps(report, ensure_ascii=False, indent=2), encoding="utf-8")
        replace_directory(model_dir, output)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return report


def _score_weight_overrides(weights: dict[str, float], pipeline: list[str]) -> dict[str, float]:
    """``training.score_weights.*`` overrides for ``weights``; fact weights only where the pipeline
    assembles facts (spaCy refuses a weight that no component scores)."""
    return {
        f"training.score_weights.{key}": value
        for key, value in weights.items()
        if FACTS in pipeline or not key.startswith("facts_")
    }


def _with_split(record: dict[str, Any], split: str) -> dict[str, Any]:
    return {**record, "meta": {**record.get("meta", {}), "split": split}}


def _sourced_config(base: Path):
    """The base pipeline's config with every component sourced from ``base`` (weights resumed)."""
    config = spacy.util.load_config(base / "config.cfg")
    for name in config["nlp"]["pipeline"]:
        config["components"][name] = {"source": str(base.resolve())}
    # Sourced components bring their own initialisation; nothing to initialise from scratch.
    config["initialize"]["components"] = {}
    return config


def _before_after(before, after, records: list[dict[str, Any]]) -> dict[str, Any] | None:
    if not records:
        return None
    return {"before": evaluate_pipeline(before, records), "after": evaluate_pipeline(after, records)}

