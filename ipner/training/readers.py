"""The corpus reader that spaCy's training loop uses: gold JSONL → ``Example`` objects.

Registered as ``ipner.GoldCorpus.v1`` (``spacy_readers`` entry point), so configs read the gold
JSONL directly: the reference docs keep their relations in ``doc._.relations``, which a DocBin
would only carry as user data.
"""
from __future__ import annotations

import random
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from spacy.language import Language
from spacy.training import Example
from spacy.util import registry

from ipner.data.gold import read_gold, record_to_doc
from ipner.training.augment import augment_record, metric_pool


def select_records(
    records: Iterable[dict[str, Any]],
    splits: Iterable[str] = (),
    exclude_ids: Iterable[str] = (),
    only_ids: Iterable[str] = (),
) -> list[dict[str, Any]]:
    """The records whose ``meta.split`` is in ``splits`` (all if empty), minus ``exclude_ids``,
    restricted to ``only_ids`` if given."""
    splits, exclude, only = set(splits), set(exclude_ids), set(only_ids)
    return [
        r
        for r in records
        if (not splits or r.get("meta", {}).get("split") in splits)
        and r.get("id") not in exclude
        and (not only or r.get("id") in only)
    ]


def records_to_examples(nlp: Language, records: Iterable[dict[str, Any]]) -> Iterator[Example]:
    """One ``Example`` per record: the predicted doc is the bare tokenised text."""
    for record in records:
        reference = record_to_doc(nlp, record)
        predicted = nlp.make_doc(record["text"])
        predicted._.doc_date = reference._.doc_date
        yield Example(predicted, reference)


def example_records(examples: Iterable[Example]) -> list[dict[str, Any]]:
    """Gold records of the examples' reference docs (entities, relations, document date)."""
    records = []
    for eg in examples:
        doc = eg.reference
        records.append(
            {
                "id": doc.user_data.get("id"),
                "text": doc.text,
                "entities": [{"start": e.start_char, "end": e.end_char, "label": e.label_, "text": e.text} for e in doc.ents],
                "relations": [{k: r[k] for k in ("head", "child", "label")} for r in doc._.relations or []],
                "meta": {"date": doc._.doc_date},
            }
        )
    return records


class GoldCorpus:
    """Iterate the selected gold records as Examples, with ``augment_copies`` fresh augmented copies
    of each record per pass (a different, seeded draw every epoch)."""

    def __init__(
        self,
        paths: list[Path],
        splits: list[str],
        exclude_ids: list[str],
        only_ids: list[str],
        augment_copies: int,
        seed: int,
        augment: dict[str, float] | None = None,
    ):
        records: list[dict[str, Any]] = []
        for path in paths:
            records.extend(read_gold(path))
        self.records = select_records(records, splits, exclude_ids, only_ids)
        self.augment_copies = augment_copies
        self.augment = augment or {}
        self.metrics = metric_pool(self.records) if self.augment.get("replace_metrics") else None
        self.seed = seed
        self.epoch = 0

    def __call__(self, nlp: Language) -> Iterator[Example]:
        rng = random.Random(f"{self.seed}:{self.epoch}")
        self.epoch += 1
        for record in self.records:
            yield from records_to_examples(nlp, [record])
            for _ in range(self.augment_copies):
                yield from records_to_examples(nlp, [augment_record(record, rng, metrics=self.metrics, **self.augment)])


@registry.readers("ipner.GoldCorpus.v1")
def create_gold_corpus(
    path: str | list[str],
    splits: list[str] = [],
    exclude_ids: list[str] = [],
    only_ids: list[str] = [],
    augment_copies: int = 0,
    seed: int = 0,
    replace_places: float = 0.0,
    replace_numbers: float = 0.0,
    flip_script: float = 0.0,
    replace_metrics: float = 0.0,
) -> Callable[[Language], Iterable[Example]]:
    """Reader of gold JSONL file(s) for ``[corpora]``; ``path`` may be one path or a list.

    Each record is followed by ``augment_copies`` augmented copies per pass
    (:func:`ipner.training.augment.augment_record` with the four probabilities; 0 = no change; METRICs
    are drawn from those of the selected records).
    """
    paths = [Path(p) for p in ([path] if isinstance(path, (str, Path)) else path)]
    augment = {
        "replace_places": replace_places, "replace_numbers": replace_numbers, "flip_script": flip_script,
        "replace_metrics": replace_metrics,
    }
    return GoldCorpus(paths, list(splits), list(exclude_ids), list(only_ids), augment_copies, seed, augment)
