"""The built corpus: up to date with the authored files, valid, split by document, big enough."""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from ipner.data.corpus import corpus_stats, load_authored, load_corpus, read_manifest
from ipner.data.gold import record_to_doc, to_dataset_dict, to_docbin

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def corpus():
    return load_corpus(ROOT)


def test_gold_is_built_from_the_authored_files(corpus):
    authored = {r["id"]: r for r in load_authored(ROOT)}
    assert {r["id"] for r in corpus} == set(authored)
    for record in corpus:
        source = authored[record["id"]]
        assert (record["text"], record["entities"], record["relations"]) == (source["text"], source["entities"], source["relations"])


def test_manifest_and_splits(corpus):
    manifest = read_manifest(ROOT)
    assert set(manifest) == {r["id"] for r in corpus}
    for record in corpus:
        row = manifest[record["id"]]
        assert row["split"] == record["meta"]["split"]
        assert (ROOT / row["file"]).read_text(encoding="utf-8") == record["text"]
        if row["origin"] == "real":
            assert row["split"] == "seed"
        else:
            assert row["split"] in ("train", "dev", "test")


def test_corpus_size(corpus):
    stats = corpus_stats(corpus)
    assert stats["origins"]["synthetic"] >= 250
    assert stats["facts"] >= 1200 and stats["cities"] >= 100 and stats["metrics"] >= 60
    assert all(stats["entities"][label] >= 100 for label in ("CITY", "REGION", "ORG", "METRIC", "QUANTITY", "DATE"))
    assert stats["scripts"]["traditional"] >= 0.3 * stats["passages"]
    assert stats["org_subject_passages"] >= 0.15 * stats["passages"]


def test_docs_docbin_and_datasets(corpus, baseline_nlp):
    subset = corpus[:20]
    for record in subset:
        doc = record_to_doc(baseline_nlp, record)
        assert len(doc.ents) == len(record["entities"])
        assert len(doc._.relations) == len(record["relations"])
    docbin = to_docbin(baseline_nlp, subset)
    docs = list(docbin.get_docs(baseline_nlp.vocab))
    assert [len(d.ents) for d in docs] == [len(r["entities"]) for r in subset]
    assert docs[0]._.relations  # relations survive the DocBin
    dataset = to_dataset_dict(corpus)
    assert set(dataset) == {"train", "dev", "test", "seed"}
    assert sum(len(split) for split in dataset.values()) == len(corpus)


def test_corpus_stats_cli():
    out = subprocess.run([sys.executable, "-m", "ipner", "corpus", "stats", "--json", "--root", str(ROOT)], capture_output=True, check=True)
    stats = json.loads(out.stdout)
    for key in ("passages", "facts", "cities", "metrics", "entities", "relations", "scripts", "origins", "splits"):
        assert key in stats
    assert stats == json.loads(json.dumps(corpus_stats(load_corpus(ROOT)), ensure_ascii=False))
    assert stats["passages"] == len(load_corpus(ROOT))
