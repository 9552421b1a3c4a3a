"""Importers of doccano, Label Studio and Prodigy exports, relations included, and their errors."""
import json
from pathlib import Path

import pytest

from ipner.data.gold import read_gold, write_gold
from ipner.data.importers import load_annotations
from ipner.data.validate import AnnotationError

EXAMPLES = Path(__file__).parent / "examples"
EXPECTED_FACT = {("QUANTITY", "9286件", "metric", "发明专利授权量"), ("QUANTITY", "9286件", "subject", "杭州"), ("QUANTITY", "9286件", "time", "2023年")}


def triples(record):
    ents = record["entities"]
    return {(ents[r["head"]]["label"], ents[r["head"]]["text"], r["label"], ents[r["child"]]["text"]) for r in record["relations"]}


@pytest.mark.parametrize("fmt,name", [("doccano", "doccano.jsonl"), ("labelstudio", "labelstudio.json"), ("prodigy", "prodigy.jsonl")])
def test_import_example_exports(fmt, name, tmp_path):
    records = load_annotations(EXAMPLES / name, fmt)
    first = records[0]
    assert first["text"] == "2023年,杭州发明专利授权量9286件。"
    assert [e["label"] for e in first["entities"]] == ["DATE", "CITY", "METRIC", "QUANTITY"]
    assert triples(first) == EXPECTED_FACT
    # export back to ipner JSONL and read it again
    out = tmp_path / "out.jsonl"
    write_gold(records, out)
    assert read_gold(out) == records


def test_prodigy_keeps_only_accepted():
    assert len(load_annotations(EXAMPLES / "prodigy.jsonl", "prodigy")) == 1


def test_doccano_second_record_traditional():
    record = load_annotations(EXAMPLES / "doccano.jsonl", "doccano")[1]
    assert triples(record) == {("QUANTITY", "72.42件", "metric", "每萬人有效發明專利擁有量"), ("QUANTITY", "72.42件", "subject", "長沙")}


def test_doccano_sequence_labelling_export(tmp_path):
    path = tmp_path / "seq.jsonl"
    row = {"id": 7, "text": "2023年,杭州发明专利授权量9286件。", "label": [[0, 5, "DATE"], [6, 8, "CITY"], [8, 15, "METRIC"], [15, 20, "QUANTITY"]]}
    path.write_text(json.dumps(row, ensure_ascii=False) + "\n", encoding="utf-8")
    record = load_annotations(path, "doccano")[0]
    assert [(e["text"], e["label"]) for e in record["entities"]] == [("2023年", "DATE"), ("杭州", "CITY"), ("发明专利授权量", "METRIC"), ("9286件", "QUANTITY")]
    assert record["relations"] == []


def test_wrong_offsets_are_located(tmp_path):
    rows = [json.loads(line) for line in (EXAMPLES / "doccano.jsonl").read_text(encoding="utf-8").splitlines()]
    rows[1]["entities"][0]["end_offset"] = 99
    rows[1]["relations"][0]["type"] = "colour"
    bad = tmp_path / "bad.jsonl"
    bad.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), encoding="utf-8")
    with pytest.raises(AnnotationError) as err:
        load_annotations(bad, "doccano")
    text = str(err.value)
    assert f"{bad}:2: entity 0 has bad offsets 0-99" in text
    assert "unknown label 'colour'" in text


def test_wrong_label_and_relation_in_labelstudio(tmp_path):
    tasks = json.loads((EXAMPLES / "labelstudio.json").read_text(encoding="utf-8"))
    tasks[0]["annotations"][0]["result"][1]["value"]["labels"] = ["TOWN"]
    tasks[0]["annotations"][0]["result"][5]["from_id"] = "nope"
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(AnnotationError) as err:
        load_annotations(bad, "labelstudio")
    assert "task 0 (id 5)" in str(err.value)
    assert "unknown label 'TOWN'" in str(err.value)
    assert "unknown region ids" in str(err.value)


def test_prodigy_relation_to_missing_span(tmp_path):
    row = json.loads((EXAMPLES / "prodigy.jsonl").read_text(encoding="utf-8").splitlines()[0])
    row["relations"][0]["child_span"]["start"] = 1
    bad = tmp_path / "bad.jsonl"
    bad.write_text(json.dumps(row, ensure_ascii=False), encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"bad.jsonl:1: relation metric joins spans"):
        load_annotations(bad, "prodigy")


def test_invalid_json_is_located(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x"}\n{oops\n', encoding="utf-8")
    with pytest.raises(AnnotationError, match="bad.jsonl:2: not valid JSON"):
        load_annotations(bad, "doccano")


def test_import_cli(tmp_path):
    import subprocess
    import sys

    out = tmp_path / "gold.jsonl"
    ok = subprocess.run([sys.executable, "-m", "ipner", "import", "--format", "labelstudio",
                         str(EXAMPLES / "labelstudio.json"), "-o", str(out)], capture_output=True)
    assert ok.returncode == 0, ok.stderr.decode()
    assert triples(read_gold(out)[0]) == EXPECTED_FACT
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "杭州", "entities": [{"id": 1, "label": "CITY", "start_offset": 0, "end_offset": 5}]}\n', encoding="utf-8")
    failed = subprocess.run([sys.executable, "-m", "ipner", "import", "--format", "doccano", str(bad)], capture_output=True)
    assert failed.returncode == 1 and b"bad.jsonl:1" in failed.stderr and b"Traceback" not in failed.stderr
