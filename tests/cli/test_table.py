"""``python -m ipner table``: many inputs in one call → one table, a pivot, a database or a chart."""
import csv
import io
import json
import sqlite3

import pandas as pd
import pytest

from ipner.cli import main
from ipner.tables import TABLE_COLUMNS
from tests.test_tables import CHANGSHA, make_fact

HANGZHOU = "2023年,杭州发明专利授权量9286件。"
NINGBO = "2023年,宁波发明专利授权量5102件。"


def no_model(monkeypatch):
    import ipner.api  # noqa: F401  (imported first, so that it keeps the real load after the test)
    import ipner.pipeline.load

    def fail(*args, **kwargs):
        raise AssertionError("the model must not be loaded")

    monkeypatch.setattr(ipner.pipeline.load, "load", fail)


def who(row):
    """The place (杭州市, once facts carry it) or the subject as written (杭州), without 市."""
    return (row.get("place") or row.get("subject") or "").removesuffix("市")


def read_csv(text):
    return list(csv.DictReader(io.StringIO(text)))


def saved_predictions(path, *records):
    path.write_text("".join(json.dumps({"id": doc_id, "entities": [], "relations": [], "facts": facts}, ensure_ascii=False) + "\n"
                            for doc_id, facts in records), encoding="utf-8")
    return path


def test_files_directories_globs_jsonl_and_stdin_in_one_call(tmp_path, capsys, monkeypatch, baseline_nlp):
    (tmp_path / "a.txt").write_text(HANGZHOU, encoding="utf-8")
    (tmp_path / "dir").mkdir()
    (tmp_path / "dir" / "b.txt").write_text("2023年,杭州发明专利授权量9286件,同比增长12.5%。", encoding="utf-8")
    (tmp_path / "dir" / "lines.jsonl").write_text(json.dumps({"id": "line-1", "text": NINGBO}, ensure_ascii=False) + "\n",
                                                  encoding="utf-8")
    (tmp_path / "g1.txt").write_text(HANGZHOU, encoding="utf-8")
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(HANGZHOU.encode("utf-8"))))
    code = main(["table", "--model", "baseline", str(tmp_path / "a.txt"), str(tmp_path / "dir"), str(tmp_path / "g*.txt"), "-"])
    assert code == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0] == ",".join(TABLE_COLUMNS)
    rows = {(who(r), r["kind"]): r for r in read_csv(out)}
    hangzhou = rows[("杭州", "value")]
    assert hangzhou["value"] == "9286" and hangzhou["n_documents"] == "4" and hangzhou["conflict"] == "False"
    assert hangzhou["documents"] == "; ".join([str(tmp_path / "a.txt"), str(tmp_path / "dir" / "b.txt"), str(tmp_path / "g1.txt"), "<stdin>"])
    assert rows[("宁波", "value")]["documents"] == "line-1"
    assert rows[("杭州", "growth")]["value"] == "12.5"


def test_saved_predict_output_is_read_without_the_model(tmp_path, capsys, monkeypatch, baseline_nlp):
    report = tmp_path / "report.txt"
    report.write_text(HANGZHOU, encoding="utf-8")
    predictions = tmp_path / "predictions.jsonl"
    assert main(["predict", "--model", "baseline", str(report), "-o", str(predictions)]) == 0
    array = tmp_path / "predictions.json"
    assert main(["predict", "--model", "baseline", str(report), "--format", "json", "-o", str(array)]) == 0
    no_model(monkeypatch)
    assert main(["table", str(predictions), "--format", "jsonl"]) == 0
    (row,) = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert who(row) == "杭州" and row["value"] == 9286 and row["documents"] == [str(report)]
    # the JSON array of predict --format json too
    assert main(["table", str(array), "--format", "jsonl"]) == 0
    assert json.loads(capsys.readouterr().out)["documents"] == [str(report)]


