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


# --- issue 12: which format a file is in, and problems of one kind capped ---------------------

REPO = Path(__file__).resolve().parents[2]
AUTHORING = REPO / "annotations" / "finetune_example" / "train.txt"
GOLD = REPO / "annotations" / "gold" / "corpus.jsonl"


def write_lines(path, rows):
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    return path


def test_detect_format_of_the_example_exports(tmp_path):
    from ipner.data.importers import detect_format

    assert detect_format(EXAMPLES / "doccano.jsonl") == "doccano"
    assert detect_format(EXAMPLES / "labelstudio.json") == "labelstudio"
    assert detect_format(EXAMPLES / "prodigy.jsonl") == "prodigy"
    assert detect_format(AUTHORING) == "authoring"
    assert detect_format(GOLD) == "ipner"
    seq = write_lines(tmp_path / "seq.jsonl", [{"id": 1, "text": "杭州", "label": [[0, 2, "CITY"]]}])
    assert detect_format(seq) == "doccano"
    commented = tmp_path / "a.txt"
    commented.write_text("% a comment\n\n=== d1\nscript: simplified\n---\n杭州\n", encoding="utf-8")
    assert detect_format(commented) == "authoring"
    # records without annotations do not tell; the first one that does decides
    later = write_lines(tmp_path / "later.jsonl", [{"text": "x", "entities": [], "relations": []},
                                                   {"text": "杭州", "entities": [{"start": 0, "end": 2, "label": "CITY"}]}])
    assert detect_format(later) == "ipner"
    (tmp_path / "empty.jsonl").write_text("", encoding="utf-8")
    (tmp_path / "binary.bin").write_bytes(b"\xff\xfe\x00garbage")
    assert detect_format(tmp_path / "empty.jsonl") is None
    assert detect_format(tmp_path / "binary.bin") is None
    assert detect_format(tmp_path / "missing.jsonl") is None
    assert detect_format(write_lines(tmp_path / "plain.jsonl", [{"text": "x"}])) is None


@pytest.mark.parametrize("path,detected", [
    (EXAMPLES / "doccano.jsonl", "doccano"),
    (EXAMPLES / "labelstudio.json", "labelstudio"),
    (EXAMPLES / "prodigy.jsonl", "prodigy"),
    (AUTHORING, "authoring"),
    (GOLD, "ipner"),
])
def test_a_file_in_another_format_gets_one_clear_problem(path, detected):
    from ipner.data.importers import FORMAT_NAMES, FORMATS

    for fmt in FORMATS:
        if fmt == detected:
            continue
        with pytest.raises(AnnotationError) as err:
            load_annotations(path, fmt)
        assert len(err.value.problems) == 1, (fmt, err.value.problems)
        message = str(err.value.problems[0])
        assert message.startswith(str(path))
        assert f"this looks like {FORMAT_NAMES[detected]}: use --format {detected}" in message
        assert f"--format {fmt} reads {FORMAT_NAMES[fmt]}" in message


def test_prodigy_format_on_a_doccano_file_in_the_cli(tmp_path, capsys):
    from ipner.cli import main

    out = tmp_path / "gold.jsonl"
    assert main(["import", "--format", "prodigy", str(EXAMPLES / "doccano.jsonl"), "-o", str(out)]) == 1
    err = capsys.readouterr().err
    assert "this looks like a doccano export: use --format doccano" in err
    assert "relation None" not in err and "joins spans" not in err
    assert err.count("ipner: error:") == 1 and not out.exists()


