"""ipner.tables: grouping facts of many documents into one table, agreement within rounding,
conflicts, pivots, the writers and the inputs (saved predictions detected by their first record)."""
import io
import json
from decimal import Decimal

import pandas as pd
import pytest

import ipner
from ipner.errors import UsageError
from ipner.inputs import ErrorLog
from ipner.pipeline.batch import InputDocument
from ipner.tables import (
    TABLE_COLUMNS,
    PredictionRecord,
    Reading,
    fact_key,
    facts_table,
    group_facts,
    period_label,
    period_sort_key,
    pivot_table,
    read_table_inputs,
    rows_to_frame,
    select_metric,
    value_precision,
    values_agree,
    write_table,
)

ZHUZHOU = {"name": "株洲市", "code": "430200", "level": "city", "province": "湖南省"}
CHANGSHA = {"name": "长沙市", "code": "430100", "level": "city", "province": "湖南省"}
PER_10K = ("invention_patents_per_10k_people", "每万人口有效发明专利拥有量")


def make_fact(
    quantity="31.24件", value=31.24, unit="件", approx=None, kind="value", metric="每万人口有效发明专利拥有量",
    metric_id=PER_10K[0], metric_name=PER_10K[1], subject="株洲市", label="CITY", place=ZHUZHOU,
    time="2023年", period="2023", sentence=None, start=20,
):
    """A fact in SCHEMA.md's shape with the canonical fields (place, metric.id/name, time.period)."""
    sentence = sentence or f"{time or ''}{subject or ''}{metric}{quantity}"
    return {
        "subject": None if subject is None else {"text": subject, "label": label, "start": 0, "end": len(subject)},
        "metric": {"text": metric, "start": 5, "end": 5 + len(metric), "id": metric_id, "name": metric_name if metric_id else None},
        "quantity": {"text": quantity, "start": start, "end": start + len(quantity), "value": value, "unit": unit,
                     "approx": approx, "kind": kind},
        "time": None if time is None else {"text": time, "start": 0, "end": len(time), "year": 2023, "period": period},
        "place": place,
        "sentence": sentence,
        "score": 0.9,
    }


def old_fact(subject, metric, quantity, value, year=2023):
    """A fact as ipner 0.1.0 wrote it: no place, no metric id, no period."""
    fact = make_fact(quantity=quantity, value=value, metric=metric, subject=subject)
    del fact["place"]
    del fact["metric"]["id"], fact["metric"]["name"]
    fact["time"] = {"text": f"{year}年", "start": 0, "end": 5, "year": year}
    return fact


def test_three_documents_in_different_words_and_scripts_give_one_row_with_three_sources():
    sources = [
        ("a.txt", make_fact(metric="每万人口有效发明专利拥有量", subject="株洲市", quantity="31.24件", value=31.24)),
        ("b.txt", make_fact(metric="每萬人有效發明專利擁有量", subject="株洲", quantity="31.24件", value=31.24, time="2023年底")),
        ("c.txt", make_fact(metric="萬人發明專利擁有量", subject="株洲", quantity="31.2件", value=31.2)),
    ]
    rows = group_facts(sources)
    assert len(rows) == 1
    row = rows[0]
    assert set(row) == set(TABLE_COLUMNS)
    assert (row["place"], row["place_code"], row["place_level"], row["province"]) == ("株洲市", "430200", "city", "湖南省")
    assert row["subject"] is None
    assert (row["metric_id"], row["metric"], row["period"], row["kind"]) == (*PER_10K, "2023", "value")
    assert (row["value"], row["unit"], row["approx"]) == (31.24, "件", None)
    assert row["n_documents"] == 3 and row["documents"] == ["a.txt", "b.txt", "c.txt"]
    assert len(row["sentences"]) == 3 and row["offsets"][1] == [20, 26]
    assert row["conflict"] is False and row["values"] == []


def test_two_documents_with_different_values_give_a_conflict_row_keeping_both():
    rows = group_facts([
        ("a.txt", make_fact(quantity="31.24件", value=31.24)),
        ("b.txt", make_fact(quantity="35.1件", value=35.1)),
    ])
    assert len(rows) == 1
    row = rows[0]
    assert row["conflict"] is True
    assert row["values"] == [31.24, 35.1]
    assert row["documents"] == ["a.txt", "b.txt"] and row["n_documents"] == 2
    assert row["value"] == 31.24  # one document each: the more precise


