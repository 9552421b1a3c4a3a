"""Exporters: ``predict``'s entities and relations as pre-annotations in the import formats of
annotation tools, the inverse of :mod:`ipner.data.importers`.

A user loads the file into the tool, corrects the model's output, exports it, and fine-tunes on the
export (``python -m ipner finetune --format <tool>``); each function below writes exactly what the
importer of the same name reads back.

- Label Studio: a task ``{"data": {"text", "id"}, "predictions": [{"model_version", "result"}]}``,
  whose result regions use the names of :func:`labelstudio_config` (the labeling config to paste
  into the project). Label Studio turns a prediction into an annotation only when it is submitted;
  the importer reads annotations only.
- doccano (relation extraction): ``{"id", "text", "entities", "relations"}`` with ``start_offset``/
  ``end_offset`` entities and ``from_id``/``to_id``/``type`` relations.
- Prodigy (``rel.manual``): ``text``, ``tokens`` of ipner's tokenizer, ``spans`` and ``relations``
  with token indices, ``meta.id``; no ``answer`` (not yet reviewed).

Every function takes a record with ``id``, ``text``, ``entities`` (``start``, ``end``, ``label``)
and ``relations`` (``head``, ``child`` indices into ``entities``, ``label``): ``predict``'s record
(docs/SCHEMA.md) with the document's text added.
"""
from __future__ import annotations

import bisect
import functools
import xml.etree.ElementTree as ET
from typing import Any, Mapping

from ipner.schema import ENTITY_LABELS, RELATION_LABELS

__all__ = [
    "EXPORT_FORMATS", "LABELSTUDIO_FROM_NAME", "LABELSTUDIO_TO_NAME", "export_record", "to_labelstudio", "to_doccano",
    "to_prodigy", "prodigy_tokens", "labelstudio_config", "model_version",
]

#: The annotation tools whose import format :func:`export_record` writes (``predict --format``).
EXPORT_FORMATS = ("labelstudio", "doccano", "prodigy")
#: The ``<Labels name>`` and ``<Text name>`` of :func:`labelstudio_config`, used by every region.
LABELSTUDIO_FROM_NAME = "label"
LABELSTUDIO_TO_NAME = "text"


def model_version(meta: Mapping[str, Any]) -> str:
    """``<name>-<version>`` of a pipeline's ``nlp.meta``: the ``model_version`` of Label Studio predictions."""
    return f"{meta.get('name') or 'pipeline'}-{meta.get('version') or '0.0.0'}"


def _entity_text(record: Mapping[str, Any], entity: Mapping[str, Any]) -> str:
    return record["text"][entity["start"]:entity["end"]]


def to_labelstudio(record: Mapping[str, Any], version: str | None = None) -> dict[str, Any]:
    """One Label Studio task holding the record's entities and relations as one prediction.

    The document id is kept as ``data.id`` (Label Studio gives tasks numbers of its own, but keeps
    ``data``), and the importer reads it back as the record's id."""
    result: list[dict[str, Any]] = [
        {
            "id": f"e{index}",
            "from_name": LABELSTUDIO_FROM_NAME,
            "to_name": LABELSTUDIO_TO_NAME,
            "type": "labels",
            "value": {"start": ent["start"], "end": ent["end"], "text": _entity_text(record, ent), "labels": [ent["label"]]},
        }
        for index, ent in enumerate(record["entities"])
    ]
    result += [
        {"type": "relation", "from_id": f"e{rel['head']}", "to_id": f"e{rel['child']}", "direction": "right", "labels": [rel["label"]]}
        for rel in record["relations"]
    ]
    prediction: dict[str, Any] = {"result": result}
    if version is not None:
        prediction = {"model_version": version, **prediction}
    return {"data": {"text": record["text"], "id": record["id"]}, "predictions": [prediction]}


