"""evaluate --errors: a perfect pipeline has no errors; dropping one kind of annotation gives exactly
those errors, in the right categories."""
import json

from ipner.cli import main
from ipner.training.errors import collect_errors, format_errors, merge_errors
from tests.training.test_evaluate import _oracle, records  # noqa: F401  (fixture)


def test_perfect_pipeline_has_no_errors(records):  # noqa: F811
    report = collect_errors(_oracle(records), records)
    assert report["errors"] == [] and all(not counts for counts in report["counts"].values())


def test_dropped_subjects_are_subject_errors_and_nothing_else(records):  # noqa: F811
    report = collect_errors(_oracle(records, drop_relation="subject"), records)
    gold_subjects = sum(1 for r in records for rel in r["relations"] if rel["label"] == "subject")
    assert report["counts"]["relation"] == {"subject:missing": gold_subjects}
    assert set(report["counts"]["fact"]) == {"subject"}
    assert report["counts"]["entity"] == {}
    error = next(e for e in report["errors"] if e["kind"] == "fact")
    assert error["gold"]["subject"] and error["predicted"]["subject"] is None and error["sentence"]


def test_dropped_metrics_make_facts_missing_and_entities_missing(records):  # noqa: F811
    report = collect_errors(_oracle(records, drop_label="METRIC"), records)
    n_metrics = sum(1 for r in records for e in r["entities"] if e["label"] == "METRIC")
    assert report["counts"]["entity"] == {"missing": n_metrics}
    assert set(report["counts"]["fact"]) == {"missing"}
    assert "fact errors: missing" in format_errors(report)
    merged = merge_errors([report, report])
    assert merged["counts"]["entity"] == {"missing": 2 * n_metrics}


def test_evaluate_errors_cli_writes_them(tmp_path, capsys):
    out = tmp_path / "results.json"
    assert main(["evaluate", "--model", "baseline", "--no-baseline", "--split", "dev", "--errors", "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "fact errors:" in printed and "== fact /" in printed
    results = json.loads(out.read_text(encoding="utf-8"))
    counts = results["errors"]["counts"]["fact"]
    assert sum(counts.values()) >= results["model"]["facts"]["fn"] > 0
