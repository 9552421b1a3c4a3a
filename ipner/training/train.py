"""Training: spaCy's own loop with ipner registered, then the relation threshold tuned on dev."""
from __future__ import annotations

import contextlib
import io
import json
import sys
import shutil
import tempfile
from pathlib import Path
from typing import Any, Iterable

import spacy
from spacy.language import Language
from spacy.training import Example

import ipner.pipeline.pipeline_component  # noqa: F401  (registers the factories in a checkout)
import ipner.pipeline.tokenizer  # noqa: F401
import ipner.training.readers  # noqa: F401  (registers ipner.GoldCorpus.v1)
from ipner.pipeline.relations import iter_thresholds, relation_keys, select_relations

RELATIONS = "ipner_relations"
FACTS = "ipner_facts"
#: The fact component's carry-over distances tried on dev after training (0 = no fallback).
CARRY_OVER_CHOICES = (0, 100, 200, 400)


def train_pipeline(
    config_path: str | Path,
    output_dir: str | Path,
    overrides: dict[str, Any] | None = None,
    use_gpu: int = -1,
    quiet: bool = False,
) -> dict[str, Any]:
    """Train the pipeline of ``config_path`` with spaCy into ``output_dir`` and tune its threshold.

    ``output_dir`` gets spaCy's ``model-last`` and ``model-best``; ``model-best`` is rewritten with
    the relation threshold that maximises relation micro F on the config's dev corpus. Returns
    (and writes as ``training.json``) the tuning table and the chosen threshold.
    """
    from spacy.cli.train import train as spacy_train

    output_dir = Path(output_dir)
    log = io.StringIO()
    try:
        with contextlib.ExitStack() as stack:
            if quiet:  # spaCy's loop logs to stdout; keep it to show if training fails
                stack.enter_context(contextlib.redirect_stdout(log))
            spacy_train(Path(config_path), output_path=output_dir, use_gpu=use_gpu, overrides=overrides or {})
    except (SystemExit, Exception):
        if quiet:
            sys.stderr.write(log.getvalue()[-4000:])
        raise
    best = output_dir / "model-best"
    nlp = spacy.load(best)
    summary: dict[str, Any] = {"config": str(config_path), "overrides": overrides or {}}
    if RELATIONS in nlp.pipe_names:
        dev = list(corpus_examples(nlp, "dev"))
        summary["threshold"] = tune_threshold(nlp, dev)
        if FACTS in nlp.pipe_names:
            summary["carry_over_chars"] = tune_carry_over(nlp, dev)
        nlp.to_disk(best)
    (output_dir / "training.json").write_text(json.dumps(summary, ensure_ascii=False, indent=2), encoding="utf-8")
    return summary


def corpus_examples(nlp: Language, name: str) -> Iterable[Example]:
    """The examples of ``[corpora.<name>]`` of the pipeline's own config."""
    from spacy.util import registry

    corpora = registry.resolve(nlp.config.interpolate()["corpora"])
    return corpora[name](nlp)


def tune_threshold(nlp: Language, examples: list[Example], component: str = RELATIONS) -> dict[str, Any]:
    """Set the relation component's threshold to the one with the best relation micro F on
    ``examples`` (entities predicted by the pipeline, as in use) and return the table of tries."""
    relations = nlp.get_pipe(component)
    before = nlp.pipe_names[: nlp.pipe_names.index(component)]
    docs = [eg.predicted.copy() for eg in examples]
    for name in before:
        docs = list(nlp.get_pipe(name).pipe(docs))
    gold = [relation_keys(eg.reference) for eg in examples]
    scored = relations.raw_scores(docs)
    table = []
    for threshold in iter_thresholds():
        tp = fp = fn = 0
        for doc, gold_keys, (candidates, scores) in zip(docs, gold, scored):
            doc._.relations = select_relations(candidates.pairs, scores, list(doc.ents), relations.labels, threshold)
            keys = relation_keys(doc)
            tp += len(keys & gold_keys)
            fp += len(keys - gold_keys)
            fn += len(gold_keys - keys)
        f = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
        table.append({"threshold": threshold, "f": round(f, 4)})
    best_f = max(row["f"] for row in table)
    # Among equally good thresholds take the one nearest 0.5, the untuned default.
    chosen = min((row for row in table if row["f"] == best_f), key=lambda row: abs(row["threshold"] - 0.5))
    relations.threshold = chosen["threshold"]
    return {"chosen": chosen["threshold"], "dev_rel_micro_f": chosen["f"], "tried": table, "dev_docs": len(examples)}


def tune_carry_over(nlp: Language, examples: list[Example], component: str = FACTS) -> dict[str, Any]:
    """Set the fact component's ``carry_over_chars`` to the choice with the best fact F on ``examples``."""
    from ipner.training.evaluate import evaluate_pipeline
    from ipner.training.readers import example_records

    facts = nlp.get_pipe(component)
    records = example_records(examples)
    table = []
    for chars in CARRY_OVER_CHOICES:
        facts.carry_over_chars = chars
        table.append({"carry_over_chars": chars, "f": evaluate_pipeline(nlp, records)["facts"]["f"]})
    best = max(table, key=lambda row: (row["f"], -row["carry_over_chars"]))
    facts.carry_over_chars = best["carry_over_chars"]
    return {"chosen": best["carry_over_chars"], "dev_fact_f": best["f"], "tried": table}


def replace_directory(source: str | Path, target: str | Path) -> Path:
    """Copy the directory ``source`` to ``target`` atomically: it is copied beside ``target`` and
    renamed into place only when complete, so a failure leaves an existing ``target`` as it was."""
    source, target = Path(source), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        shutil.copytree(source, staging, dirs_exist_ok=True)
        if target.exists():
            old = target.with_name(f".{target.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
            staging.rename(target)
            shutil.rmtree(old)
        else:
            staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target
