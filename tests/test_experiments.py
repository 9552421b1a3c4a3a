"""ipner.experiments: leave-one-report-out retrains a fold whose training did not run to the end, and scores a
reused one with the config's post-processing."""
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


def test_a_reused_fold_is_scored_with_the_post_processing_the_config_names_now(tmp_path, monkeypatch):
    """A rule switched on in the config since the fold was trained applies to it; what training tuned for the
    fold (the fact carry-over) stays the fold's, and an override on the command line wins over the config."""
    import spacy

    monkeypatch.setattr(experiments, "read_gold", lambda path: [SEED])
    monkeypatch.setattr(experiments, "load_baseline", lambda: None)
    monkeypatch.setattr(experiments, "train_pipeline", raising(Trained()))
    scored = []

    class Scored(Exception):
        pass

    def evaluate(nlp, records):
        scored.append(nlp)
        raise Scored

    monkeypatch.setattr(experiments, "evaluate_pipeline", evaluate)
    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    nlp.add_pipe("ipner_span_repair", config={"repair_labels": ["METRIC"]})
    nlp.add_pipe("ipner_facts", config={"carry_over_chars": 77, "nearest_mention": False, "skip_captions": False})
    fold_dir = tmp_path / "work" / SEED["id"]
    fold_dir.mkdir(parents=True)
    nlp.to_disk(fold_dir / "model-best")
    (fold_dir / SUMMARY_FILE).write_text("{}", encoding="utf-8")
    config = tmp_path / "cnn.cfg"
    config.write_text(
        "[components]\n\n[components.ipner_span_repair]\nfactory = \"ipner_span_repair\"\n"
        "repair_labels = [\"METRIC\",\"ORG\"]\n\n[components.ipner_facts]\nfactory = \"ipner_facts\"\n"
        "carry_over_chars = 0\nnearest_mention = true\nskip_captions = true\n",
        encoding="utf-8",
    )
    overrides = {"components.ipner_facts.skip_captions": False}
    with pytest.raises(Scored):
        experiments.leave_one_report_out(str(config), "corpus.jsonl", str(tmp_path / "work"), overrides, reuse=True)
    facts, repair = scored[0].get_pipe("ipner_facts"), scored[0].get_pipe("ipner_span_repair")
    assert (facts.nearest_mention, facts.skip_captions, facts.carry_over_chars) == (True, False, 77)
    assert repair.repair_labels == ["METRIC", "ORG"]
