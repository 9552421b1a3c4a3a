"""Shared fixtures: the seed reports shipped in corpus/seeds, a loaded baseline pipeline and the gold corpus
with its entities set on character-tokenised docs."""
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
SEEDS = sorted((REPO / "corpus" / "seeds").glob("*.txt"))


@pytest.fixture(scope="session")
def baseline_nlp():
    from ipner.pipeline.load import load_baseline

    return load_baseline()


@pytest.fixture(scope="session")
def seed_paths():
    assert len(SEEDS) == 5, "corpus/seeds must hold the five seed reports"
    return SEEDS


@pytest.fixture
def gold_docs():
    """``(id, doc)`` of every record of the gold corpus, its gold entities set; fresh docs for each test, as
    the components under test set ``doc.ents``."""
    import json

    import spacy

    from ipner.resources import default_corpus_path

    nlp = spacy.blank("zh", config={"nlp": {"tokenizer": {"@tokenizers": "ipner.CharTokenizer.v1"}}})
    docs = []
    with open(default_corpus_path(), encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            doc = nlp.make_doc(record["text"])
            doc.ents = [doc.char_span(e["start"], e["end"], label=e["label"]) for e in record["entities"]]
            docs.append((record["id"], doc))
    return docs
