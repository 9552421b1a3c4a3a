"""Augmentation of training documents (train split only): new places, new figures, the other script.

Each augmented copy of a gold record:

- replaces CITY and REGION mentions by other gazetteer places of the same label (the same mention
  text always by the same place within a document, and inside ORG names too), so the model learns
  places from their context rather than memorising the corpus's 385 cities;
- replaces the digits of QUANTITY spans by random digits (same number of digits, no new leading
  zero) and Chinese numerals by other Chinese numerals, and years in DATE spans by other years,
  so a figure keeps its written form but not its value;
- with probability ``replace_metrics`` replaces a METRIC that a figure measures by another one from
  ``metric_pool`` (the METRICs of the records trained on, by the kind of figure that measures them:
  counts in 件 by counts in 件, ranks by ranks), so the model learns where a metric stands (before its
  figure, after its subject) rather than memorising the corpus's metric names, which unseen reports
  word otherwise (行政裁决周期, 品牌工作指导站);
- with probability ``flip_script`` converts the whole text to the other script with OpenCC.

Offsets and relation indices are rebuilt, so the result is a valid gold record.
"""
from __future__ import annotations

import random
import re
from functools import lru_cache
from typing import Any

from ipner.resources import load_places
from ipner.text.normalize import to_simplified, to_traditional

_DIGIT = re.compile(r"[0-9]")
_CHINESE_DIGITS = "一二三四五六七八九"
_YEAR = re.compile(r"(?<![0-9])(19|20)[0-9]{2}(?![0-9])")


@lru_cache(maxsize=1)
def _places_by_label() -> dict[str, list[str]]:
    """Simplified gazetteer forms per label (Traditional forms are reached by the script flip)."""
    by_label: dict[str, set[str]] = {}
    for form, label, canonical in load_places():
        if form == to_simplified(form) and len(form) >= 2:
            by_label.setdefault(label, set()).add(form)
    return {label: sorted(forms) for label, forms in by_label.items()}


def figure_kind(quantity: str) -> str:
    """The kind of figure a QUANTITY's text is, for drawing a METRIC that such a figure measures: ``rank``
    (第一, 前十, 第3位), else its last character (件, 家, 元, %); ``""`` when it ends in a digit."""
    text = quantity.strip()
    if text.startswith(("第", "前")) or text.endswith(("位", "名")):
        return "rank"
    return text[-1] if text and not text[-1].isdigit() else ""


def metric_pool(records: list[dict[str, Any]]) -> dict[str, list[str]]:
    """The METRIC texts of ``records`` that a figure measures, in Simplified script, by the kind of that
    figure (:func:`figure_kind`); sorted, so that a seeded draw is the same on every run."""
    pool: dict[str, set[str]] = {}
    for record in records:
        entities = record["entities"]
        for relation in record.get("relations", []):
            if relation["label"] == "metric":
                metric, quantity = entities[relation["child"]], entities[relation["head"]]
                pool.setdefault(figure_kind(quantity["text"]), set()).add(to_simplified(metric["text"]))
    return {kind: sorted(texts) for kind, texts in pool.items()}


def augment_record(
    record: dict[str, Any],
    rng: random.Random,
    *,
    replace_places: float,
    replace_numbers: float,
    flip_script: float,
    replace_metrics: float = 0.0,
    metrics: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """A new gold record derived from ``record`` (which is left unchanged); the probabilities come
    from the training config (``[corpora.train]`` of ``configs/cnn.cfg``); ``metrics`` is the pool of
    :func:`metric_pool` that METRICs are drawn from."""
    places = _places_by_label()
    text = record["text"]
    entities = record["entities"]
    order = sorted(range(len(entities)), key=lambda i: entities[i]["start"])
    mapping: dict[str, str] = {}
    for i in order:
        ent = entities[i]
        if ent["label"] in places and ent["text"] not in mapping and rng.random() < replace_places:
            mapping[ent["text"]] = rng.choice(places[ent["label"]])
    flip = rng.random() < flip_script
    traditional = record.get("meta", {}).get("script") == "traditional"
    new_metrics = _new_metrics(record, rng, replace_metrics, metrics or {}, traditional)

    pieces: list[str] = []
    new_spans: dict[int, tuple[int, int]] = {}
    position, length = 0, 0
    for i in order:
        ent = entities[i]
        gap = _convert(text[position : ent["start"]], flip, traditional)
        pieces.append(gap)
        length += len(gap)
        piece = new_metrics[i] if i in new_metrics else _new_mention(ent, mapping, rng, replace_numbers)
        piece = _convert(piece, flip, traditional)
        new_spans[i] = (length, length + len(piece))
        pieces.append(piece)
        length += len(piece)
        position = ent["end"]
    pieces.append(_convert(text[position:], flip, traditional))
    new_text = "".join(pieces)
    new_entities = [
        {"start": new_spans[i][0], "end": new_spans[i][1], "label": ent["label"], "text": new_text[new_spans[i][0] : new_spans[i][1]]}
        for i, ent in enumerate(entities)
    ]
    meta = dict(record.get("meta", {}))
    meta["augmented_from"] = record.get("id")
    if flip:
        meta["script"] = "simplified" if traditional else "traditional"
    return {
        "id": f"{record.get('id')}~aug",
        "text": new_text,
        "entities": new_entities,
        "relations": [dict(r) for r in record.get("relations", [])],
        "meta": meta,
    }


def _new_metrics(
    record: dict[str, Any], rng: random.Random, probability: float, pool: dict[str, list[str]], traditional: bool
) -> dict[int, str]:
    """The new text of each METRIC (by entity index) that a figure measures and that is drawn for
    replacement; the same text is replaced alike throughout the document, in the record's script."""
    if probability <= 0 or not pool:
        return {}
    entities = record["entities"]
    drawn: dict[str, str | None] = {}
    new: dict[int, str] = {}
    for relation in record.get("relations", []):
        if relation["label"] != "metric":
            continue
        index = relation["child"]
        text = entities[index]["text"]
        if text not in drawn:
            candidates = pool.get(figure_kind(entities[relation["head"]]["text"]))
            drawn[text] = rng.choice(candidates) if candidates and rng.random() < probability else None
        if drawn[text] is not None:
            new[index] = to_traditional(drawn[text]) if traditional else drawn[text]
    return new


def _new_mention(ent: dict[str, Any], mapping: dict[str, str], rng: random.Random, replace_numbers: float) -> str:
    text = ent["text"]
    label = ent["label"]
    if label in ("CITY", "REGION"):
        return mapping.get(text, text)
    if label == "ORG":
        for old, new in mapping.items():
            if old in text:
                text = text.replace(old, new)
        return text
    if label == "QUANTITY" and rng.random() < replace_numbers:
        return _new_figure(text, rng)
    if label == "DATE" and rng.random() < replace_numbers:
        return _YEAR.sub(lambda m: str(rng.randint(2005, 2026)), text)
    return text


def _new_figure(text: str, rng: random.Random) -> str:
    out = []
    for index, char in enumerate(text):
        if char.isdigit() and char.isascii():
            leading = index == 0 or not text[index - 1].isdigit()
            out.append(str(rng.randint(1 if leading and char != "0" else 0, 9)))
        elif char in _CHINESE_DIGITS:
            out.append(rng.choice(_CHINESE_DIGITS))
        else:
            out.append(char)
    return "".join(out)


def _convert(text: str, flip: bool, traditional: bool) -> str:
    if not flip or not text:
        return text
    return to_simplified(text) if traditional else to_traditional(text)
