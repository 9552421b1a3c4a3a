"""Pre-annotations (``predict --format labelstudio|doccano|prodigy``): the shipped model's output on
seed passages, exported, reviewed in the tool (simulated as the tool records a review), imported back
and read by fine-tuning, gives the same entities and relations as ``predict``."""
import copy
import io
import json
import xml.etree.ElementTree as ET

import pytest

from ipner.api import write_predictions
from ipner.data.exporters import (
    EXPORT_FORMATS, LABELSTUDIO_FROM_NAME, LABELSTUDIO_TO_NAME, labelstudio_config, model_version, prodigy_tokens, to_prodigy,
)
from ipner.data.importers import detect_format, load_annotations
from ipner.errors import AnnotationError
from ipner.pipeline.batch import InputDocument
from ipner.schema import ENTITY_LABELS, RELATION_LABELS
from tests.conftest import REPO, SEEDS

SUFFIX = {"labelstudio": ".json", "doccano": ".jsonl", "prodigy": ".jsonl"}
CHUNK_CHARS = 300  # several pieces per passage, so that the writers join the pieces of a document


def passage(text: str, chars: int) -> str:
    """The start of ``text`` up to the first sentence end after ``chars`` characters."""
    return text[: text.index("。", chars) + 1]


@pytest.fixture(scope="module")
def nlp():
    import ipner

    return ipner.load()


@pytest.fixture(scope="module")
def documents():
    return [InputDocument(f"corpus/seeds/{path.name}", passage(path.read_text(encoding="utf-8"), 700)) for path in SEEDS[:3]]


@pytest.fixture(scope="module")
def predicted(nlp, documents):
    """``predict``'s JSONL records of the documents."""
    out = io.StringIO()
    write_predictions(nlp, documents, out, "jsonl", chunk_chars=CHUNK_CHARS)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    assert sum(len(r["relations"]) for r in records) >= 5, "the passages must give relations to check"
    return records


@pytest.fixture(scope="module")
def exported(nlp, documents, tmp_path_factory):
    """The documents exported in each tool's format: ``{fmt: path}``."""
    folder = tmp_path_factory.mktemp("exported")
    paths = {}
    for fmt in EXPORT_FORMATS:
        paths[fmt] = folder / f"{fmt}{SUFFIX[fmt]}"
        with paths[fmt].open("w", encoding="utf-8") as out:
            write_predictions(nlp, documents, out, fmt, chunk_chars=CHUNK_CHARS)
    return paths


