"""Augmentation of training documents (train split only): new places, new figures, the other script.

Each augmented copy of a gold record:

- replaces CITY and REGION mentions by other gazetteer places of the same label (the same mention
  text always by the same place within a document, and inside ORG names too), so the model learns
  places from their context rather than memorising the corpus's 385 cities;
- replaces the digits of QUANTITY spans by random digits (same number of digits, no new leading
  zero) and Chinese numerals by other Chinese numerals, and years in DATE spans by other years,
  so a figure keeps its written form but not its value;
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


def augment_record(
    record: dict[str, Any],
    rng: random.Random,
    *,
    replace_places: float,
    replace_numbers: float,
    flip_script: float,
) -> dict[str, Any]:
    """A new gold record derived from ``record`` (which is left unchanged); the probabilities come
    from the training config (``[corpora.train]`` of ``configs/cnn.cfg``)."""
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

    pieces: list[str] = []
    new_spans: dict[int, tuple[int, int]] = {}
    position, length = 0, 0
    for i in order:
        ent = entities[i]
        gap = _convert(text[position : ent["start"]], flip, traditional)
        pieces.append(gap)
        length += len(gap)
        piece = _new_mention(ent, mapping, rng, replace_numbers)
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