def to_doccano(record: Mapping[str, Any]) -> dict[str, Any]:
    """One line of doccano's relation-extraction JSONL; entity ids are the entities' indices."""
    return {
        "id": record["id"],
        "text": record["text"],
        "entities": [
            {"id": index, "start_offset": ent["start"], "end_offset": ent["end"], "label": ent["label"]}
            for index, ent in enumerate(record["entities"])
        ],
        "relations": [
            {"id": index, "from_id": rel["head"], "to_id": rel["child"], "type": rel["label"]}
            for index, rel in enumerate(record["relations"])
        ],
    }


@functools.lru_cache(maxsize=1)
def _tokenizer():
    from spacy.vocab import Vocab

    from ipner.pipeline.tokenizer import CharTokenizer

    return CharTokenizer(Vocab())


def prodigy_tokens(text: str) -> list[dict[str, Any]]:
    """``text`` cut by ipner's tokenizer (the one the model reads) into Prodigy's tokens:
    ``text``, ``start``, ``end``, ``id``, ``ws`` (a space follows)."""
    return [
        {"text": token.text, "start": token.idx, "end": token.idx + len(token.text), "id": token.i, "ws": bool(token.whitespace_)}
        for token in _tokenizer()(text)
    ]


def to_prodigy(record: Mapping[str, Any], tokens: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """One Prodigy task for ``rel.manual``: spans carry ``token_start``/``token_end`` (inclusive) and
    relations ``head``/``child``, the last token of each span, as Prodigy writes them.

    ``tokens`` default to :func:`prodigy_tokens` of the text. An entity that does not fall on token
    boundaries gets the tokens that overlap it; its character offsets stay exact."""
    tokens = prodigy_tokens(record["text"]) if tokens is None else tokens
    starts = [token["start"] for token in tokens]
    ends = [token["end"] for token in tokens]
    last = max(len(tokens) - 1, 0)

    def span(ent: Mapping[str, Any]) -> dict[str, Any]:
        token_start = max(bisect.bisect_right(starts, ent["start"]) - 1, 0)
        token_end = min(bisect.bisect_left(ends, ent["end"]), last)
        return {"start": ent["start"], "end": ent["end"], "token_start": token_start, "token_end": max(token_end, token_start),
                "label": ent["label"]}

    spans = [span(ent) for ent in record["entities"]]
    relations = [
        {"head": spans[rel["head"]]["token_end"], "child": spans[rel["child"]]["token_end"],
         "head_span": spans[rel["head"]], "child_span": spans[rel["child"]], "label": rel["label"]}
        for rel in record["relations"]
    ]
    return {"text": record["text"], "tokens": tokens, "spans": spans, "relations": relations, "meta": {"id": record["id"]}}


def export_record(fmt: str, record: Mapping[str, Any], version: str | None = None) -> dict[str, Any]:
    """``record`` in the import format of the tool ``fmt`` (one of :data:`EXPORT_FORMATS`);
    ``version`` is the Label Studio ``model_version`` (see :func:`model_version`)."""
    if fmt == "labelstudio":
        return to_labelstudio(record, version)
    if fmt == "doccano":
        return to_doccano(record)
    if fmt == "prodigy":
        return to_prodigy(record)
    raise ValueError(f"unknown export format {fmt!r} (one of {', '.join(EXPORT_FORMATS)})")


def labelstudio_config() -> str:
    """The Label Studio labeling config for :func:`to_labelstudio`'s tasks: ``<Labels>`` with every
    entity label and ``<Relations>`` with every relation label of SCHEMA.md (``ipner.schema``)."""
    view = ET.Element("View")
    relations = ET.SubElement(view, "Relations")
    for label in RELATION_LABELS:
        ET.SubElement(relations, "Relation", value=label)
    labels = ET.SubElement(view, "Labels", name=LABELSTUDIO_FROM_NAME, toName=LABELSTUDIO_TO_NAME)
    for label in ENTITY_LABELS:
        ET.SubElement(labels, "Label", value=label)
    ET.SubElement(view, "Text", name=LABELSTUDIO_TO_NAME, value="$text")  # the task's data.text
    ET.indent(view)
    return ET.tostring(view, encoding="unicode") + "\n"


if __name__ == "__main__":
    print(labelstudio_config(), end="")
