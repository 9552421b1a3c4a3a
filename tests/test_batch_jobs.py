"""ipner.batch_jobs: units, Parquet in and out, failing documents, resumption, local and Dask engines."""
import json

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import ipner.batch_jobs as bj
from ipner.batch_jobs import FACT_COLUMNS, STATUS_COLUMNS, JobOptions, plan_units, read_facts, read_status, run_job
from tests.conftest import SEEDS

HANGZHOU = "2023年,杭州发明专利授权量9286件。"
NINGBO = "2023年,宁波发明专利授权量5102件。"
BASELINE = JobOptions(model="baseline")


def write_parquet(path, texts, row_group_size=2):
    table = pa.table({"body": pa.array(texts, pa.string()), "url": [f"u{i}" for i in range(len(texts))]})
    pq.write_table(table, path, row_group_size=row_group_size)
    return path


def visible_files(folder):
    return sorted(p.name for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))


def test_parquet_in_and_out_with_a_failing_document(tmp_path):
    source = write_parquet(tmp_path / "news.parquet", [HANGZHOU, None, NINGBO, "x" * 150, HANGZHOU])
    options = JobOptions(model="baseline", text_column="body", id_column="url", max_bytes=100)
    report = run_job([str(source)], tmp_path / "out", options, unit_bytes=1)
    assert report.units == 3 and report.documents == 5 and report.failed == 2
    status = read_status(tmp_path / "out")
    assert list(status.columns) == list(STATUS_COLUMNS) and list(status["id"]) == ["u0", "u1", "u2", "u3", "u4"]
    assert list(status["status"]) == ["ok", "error", "ok", "error", "ok"]
    assert "not a string" in status["error"][1] and "limit" in status["error"][3]
    facts = read_facts(tmp_path / "out")
    assert list(facts.columns) == list(FACT_COLUMNS)
    assert facts["id"].dtype == "string" and facts["value"].dtype == "float64"
    assert set(facts["id"]) == {"u0", "u2", "u4"}
    row = facts[facts["id"] == "u2"].iloc[0]
    assert row["value"] == 5102 and NINGBO[row["start"]:row["end"]] == row["quantity"]
    assert json.loads(row["fact"])["quantity"]["value"] == 5102
    # every part has the same schema, also an empty one
    schemas = {str(pq.read_schema(p)) for p in (tmp_path / "out" / "facts").glob("part-*.parquet")}
    assert len(schemas) == 1


def test_a_pipeline_exception_fails_only_its_document(tmp_path, monkeypatch):
    import ipner.api

    original = ipner.api.extract

    def fragile(documents, *args, **kwargs):
        documents = list(documents)
        if any("BOOM" in d.text for d in documents):
            raise RuntimeError("boom")
        return original(documents, *args, **kwargs)

    monkeypatch.setattr(ipner.api, "extract", fragile)
    lines = [{"id": "a", "text": HANGZHOU}, {"id": "b", "text": "BOOM"}, {"id": "c", "text": NINGBO}]
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps(x, ensure_ascii=False) + "\n" for x in lines) + "not json\n", encoding="utf-8")
    report = run_job([str(path)], tmp_path / "out", BASELINE)
    status = read_status(tmp_path / "out")
    assert list(status["id"]) == ["a", "b", "c", f"{path}:4"] and report.failed == 2
    assert status["error"][1] == "RuntimeError: boom" and "not valid JSON" in status["error"][3]
    assert set(read_facts(tmp_path / "out")["id"]) == {"a", "c"}


def test_jsonl_units_cut_at_line_ends_keep_line_numbers(tmp_path):
    path = tmp_path / "docs.jsonl"
    path.write_text("".join(json.dumps({"text": t}, ensure_ascii=False) + "\n" for t in [HANGZHOU, NINGBO] * 3), encoding="utf-8")
    units = plan_units([str(path)], unit_bytes=100)
    assert len(units) > 1 and [u["index"] for u in units] == list(range(len(units)))
    run_job([str(path)], tmp_path / "out", BASELINE, unit_bytes=100)
    assert list(read_status(tmp_path / "out")["id"]) == [f"{path}:{i}" for i in range(1, 7)]


