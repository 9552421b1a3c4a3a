"""configs/trf.cfg trains, tunes its relation threshold, saves and reloads, with a tiny random BERT.

Nothing is downloaded: the transformer is a two-layer, 32-wide ``BertModel`` with random weights and
a vocabulary of the corpus characters, written to ``tmp_path`` and passed as the model name.
"""
import json
import shutil
import string
from pathlib import Path

import numpy
import pytest

pytest.importorskip("spacy_transformers", reason="the transformer pipeline needs ipner[trf]")

REPO = Path(__file__).resolve().parents[2]
CONFIG = REPO / "configs" / "trf.cfg"
CORPUS = REPO / "annotations" / "gold" / "corpus.jsonl"
TEXT = "2023年,株洲市发明专利拥有量11925件,同比增长12.5%。\n\n长沙市 PCT国际专利申请量 为 850件。"


@pytest.fixture
def offline(monkeypatch):
    """No hub access: the environment variables, and the flags read from them at import time."""
    import huggingface_hub.constants
    import transformers.utils.hub

    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("TRANSFORMERS_OFFLINE", "1")
    monkeypatch.setattr(huggingface_hub.constants, "HF_HUB_OFFLINE", True)
    monkeypatch.setattr(transformers.utils.hub, "_is_offline_mode", True, raising=False)


@pytest.fixture
def one_thread():
    """The tests share the CPUs: keep torch to one thread while they run."""
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def _records() -> list[dict]:
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines() if line.strip()]


def build_tiny_bert(directory: Path, records: list[dict]) -> Path:
    """A randomly initialised BERT and its fast tokenizer over every corpus character."""
    from transformers import BertConfig, BertModel, BertTokenizerFast

    chars = {c for record in records for c in record["text"] if not c.isspace()}
    chars |= set(string.digits + string.ascii_letters)
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]"] + sorted(chars)
    directory.mkdir(parents=True)
    vocab_file = directory / "vocab.txt"
    vocab_file.write_text("\n".join(vocab) + "\n", encoding="utf-8")
    BertTokenizerFast(vocab_file=str(vocab_file), tokenize_chinese_chars=True).save_pretrained(directory)
    config = BertConfig(
        vocab_size=len(vocab),
        hidden_size=32,
        num_hidden_layers=2,
        num_attention_heads=2,
        intermediate_size=64,
        max_position_embeddings=512,
    )
    BertModel(config).save_pretrained(directory)
    return directory


@pytest.fixture(scope="module")
def tiny_bert(tmp_path_factory) -> Path:
    return build_tiny_bert(tmp_path_factory.mktemp("trf") / "tiny-bert", _records())


def _pooled_vectors(nlp, doc) -> numpy.ndarray:
    """The token vectors the relation model sees (transformer output pooled per spaCy token)."""
    tok2vec = nlp.get_pipe("ipner_relations").model.layers[0].layers[0]
    return numpy.asarray(tok2vec.predict([doc])[0])


@pytest.mark.slow
def test_trf_config_trains_saves_and_reloads(tmp_path, tiny_bert, offline, one_thread):
    import spacy

    from ipner.training.train import train_pipeline

    by_length = sorted(_records(), key=lambda r: len(r["text"]))
    train_ids = [r["id"] for r in by_length if r["meta"]["split"] == "train"][:5]
    # one long seed report too: newlines, and more than one 128-token window of the span getter
    train_ids += [r["id"] for r in by_length if r["meta"]["split"] == "seed"][:1]
    dev_ids = [r["id"] for r in by_length if r["meta"]["split"] == "dev"][:2]
    bert = shutil.copytree(tiny_bert, tmp_path / "tiny-bert")  # a copy: it is deleted below

    output = tmp_path / "training"
    summary = train_pipeline(
        CONFIG,
        output,
        overrides={
            "paths.corpus": str(CORPUS),
            "components.transformer.model.name": str(bert),
            "training.max_steps": 4,
            "training.eval_frequency": 2,
            "training.optimizer.learn_rate.warmup_steps": 1,
            "corpora.train.only_ids": train_ids,
            "corpora.dev.only_ids": dev_ids,
            "corpora.train.augment_copies": 0,
        },
        use_gpu=-1,
        quiet=True,
    )
    assert summary["threshold"]["dev_docs"] == 2
    assert 0.0 < summary["threshold"]["chosen"] < 1.0
    assert json.loads((output / "training.json").read_text(encoding="utf-8"))["threshold"] == summary["threshold"]

    nlp = spacy.load(output / "model-best")
    assert nlp.pipe_names == ["transformer", "ner", "ipner_span_repair", "ipner_relations", "ipner_facts"]
    assert nlp.get_pipe("ipner_relations").threshold == summary["threshold"]["chosen"]
    doc = nlp(TEXT)
    assert isinstance(doc._.relations, list)
    assert isinstance(doc._.facts, tuple)
    vectors = _pooled_vectors(nlp, doc)
    assert vectors.shape == (len(doc), 32)
    assert numpy.isfinite(vectors).all()  # whitespace tokens have no word piece: pooled to zeros, not NaN

    saved = tmp_path / "saved"
    nlp.to_disk(saved)
    shutil.rmtree(bert)  # the saved pipeline carries the transformer's weights and tokenizer itself
    reloaded = spacy.load(saved)
    again = reloaded(TEXT)
    assert [(e.start_char, e.end_char, e.label_) for e in again.ents] == [
        (e.start_char, e.end_char, e.label_) for e in doc.ents
    ]
    assert again._.relations == doc._.relations
    numpy.testing.assert_allclose(_pooled_vectors(reloaded, again), vectors, rtol=1e-5, atol=1e-6)


@pytest.mark.slow
def test_a_batch_without_quantities_still_backpropagates_into_the_transformer(tiny_bert, offline, one_thread):
    """ipner_relations is the transformer's last listener, the one whose callback runs the transformer's
    backward pass for all listeners: it must call back even with no candidate pair in the batch, or
    the NER's gradient for that batch never reaches BERT."""
    from spacy.training import Example
    from spacy.util import load_config, load_model_from_config
    from thinc.api import Adam

    from ipner.training.readers import records_to_examples

    config = load_config(CONFIG, overrides={"components.transformer.model.name": str(tiny_bert)}, interpolate=True)
    nlp = load_model_from_config(config, auto_fill=True, validate=True)
    records = sorted((r for r in _records() if r["meta"]["split"] == "train"), key=lambda r: len(r["text"]))[:3]
    examples = list(records_to_examples(nlp, records))
    nlp.initialize(lambda: examples)
    transformer = nlp.get_pipe("transformer")
    assert transformer.listening_components[-1] == "ipner_relations"
    bert = next(node for node in transformer.model.walk() if node.shims).shims[0]._model

    text = "株洲市知识产权局发布年度报告。"
    reference = nlp.make_doc(text)
    reference.ents = [reference.char_span(0, 3, label="CITY")]
    reference._.relations = []
    no_quantity = Example(nlp.make_doc(text), reference)
    losses = nlp.update([no_quantity], sgd=Adam(0.001), losses={})
    assert losses["ner"] > 0 and losses["ipner_relations"] == 0.0
    # spaCy applies the transformer's optimizer step right after its own update, before the listeners
    # call back, so the gradient of this batch is still on BERT's parameters
    grads = [p.grad for p in bert.parameters() if p.grad is not None]
    assert grads and any(float(g.abs().sum()) > 0 for g in grads)
