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