def test_three_documents_in_different_words_and_scripts_give_one_row(tmp_path, capsys, monkeypatch):
    no_model(monkeypatch)
    saved = saved_predictions(
        tmp_path / "p.jsonl",
        ("a", [make_fact(metric="每万人口有效发明专利拥有量", subject="株洲市")]),
        ("b", [make_fact(metric="每萬人有效發明專利擁有量", subject="株洲")]),
        ("c", [make_fact(metric="万人发明专利拥有量", subject="株洲", quantity="31.2件", value=31.2)]),
        ("d", [make_fact(place=CHANGSHA, subject="长沙", quantity="72.42件", value=72.42)]),
        ("e", [make_fact(place=CHANGSHA, subject="長沙", quantity="75.5件", value=75.5)]),
    )
    assert main(["table", str(saved)]) == 0
    rows = {r["place"]: r for r in read_csv(capsys.readouterr().out)}
    assert len(rows) == 2
    zhuzhou = rows["株洲市"]
    assert (zhuzhou["n_documents"], zhuzhou["documents"], zhuzhou["value"], zhuzhou["conflict"]) == ("3", "a; b; c", "31.24", "False")
    changsha = rows["长沙市"]
    assert (changsha["conflict"], changsha["values"], changsha["documents"]) == ("True", "72.42; 75.5", "d; e")


@pytest.mark.slow
def test_end_to_end_the_default_model_merges_three_wordings(tmp_path, capsys):
    """With the shipped model: one row for three wordings, once facts carry the canonical fields."""
    import ipner

    texts = {
        "a.txt": "2023年,株洲市每万人口有效发明专利拥有量达到31.24件。",
        "b.txt": "株洲2023年每萬人有效發明專利擁有量為31.24件。",
        "c.txt": "据统计,2023年株洲万人发明专利拥有量31.2件。",
    }
    probe = next(ipner.extract([texts["a.txt"]])).facts[0].to_dict()
    if "place" not in probe or "id" not in probe["metric"]:
        pytest.skip("facts do not carry the canonical fields (place, metric.id) yet")
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["table", *(str(tmp_path / n) for n in texts), "--format", "jsonl"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    values = [r for r in rows if r["kind"] == "value"]
    assert len(values) == 1 and values[0]["n_documents"] == 3 and values[0]["place_code"] == "430200"


def test_formats_from_option_or_suffix(tmp_path, capsys, monkeypatch):
    no_model(monkeypatch)
    saved = saved_predictions(tmp_path / "p.jsonl", ("a", [make_fact()]), ("b", [make_fact(quantity="35.1件", value=35.1)]))
    assert main(["table", str(saved), "-o", str(tmp_path / "t.parquet")]) == 0
    frame = pd.read_parquet(tmp_path / "t.parquet")
    assert tuple(frame.columns) == TABLE_COLUMNS and list(frame.iloc[0]["values"]) == [31.24, 35.1]
    pytest.importorskip("openpyxl")
    assert main(["table", str(saved), "--format", "xlsx", "-o", str(tmp_path / "t.xlsx")]) == 0
    assert pd.read_excel(tmp_path / "t.xlsx", dtype=str).iloc[0]["documents"] == "a; b"
    assert main(["table", str(saved), "--excel", "-o", str(tmp_path / "t.csv")]) == 0
    assert (tmp_path / "t.csv").read_bytes().startswith(b"\xef\xbb\xbfplace,")
    assert main(["table", str(saved), "--format", "parquet"]) == 2
    assert "give its name with -o" in capsys.readouterr().err


def test_pivot(tmp_path, capsys, monkeypatch):
    no_model(monkeypatch)
    saved = saved_predictions(
        tmp_path / "p.jsonl",
        ("a", [make_fact(), make_fact(period="2022", time="2022年", quantity="25.1件", value=25.1, start=80)]),
        ("b", [make_fact(place=CHANGSHA, subject="长沙", quantity="72.42件", value=72.42)]),
    )
    assert main(["table", str(saved), "--pivot", "每萬人口有效發明專利擁有量"]) == 0
    assert capsys.readouterr().out.splitlines() == ["place,2022,2023", "株洲市,25.1,31.24", "长沙市,,72.42"]
    assert main(["table", str(saved), "--pivot", "商标注册量"]) == 2
    assert "no facts for the metric" in capsys.readouterr().err


def test_db_reruns_add_no_duplicate_and_new_articles_add(tmp_path, capsys, monkeypatch, baseline_nlp):
    first, second = tmp_path / "first", tmp_path / "second"
    first.mkdir()
    second.mkdir()
    (first / "a.txt").write_text(HANGZHOU, encoding="utf-8")
    (second / "b.txt").write_text(NINGBO, encoding="utf-8")
    (second / "c.txt").write_text(HANGZHOU, encoding="utf-8")
    db = tmp_path / "facts.sqlite"
    assert main(["table", "--model", "baseline", str(first), "--db", str(db)]) == 0
    captured = capsys.readouterr()
    assert captured.out == "" and "1 source(s) added" in captured.err

    def counts():
        with sqlite3.connect(db) as connection:
            return tuple(connection.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0] for table in ("facts", "sources"))

    assert counts() == (1, 1)
    assert main(["table", "--model", "baseline", str(first), "--db", str(db)]) == 0
    assert "0 source(s) added" in capsys.readouterr().err and counts() == (1, 1)
    assert main(["table", "--model", "baseline", str(first), str(second), "--db", str(db), "--format", "csv"]) == 0
    captured = capsys.readouterr()
    assert "2 source(s) added" in captured.err and counts() == (2, 3)
    rows = {who(r): r for r in read_csv(captured.out)}  # the whole database's table
    assert rows["杭州"]["n_documents"] == "2" and rows["宁波"]["n_documents"] == "1"


