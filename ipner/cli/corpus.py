"""``python -m ipner corpus``: build, validate and describe the annotated corpus."""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the command's arguments."""
    parser = sub.add_parser("corpus", help="build, validate and describe the annotated corpus", description=__doc__)
    parser.add_argument("action", choices=["build", "validate", "stats", "agreement"],
                        help="build: authored files → gold JSONL, manifest, passages; validate: check every file; "
                             "stats: counts; agreement: F1 between the two annotations of the agreement sample")
    parser.add_argument("--root", default=".", help="repository root (default: current directory)")
    parser.add_argument("--json", action="store_true", help="stats as one JSON object")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code."""
    from ipner.data.corpus import build_corpus, corpus_stats, load_authored, load_corpus
    from ipner.data.validate import AnnotationError

    root = Path(args.root)
    try:
        if args.action == "build":
            records = build_corpus(root)
            print(f"built {len(records)} documents into annotations/gold/corpus.jsonl and corpus/manifest.tsv")
            return 0
        if args.action == "validate":
            records = load_authored(root)
            load_corpus(root)
            print(f"{len(records)} documents: ok")
            return 0
        if args.action == "agreement":
            return _agreement(root, args.json)
        stats = corpus_stats(load_corpus(root))
    except AnnotationError as err:
        print("\n".join(f"ipner: error: {p}" for p in err.problems), file=sys.stderr)
        return 1
    if args.json:
        print(json.dumps(stats, ensure_ascii=False))
        return 0
    for key, value in stats.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for name, count in value.items():
                print(f"  {name:<12} {count:>7}")
        else:
            print(f"{key:<14} {value:>7}")
    return 0


def _agreement(root: Path, as_json: bool) -> int:
    from ipner.data.agreement import agreement, passage_record, read_sample
    from ipner.data.authoring import parse_file
    from ipner.data.corpus import load_corpus

    folder = root / "annotations" / "agreement"
    corpus = {r["id"]: r for r in load_corpus(root)}
    first = [passage_record(corpus[doc], start, end, pid) for pid, doc, start, end in read_sample(folder / "sample.tsv")]
    second = [d.record for d in parse_file(folder / "second_annotation.txt")]
    report = agreement(first, second)
    (folder / "report.json").write_text(json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    if as_json:
        print(json.dumps({k: v for k, v in report.items() if k != "entity_disagreements"}, ensure_ascii=False))
        return 0
    print(f"passages: {report['passages']}")
    for kind in ("entities", "relations"):
        per_label = ", ".join(f"{k} {v:.3f}" for k, v in report[kind]["per_label"].items())
        print(f"{kind}: F1 {report[kind]['f1']:.3f} ({per_label})")
    print(f"entity disagreements: {len(report['entity_disagreements'])} (annotations/agreement/report.json)")
    return 0

