"""Settings tuned on the dev split after training: the relation threshold and the fact carry-over.

The values tried come from the pipeline's config (section ``[tuning]``), so configs stay the one
source of hyper-parameters; the chosen values are saved in the components' ``cfg``.
"""
from __future__ import annotations

from typing import Any, Iterator

from spacy.language import Language
from spacy.training import Example

from ipner.relations import relation_keys, select_relations
from ipner.scoring import precision_recall_f
from ipner.training.evaluate import evaluate_pipeline
from ipner.training.readers import example_records

__all__ = ["TuningGrid", "tuning_grid", "iter_thresholds", "tune_threshold", "tune_carry_over", "RELATIONS", "FACTS"]

RELATIONS = "ipner_relations"
FACTS = "ipner_facts"
#: Used when a pipeline's config has no ``[tuning]`` section (pipelines trained before it existed).
DEFAULT_GRID: dict[str, Any] = {
    "thresholds": {"start": 0.05, "stop": 0.95, "step": 0.05},
    "carry_over_chars": [0, 100, 200, 400],
}


class TuningGrid(dict):
    """``{"thresholds": {"start", "stop", "step"}, "carry_over_chars": [...]}``."""


def tuning_grid(nlp: Language) -> TuningGrid:
    """The ``[tuning]`` section of the pipeline's config, with the defaults for missing keys."""
    section = dict(nlp.config.get("tuning") or {})
    return TuningGrid({**DEFAULT_GRID, **section})


def iter_thresholds(start: float = 0.05, stop: float = 0.95, step: float = 0.05) -> Iterator[float]:
    """The thresholds tried when tuning, from ``start`` to ``stop`` inclusive."""
    value = start
    while value <= stop + 1e-9:
        yield round(value, 4)
        value += step


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
    for threshold in iter_thresholds(**tuning_grid(nlp)["thresholds"]):
        tp = fp = fn = 0
        for doc, gold_keys, (candidates, scores) in zip(docs, gold, scored):
            doc._.relations = select_relations(candidates.pairs, scores, list(doc.ents), relations.labels, threshold)
            keys = relation_keys(doc)
            tp += len(keys & gold_keys)
            fp += len(keys - gold_keys)
            fn += len(gold_keys - keys)
        table.append({"threshold": threshold, "f": round(precision_recall_f(tp, fp, fn)["f"], 4)})
    best_f = max(row["f"] for row in table)
    # Among equally good thresholds take the one nearest 0.5, the untuned default.
    chosen = min((row for row in table if row["f"] == best_f), key=lambda row: abs(row["threshold"] - 0.5))
    relations.threshold = chosen["threshold"]
    return {"chosen": chosen["threshold"], "dev_rel_micro_f": chosen["f"], "tried": table, "dev_docs": len(examples)}


def tune_carry_over(nlp: Language, examples: list[Example], component: str = FACTS) -> dict[str, Any]:
    """Set the fact component's ``carry_over_chars`` to the choice with the best fact F on ``examples``."""
    facts = nlp.get_pipe(component)
    records = example_records(examples)
    table = []
    for chars in tuning_grid(nlp)["carry_over_chars"]:
        facts.carry_over_chars = int(chars)
        table.append({"carry_over_chars": int(chars), "f": evaluate_pipeline(nlp, records)["facts"]["f"]})
    best = max(table, key=lambda row: (row["f"], -row["carry_over_chars"]))
    facts.carry_over_chars = best["carry_over_chars"]
    return {"chosen": best["carry_over_chars"], "dev_fact_f": best["f"], "tried": table}
