"""Shared fixtures: the seed reports shipped in corpus/seeds and a loaded baseline pipeline."""
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
