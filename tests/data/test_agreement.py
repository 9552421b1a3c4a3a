"""Agreement between two annotations: F1 per label, passages cut from longer documents."""
from ipner.data.agreement import agreement, passage_record

TEXT = "杭州发明专利授权量9286件。"
A = {"id": "d", "text": TEXT, "entities": [
    {"start": 0, "end": 2, "label": "CITY"}, {"start": 2, "end": 9, "label": "METRIC"}, {"start": 9, "end": 14, "label": "QUANTITY"}],
    "relations": [{"head": 2, "child": 1, "label": "metric"}, {"head": 2, "child": 0, "label": "subject"}]}
B = {"id": "d", "text": TEXT, "entities": [
    {"start": 0, "end": 2, "label": "CITY"}, {"start": 4, "end": 9, "label": "METRIC"}, {"start": 9, "end": 14, "label": "QUANTITY"}],
    "relations": [{"head": 2, "child": 1, "label": "metric"}, {"head": 2, "child": 0, "label": "subject"}]}


def test_identical_annotations_agree_fully():
    report = agreement([A], [A])
    assert report["entities"]["f1"] == 1.0 and report["relations"]["f1"] == 1.0


def test_one_boundary_difference():
    report = agreement([A], [B])
    assert report["entities"]["f1"] == round(2 * 2 / 6, 4)
    assert report["entities"]["per_label"]["METRIC"] == 0.0
    assert report["relations"]["per_label"]["subject"] == 1.0 and report["relations"]["per_label"]["metric"] == 0.0
    assert {d["text"] for d in report["entity_disagreements"]} == {"发明专利授权量", "专利授权量"}


def test_passage_record_shifts_and_drops_outside_relations():
    part = passage_record(A, 2, 14, "p")
    assert part["text"] == TEXT[2:14]
    assert [(e["start"], e["end"]) for e in part["entities"]] == [(0, 7), (7, 12)]
    assert part["relations"] == [{"head": 1, "child": 0, "label": "metric"}]


def test_agreement_action_leaves_the_committed_report_alone(tmp_path, capsys):
    import json

    from ipner.cli import main
    from ipner.data.agreement import measure_agreement
    from tests.conftest import REPO

    committed = REPO / "annotations" / "agreement" / "report.json"
    before = committed.read_bytes()
    assert main(["corpus", "agreement", "--root", str(REPO)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("passages: 30\n") and "entity disagreements:" in out
    assert main(["corpus", "agreement", "--root", str(REPO), "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report == measure_agreement(REPO) and "entity_disagreements" in report
    target = tmp_path / "report.json"
    assert main(["corpus", "agreement", "--root", str(REPO), "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8")) == report
    assert str(target) in capsys.readouterr().out
    assert committed.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["report.json"]  # no temporary file left beside it
    assert main(["corpus", "agreement", "--root", str(REPO), "-o", str(tmp_path / "no" / "such.json")]) == 2
    assert main(["corpus", "stats", "--root", str(REPO), "-o", str(target)]) == 2
