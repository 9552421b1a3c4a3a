"""One exit-code policy for the whole CLI: 0 ok, 1 some input failed, 2 usage error or a model that
cannot be loaded; checked before the model loads where possible; located messages, no tracebacks."""
import json

import pytest

from ipner.cli import main

SENTENCE = "2023年,杭州发明专利授权量9286件。"


@pytest.mark.parametrize("command", [["predict"], ["render"]])
def test_a_model_that_will_not_load_is_exit_2(command, tmp_path, capsys):
    text = tmp_path / "a.txt"
    text.write_text(SENTENCE, encoding="utf-8")
    assert main([*command, "--model", str(tmp_path / "nope"), str(text)]) == 2
    assert "cannot load model" in capsys.readouterr().err


def test_evaluate_with_a_model_that_will_not_load_is_exit_2(tmp_path, capsys):
    assert main(["evaluate", "--model", str(tmp_path / "nope"), "--no-baseline"]) == 2
    assert "cannot load model" in capsys.readouterr().err


@pytest.mark.parametrize("output", ["/nonexistent/x.csv", "DIR"])
def test_unwritable_output_is_refused_before_loading(output, tmp_path, capsys, monkeypatch):
    import ipner.pipeline.load

    def fail(*args, **kwargs):
        raise AssertionError("the model must not be loaded")

    monkeypatch.setattr(ipner.pipeline.load, "load", fail)
    text = tmp_path / "a.txt"
    text.write_text(SENTENCE, encoding="utf-8")
    target = str(tmp_path) if output == "DIR" else output
    assert main(["predict", str(text), "-o", target]) == 2
    err = capsys.readouterr().err
    assert "cannot write the output" in err and "Traceback" not in err


@pytest.mark.parametrize("option", [["--date", "foo"], ["--date", "2025-02-30"], ["--max-bytes", "-1"], ["--n-process", "0"]])
def test_bad_option_values_are_usage_errors(option, tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["predict", "x.txt", *option])
    assert exit_info.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_usual_date_forms_are_accepted_and_a_bad_jsonl_date_skips_only_its_line(tmp_path, capsys, baseline_nlp):
    lines = tmp_path / "docs.jsonl"
    lines.write_text(
        json.dumps({"id": "ok", "text": "今年" + SENTENCE, "date": "2025年2月24日"}, ensure_ascii=False) + "\n"
        + json.dumps({"id": "bad", "text": SENTENCE, "date": "not-a-date"}) + "\n",
        encoding="utf-8",
    )
    assert main(["predict", "--model", "baseline", "--input-format", "jsonl", str(lines), "--date", "2025/2/24"]) == 1
    captured = capsys.readouterr()
    records = [json.loads(line) for line in captured.out.splitlines()]
    assert [r["id"] for r in records] == ["ok"]
    assert "docs.jsonl:2" in captured.err and "not-a-date" in captured.err


def test_interrupted_output_leaves_the_previous_file(tmp_path, monkeypatch, capsys):
    import ipner.api

    text = tmp_path / "a.txt"
    text.write_text(SENTENCE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    out.write_text("previous\n", encoding="utf-8")

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(ipner.api, "iter_results", interrupted)
    assert main(["predict", "--model", "baseline", str(text), "-o", str(out)]) == 130
    assert out.read_text(encoding="utf-8") == "previous\n"
    assert {p.name for p in tmp_path.iterdir()} == {"a.txt", "out.jsonl"}  # no temporary file left behind


def test_output_files_get_the_usual_permissions(tmp_path, baseline_nlp):
    import os

    text = tmp_path / "a.txt"
    text.write_text(SENTENCE, encoding="utf-8")
    out = tmp_path / "out.jsonl"
    assert main(["predict", "--model", "baseline", str(text), "-o", str(out)]) == 0
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