def test_a_conflict_takes_the_value_most_documents_state():
    rows = group_facts([
        ("a", make_fact(quantity="35.1件", value=35.1)),
        ("b", make_fact(quantity="31.24件", value=31.24)),
        ("c", make_fact(quantity="35.1件", value=35.1)),
    ])
    assert rows[0]["conflict"] and rows[0]["value"] == 35.1 and rows[0]["values"] == [31.24, 35.1]


@pytest.mark.parametrize("text, value, expected", [
    ("31.24件", 31.24, "0.01"),
    ("7.61萬件", 76100.0, "100"),
    ("15.3万件", 153000.0, "1000"),
    ("292.0亿元", 29200000000.0, "10000000"),
    ("1.5亿元", 150000000.0, "10000000"),
    ("8萬件", 80000.0, "10000"),
    ("8.0692萬件", 80692.0, "1"),
    ("153012件", 153012.0, "1"),
    ("153000件", 153000.0, "1000"),
    ("9700余件", 9700.0, "100"),
    ("3000家", 3000.0, "100"),
    ("10%", 10.0, "1"),
    ("37.5%", 37.5, "0.1"),
    ("第2", 2.0, "1"),
    ("一万二千件", 12000.0, "1000"),
    ("三分之二", 66.67, "0.01"),
    ("３０００件", 3000.0, "100"),
    ("下降0.53%", -0.53, "0.01"),
])
def test_precision_is_read_from_the_number_as_written(text, value, expected):
    assert value_precision(text, value) == Decimal(expected)


def reading(text, value, approx=None, unit="件"):
    return Reading(value, unit, approx, value_precision(text, value))


@pytest.mark.parametrize("a, b, agree", [
    (("15.3万件", 153000.0), ("153012件", 153012.0), True),  # the less precise one rounds the other
    (("15.3万件", 153000.0), ("154000件", 154000.0), False),
    (("8萬件", 80000.0), ("8.0692萬件", 80692.0), True),
    (("8萬件", 80000.0), ("8.6萬件", 86000.0), False),
    (("72.42件", 72.42), ("72.4件", 72.4), True),
    (("72.42件", 72.42), ("72.5件", 72.5), False),
    (("31.24件", 31.24), ("31.24件", 31.24), True),
    (("9700余件", 9700.0, "over"), ("9780件", 9780.0), True),  # over: up to one unit above
    (("9700余件", 9700.0, "over"), ("9820件", 9820.0), False),
    (("近1万件", 10000.0, "under"), ("9712件", 9712.0), True),
    (("超5.6亿元", 5.6e8, "over"), ("5.72亿元", 5.72e8), False),
    (("1.5亿元", 1.5e8), ("1.46亿元", 1.46e8), True),
    (("1.5亿元", 1.5e8), ("1.44亿元", 1.44e8), False),
])
def test_values_agree_within_rounding(a, b, agree):
    first, second = reading(*a), reading(*b)
    assert values_agree(first, second) is agree
    assert values_agree(second, first) is agree


def test_different_units_disagree_and_a_missing_unit_agrees():
    assert not values_agree(reading("9件", 9.0), reading("9项", 9.0, unit="项"))
    assert values_agree(reading("第2", 2.0, unit=None), reading("第2位", 2.0, unit="位"))
    rows = group_facts([("a", make_fact(quantity="第2", value=2.0, unit=None, kind="rank")),
                        ("b", make_fact(quantity="第2位", value=2.0, unit="位", kind="rank"))])
    assert not rows[0]["conflict"] and rows[0]["unit"] == "位"


def test_the_key_separates_places_metrics_periods_and_kinds():
    rows = group_facts([
        ("a", make_fact()),
        ("a", make_fact(place=CHANGSHA, subject="长沙")),
        ("a", make_fact(period="2022", time="2022年")),
        ("a", make_fact(quantity="12.5%", value=12.5, unit="%", kind="growth")),
        ("a", make_fact(metric="发明专利授权量", metric_id="invention_patent_grants", metric_name="发明专利授权量",
                        quantity="9286件", value=9286.0)),
    ])
    assert len(rows) == 5
    assert sum(row["n_documents"] for row in rows) == 5
    # sorted by metric, place, period (chronologically), kind
    per_10k = [(r["place"], r["period"], r["kind"]) for r in rows if r["metric_id"] == PER_10K[0]]
    assert per_10k == [("长沙市", "2023", "value"), ("株洲市", "2022", "value"), ("株洲市", "2023", "value"), ("株洲市", "2023", "growth")]


