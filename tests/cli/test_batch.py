"""``python -m ipner batch``: a job from the command line, its exit codes, and ``table`` reading its output."""
import csv
import io
import json

from ipner.cli import main
from tests.conftest import SEEDS


def test_batch_then_table_reads_the_parquet_output(tmp_path, capsys):
    docs = tmp_path / "docs.jsonl"
    docs.write_text(json.dumps({"id": "hz", "text": "2023年,杭州发明专利授权量9286件。"}, ensure_ascii=False) + "\nnot json\n",
                    encoding="utf-8")
    out = tmp_path / "out"
    assert main(["batch", str(docs), str(SEEDS[0]), "--output", str(out), "--model", "baseline", "-q"]) == 1
    assert "not valid JSON" in capsys.readouterr().err
    assert main(["batch", str(docs), str(SEEDS[0]), "--output", str(out), "--model", "baseline", "-q"]) == 0  # all done
    assert "2 already done" in capsys.readouterr().err
    assert main(["table", str(out)]) == 0
    rows = list(csv.DictReader(io.StringIO(capsys.readouterr().out)))
    assert any(r["documents"] == "hz" and r["value"] == "9286" for r in rows)


def test_usage_errors(tmp_path, capsys):
    assert main(["batch", str(SEEDS[0]), "--output", str(tmp_path / "o"), "--scheduler", "tcp://x:8786"]) == 2
    assert main(["batch", str(tmp_path / "missing"), "--output", str(tmp_path / "o"), "--model", "baseline"]) == 2
