"""``python -m ipner predict`` end to end, in subprocesses as a user runs it."""
import csv
import io
import json
import subprocess
import sys

import pytest

from ipner.contract import validate_record
from tests.conftest import SEEDS


def run_ipner(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "ipner", *args], input=stdin, capture_output=True, timeout=300
    )


def _assert_offsets(record, text):
    validate_record(record)  # the JSON Schema of the contract (ipner/resources/schema/)
    for ent in record["entities"]:
        assert text[ent["start"] : ent["end"]] == ent["text"]
    n = len(record["entities"])
    for rel in record["relations"]:
        assert 0 <= rel["head"] < n and 0 <= rel["child"] < n
        assert record["entities"][rel["head"]]["label"] == "QUANTITY"
    for fact in record["facts"]:
        for slot in ("subject", "metric", "quantity", "time"):
            if fact[slot]:
                assert text[fact[slot]["start"] : fact[slot]["end"]] == fact[slot]["text"]
        assert set(fact) >= {"subject", "metric", "quantity", "time", "sentence", "score"}
        assert set(fact["quantity"]) >= {"text", "start", "end", "value", "unit", "approx", "kind"}


def test_predict_seed_reports_jsonl():
    result = run_ipner("predict", "--model", "baseline", *map(str, SEEDS))
    assert result.returncode == 0, result.stderr.decode()
    lines = result.stdout.decode("utf-8").splitlines()
    assert len(lines) == len(SEEDS)
    for line, path in zip(lines, SEEDS):
        record = json.loads(line)
        assert record["id"] == str(path)
        _assert_offsets(record, path.read_text(encoding="utf-8"))
        assert record["facts"]


def test_offsets_refer_to_original_text_in_any_encoding(tmp_path):
    text = "\ufeff２０２４年，長沙每萬人有效發明專利擁有量增至７２．４２件。"
    big5 = tmp_path / "big5.txt"
    big5.write_bytes(text[1:].encode("big5"))
    bom = tmp_path / "bom.txt"
    bom.write_bytes(text.encode("utf-8"))
    result = run_ipner("predict", "--model", "baseline", str(big5), str(bom))
    assert result.returncode == 0, result.stderr.decode()
    for line in result.stdout.decode().splitlines():
        record = json.loads(line)
        _assert_offsets(record, text[1:])
        assert any(f["quantity"]["value"] == 72.42 for f in record["facts"])