def test_resumption_after_an_interruption(tmp_path, monkeypatch):
    out = tmp_path / "out"
    calls = {"n": 0}
    original = bj._write_parquet

    def interrupted(rows, columns, path):
        if columns == STATUS_COLUMNS and "part-00002" in path.name:
            calls["n"] += 1
            raise KeyboardInterrupt  # after unit 2's facts, before its status
        original(rows, columns, path)

    monkeypatch.setattr(bj, "_write_parquet", interrupted)
    with pytest.raises(KeyboardInterrupt):
        run_job([str(p) for p in SEEDS], out, BASELINE, unit_bytes=1)
    assert calls["n"] == 1
    assert visible_files(out / "status") == ["part-00000.parquet", "part-00001.parquet"]
    assert not list((out / "status").glob(".*"))  # nothing half-written left behind
    (out / "status" / ".part-00003.parquet.abc.tmp").write_bytes(b"partial")  # as a killed job leaves it
    done = {p: p.stat().st_mtime_ns for p in (out / "status").glob("part-*.parquet")}
    monkeypatch.setattr(bj, "_write_parquet", original)
    report = run_job([str(p) for p in SEEDS], out, BASELINE, unit_bytes=1)
    assert report.units == 5 and report.skipped == 2 and report.processed == 3
    assert all(p.stat().st_mtime_ns == t for p, t in done.items())
    assert visible_files(out / "status") == [f"part-{i:05d}.parquet" for i in range(5)]
    assert not list((out / "status").glob(".*"))
    assert len(read_status(out)) == 5


def test_another_job_in_the_same_directory_is_refused(tmp_path):
    from ipner.errors import UsageError

    run_job([str(SEEDS[0])], tmp_path / "out", BASELINE)
    with pytest.raises(UsageError, match="other inputs"):
        run_job([str(SEEDS[1])], tmp_path / "out", BASELINE)


def test_jsonl_format_writes_schema_records(tmp_path):
    run_job([str(SEEDS[0])], tmp_path / "out", JobOptions(model="baseline", fmt="jsonl"))
    records = [json.loads(line) for line in (tmp_path / "out" / "predictions" / "part-00000.jsonl").read_text(encoding="utf-8").splitlines()]
    assert records[0]["id"] == str(SEEDS[0]) and {"entities", "relations", "facts"} <= set(records[0])
    from ipner.contract import validate_record

    for record in records:
        validate_record(record)


def test_local_processes_give_the_same_facts_as_one_process(tmp_path):
    inputs = [str(p) for p in SEEDS]
    run_job(inputs, tmp_path / "one", BASELINE, unit_bytes=1)
    run_job(inputs, tmp_path / "two", BASELINE, workers=2, unit_bytes=1)
    assert_same(tmp_path / "one", tmp_path / "two")


def sorted_frame(frame):
    return frame.sort_values(["id", "start", "end", "fact"]).reset_index(drop=True)


def assert_same(a, b):
    pd.testing.assert_frame_equal(sorted_frame(read_facts(a)), sorted_frame(read_facts(b)))
    pd.testing.assert_frame_equal(read_status(a).sort_values("id").reset_index(drop=True),
                                  read_status(b).sort_values("id").reset_index(drop=True))


@pytest.mark.slow
def test_dask_local_cluster_matches_the_local_engine(tmp_path):
    pytest.importorskip("distributed")
    inputs = [str(p) for p in SEEDS]
    local = run_job(inputs, tmp_path / "local", JobOptions(), workers=1, unit_bytes=1)
    dask = run_job(inputs, tmp_path / "dask", JobOptions(), engine="dask", workers=2, unit_bytes=1)
    assert local.facts == dask.facts > 0 and dask.processed == 5
    assert_same(tmp_path / "local", tmp_path / "dask")
    again = run_job(inputs, tmp_path / "dask", JobOptions(), engine="dask", workers=2, unit_bytes=1)
    assert again.skipped == 5 and again.processed == 0