def test_an_interrupted_db_run_leaves_the_database_unchanged(tmp_path, capsys, monkeypatch):
    import ipner.tables

    db = tmp_path / "facts.sqlite"
    saved = saved_predictions(tmp_path / "p.jsonl", ("a", [make_fact()]))
    assert main(["table", str(saved), "--db", str(db)]) == 0
    with sqlite3.connect(db) as connection:
        before = list(connection.iterdump())
    more = saved_predictions(tmp_path / "more.jsonl", ("b", [make_fact()]), ("c", [make_fact(place=CHANGSHA, subject="长沙")]),
                             ("d", [make_fact(quantity="35.1件", value=35.1)]))
    real = ipner.tables.iter_fact_sources

    def interrupted(items, **kwargs):
        for index, source in enumerate(real(items, **kwargs)):
            if index == 2:
                raise KeyboardInterrupt
            yield source

    monkeypatch.setattr(ipner.tables, "iter_fact_sources", interrupted)
    assert main(["table", str(more), "--db", str(db)]) == 130
    with sqlite3.connect(db) as connection:
        assert list(connection.iterdump()) == before


def test_plot(tmp_path, capsys, monkeypatch):
    pytest.importorskip("matplotlib")
    no_model(monkeypatch)
    saved = saved_predictions(
        tmp_path / "p.jsonl",
        ("a", [make_fact()]),
        ("b", [make_fact(place=CHANGSHA, subject="长沙", quantity="72.42件", value=72.42)]),
    )
    chart = tmp_path / "chart.png"
    assert main(["table", str(saved), "--plot", "invention_patents_per_10k_people", "-o", str(chart)]) == 0
    assert chart.read_bytes().startswith(b"\x89PNG") and capsys.readouterr().out == ""
    assert main(["table", str(saved), "--plot", "invention_patents_per_10k_people"]) == 2
    assert "-o CHART.png" in capsys.readouterr().err
    assert main(["table", str(saved), "--plot", "x", "-o", str(tmp_path / "chart.csv")]) == 2
    assert main(["table", str(saved), "--period", "2023"]) == 2
    assert main(["table", str(saved), "--plot", "x", "--pivot", "x", "-o", str(chart)]) == 2


def test_a_bad_input_is_named_and_the_others_are_in_the_table(tmp_path, capsys, monkeypatch):
    no_model(monkeypatch)
    saved = saved_predictions(tmp_path / "p.jsonl", ("a", [make_fact()]))
    assert main(["table", str(saved), str(tmp_path / "missing.txt"), str(tmp_path / "none*.txt")]) == 1
    captured = capsys.readouterr()
    assert "missing.txt" in captured.err and "no file matches" in captured.err and "Traceback" not in captured.err
    assert len(read_csv(captured.out)) == 1


def test_a_model_that_will_not_load_is_exit_2(tmp_path, capsys):
    text = tmp_path / "a.txt"
    text.write_text(HANGZHOU, encoding="utf-8")
    assert main(["table", "--model", str(tmp_path / "nope"), str(text)]) == 2
    assert "cannot load model" in capsys.readouterr().err
