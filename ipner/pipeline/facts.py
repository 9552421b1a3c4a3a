"""Fact assembly: relations + normalisers → ``doc._.facts`` in SCHEMA.md's JSON shape."""
from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

from spacy.tokens import Doc, Span

from ipner.normalizers import parse_date, parse_quantity

_SENTENCE_BOUNDARY = re.compile(r"[。！？!?；;\n]")


class FactAssembler:
    """Write one fact per QUANTITY whose ``metric`` relation scores at least ``threshold``.

    Fallbacks when a slot is not linked: with ``carry_over_chars > 0`` a fact without a subject
    (or time) takes the subject (or time) of the previous fact if that fact starts at most
    ``carry_over_chars`` characters before it: figures listed under a heading ("截至目前,株洲市——"
    and a list of figures) or continuing a sentence share its subject and date even when the
    relation model left the slot open. Carried slots are marked ``"carried": true``. A fact
    needs a ``metric``: a QUANTITY without one is no fact. ``time.year`` comes from
    ``parse_date`` with ``doc._.doc_date`` (None for relative dates without a document date).
    """

    def __init__(self, name: str = "ipner_facts", threshold: float = 0.5, carry_over_chars: int = 0):
        self.name = name
        self.threshold = threshold
        self.carry_over_chars = carry_over_chars

    # The settings are saved with the pipeline, so a value tuned after training (``carry_over_chars``
    # by ``python -m ipner train``) overrides the one in config.cfg when the pipeline is loaded.
    def to_disk(self, path, exclude=()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        settings = {"threshold": self.threshold, "carry_over_chars": self.carry_over_chars}
        (path / "cfg").write_text(json.dumps(settings), encoding="utf-8")

    def from_disk(self, path, exclude=()) -> "FactAssembler":
        cfg = Path(path) / "cfg"
        if cfg.exists():
            settings = json.loads(cfg.read_text(encoding="utf-8"))
            self.threshold = float(settings.get("threshold", self.threshold))
            self.carry_over_chars = int(settings.get("carry_over_chars", self.carry_over_chars))
        return self

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        text = doc.text  # built from the tokens on every access: read it once
        slots: dict[int, dict[str, tuple[int, float]]] = {}
        for rel in doc._.relations or []:
            if rel.get("score", 1.0) < self.threshold:
                continue
            current = slots.setdefault(rel["head"], {})
            if rel["label"] not in current or rel["score"] > current[rel["label"]][1]:
                current[rel["label"]] = (rel["child"], rel["score"])
        facts: list[dict[str, Any]] = []
        previous: dict[str, Any] | None = None
        for head in sorted(slots, key=lambda i: ents[i].start_char):
            linked = slots[head]
            if "metric" not in linked or ents[head].label_ != "QUANTITY":
                continue
            quantity = ents[head]
            metric_index, score = linked["metric"]
            fact = {
                "subject": _subject(ents[linked["subject"][0]]) if "subject" in linked else None,
                "metric": {"text": ents[metric_index].text, "start": ents[metric_index].start_char, "end": ents[metric_index].end_char},
                "quantity": self._quantity(text, ents, head),
                "time": self._time(doc, ents[linked["time"][0]]) if "time" in linked else None,
                "sentence": _sentence(text, quantity.start_char, quantity.end_char),
                "score": round(float(score), 4),
            }
            if previous is not None and 0 < quantity.start_char - previous["quantity"]["start"] <= self.carry_over_chars:
                for slot in ("subject", "time"):
                    if fact[slot] is None and previous[slot] is not None:
                        fact[slot] = {**previous[slot], "carried": True}
            facts.append(fact)
            previous = fact
        doc._.facts = facts
        return doc

    @staticmethod
    def _quantity(text: str, ents: list[Span], head: int) -> dict[str, Any]:
        quantity = ents[head]
        # The context starts after the previous entity, so that words inside a METRIC
        # (研发投入占GDP比重) do not decide the kind of the figure that follows it.
        context_start = max(ents[head - 1].end_char if head > 0 else 0, quantity.start_char - 20)
        parsed = parse_quantity(quantity.text, text[context_start : quantity.start_char])
        return {
            "text": quantity.text,
            "start": quantity.start_char,
            "end": quantity.end_char,
            "value": parsed.value,
            "unit": parsed.unit,
            "approx": parsed.approx,
            "kind": parsed.kind,
        }

    @staticmethod
    def _time(doc: Doc, date: Span) -> dict[str, Any]:
        parsed = parse_date(date.text, doc._.doc_date)
        return {"text": date.text, "start": date.start_char, "end": date.end_char, "year": parsed.year}


def _subject(span: Span) -> dict[str, Any]:
    return {"text": span.text, "label": span.label_, "start": span.start_char, "end": span.end_char}


def _sentence(text: str, start: int, end: int) -> str:
    left = start
    while left > 0 and not _SENTENCE_BOUNDARY.match(text[left - 1]):
        left -= 1
    right = end
    while right < len(text) and not _SENTENCE_BOUNDARY.match(text[right]):
        right += 1
    if right < len(text) and text[right] != "\n":
        right += 1
    return text[left:right].strip()