def test_organisations_unresolved_places_and_facts_without_subject():
    rows = group_facts([
        ("a", make_fact(subject="中车株洲电力机车研究所有限公司", label="ORG", place=None, metric="有效发明专利", metric_id=None,
                        quantity="3052件", value=3052.0)),
        ("a", make_fact(subject=None, place=None, metric="有效发明专利", metric_id=None, quantity="9.8件", value=9.8)),
        ("a", {**make_fact(), "metric": None}),  # no metric: no fact
    ])
    assert len(rows) == 2
    by_subject = {row["subject"]: row for row in rows}
    org = by_subject["中车株洲电力机车研究所有限公司"]
    assert org["place"] is None and org["place_code"] is None and org["metric"] == "有效发明专利" and org["metric_id"] is None
    national = by_subject[None]
    assert national["place"] is None and national["value"] == 9.8


def test_a_place_without_code_is_keyed_by_its_name():
    group = {"name": "长株潭", "code": None, "level": "other", "province": None}
    rows = group_facts([("a", make_fact(place=group, subject="长株潭", label="REGION")),
                        ("b", make_fact(place=group, subject="長株潭", label="REGION"))])
    assert len(rows) == 1 and rows[0]["place"] == "长株潭" and rows[0]["place_code"] is None and rows[0]["n_documents"] == 2


def test_facts_without_the_canonical_fields_group_by_normalised_text_and_year():
    rows = group_facts([
        ("a", old_fact("长沙", "每万人有效发明专利拥有量", "72.42件", 72.42)),
        ("b", old_fact("長沙", "每萬人有效發明專利擁有量", "72.42件", 72.42)),
        ("c", old_fact("长沙", "每万人有效发明专利拥有量", "72.42件", 72.42, year=2022)),
    ])
    assert [(r["subject"], r["metric"], r["period"], r["n_documents"]) for r in rows] == [
        ("长沙", "每万人有效发明专利拥有量", "2022", 1), ("长沙", "每万人有效发明专利拥有量", "2023", 2),
    ]
    assert fact_key(old_fact("長沙", "每萬人有效發明專利擁有量", "72.42件", 72.42)) == ("长沙", "每万人有效发明专利拥有量", "2023", "value")


def test_unreadable_values_are_sources_without_a_conflict():
    rows = group_facts([("a", make_fact()), ("b", make_fact(quantity="若干件", value=None))])
    assert rows[0]["n_documents"] == 2 and not rows[0]["conflict"] and rows[0]["value"] == 31.24
    rows = group_facts([("b", make_fact(quantity="若干件", value=None))])
    assert rows[0]["value"] is None and rows[0]["n_documents"] == 1


def test_the_same_document_stating_a_figure_twice_counts_once():
    rows = group_facts([("a", make_fact(start=10)), ("a", make_fact(start=90))])
    assert rows[0]["n_documents"] == 1 and rows[0]["documents"] == ["a", "a"] and len(rows[0]["offsets"]) == 2


def test_periods_sort_chronologically_and_read_in_chinese():
    periods = ["2024", "2023", "2023-Q3", "2023-H1", "2016/2020", "2023-06", "2020", None, "2023-06-30"]
    assert sorted(periods, key=period_sort_key) == [
        "2016/2020", "2020", "2023-06-30", "2023-H1", "2023-06", "2023-Q3", "2023", "2024", None,
    ]
    assert [period_label(p) for p in ("2023", "2023-H1", "2023-Q3", "2023-06", "2016/2020", None)] == [
        "2023年", "2023年上半年", "2023年第三季度", "2023年6月", "2016年—2020年", "时期未注明",
    ]


def table_frame():
    return rows_to_frame(group_facts([
        ("a", make_fact()),
        ("a", make_fact(period="2022", time="2022年", quantity="25.1件", value=25.1)),
        ("b", make_fact(place=CHANGSHA, subject="长沙", quantity="72.42件", value=72.42)),
        ("b", make_fact(place=CHANGSHA, subject="长沙", time=None, quantity="70件", value=70.0)),
        ("c", make_fact(quantity="35.1件", value=35.1)),
        ("c", make_fact(metric="发明专利授权量", metric_id="invention_patent_grants", metric_name="发明专利授权量",
                        quantity="9286件", value=9286.0)),
    ]))


