"""The authoring format and the validator: conversion to gold records and located errors."""
from pathlib import Path

import pytest

from ipner.data.authoring import parse_file, to_authoring
from ipner.data.validate import AnnotationError, validate_record

REPO = Path(__file__).resolve().parents[2]

GOOD = """% a comment
=== doc-1
source: 杭州日报
date: 2024-04-26
script: simplified
origin: synthetic
---
截至[[2023年底|DATE#d1]],[[杭州|CITY#c1]][[有效发明专利拥有量|METRIC#m1]][[15.3万件|QUANTITY>metric=m1 subject=c1 time=d1]],
同比增长[[12.5%|QUANTITY>m=m1 s=c1 t=d1]]。
=== doc-2
script: traditional
origin: synthetic
---
[[長沙|CITY]]
"""


def write(tmp_path, content, name="a.txt"):
    path = tmp_path / name
    path.write_text(content, encoding="utf-8")
    return path


def test_parse_good_file(tmp_path):
    docs = parse_file(write(tmp_path, GOOD))
    record = docs[0].record
    assert record["text"] == "截至2023年底,杭州有效发明专利拥有量15.3万件,\n同比增长12.5%。"
    for ent in record["entities"]:
        assert record["text"][ent["start"] : ent["end"]] == ent["text"]
    assert len(record["relations"]) == 6
    assert record["meta"]["source"] == "杭州日报"
    assert docs[1].record["text"] == "長沙"


def test_round_trip(tmp_path):
    docs = parse_file(write(tmp_path, GOOD))
    again = parse_file(write(tmp_path, "".join(to_authoring(d.record) for d in docs), "b.txt"))
    for a, b in zip(docs, again):
        assert (a.record["text"], a.record["entities"]) == (b.record["text"], b.record["entities"])
        assert sorted(map(str, a.record["relations"])) == sorted(map(str, b.record["relations"]))


@pytest.mark.parametrize(
    "body,message",
    [
        ("[[杭州|TOWN]]", "unknown label 'TOWN'"),
        ("[[杭州|CITY#c]][[3件|QUANTITY>metric=c]]", "must end at METRIC"),
        ("[[3件|QUANTITY>metric=zz]]", "names no id"),
        ("[[ 杭州|CITY]]", "surrounding whitespace"),
        ("[[专利|METRIC#m]][[3件|QUANTITY>metric=m metric=m]]", "two 'metric' relations"),
        ("[[杭州|CITY#a]][[专利|METRIC#a]]", "defined twice"),
        ("[[杭州|CITY]", "unmatched or malformed"),
        ("[[3件|QUANTITY>color=m]]", "bad relation"),
    ],
)
def test_errors_name_file_and_line(tmp_path, body, message):
    path = write(tmp_path, f"=== d\nscript: simplified\norigin: synthetic\n---\nfirst line\n{body}\n")
    with pytest.raises(AnnotationError) as err:
        parse_file(path)
    assert f"{path}:6:" in str(err.value) and message in str(err.value)


def test_header_errors(tmp_path):
    with pytest.raises(AnnotationError, match="script"):
        parse_file(write(tmp_path, "=== d\nscript: latin\norigin: synthetic\n---\ntext\n"))
    with pytest.raises(AnnotationError, match="no '---'"):
        parse_file(write(tmp_path, "=== d\nscript: simplified\n"))


def test_validator_on_records():
    record = {"text": "杭州3件", "entities": [{"start": 0, "end": 2, "label": "CITY", "text": "杭州"},
                                             {"start": 1, "end": 4, "label": "QUANTITY"}], "relations": []}
    messages = [p.message for p in validate_record(record)]
    assert any("overlap" in m for m in messages)
    record["entities"][1] = {"start": 2, "end": 9, "label": "QUANTITY"}
    assert any("bad offsets" in p.message for p in validate_record(record))
    record["entities"][1] = {"start": 2, "end": 4, "label": "QUANTITY", "text": "4件"}
    assert any("offsets 2-4 hold '3件'" in p.message for p in validate_record(record))


AUTHORED = sorted((REPO / "annotations" / "authored").glob("*.txt"))


@pytest.mark.parametrize("path", AUTHORED, ids=[p.name for p in AUTHORED])
def test_whole_corpus_validates(path):
    docs = parse_file(path)
    assert docs


def test_seed_annotations_keep_the_seed_text():
    for path in (REPO / "annotations" / "authored").glob("seed_*.txt"):
        (doc,) = parse_file(path)
        seed = REPO / "corpus" / "seeds" / f"{doc.record['id']}.txt"
        assert doc.record["text"] == seed.read_text(encoding="utf-8")
