"""The output contract as JSON Schema (ipner/resources/schema/, docs/SCHEMA.md): one definition of the
vocabularies, and every ``predict`` output of the suite valid against it."""
import json

import jsonschema
import pytest

from ipner.cli import main
from ipner.contract import SCHEMA_DIR, SCHEMA_NAMES, load_schema, validate_fact, validate_record, validator
from ipner.schema import APPROX_VALUES, ENTITY_LABELS, KIND_VALUES, RELATION_LABELS, SUBJECT_LABELS
from tests.conftest import REPO, SEEDS

TRADITIONAL = "截至2023年底,長沙市有效發明專利擁有量達到7.61萬件,同比增長12.5%;每萬人高價值發明專利擁有量居全省第2。"


def _validate_all(records):
    for record in records:
        validate_record(record)
        for fact in record["facts"]:
            validate_fact(fact)


def _predict(capsys, *args):
    """``python -m ipner predict ARGS`` in this process; the parsed JSON lines, each validated."""
    code = main(["predict", "-q", *map(str, args)])
    out = capsys.readouterr().out
    assert code == 0
    records = [json.loads(line) for line in out.splitlines()]
    _validate_all(records)
    return records


# --- the schemas themselves ----------------------------------------------------------------------


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_schemas_are_valid_draft_2020_12(name):
    schema = load_schema(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    assert (SCHEMA_DIR / f"{name}.schema.json").is_file()


def test_the_record_refers_to_the_fact_schema_and_resolves_offline(monkeypatch):
    import urllib.request

    def no_network(*args, **kwargs):
        raise AssertionError("the contract must validate offline")

    monkeypatch.setattr(urllib.request, "urlopen", no_network)
    fact_id = load_schema("fact")["$id"]
    assert load_schema("predict_record")["properties"]["facts"]["items"] == {"$ref": fact_id}
    record = {"id": "x", "entities": [], "relations": [], "facts": [GOOD["facts"][0]]}
    validator("predict_record").validate(record)  # the $ref resolves to the shipped fact schema
    with pytest.raises(jsonschema.ValidationError) as failed:
        validate_record({**record, "facts": [_without(GOOD["facts"][0], "metric")]})
    assert list(failed.value.absolute_path) == ["facts", 0]


def test_the_json_enums_are_schema_py_s_tuples():
    """One definition: the JSON Schemas' vocabularies are ipner/schema.py's, in its order."""
    record, fact = load_schema("predict_record"), load_schema("fact")
    assert record["$defs"]["entity"]["properties"]["label"]["enum"] == list(ENTITY_LABELS)
    assert record["$defs"]["relation"]["properties"]["label"]["enum"] == list(RELATION_LABELS)
    assert fact["$defs"]["subject"]["properties"]["label"]["enum"] == list(SUBJECT_LABELS)
    assert fact["$defs"]["quantity"]["properties"]["approx"]["enum"] == list(APPROX_VALUES)
    assert fact["$defs"]["quantity"]["properties"]["kind"]["enum"] == list(KIND_VALUES)


def test_the_fact_schema_requires_what_fact_to_dict_writes():
    from ipner.types import Fact, MetricSlot, QuantitySlot, SubjectSlot, TimeSlot

    fact = Fact(
        MetricSlot("发明专利授权量", 7, 14),
        QuantitySlot("9286件", 14, 19, 9286.0, "件", None, "value"),
        SubjectSlot("杭州", 5, 7, "CITY", carried=True),
        TimeSlot("去年", 0, 2, None, carried=True),
        sentence="去年,杭州发明专利授权量9286件。",
        score=0.9,
    ).to_dict()
    validate_fact(fact)
    assert set(load_schema("fact")["required"]) == set(fact)
    validate_fact({**fact, "subject": None, "time": None, "score": None,
                   "quantity": {**fact["quantity"], "value": None, "unit": None}})


@pytest.mark.parametrize("name", SCHEMA_NAMES)
def test_unknown_schema_names_are_refused(name):
    assert load_schema(f"{name}.schema.json") == load_schema(name)
    with pytest.raises(ValueError, match="unknown schema"):
        load_schema("record")


# --- what fails validation -----------------------------------------------------------------------

GOOD = json.loads((REPO / "tests" / "data_files" / "seed_predictions.jsonl").open(encoding="utf-8").readline())


def _without(mapping, key):
    return {k: v for k, v in mapping.items() if k != key}


@pytest.mark.parametrize(
    "broken",
    [
        _without(GOOD, "facts"),
        _without(GOOD, "id"),
        {**GOOD, "entities": [{**GOOD["entities"][0], "label": "PERSON"}]},
        {**GOOD, "entities": [{**GOOD["entities"][0], "start": -1}]},
        {**GOOD, "relations": [{**GOOD["relations"][0], "label": "object"}]},
        {**GOOD, "facts": [_without(GOOD["facts"][0], "quantity")]},
        {**GOOD, "facts": [{**GOOD["facts"][0], "quantity": {**GOOD["facts"][0]["quantity"], "kind": "total"}}]},
        {**GOOD, "facts": [{**GOOD["facts"][0], "quantity": {**GOOD["facts"][0]["quantity"], "approx": "over "}}]},
        {**GOOD, "facts": [{**GOOD["facts"][0], "subject": {"text": "2023年", "label": "DATE", "start": 0, "end": 5}}]},
        {**GOOD, "facts": [{**GOOD["facts"][0], "time": {**(GOOD["facts"][0]["time"] or {}), "year": "2023"}}]},
        {**GOOD, "extra": 1},
    ],
    ids=["no facts", "no id", "bad label", "negative offset", "bad relation", "fact without quantity",
         "bad kind", "bad approx", "DATE subject", "year as text", "unknown key"],
)
def test_broken_records_fail_validation(broken):
    validate_record(GOOD)
    with pytest.raises(jsonschema.ValidationError):
        validate_record(broken)


def test_a_fact_missing_a_slot_fails_validation():
    fact = GOOD["facts"][0]
    validate_fact(fact)
    for key in fact:
        with pytest.raises(jsonschema.ValidationError):
            validate_fact(_without(fact, key))


# --- every predict output ------------------------------------------------------------------------


def test_saved_seed_predictions_are_valid():
    with open(REPO / "tests" / "data_files" / "seed_predictions.jsonl", encoding="utf-8") as f:
        records = [json.loads(line) for line in f]
    assert len(records) == 5
    _validate_all(records)


@pytest.mark.parametrize("model", ["baseline", "default"])
def test_predict_output_is_valid(model, capsys, tmp_path):
    traditional = tmp_path / "traditional.txt"
    traditional.write_text(TRADITIONAL, encoding="utf-8")
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    lines = tmp_path / "docs.jsonl"
    lines.write_text(
        "\n".join(
            json.dumps(line, ensure_ascii=False)
            for line in (
                {"id": "a", "text": "去年杭州发明专利授权量9286件,新增高新技术企业超500家。", "date": "2024-04-26"},
                {"id": "b", "text": "今年宁波有效注册商标量约5.2万件。"},
                {"id": "c", "text": ""},
            )
        ),
        encoding="utf-8",
    )
    records = _predict(capsys, "--model", model, *SEEDS, traditional, empty)
    assert [r["id"] for r in records] == [str(p) for p in (*SEEDS, traditional, empty)]
    assert all(r["facts"] for r in records[:6])
    assert records[-1] == {"id": str(empty), "entities": [], "relations": [], "facts": []}
    jsonl = _predict(capsys, "--model", model, "--input-format", "jsonl", lines)
    assert [r["id"] for r in jsonl] == ["a", "b", "c"]
    assert jsonl[0]["facts"]