def test_frame_has_the_columns_and_types():
    frame = table_frame()
    assert tuple(frame.columns) == TABLE_COLUMNS
    assert frame["value"].dtype == "float64" and frame["n_documents"].dtype == "int64" and frame["conflict"].dtype == bool
    assert tuple(rows_to_frame([]).columns) == TABLE_COLUMNS


def test_select_metric_by_id_name_or_traditional_text():
    frame = table_frame()
    assert len(select_metric(frame, PER_10K[0])) == 4
    assert len(select_metric(frame, "每萬人口有效發明專利擁有量")) == 4
    with pytest.raises(UsageError, match="invention_patent_grants"):
        select_metric(frame, "商标注册量")
    with pytest.raises(UsageError, match="kinds present: value"):
        select_metric(frame, PER_10K[0], "growth")


def test_pivot_is_places_by_periods_in_order():
    pivot = pivot_table(table_frame(), PER_10K[0])
    assert list(pivot.columns) == ["place", "2022", "2023", "unknown"]
    cells = pivot.set_index("place").to_dict("index")
    assert cells["株洲市"]["2022"] == 25.1 and cells["株洲市"]["2023"] == 31.24  # in conflict with 35.1: the more precise
    assert cells["长沙市"]["2023"] == 72.42 and cells["长沙市"]["unknown"] == 70.0
    assert pd.isna(cells["株洲市"]["unknown"])


