"""``python -m ipner predict --format doccano|labelstudio|prodigy``: pre-annotations that ``import``
and fine-tuning read back as ``predict``'s entities and relations."""
import json

import pytest

from ipner.cli import main
from ipner.data.importers import load_annotations
from tests.conftest import SEEDS


@pytest.fixture(scope="module")
def report(tmp_path_factory):
    text = SEEDS[0].read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("report") / "report.txt"
    path.write_text(text[: text.index("。", 800) + 1], encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def predicted(report):
    out = report.with_name("predicted.jsonl")
    assert main(["predict", str(report), "-q", "-o", str(out)]) == 0
    [record] = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert record["relations"], "the passage must give relations to check"
    return record


def spans(record):
    ents = [(e["start"], e["end"], e["label"]) for e in record["entities"]]
    return ents, sorted((ents[r["head"]], ents[r["child"]], r["label"]) for r in record["relations"])


def test_predict_doccano_imports_as_the_predictions(report, predicted, tmp_path, capsys):
    out = tmp_path / "out.jsonl"
    assert main(["predict", str(report), "--format", "doccano", "-q", "-o", str(out)]) == 0
    [record] = load_annotations(out, "doccano")
    assert record["id"] == predicted["id"] == str(report)
    assert record["text"] == report.read_text(encoding="utf-8")
    assert spans(record) == spans(predicted)
    capsys.readouterr()
    gold = tmp_path / "gold.jsonl"
    assert main(["import", "--format", "doccano", str(out), "-o", str(gold)]) == 0
    assert capsys.readouterr().err == ""
    assert [spans(json.loads(line)) for line in gold.read_text(encoding="utf-8").splitlines()] == [spans(predicted)]


@pytest.mark.parametrize("fmt", ["labelstudio", "prodigy"])
def test_unreviewed_label_studio_and_prodigy_output_is_not_imported_as_gold(fmt, report, tmp_path, capsys):
    out = tmp_path / f"out.{fmt}"
    assert main(["predict", str(report), "--format", fmt, "-q", "-o", str(out)]) == 0
    capsys.readouterr()
    assert main(["import", "--format", fmt, str(out)]) == 0
    stdout, stderr = capsys.readouterr()
    assert stdout == "" and stderr.startswith(f"ipner: note: {out}: 1 task(s) without ")
