"""Settings tuned on the dev split after training: the relation threshold, the relation component's
candidates per slot, and the fact carry-over.

The values tried come from the pipeline's config (section ``[tuning]``), so configs stay the one
source of hyper-parameters; the chosen values are saved in the components' ``cfg``.
"""
from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Iterator

from spacy.language import Language
from spacy.tokens import Doc
from spacy.training import Example

from ipner.relations import relation_keys, select_relations
from ipner.scoring import precision_recall_f
from ipner.training.evaluate import evaluate_pipeline
from ipner.training.readers import example_records

__all__ = [
    "TuningGrid", "tuning_grid", "iter_thresholds", "RelationInputs", "relation_inputs", "tune_threshold",
    "tune_max_candidates", "tune_carry_over", "RELATIONS", "FACTS",
]

RELATIONS = "ipner_relations"
FACTS = "ipner_facts"
#: Used when a pipeline's config has no ``[tuning]`` section (pipelines trained before it existed).
DEFAULT_GRID: dict[str, Any] = {
    "thresholds": {"start": 0.05, "stop": 0.95, "step": 0.05},
    "carry_over_chars": [0, 100, 200, 400],
    # empty: the relation component keeps the max_candidates it was trained with
    "max_candidates": [],
}


class TuningGrid(dict):
    """``{"thresholds": {"start", "stop", "step"}, "max_candidates": [...], "carry_over_chars": [...]}``."""


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


@dataclass(frozen=True)
class RelationInputs:
    """Examples' docs run through the components before the relation component (entities predicted,
    as in use), and their gold relation keys: what the relation tuning steps score."""

    docs: list[Doc]
    gold: list[set]


def relation_inputs(nlp: Language, examples: list[Example], component: str = RELATIONS) -> RelationInputs:
    """The docs of ``examples`` run through the components before ``component``, and their gold relation keys.

    Computed once and passed to :func:`tune_threshold` and :func:`tune_max_candidates`, the dev split
    goes through tok2vec and NER once instead of once per step."""
    before = nlp.pipe_names[: nlp.pipe_names.index(component)]
    docs = [eg.predicted.copy() for eg in examples]
    for name in before:
        docs = list(nlp.get_pipe(name).pipe(docs))
    return RelationInputs(docs, [relation_keys(eg.reference) for eg in examples])


def tune_threshold(
    nlp: Language, examples: list[Example], component: str = RELATIONS, inputs: RelationInputs | None = None,
) -> dict[str, Any]:
    """Set the relation component's threshold to the one with the best relation micro F on
    ``examples`` (entities predicted by the pipeline, as in use) and return the table of tries.
    ``inputs``: :func:`relation_inputs` of ``examples``, if already computed."""
    relations = nlp.get_pipe(component)
    docs, gold = _inputs(nlp, examples, component, inputs)
    scored = relations.raw_scores(docs)
    table = [
        {"threshold": threshold, "f": _relation_f(relations, docs, gold, scored, threshold)}
        for threshold in iter_thresholds(**tuning_grid(nlp)["thresholds"])
    ]
    best_f = max(row["f"] for row in table)
    # Among equally good thresholds take the one nearest 0.5, the untuned default.
    chosen = min((row for row in table if row["f"] == best_f), key=lambda row: abs(row["threshold"] - 0.5))
    relations.threshold = chosen["threshold"]
    return {"chosen": chosen["threshold"], "dev_rel_micro_f": chosen["f"], "tried": table, "dev_docs": len(examples)}


def tune_max_candidates(
    nlp: Language, examples: list[Example], component: str = RELATIONS, inputs: RelationInputs | None = None,
) -> dict[str, Any] | None:
    """Set the relation component's ``max_candidates`` (each slot's nearest candidates scored) to the
    value of ``[tuning] max_candidates`` with the best relation micro F on ``examples``, at the
    threshold already tuned; ties go to the fewest candidates. ``None`` when the grid is empty.

    A model can score more candidates than it was trained with: its scores are per pair, and more
    candidates only let a slot reach a farther gold partner (see ``configs/cnn.cfg``).
    ``inputs``: :func:`relation_inputs` of ``examples``, if already computed.
    """
    grid = sorted({int(value) for value in tuning_grid(nlp)["max_candidates"]})
    if not grid:
        return None
    relations = nlp.get_pipe(component)
    docs, gold = _inputs(nlp, examples, component, inputs)
    trained_with = int(relations.cfg["max_candidates"])
    table = []
    for value in grid:
        relations.cfg["max_candidates"] = value
        scored = relations.raw_scores(docs)
        table.append({"max_candidates": value, "f": _relation_f(relations, docs, gold, scored, relations.threshold)})
    best = max(table, key=lambda row: (row["f"], -row["max_candidates"]))
    relations.cfg["max_candidates"] = best["max_candidates"]
    return {
        "chosen": best["max_candidates"], "trained_with": trained_with, "threshold": round(relations.threshold, 4),
        "dev_rel_micro_f": best["f"], "tried": table,
    }


def _inputs(
    nlp: Language, examples: list[Example], component: str, inputs: RelationInputs | None,
) -> tuple[list[Doc], list[set]]:
    inputs = inputs if inputs is not None else relation_inputs(nlp, examples, component)
    return inputs.docs, inputs.gold


def _relation_f(relations, docs: list, gold: list[set], scored: list, threshold: float) -> float:
    """Relation micro F (rounded to 4 places) of ``scored`` kept at ``threshold``; writes ``doc._.relations``."""
    tp = fp = fn = 0
    for doc, gold_keys, (candidates, scores) in zip(docs, gold, scored):
        doc._.relations = select_relations(candidates.pairs, scores, list(doc.ents), relations.labels, threshold)
        keys = relation_keys(doc)
        tp += len(keys & gold_keys)
        fp += len(keys - gold_keys)
        fn += len(gold_keys - keys)
    return round(precision_recall_f(tp, fp, fn)["f"], 4)


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