def test_writers_csv_jsonl_parquet_xlsx(tmp_path, capsys):
    frame = table_frame()
    write_table(frame, None, "csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == ",".join(TABLE_COLUMNS)
    conflict = pd.read_csv(io.StringIO("\n".join(lines)), dtype=str)
    row = conflict[conflict["conflict"] == "True"].iloc[0]
    assert row["documents"] == "a; c" and row["values"] == "31.24; 35.1" and row["offsets"] == "20-26; 20-25"

    write_table(frame, str(tmp_path / "t.jsonl"), "jsonl")
    records = [json.loads(line) for line in (tmp_path / "t.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(records) == len(frame) and list(records[0]) == list(TABLE_COLUMNS)
    conflicted = next(r for r in records if r["conflict"])
    assert conflicted["documents"] == ["a", "c"] and conflicted["values"] == [31.24, 35.1] and conflicted["offsets"] == [[20, 26], [20, 25]]
    assert next(r for r in records if r["period"] is None)["period"] is None

    write_table(frame, str(tmp_path / "t.parquet"), "parquet")
    back = pd.read_parquet(tmp_path / "t.parquet")
    assert tuple(back.columns) == TABLE_COLUMNS and len(back) == len(frame)
    assert list(back[back["conflict"]].iloc[0]["documents"]) == ["a", "c"]

    pytest.importorskip("openpyxl")
    write_table(frame, str(tmp_path / "t.xlsx"), "xlsx")
    sheet = pd.read_excel(tmp_path / "t.xlsx", dtype=str)
    assert tuple(sheet.columns) == TABLE_COLUMNS and "a; c" in set(sheet["documents"])

    with pytest.raises(UsageError, match="-o"):
        write_table(frame, None, "parquet")


def test_writing_a_pivot(tmp_path):
    pivot = pivot_table(table_frame(), PER_10K[0])
    write_table(pivot, str(tmp_path / "p.csv"), "csv")
    assert (tmp_path / "p.csv").read_text(encoding="utf-8").splitlines()[0] == "place,2022,2023,unknown"
    write_table(pivot, str(tmp_path / "p.parquet"), "parquet")
    assert list(pd.read_parquet(tmp_path / "p.parquet").columns) == ["place", "2022", "2023", "unknown"]


def prediction_record(doc_id, *facts):
    return {"id": doc_id, "entities": [], "relations": [], "facts": list(facts)}


def test_saved_predictions_are_detected_by_their_first_record(tmp_path):
    saved = tmp_path / "predictions.jsonl"
    saved.write_text("\n".join(json.dumps(prediction_record(i, make_fact()), ensure_ascii=False) for i in ("x", "y")) + "\n",
                     encoding="utf-8")
    array = tmp_path / "predictions.json"
    array.write_text(json.dumps([prediction_record("z", make_fact())], ensure_ascii=False), encoding="utf-8")
    text = tmp_path / "report.txt"
    text.write_text("2023年,杭州发明专利授权量9286件。", encoding="utf-8")
    errors = ErrorLog(echo=False)
    items = list(read_table_inputs([str(saved), str(array), str(text)], errors))
    assert [type(i).__name__ for i in items] == ["PredictionRecord", "PredictionRecord", "PredictionRecord", "InputDocument"]
    assert [i.id for i in items] == ["x", "y", "z", str(text)]
    # in a directory, .jsonl files are JSON lines: predictions there are detected as well
    folder = tmp_path / "folder"
    folder.mkdir()
    (folder / "p.jsonl").write_text(saved.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "docs.jsonl").write_text(json.dumps({"id": "d1", "text": "文本"}, ensure_ascii=False) + "\n", encoding="utf-8")
    items = list(read_table_inputs([str(folder)], errors))
    assert sorted((type(i).__name__, i.id) for i in items) == [("InputDocument", "d1"), ("PredictionRecord", "x"), ("PredictionRecord", "y")]
    items = list(read_table_inputs([str(saved)], errors, "jsonl"))
    assert [i.id for i in items] == ["x", "y"]
    assert errors.count == 0


def test_a_bad_line_in_saved_predictions_is_located_and_skipped(tmp_path):
    saved = tmp_path / "p.jsonl"
    saved.write_text(json.dumps(prediction_record("x", make_fact()), ensure_ascii=False) + "\n{oops\n"
                     + json.dumps({"id": "w", "text": "x"}) + "\n", encoding="utf-8")
    errors = ErrorLog(echo=False)
    items = list(read_table_inputs([str(saved)], errors))
    assert [i.id for i in items] == ["x"]
    assert [m.split(": ")[0] for m in errors.messages] == [f"{saved}:2", f"{saved}:3"]


def test_glob_patterns_are_expanded_and_a_pattern_without_match_reported(tmp_path):
    for name in ("a.txt", "b.txt", "c.md"):
        (tmp_path / name).write_text("2023年,杭州发明专利授权量9286件。", encoding="utf-8")
    errors = ErrorLog(echo=False)
    items = list(read_table_inputs([str(tmp_path / "*.txt"), str(tmp_path / "*.none")], errors))
    assert [i.id for i in items] == [str(tmp_path / "a.txt"), str(tmp_path / "b.txt")]
    assert errors.count == 1 and "no file matches" in errors.messages[0]


def test_facts_table_from_records_results_and_texts(baseline_nlp, monkeypatch):
    import ipner.api  # imported before load is replaced, so that it keeps the real one
    import ipner.pipeline.load

    def no_model(*args, **kwargs):
        raise AssertionError("no model is needed for saved facts")

    monkeypatch.setattr(ipner.pipeline.load, "load", no_model)
    from ipner.api import DocumentResult
    from ipner.types import Fact

    plain = make_fact(time=None, place=None, metric_id=None)  # the same with or without the canonical fields
    result = DocumentResult("r", "", facts=[Fact.from_dict(plain)])
    frame = ipner.facts_table([prediction_record("p", plain), result, PredictionRecord("q", [plain])])
    assert tuple(frame.columns) == TABLE_COLUMNS and len(frame) == 1
    assert frame.iloc[0]["documents"] == ["p", "r", "q"] and frame.iloc[0]["n_documents"] == 3

    frame = facts_table(["2023年,杭州发明专利授权量9286件。", ("doc-2", "2023年,杭州发明专利授权量9286件。"),
                         {"id": "doc-3", "text": "去年杭州发明专利授权量9286件。", "date": "2024-03-01"}], model=baseline_nlp)
    assert len(frame) == 1
    row = frame.iloc[0]
    assert (row["place"] or row["subject"]) in ("杭州", "杭州市") and row["value"] == 9286 and row["n_documents"] == 3
    assert row["documents"] == ["0", "doc-2", "doc-3"]
    with pytest.raises(TypeError, match="document 0"):
        facts_table([42], model=baseline_nlp)


def test_input_documents_pass_through(baseline_nlp):
    frame = facts_table([InputDocument("i", "2023年,杭州发明专利授权量9286件。")], model=baseline_nlp)
    assert frame.iloc[0]["documents"] == ["i"]
