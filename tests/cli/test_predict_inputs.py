"""predict over directories, the table's id column and cells, CSV for spreadsheets, and SIGTERM."""
import json
import os
import signal
import subprocess
import sys
import time

from ipner.cli import main

SENTENCE = "2023年,杭州发明专利授权量9286件。"


def test_directories_are_searched_recursively_with_jsonl_read_as_lines(tmp_path, capsys, baseline_nlp):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "one.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "a" / "deeper").mkdir()
    (tmp_path / "a" / "deeper" / "two.jsonl").write_text(json.dumps({"id": "x", "text": SENTENCE}) + "\n", encoding="utf-8")
    (tmp_path / "a" / "notes.md").write_text("不读", encoding="utf-8")
    # hidden files and the markers distributed engines write are no documents
    (tmp_path / "a" / ".draft.txt").write_text(SENTENCE, encoding="utf-8")
    (tmp_path / "a" / "_SUCCESS.txt").write_text("", encoding="utf-8")
    assert main(["predict", "--model", "baseline", str(tmp_path / "a")]) == 0
    ids = [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()]
    assert ids == ["x", str(tmp_path / "a" / "one.txt")]
    assert main(["predict", "--model", "baseline", str(tmp_path / "a"), "--glob", "*.md"]) == 0
    assert [json.loads(line)["id"] for line in capsys.readouterr().out.splitlines()] == [str(tmp_path / "a" / "notes.md")]
    (tmp_path / "empty").mkdir()
    assert main(["predict", "--model", "baseline", str(tmp_path / "empty"), str(tmp_path / "a" / "one.txt")]) == 1
    captured = capsys.readouterr()
    assert "empty: a directory without files" in captured.err and len(captured.out.splitlines()) == 1


def test_table_shows_short_unique_names_and_keeps_rows_on_one_line(tmp_path, capsys, baseline_nlp):
    for folder in ("first", "second"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "report.txt").write_text("2023年,杭州发明专利\n授权量9286件。", encoding="utf-8")
    paths = [str(tmp_path / f / "report.txt") for f in ("first", "second")]
    assert main(["predict", "--model", "baseline", "--format", "table", *paths]) == 0
    lines = capsys.readouterr().out.splitlines()[2:]
    assert [line.split()[0] for line in lines] == ["first/report.txt", "second/report.txt"]


def test_excel_csv_starts_with_a_byte_order_mark(tmp_path, baseline_nlp):
    text = tmp_path / "a.txt"
    text.write_text(SENTENCE, encoding="utf-8")
    out = tmp_path / "facts.csv"
    assert main(["predict", "--model", "baseline", "--format", "csv", "--excel", str(text), "-o", str(out)]) == 0
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and "杭州".encode() in data


def test_sigterm_leaves_the_previous_output_and_no_temporary_file(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text((SENTENCE * 50 + "\n") * 2000, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")
    process = subprocess.Popen([sys.executable, "-m", "ipner", "predict", "--model", "baseline", str(big), "-q", "-o", str(out)],
                               stderr=subprocess.PIPE)
    deadline = time.time() + 60
    while time.time() < deadline and not any(p.name.startswith(".out.jsonl.") for p in tmp_path.iterdir()):
        time.sleep(0.2)
    os.kill(process.pid, signal.SIGTERM)
    assert process.wait(timeout=60) == 143
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert {p.name for p in tmp_path.iterdir()} == {"big.txt", "out.jsonl"}
    assert b"Traceback" not in process.stderr.read()