def test_problems_of_one_kind_are_capped_with_a_count(tmp_path):
    rows = [{"id": n, "text": "杭州发明专利", "entities": [{"id": 1, "label": "CITY", "start_offset": n + 10, "end_offset": n + 20}]}
            for n in range(20)]
    rows += [{"id": 100 + n, "text": "杭州", "entities": [{"id": 1, "label": "TOWN", "start_offset": 0, "end_offset": 2}]}
             for n in range(7)]
    rows.append({"id": 200, "text": "杭州", "entities": [{"id": 1, "label": "CITY", "start_offset": 0, "end_offset": 2}],
                 "relations": [{"id": 1, "from_id": 1, "to_id": 9, "type": "metric"}]})
    path = write_lines(tmp_path / "many.jsonl", rows)
    with pytest.raises(AnnotationError) as err:
        load_annotations(path, "doccano")
    lines = [str(p) for p in err.value.problems]
    assert sum("bad offsets" in line for line in lines) == 5
    assert "… and 15 more like this" in lines
    assert sum("unknown label 'TOWN'" in line for line in lines) == 5
    assert "… and 2 more like this" in lines
    assert any("unknown entity ids 1->9" in line for line in lines)  # a kind of its own is kept
    assert len(lines) == 5 + 1 + 5 + 1 + 1
    # the count follows the last problem shown of its kind
    assert lines.index("… and 15 more like this") == 5 and "many.jsonl:5: entity 0 has bad offsets" in lines[4]
    # all of them on request
    with pytest.raises(AnnotationError) as err:
        load_annotations(path, "doccano", max_per_kind=None)
    assert len(err.value.problems) == 20 + 7 + 1


def test_lines_that_are_not_json_are_capped(tmp_path):
    path = tmp_path / "notes.jsonl"
    path.write_text("".join(f"note {n}: not json\n" for n in range(40)), encoding="utf-8")
    with pytest.raises(AnnotationError) as err:
        load_annotations(path, "ipner")
    assert [str(p) for p in err.value.problems][-1] == "… and 35 more like this"
    assert str(err.value.problems[0]).startswith(f"{path}:1: not valid JSON")


def test_text_with_line_separators_survives_a_round_trip(tmp_path):
    text = "杭州\u2028发明专利\u0085授权量\x1c9286件"
    record = {"id": "d", "text": text, "entities": [{"start": 0, "end": 2, "label": "CITY", "text": "杭州"}], "relations": [], "meta": {}}
    path = tmp_path / "gold.jsonl"
    write_gold([record, {**record, "id": "e"}], path)
    assert read_gold(path) == [record, {**record, "id": "e"}]
    assert [r["text"] for r in load_annotations(path, "ipner")] == [text, text]


def test_lone_surrogates_and_huge_numbers_are_located(tmp_path, capsys):
    from ipner.cli import main

    path = tmp_path / "odd.jsonl"
    path.write_text('{"id": 1, "text": "\\ud800杭州", "label": [[1, 3, "CITY"]]}\n'
                    '{"id": 2, "text": "杭州", "label": [[0, ' + "9" * 5000 + ', "CITY"]]}\n', encoding="utf-8")
    with pytest.raises(AnnotationError) as err:
        load_annotations(path, "doccano")
    assert str(err.value.problems[0]).startswith(f"{path}:2: not valid JSON")
    path.write_text('{"id": 1, "text": "\\ud800杭州", "label": [[1, 3, "CITY"]]}\n', encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"odd.jsonl:1: holds '\\ud800'"):
        load_annotations(path, "doccano")
    assert main(["import", "--format", "doccano", str(path)]) == 1
    assert "odd.jsonl:1" in capsys.readouterr().err


def test_bytes_that_are_not_utf8_are_located(tmp_path):
    path = tmp_path / "gbk.jsonl"
    path.write_bytes(b'{"text": "x"}\n' + '{"text": "杭州"}\n'.encode("gbk"))
    with pytest.raises(AnnotationError, match=r"gbk.jsonl:2: not UTF-8 text"):
        load_annotations(path, "doccano")


def test_broken_label_studio_json_names_the_line(tmp_path):
    path = tmp_path / "bad.json"
    path.write_text('[\n  {"id": 1, "data": {"text": "杭州"}, "annotations": []},\n  {"id": 2,, }\n]\n', encoding="utf-8")
    with pytest.raises(AnnotationError, match=r"bad.json:3: not valid JSON"):
        load_annotations(path, "labelstudio")
