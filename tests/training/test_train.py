"""`python -m ipner train`: a short run of configs/cnn.cfg trains, tunes its threshold, is
reproducible with a fixed seed, and the result loads with plain spacy.load in a fresh process."""
import json
import subprocess
import sys

import pytest
import spacy

from ipner.cli import main
from ipner.data.gold import read_gold
from ipner.training.tuning import DEFAULT_GRID, iter_thresholds
from tests.conftest import REPO

CONFIG = REPO / "configs" / "cnn.cfg"
# A few documents and small widths: this checks the machinery, not the accuracy.
SHORT_RUN = [
    "--training.max_steps", "12", "--training.eval_frequency", "6",
    "--components.tok2vec.model.encode.width", "32", "--components.tok2vec.model.encode.depth", "1",
    "--components.ipner_relations.model.hidden_width", "16",
    "--corpora.train.only_ids", '["000_b64233f0302b45a0","syn-east-001","syn-east-002","syn-south-001"]',
    "--corpora.train.splits", "[]",
    "--corpora.train.augment_copies", "1",
    "--paths.corpus", str(REPO / "annotations" / "gold" / "corpus.jsonl"),
]


def train(output, *extra):
    return main(["train", str(CONFIG), "-o", str(output), "-q", *extra, "--", *SHORT_RUN])


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    output = tmp_path_factory.mktemp("train")
    assert train(output) == 0
    return output


@pytest.mark.slow
def test_training_writes_models_and_a_threshold_tuned_on_dev(trained):
    summary = json.loads((trained / "training.json").read_text(encoding="utf-8"))
    tried = [row["threshold"] for row in summary["threshold"]["tried"]]
    assert tried == list(iter_thresholds(**DEFAULT_GRID["thresholds"]))
    assert summary["threshold"]["chosen"] in tried
    dev = [r for r in read_gold(REPO / "annotations" / "gold" / "corpus.jsonl") if r["meta"]["split"] == "dev"]
    assert summary["threshold"]["dev_docs"] == len(dev) > 0
    cfg = json.loads((trained / "model-best" / "ipner_relations" / "cfg").read_text(encoding="utf-8"))
    assert cfg["threshold"] == summary["threshold"]["chosen"]
    grid = spacy.util.load_config(CONFIG)["tuning"]["max_candidates"]
    assert [row["max_candidates"] for row in summary["max_candidates"]["tried"]] == sorted(grid)
    assert cfg["max_candidates"] == summary["max_candidates"]["chosen"] in grid
    assert summary["max_candidates"]["trained_with"] == spacy.util.load_config(CONFIG)["components"]["ipner_relations"]["max_candidates"]
    assert cfg["labels"] == ["metric", "subject", "time"]
    facts_cfg = json.loads((trained / "model-best" / "ipner_facts" / "cfg").read_text(encoding="utf-8"))
    assert facts_cfg["carry_over_chars"] == summary["carry_over_chars"]["chosen"] in DEFAULT_GRID["carry_over_chars"]


@pytest.mark.slow
def test_same_seed_same_weights_other_seed_other_weights(trained, tmp_path):
    assert train(tmp_path / "again") == 0
    assert train(tmp_path / "other", "--seed", "1") == 0
    for component in ("tok2vec", "ner", "ipner_relations"):
        first = (trained / "model-last" / component / "model").read_bytes()
        assert (tmp_path / "again" / "model-last" / component / "model").read_bytes() == first, component
    other = (tmp_path / "other" / "model-last" / "ner" / "model").read_bytes()
    assert other != (trained / "model-last" / "ner" / "model").read_bytes()


@pytest.mark.slow
def test_trained_pipeline_loads_with_plain_spacy_in_a_fresh_process(trained):
    code = (
        "import json, spacy, sys\n"
        "before = 'ipner' in sys.modules\n"
        f"nlp = spacy.load({str(trained / 'model-best')!r})\n"
        "doc = nlp('2023年,株洲市发明专利拥有量11925件,同比增长12%。')\n"
        "from ipner.types import Fact\n"
        "print(json.dumps({'pipes': nlp.pipe_names, 'ipner_before_load': before,"
        " 'facts_typed': isinstance(doc._.facts, tuple) and all(isinstance(f, Fact) for f in doc._.facts),"
        " 'relations': isinstance(doc._.relations, list)}))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd="/", timeout=300)
    assert result.returncode == 0, result.stderr
    out = json.loads(result.stdout.strip().splitlines()[-1])
    assert out == {
        "pipes": ["tok2vec", "ner", "ipner_span_repair", "ipner_relations", "ipner_facts"], "ipner_before_load": False,
        "facts_typed": True, "relations": True,
    }


def test_missing_config_and_bad_overrides_are_usage_errors(tmp_path, capsys):
    assert main(["train", str(tmp_path / "none.cfg"), "-o", str(tmp_path / "out")]) == 2
    assert "config not found" in capsys.readouterr().err
    assert main(["train", str(CONFIG), "-o", str(tmp_path / "out"), "-q", "--", "--training.max_steps", "many"]) == 1
    assert "training stopped" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["info", "--", "--training.max_steps", "3"])


def test_an_interrupted_run_is_not_taken_for_a_trained_one(tmp_path, monkeypatch):
    """spaCy saves model-best at each better checkpoint: only the summary written last marks a complete run."""
    import spacy.cli.train

    from ipner.errors import TrainingError
    from ipner.training.train import SUMMARY_FILE, is_trained, train_pipeline

    (tmp_path / "model-best").mkdir()
    (tmp_path / "model-best" / "config.cfg").write_text("[nlp]\n", encoding="utf-8")
    assert not is_trained(tmp_path)
    (tmp_path / SUMMARY_FILE).write_text("{}", encoding="utf-8")
    assert is_trained(tmp_path)

    def interrupted(*args, **kwargs):
        raise SystemExit(1)

    monkeypatch.setattr(spacy.cli.train, "train", interrupted)
    with pytest.raises(TrainingError):
        train_pipeline(CONFIG, tmp_path, quiet=True)
    assert not is_trained(tmp_path)  # the earlier run's summary no longer vouches for model-best
