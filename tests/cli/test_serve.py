"""``python -m ipner serve``: its options, a clear exit 2 without the extra or the model, and a
default install that never imports FastAPI or uvicorn."""
import json
import subprocess
import sys

import pytest

from ipner.cli import build_parser, main
from ipner.serve.settings import API_KEY_ENV, ServeSettings


def settings_of(argv):
    from ipner.cli.serve import settings_from_args

    return settings_from_args(build_parser().parse_args(["serve", *argv]))


def test_options_become_settings(monkeypatch):
    monkeypatch.delenv(API_KEY_ENV, raising=False)
    assert settings_of([]) == ServeSettings()
    settings = settings_of(["--model", "baseline", "--port", "9001", "--workers", "2", "--api-key", "k", "--max-bytes", "10",
                            "--max-docs", "2", "--max-chars", "5", "--cors", "http://a.example", "--cors", "http://b.example"])
    assert settings == ServeSettings(model="baseline", port=9001, workers=2, api_key="k", max_bytes=10, max_docs=2,
                                     max_chars=5, cors_origins=("http://a.example", "http://b.example"))
    monkeypatch.setenv(API_KEY_ENV, "from-env")
    assert settings_of([]).api_key == "from-env"
    assert settings_of(["--api-key", "given"]).api_key == "given"


def test_without_the_extra_serve_exits_2_naming_the_install(monkeypatch, capsys):
    monkeypatch.setitem(sys.modules, "uvicorn", None)  # import uvicorn now raises ImportError
    assert main(["serve"]) == 2
    assert "pip install 'ipner[serve]'" in capsys.readouterr().err


def test_without_the_extra_no_traceback():
    code = "import sys; sys.modules['fastapi'] = None; from ipner.cli import main; sys.exit(main(['serve']))"
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 2
    assert "Traceback" not in run.stderr
    assert run.stderr.strip().splitlines() == ["ipner: error: serving over HTTP needs FastAPI and uvicorn "
                                               "(fastapi is missing): pip install 'ipner[serve]'"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_a_model_that_will_not_load_exits_2(tmp_path, capsys, workers):
    pytest.importorskip("uvicorn")
    assert main(["serve", "--model", str(tmp_path / "no-model"), "--workers", workers, "--port", "0"]) == 2
    assert "no-model" in capsys.readouterr().err


def test_the_default_install_does_not_import_fastapi_or_uvicorn():
    code = ("import sys, json; from ipner.cli import build_parser; import ipner.serve, ipner.serve.client_bench; "
            "build_parser().parse_args(['serve']); "
            "print(json.dumps(sorted(m for m in sys.modules if m.split('.')[0] in ('fastapi', 'uvicorn', 'starlette'))))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == []


def test_bad_limits_are_usage_errors(capsys):
    with pytest.raises(SystemExit) as exited:
        main(["serve", "--max-bytes", "0"])
    assert exited.value.code == 2
