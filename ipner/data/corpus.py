"""The corpus: building gold JSONL, the manifest and passage texts from the authored files; stats.

Layout (relative to the repository root):
- ``annotations/authored/*.txt``: what annotators write (the source of truth);
- ``annotations/gold/corpus.jsonl``: every document as a gold record, ``meta.split`` set;
- ``corpus/manifest.tsv``: one row per document (id, source, date, script, origin, split, …);
- ``corpus/seeds/``: the five real reports unchanged; ``corpus/passages/``: the written passages.

Splits are by document and fixed: a document keeps the split the manifest records for it; a new
document gets one from a hash of its id (80 % train, 10 % dev, 10 % test). The real seed reports
are in the split ``seed``: they are kept for leave-one-report-out evaluation and never in train.
"""
from __future__ import annotations

import csv
import hashlib
from collections import Counter
from pathlib import Path
from typing import Any

from ipner.data.authoring import parse_file
from ipner.data.gold import read_gold, write_gold
from ipner.data.validate import AnnotationError

AUTHORED = Path("annotations/authored")
GOLD = Path("annotations/gold/corpus.jsonl")
MANIFEST = Path("corpus/manifest.tsv")
PASSAGES = Path("corpus/passages")
MANIFEST_COLUMNS = ["id", "source", "date", "script", "origin", "split", "pre_annotated", "file", "chars"]


def load_authored(root: Path) -> list[dict[str, Any]]:
    """Every authored document as a gold record (without split), in file and document order."""
    records, problems = [], []
    for path in sorted((root / AUTHORED).glob("*.txt")):
        try:
            records.extend(doc.record for doc in parse_file(path))
        except AnnotationError as err:
            problems.extend(err.problems)
    ids = Counter(r["id"] for r in records)
    problems.extend(f"document id {doc_id!r} is used {n} times" for doc_id, n in ids.items() if n > 1)
    if problems:
        raise AnnotationError(problems)
    return records


def hash_split(doc_id: str) -> str:
    """The split a new synthetic document gets: stable, from its id."""
    bucket = int(hashlib.sha1(doc_id.encode("utf-8")).hexdigest(), 16) % 10
    return "train" if bucket < 8 else "dev" if bucket == 8 else "test"


def read_manifest(root: Path) -> dict[str, dict[str, str]]:
    """The manifest's rows by document id (empty when there is no manifest yet)."""
    path = root / MANIFEST
    if not path.exists():
        return {}
    with open(path, encoding="utf-8", newline="") as f:
        return {row["id"]: row for row in csv.DictReader(f, delimiter="\t")}


def build_corpus(root: Path) -> list[dict[str, Any]]:
    """Write gold JSONL, manifest and passage texts from the authored files; return the records."""
    records = load_authored(root)
    known = read_manifest(root)
    (root / PASSAGES).mkdir(parents=True, exist_ok=True)
    rows = []
    for record in records:
        meta = record["meta"]
        if meta["origin"] == "real":
            split, file = "seed", f"corpus/seeds/{record['id']}.txt"
            seed_text = (root / file).read_text(encoding="utf-8")
            if seed_text != record["text"]:
                raise AnnotationError([f"{record['id']}: annotated text differs from {file}"])
        else:
            split = known.get(record["id"], {}).get("split") or hash_split(record["id"])
            file = f"{PASSAGES}/{record['id']}.txt"
            (root / file).write_text(record["text"], encoding="utf-8")
        meta["split"] = split
        rows.append({
            "id": record["id"], "source": meta.get("source", ""), "date": meta.get("date", ""),
            "script": meta["script"], "origin": meta["origin"], "split": split,
            "pre_annotated": known.get(record["id"], {}).get("pre_annotated", "no"), "file": file,
            "chars": str(len(record["text"])),
        })
    (root / GOLD).parent.mkdir(parents=True, exist_ok=True)
    write_gold(records, root / GOLD)
    with open(root / MANIFEST, "w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=MANIFEST_COLUMNS, delimiter="\t", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    return records


def load_corpus(root: Path) -> list[dict[str, Any]]:
    """The built gold records (``annotations/gold/corpus.jsonl``), validated."""
    return read_gold(root / GOLD)


def corpus_stats(records: list[dict[str, Any]]) -> dict[str, Any]:
    """Counts per label, relation, script, origin and split, and distinct cities and metrics."""
    from ipner.text.normalize import to_simplified

    entities: Counter[str] = Counter()
    relations: Counter[str] = Counter()
    cities, metrics = set(), set()
    facts = 0
    org_subject_passages = 0
    for record in records:
        ents = record["entities"]
        if any(r["label"] == "subject" and ents[r["child"]]["label"] == "ORG" for r in record.get("relations", [])):
            org_subject_passages += 1
        for ent in record["entities"]:
            entities[ent["label"]] += 1
            if ent["label"] == "CITY":
                cities.add(to_simplified(ent["text"]))
            elif ent["label"] == "METRIC":
                metrics.add(to_simplified(ent["text"]))
        heads_with_metric = {r["head"] for r in record.get("relations", []) if r["label"] == "metric"}
        facts += len(heads_with_metric)
        relations.update(r["label"] for r in record.get("relations", []))
    return {
        "passages": len(records),
        "characters": sum(len(r["text"]) for r in records),
        "facts": facts,
        "org_subject_passages": org_subject_passages,
        "cities": len(cities),
        "metrics": len(metrics),
        "entities": dict(sorted(entities.items())),
        "relations": dict(sorted(relations.items())),
        "scripts": dict(sorted(Counter(r["meta"].get("script", "") for r in records).items())),
        "origins": dict(sorted(Counter(r["meta"].get("origin", "") for r in records).items())),
        "splits": dict(sorted(Counter(r["meta"].get("split", "") for r in records).items())),
    }
