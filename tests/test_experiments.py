"""ipner.experiments: leave-one-report-out retrains a fold whose training did not run to the end."""
import pytest

from ipner import experiments
from ipner.training.train import SUMMARY_FILE

SEED = {"id": "seed-a", "text": "", "entities": [], "relations": [], "meta": {"split": "seed"}}


class Trained(Exception):
    pass


class Loaded(Exception):
    pass


def raising(error: Exception):
    """A stand-in that records being called by raising ``error``."""
    def call(*args, **kwargs):
        raise error
    return call


@pytest.fixture
def fold(tmp_path, monkeypatch):
    monkeypatch.setattr(experiments, "read_gold", lambda path: [SEED])
    monkeypatch.setattr(experiments, "load_baseline", lambda: None)
    monkeypatch.setattr(experiments, "train_pipeline", raising(Trained()))
    monkeypatch.setattr(experiments.spacy, "load", raising(Loaded()))
    fold_dir = tmp_path / SEED["id"]
    (fold_dir / "model-best").mkdir(parents=True)
    (fold_dir / "model-best" / "config.cfg").write_text("[nlp]\n", encoding="utf-8")
    return tmp_path


def test_reuse_retrains_a_fold_left_by_an_interrupted_run(fold):
    with pytest.raises(Trained):
        experiments.leave_one_report_out("cnn.cfg", "corpus.jsonl", str(fold), reuse=True)


def test_reuse_keeps_a_fold_whose_training_ran_to_the_end(fold):
    (fold / SEED["id"] / SUMMARY_FILE).write_text("{}", encoding="utf-8")
    with pytest.raises(Loaded):
        experiments.leave_one_report_out("cnn.cfg", "corpus.jsonl", str(fold), reuse=True)
    with pytest.raises(Trained):  # without reuse every fold is trained again
        experiments.leave_one_report_out("cnn.cfg", "corpus.jsonl", str(fold), reuse=False)
