"""``python -m ipner package``: a wheel that installs as ``zh_ipner`` and loads with plain ``spacy.load``."""
import importlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from ipner import __version__
from ipner.cli import main

REPO = Path(__file__).resolve().parents[2]
SENTENCE = "2023年,株洲市发明专利拥有量11925件。"
# Runs with only the installed wheel added to the path; ipner is imported by spaCy's entry points.
LOAD_CODE = f"""
import json
import spacy
nlp = spacy.load("zh_ipner")
import zh_ipner
doc = nlp({SENTENCE!r})
print(json.dumps({{
    "pipe_names": nlp.pipe_names,
    "facts_is_list": isinstance(doc._.facts, tuple) and all(type(f).__name__ == "Fact" for f in doc._.facts),
    "relations_is_list": isinstance(doc._.relations, list),
    "package_file": zh_ipner.__file__,
}}))
"""


def run_ipner(*args, cwd=None):
    env = dict(os.environ, HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    return subprocess.run(
        [sys.executable, "-m", "ipner", *args], capture_output=True, text=True, timeout=300, cwd=cwd, env=env
    )


def build_small_pipeline(path: Path) -> Path:
    """configs/cnn.cfg with tiny widths, initialised (not trained) on three corpus documents."""
    from spacy.util import load_config, load_model_from_config

    from ipner.data.gold import read_gold
    from ipner.training.readers import records_to_examples, select_records

    overrides = {
        "components.tok2vec.model.encode.width": 16,
        "components.tok2vec.model.encode.depth": 1,
        "components.tok2vec.model.embed.rows": [500, 50],
        "components.ner.model.hidden_width": 16,
        "components.ipner_relations.model.hidden_width": 16,
    }
    importlib.import_module("ipner.pipeline.load")  # registers the factories and the tokenizer in a checkout
    config = load_config(REPO / "configs" / "cnn.cfg", overrides=overrides, interpolate=False)
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    records = select_records(read_gold(REPO / "annotations" / "gold" / "corpus.jsonl"), splits=["train"])[:3]
    examples = list(records_to_examples(nlp, records))
    nlp.initialize(lambda: examples)
    nlp.to_disk(path)
    return path


@pytest.fixture
def pipeline_dir(tmp_path):
    from ipner.pipeline.load import default_model_path

    shipped = default_model_path()
    return shipped if shipped is not None else build_small_pipeline(tmp_path / "pipeline")


@pytest.mark.slow
def test_wheel_installs_and_loads_without_importing_ipner(pipeline_dir, tmp_path):
    from spacy.util import load_config

    output = tmp_path / "packages"
    result = run_ipner("package", "--model", str(pipeline_dir), "--output", str(output), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    wheel = Path(result.stdout.strip().splitlines()[-1])
    assert wheel.is_file() and wheel.suffix == ".whl"
    assert wheel.name.startswith("zh_ipner-")
    assert list(output.rglob("*.whl")) == [wheel]
    with zipfile.ZipFile(wheel) as archive:
        metadata = next(n for n in archive.namelist() if n.endswith(".dist-info/METADATA"))
        requires = [
            line.split(":", 1)[1].strip()
            for line in archive.read(metadata).decode("utf-8").splitlines()
            if line.startswith("Requires-Dist:")
        ]
    assert any(r.replace(" ", "") in (f"ipner<0.2.0,>={__version__}", f"ipner>={__version__},<0.2.0") for r in requires), requires

    again = run_ipner("package", "--model", str(pipeline_dir), "--output", str(output), cwd=tmp_path)
    assert again.returncode != 0
    assert "--force" in again.stderr and "Traceback" not in again.stderr

    target = tmp_path / "site"
    install = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check",
         "--target", str(target), str(wheel)],
        capture_output=True, text=True, timeout=300,
    )
    assert install.returncode == 0, install.stderr
    env = dict(os.environ, PYTHONPATH=str(target), HF_HUB_OFFLINE="1", TRANSFORMERS_OFFLINE="1")
    loaded = subprocess.run(
        [sys.executable, "-c", LOAD_CODE], capture_output=True, text=True, timeout=300, cwd=tmp_path, env=env
    )
    assert loaded.returncode == 0, loaded.stderr
    info = json.loads(loaded.stdout.strip().splitlines()[-1])
    assert info["pipe_names"] == load_config(pipeline_dir / "config.cfg")["nlp"]["pipeline"]
    assert "ipner_facts" in info["pipe_names"]
    assert info["facts_is_list"] and info["relations_is_list"]
    assert Path(info["package_file"]).resolve().is_relative_to(target.resolve())


def test_missing_model_directory_is_a_clear_error(tmp_path):
    result = run_ipner("package", "--model", str(tmp_path / "no-such-model"), "--output", str(tmp_path / "out"))
    assert result.returncode != 0
    assert "model directory not found" in result.stderr
    assert "no-such-model" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "out").exists()


def test_no_shipped_model_is_a_clear_error(tmp_path, monkeypatch, capsys):
    import ipner.pipeline.load

    monkeypatch.setattr(ipner.pipeline.load, "default_model_path", lambda: None)
    assert main(["package", "--output", str(tmp_path / "out")]) == 1
    err = capsys.readouterr().err
    assert "no trained model is shipped" in err and "--model" in err


def test_output_that_is_not_a_directory_is_a_clear_error(tmp_path, capsys):
    model = tmp_path / "model"
    model.mkdir()
    (model / "config.cfg").write_text("", encoding="utf-8")
    blocker = tmp_path / "file"
    blocker.write_text("", encoding="utf-8")
    assert main(["package", "--model", str(model), "--output", str(blocker / "out")]) == 1
    err = capsys.readouterr().err
    assert "cannot create the output directory" in err
