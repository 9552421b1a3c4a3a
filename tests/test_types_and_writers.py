"""Typed facts round-trip to SCHEMA.md's JSON; the writers turn pieces of results into JSONL, CSV and tables."""
import csv
import io
import json

from ipner.pipeline.batch import ChunkResult
from ipner.types import FACT_ROW_COLUMNS, Fact, MetricSlot, QuantitySlot, SubjectSlot, TimeSlot
from ipner.writers import display_width, fit, make_writer

FACT = Fact(
    metric=MetricSlot("发明专利授权量", 9, 16),
    quantity=QuantitySlot("1.5亿元", 16, 21, 150000000.0, "元", None, "value"),
    subject=SubjectSlot("杭州", 6, 8, "CITY"),
    time=TimeSlot("2023年", 0, 5, 2023, carried=True),
    sentence="2023年,杭州发明专利授权量1.5亿元。",
    score=0.9,
)


def test_fact_round_trips_through_schema_json():
    data = FACT.to_dict()
    assert data["time"] == {"text": "2023年", "start": 0, "end": 5, "year": 2023, "period": None, "carried": True}
    assert data["place"] is None and (data["metric"]["id"], data["metric"]["name"]) == (None, None)
    assert "carried" not in data["subject"]
    assert Fact.from_dict(json.loads(json.dumps(data))) == FACT
    assert FACT.shifted(100).quantity.start == 116 and FACT.shifted(100).time.end == 105


def test_fact_row_has_the_table_columns():
    row = FACT.to_row("a.txt")
    assert tuple(row) == FACT_ROW_COLUMNS
    assert (row["value"], row["unit"], row["year"], row["subject_label"]) == ("150000000", "元", 2023, "CITY")
    placed = Fact.from_dict({
        **FACT.to_dict(),
        "place": {"name": "杭州市", "code": "330100", "level": "city", "province": "浙江省"},
        "metric": {**FACT.to_dict()["metric"], "id": "invention_patents_granted", "name": "发明专利授权量"},
        "time": {**FACT.to_dict()["time"], "period": "2023"},
    })
    row = placed.to_row("a.txt")
    assert (row["place"], row["place_code"], row["metric_id"], row["period"]) == ("杭州市", "330100", "invention_patents_granted", "2023")
    assert Fact.from_dict(placed.to_dict()) == placed


def _chunks():
    entity = {"start": 6, "end": 8, "label": "CITY", "text": "杭州"}
    yield ChunkResult("a.txt", True, False, 10, [entity], [], [FACT])
    yield ChunkResult("a.txt", False, True, 10, [], [{"head": 0, "child": 0, "label": "subject"}], [FACT.shifted(10)])
    yield ChunkResult("b.txt", True, True, 0)


def _write(fmt):
    out = io.StringIO()
    writer = make_writer(fmt, out)
    writer.start()
    for chunk in _chunks():
        writer.write(chunk)
    writer.finish()
    return out.getvalue()


def test_jsonl_and_json_writers_join_the_pieces_of_a_document():
    lines = [json.loads(line) for line in _write("jsonl").splitlines()]
    assert [r["id"] for r in lines] == ["a.txt", "b.txt"]
    assert len(lines[0]["facts"]) == 2 and lines[0]["facts"][1]["quantity"]["start"] == 26
    assert lines[0]["relations"] == [{"head": 0, "child": 0, "label": "subject"}]
    assert json.loads(_write("json")) == lines


def test_csv_and_table_writers():
    rows = list(csv.DictReader(io.StringIO(_write("csv"))))
    assert len(rows) == 2 and rows[0]["metric"] == "发明专利授权量" and rows[0]["value"] == "150000000"
    table = _write("table").splitlines()
    assert table[0].startswith("id") and "(no facts)" in table[-1] and len(table) == 5


def test_fit_pads_and_cuts_by_terminal_width():
    assert display_width("杭州ab") == 6
    assert display_width(fit("杭州市发明专利", 8)) == 8 and fit("杭州市发明专利", 8).rstrip().endswith("…")
    assert fit("ab", 4) == "ab  "


def test_json_lines_stay_one_line_for_every_reader():
    fact = FACT.__class__.from_dict({**FACT.to_dict(), "sentence": "一\x85二\u2028三\u2029四"})
    out = io.StringIO()
    writer = make_writer("jsonl", out)
    writer.start()
    writer.write(ChunkResult("a\u2028.txt", True, True, 10, [], [], [fact]))
    writer.finish()
    assert len(out.getvalue().splitlines()) == 1
    assert json.loads(out.getvalue())["facts"][0]["sentence"] == "一\x85二\u2028三\u2029四"


def test_annotation_tool_writers_join_the_pieces_of_a_document():
    from ipner.data.exporters import EXPORT_FORMATS

    pieces = [
        ChunkResult("a.txt", True, False, 6, [{"start": 0, "end": 5, "label": "DATE", "text": "2023年"}], [], [], "2023年,"),
        ChunkResult("a.txt", False, True, 7, [{"start": 8, "end": 13, "label": "QUANTITY", "text": "9286件"}],
                    [{"head": 1, "child": 0, "label": "time"}], [], "杭\u20289286件"),
        ChunkResult("b.txt", True, True, 0, text=""),
    ]
    for fmt in EXPORT_FORMATS:
        out = io.StringIO()
        writer = make_writer(fmt, out, version="m-1")
        writer.start()
        for chunk in pieces:
            writer.write(chunk)
        writer.finish()
        text = out.getvalue()
        records = json.loads(text) if fmt == "labelstudio" else [json.loads(line) for line in text.splitlines()]
        assert len(records) == 2, fmt
        first = records[0]
        assert (first.get("data") or first)["text"] == "2023年,杭\u20289286件", fmt
        if fmt == "labelstudio":
            result = first["predictions"][0]["result"]
            assert first["predictions"][0]["model_version"] == "m-1"
            assert [r["value"]["text"] for r in result if r["type"] == "labels"] == ["2023年", "9286件"]
            assert [(r["from_id"], r["to_id"], r["labels"]) for r in result if r["type"] == "relation"] == [("e1", "e0", ["time"])]
        elif fmt == "doccano":
            assert [(e["start_offset"], e["label"]) for e in first["entities"]] == [(0, "DATE"), (8, "QUANTITY")]
            assert first["relations"] == [{"id": 0, "from_id": 1, "to_id": 0, "type": "time"}]
        else:
            assert [s["token_end"] for s in first["spans"]] == [1, 6]  # tokens 2023 年 , 杭 \u2028 9286 件
            assert [(r["head"], r["child"], r["label"]) for r in first["relations"]] == [(6, 1, "time")]


def test_label_studio_writer_without_documents_writes_an_empty_list():
    out = io.StringIO()
    writer = make_writer("labelstudio", out)
    writer.start()
    writer.finish()
    assert json.loads(out.getvalue()) == []