def reviewed(path, fmt, tmp_path):
    """The export as the tool exports it after a reviewer accepted every document unchanged."""
    if fmt == "labelstudio":
        tasks = json.loads(path.read_text(encoding="utf-8"))
        for number, task in enumerate(tasks, 1):
            # Label Studio numbers tasks and, on submit, copies the prediction's result into an annotation
            task["id"] = 100 + number
            task["annotations"] = [{"id": number, "result": copy.deepcopy(task["predictions"][0]["result"]), "was_cancelled": False}]
        out = tmp_path / "reviewed.json"
        out.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
        return out
    if fmt == "prodigy":
        rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        out = tmp_path / "reviewed.jsonl"
        out.write_text("".join(json.dumps({**row, "answer": "accept"}, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8")
        return out
    return path  # doccano's export has the shape of its import


def annotations(record):
    """Entities as (start, end, label) and relations as (head span, child span, label)."""
    ents = [(e["start"], e["end"], e["label"]) for e in record["entities"]]
    rels = sorted((ents[r["head"]][:2], ents[r["child"]][:2], r["label"]) for r in record["relations"])
    return ents, rels


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_round_trip_through_the_tool_gives_predict_output(fmt, exported, predicted, documents, tmp_path):
    records = load_annotations(reviewed(exported[fmt], fmt, tmp_path), fmt)
    assert [r["id"] for r in records] == [d.id for d in documents]
    assert [r["text"] for r in records] == [d.text for d in documents]
    for record, expected in zip(records, predicted):
        assert annotations(record) == annotations(expected)


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_exported_file_is_recognised_as_its_tool(fmt, exported):
    assert detect_format(exported[fmt]) == fmt


@pytest.mark.parametrize("fmt", EXPORT_FORMATS)
def test_finetune_reads_the_reviewed_export(fmt, exported, documents, tmp_path):
    from ipner.training.finetune import load_new_data

    records = load_new_data([reviewed(exported[fmt], fmt, tmp_path)], fmt)
    assert [r["id"] for r in records] == [d.id for d in documents]


@pytest.mark.parametrize("fmt", ["labelstudio", "prodigy"])
def test_unreviewed_pre_annotations_are_not_gold(fmt, exported, documents, capsys):
    from ipner.cli import main
    from ipner.training.finetune import load_new_data

    notes = []
    assert load_annotations(exported[fmt], fmt, notes=notes) == []
    assert len(notes) == 1 and notes[0].where == str(exported[fmt])
    assert notes[0].message.startswith(f"{len(documents)} task(s) without ")
    assert main(["import", "--format", fmt, str(exported[fmt])]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err == f"ipner: note: {notes[0]}\n"
    with pytest.raises(AnnotationError) as raised:
        load_new_data([exported[fmt]], fmt)
    assert str(raised.value).startswith(f"no documents in {exported[fmt]}; {notes[0]}")


def test_a_partly_reviewed_label_studio_export_keeps_the_reviewed_tasks(exported, documents, tmp_path):
    tasks = json.loads(reviewed(exported["labelstudio"], "labelstudio", tmp_path).read_text(encoding="utf-8"))
    del tasks[1]["annotations"]
    tasks[2]["annotations"][0]["was_cancelled"] = True
    path = tmp_path / "partly.json"
    path.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    notes = []
    assert [r["id"] for r in load_annotations(path, "labelstudio", notes=notes)] == [documents[0].id]
    assert [n.message.split(" (")[0] for n in notes] == ["2 task(s) without a submitted annotation left out, not imported as gold"]
    assert "task 1 (id 102), task 2 (id 103)" in notes[0].message


def test_label_studio_tasks_use_the_labeling_config(exported, nlp):
    view = ET.fromstring(labelstudio_config())
    labels, text = view.find("Labels"), view.find("Text")
    assert {label.get("value") for label in labels.iter("Label")} == set(ENTITY_LABELS)
    assert {rel.get("value") for rel in view.find("Relations").iter("Relation")} == set(RELATION_LABELS)
    assert (labels.get("name"), labels.get("toName"), text.get("name")) == (LABELSTUDIO_FROM_NAME, LABELSTUDIO_TO_NAME, LABELSTUDIO_TO_NAME)
    tasks = json.loads(exported["labelstudio"].read_text(encoding="utf-8"))
    regions = relations = 0
    for task in tasks:
        assert isinstance(task["data"][text.get("value").removeprefix("$")], str)
        [prediction] = task["predictions"]
        assert prediction["model_version"] == model_version(nlp.meta) == f"{nlp.meta['name']}-{nlp.meta['version']}"
        ids = set()
        for item in prediction["result"]:
            if item["type"] == "labels":
                assert (item["from_name"], item["to_name"]) == (labels.get("name"), text.get("name"))
                assert item["value"]["labels"][0] in ENTITY_LABELS
                assert task["data"]["text"][item["value"]["start"]:item["value"]["end"]] == item["value"]["text"]
                ids.add(item["id"])
                regions += 1
            else:
                assert item["type"] == "relation" and {item["from_id"], item["to_id"]} <= ids
                assert item["labels"][0] in RELATION_LABELS
                relations += 1
        assert len(ids) == sum(item["type"] == "labels" for item in prediction["result"])  # region ids are unique
    assert regions and relations


def test_shipped_labeling_config_is_the_generated_one():
    assert (REPO / "docs" / "labelstudio_config.xml").read_text(encoding="utf-8") == labelstudio_config()


def test_prodigy_tasks_carry_the_model_tokens(exported):
    for line in exported["prodigy"].read_text(encoding="utf-8").splitlines():
        task = json.loads(line)
        tokens, text = task["tokens"], task["text"]
        assert "answer" not in task
        assert "".join(t["text"] + (" " if t["ws"] else "") for t in tokens) == text
        assert all(text[t["start"]:t["end"]] == t["text"] and t["id"] == i for i, t in enumerate(tokens))
        for span in task["spans"]:
            assert (tokens[span["token_start"]]["start"], tokens[span["token_end"]]["end"]) == (span["start"], span["end"])
        for rel in task["relations"]:
            assert (rel["head"], rel["child"]) == (rel["head_span"]["token_end"], rel["child_span"]["token_end"])
            assert rel["head_span"] in task["spans"] and rel["child_span"] in task["spans"]


def test_prodigy_span_off_token_boundaries_gets_the_overlapping_tokens():
    text = "2023年杭州"
    task = to_prodigy({"id": "d", "text": text, "entities": [{"start": 2, "end": 5, "label": "DATE"}], "relations": []})
    assert [t["text"] for t in prodigy_tokens(text)][:2] == ["2023", "年"]
    assert (task["spans"][0]["token_start"], task["spans"][0]["token_end"]) == (0, 1)