def test_bad_inputs_are_reported_and_the_rest_processed(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("2023年,杭州发明专利授权量9286件。", encoding="utf-8")
    binary = tmp_path / "binary.bin"
    binary.write_bytes(b"\x00\x01\x02\x03PNG\x00" * 50)
    undecodable = tmp_path / "bad.txt"
    undecodable.write_bytes(b"abc \xff\xfe\xff\xfe\x80\x81 def" * 3)
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = run_ipner(
        "predict", "--model", "baseline", str(binary), str(tmp_path / "missing.txt"), str(undecodable), str(empty), str(good)
    )
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "Traceback" not in err
    for name in ("binary.bin", "missing.txt", "bad.txt"):
        assert name in err
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    for record in records:
        validate_record(record)
    assert [r["id"] for r in records] == [str(empty), str(good)]
    assert records[0] == {"id": str(empty), "entities": [], "relations": [], "facts": []}
    assert records[1]["facts"][0]["quantity"]["value"] == 9286


def test_file_over_the_size_limit_is_refused(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("杭州发明专利授权量9286件。" * 100, encoding="utf-8")
    result = run_ipner("predict", "--model", "baseline", "--max-bytes", "1000", str(big))
    assert result.returncode == 1
    assert "over the limit" in result.stderr.decode() and "Traceback" not in result.stderr.decode()


def test_stdin_and_jsonl_input():
    lines = "\n".join(
        [
            json.dumps({"id": "a", "text": "去年杭州发明专利授权量9286件。", "date": "2024-04-26"}, ensure_ascii=False),
            "{not json",
            json.dumps({"id": "b"}),
            json.dumps({"id": "c", "text": "今年宁波有效注册商标量5.2万件。"}, ensure_ascii=False),
        ]
    )
    result = run_ipner("predict", "--model", "baseline", "--input-format", "jsonl", "-", stdin=lines.encode("utf-8"))
    assert result.returncode == 1
    err = result.stderr.decode()
    assert "<stdin>:2" in err and "<stdin>:3" in err and "Traceback" not in err
    records = [json.loads(line) for line in result.stdout.decode().splitlines()]
    for record in records:
        validate_record(record)
    assert [r["id"] for r in records] == ["a", "c"]
    assert records[0]["facts"][0]["time"]["year"] == 2023  # resolved against the line's date
    assert records[1]["facts"][0]["time"]["year"] is None  # no reference date: unresolved


def test_csv_json_and_table_formats(tmp_path):
    path = SEEDS[0]
    as_csv = run_ipner("predict", "--model", "baseline", "--format", "csv", str(path))
    rows = list(csv.DictReader(io.StringIO(as_csv.stdout.decode())))
    as_json = run_ipner("predict", "--model", "baseline", "--format", "json", "-o", str(tmp_path / "out.json"), str(path))
    assert as_json.returncode == 0 and as_json.stdout == b""
    records = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    for record in records:
        validate_record(record)
    assert len(rows) == len(records[0]["facts"]) > 0
    assert rows[0]["metric"] == records[0]["facts"][0]["metric"]["text"]
    table = run_ipner("predict", "--model", "baseline", "--format", "table", str(path)).stdout.decode()
    assert table.splitlines()[0].split()[:3] == ["id", "subject", "metric"]
    assert len(table.splitlines()) == len(rows) + 2


def test_chunked_processing_keeps_document_offsets(tmp_path):
    text = "\n\n".join(f"{2000 + i}年,杭州发明专利授权量{i + 100}件。" for i in range(40))
    path = tmp_path / "long.txt"
    path.write_text(text, encoding="utf-8")
    result = run_ipner("predict", "--model", "baseline", "--chunk-chars", "100", str(path))
    (record,) = [json.loads(line) for line in result.stdout.decode().splitlines()]
    _assert_offsets(record, text)
    assert len(record["facts"]) == 40
    assert [f["quantity"]["value"] for f in record["facts"]] == [i + 100 for i in range(40)]


@pytest.mark.slow
@pytest.mark.parametrize("model", ["baseline", "default"])
def test_two_processes_give_the_same_output(model):
    args = ("predict", "--model", model, *map(str, SEEDS))
    two = [json.loads(line) for line in run_ipner(*args, "--n-process", "2").stdout.splitlines()]
    one = [json.loads(line) for line in run_ipner(*args).stdout.splitlines()]
    # pieces are batched differently in one process (by characters) and in workers, which moves
    # fact scores in the fourth decimal (floating point); everything else is identical
    for a, b in zip(two, one):
        assert [f.pop("score") for f in a["facts"]] == pytest.approx([f.pop("score") for f in b["facts"]], abs=1e-3)
    assert two == one


def test_usage_errors_exit_2():
    assert run_ipner("predict").returncode == 2
    result = run_ipner("predict", "--model", "/nonexistent/model", str(SEEDS[0]))
    assert result.returncode == 2 and "cannot load model" in result.stderr.decode()


@pytest.mark.slow
def test_50mb_file_in_bounded_memory(tmp_path):
    """A 50 MB report is processed piece by piece: the process stays well under 1 GB."""
    unit = "".join(p.read_text(encoding="utf-8") for p in SEEDS)
    big = tmp_path / "big.txt"
    with open(big, "w", encoding="utf-8") as f:
        written = 0
        while written < 50 * 1024 * 1024:
            f.write(unit)
            written += len(unit.encode("utf-8"))
    out = tmp_path / "out.jsonl"
    probe = (
        "import resource, subprocess, sys;"
        f"r = subprocess.run([sys.executable, '-m', 'ipner', 'predict', '--model', 'baseline', '-q', r'{big}', '-o', r'{out}']);"
        "print(r.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
    )
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, timeout=1800)
    code, max_rss_kb = map(int, result.stdout.split())
    assert code == 0, result.stderr.decode()
    assert max_rss_kb < 1024 * 1024, f"peak RSS {max_rss_kb / 1024:.0f} MB"
    with open(out, "rb") as f:
        assert f.read(8) == b'{"id": "'
        f.seek(-3, 2)
        assert f.read() == b"]}\n"


def test_stdin_over_the_limit_is_refused():
    result = run_ipner("predict", "--model", "baseline", "--max-bytes", "100", "-", stdin="杭州发明专利授权量9286件。".encode() * 20)
    assert result.returncode == 1 and b"<stdin>: over the limit" in result.stderr
