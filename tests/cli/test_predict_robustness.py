"""predict never breaks on hostile input: random bytes, odd Unicode, long lines, random JSON lines.

Every input either gives a record or a located error (exit 1), never a traceback, and the valid
inputs of the same batch are all processed.
"""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipner.cli import main

GOOD = "2023年,杭州发明专利授权量9286件。"
ODD_TEXT = st.text(
    alphabet=st.one_of(
        st.characters(blacklist_categories=("Cs",)),  # any encodable code point: controls, RTL marks, emoji …
        st.sampled_from(["\u200f", "\u202e", "\x00", "\x1b", "😀", "\ufeff", "\r", "萬", "%", "年"]),
    ),
    max_size=200,
)
SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


def _run(args, capsys):
    code = main(["predict", "--model", "baseline", "-q", *args])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    return code, [json.loads(line) for line in captured.out.splitlines()], captured.err


@SETTINGS
@given(data=st.binary(max_size=500))
def test_random_bytes_are_read_or_refused_with_a_message(data, tmp_path, capsys, baseline_nlp):
    bad, good = tmp_path / "random.bin", tmp_path / "good.txt"
    bad.write_bytes(data)
    good.write_text(GOOD, encoding="utf-8")
    code, records, err = _run([str(bad), str(good)], capsys)
    assert records[-1]["id"] == str(good) and records[-1]["facts"]
    if code == 1:
        assert str(bad) in err and len(records) == 1
    else:
        assert code == 0 and len(records) == 2


@SETTINGS
@given(text=ODD_TEXT)
def test_odd_unicode_keeps_offsets_on_the_original(text, tmp_path, capsys, baseline_nlp):
    path = tmp_path / "odd.txt"
    path.write_text(text + GOOD, encoding="utf-8", newline="")
    code, records, err = _run([str(path)], capsys)
    if code == 1:  # text that is mostly control characters is refused as binary, by design
        assert "looks like a binary file" in err and not records
        return
    assert code == 0
    original = path.read_bytes().decode("utf-8-sig")
    for entity in records[0]["entities"]:
        assert original[entity["start"] : entity["end"]] == entity["text"]


@SETTINGS
@given(lines=st.lists(st.one_of(ODD_TEXT, st.builds(json.dumps, st.dictionaries(st.text(max_size=5), st.one_of(st.text(max_size=20), st.integers(), st.none()), max_size=3))), max_size=8))
def test_random_json_lines_lose_no_valid_line(lines, tmp_path, capsys, baseline_nlp):
    valid = json.dumps({"id": "valid", "text": GOOD}, ensure_ascii=False)
    path = tmp_path / "docs.jsonl"
    path.write_text("\n".join([*lines, valid]) + "\n", encoding="utf-8")
    code, records, err = _run(["--input-format", "jsonl", str(path)], capsys)
    if "looks like a binary file" in err:  # NUL or many control bytes: the whole file is refused, by design
        assert code == 1 and not records
        return
    assert code in (0, 1)
    assert records and records[-1]["id"] == "valid" and records[-1]["facts"]
    if code == 1:
        assert f"{path}:" in err


def test_a_line_of_100k_characters_without_breaks(tmp_path, capsys, baseline_nlp):
    path = tmp_path / "long.txt"
    path.write_text(("杭州发明专利授权量9286件" * 8000)[:100_000], encoding="utf-8")
    code, records, _ = _run([str(path), "--chunk-chars", "5000"], capsys)
    assert code == 0 and len(records) == 1 and len(records[0]["facts"]) > 1000


@pytest.mark.slow
def test_default_model_on_hostile_text(tmp_path, capsys):
    path = tmp_path / "hostile.txt"
    path.write_text("\u202e\u200f😀" * 300 + "\n" * 50 + GOOD + "\ufeff%%%萬萬" * 200, encoding="utf-8")
    code = main(["predict", "-q", str(path)])
    captured = capsys.readouterr()
    assert code == 0 and "Traceback" not in captured.err
    (record,) = [json.loads(line) for line in captured.out.splitlines()]
    assert any(f["quantity"]["value"] == 9286 for f in record["facts"])
