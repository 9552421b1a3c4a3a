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
    parser.add_argument("--json", action="store_true", help="stats (or the agreement report) as JSON")
    parser.add_argument("-o", "--output", help="agreement: write the full report (JSON) here, atomically (default: standard output); "
                                              "the committed annotations/agreement/report.json is never rewritten unless named")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code."""
    from ipner.data.corpus import build_corpus, corpus_stats, load_authored, load_corpus
    from ipner.data.validate import AnnotationError

    from ipner.errors import UsageError

    root = Path(args.root)
    if args.output and args.action != "agreement":
        raise UsageError("-o/--output is for the agreement action only")
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
            return _agreement(root, args.json, args.output)
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


def _agreement(root: Path, as_json: bool, output: str | None) -> int:
    from ipner.data.agreement import format_agreement, measure_agreement
    from ipner.errors import UsageError
    from ipner.files import atomic_output, check_output_path

    if output not in (None, "-") and (why := check_output_path(output)):
        raise UsageError(why)
    report = measure_agreement(root)
    full = json.dumps(report, ensure_ascii=False, indent=1) + "\n"
    if output in (None, "-"):
        sys.stdout.write(full if as_json else format_agreement(report, disagreements=True))
        return 0
    with atomic_output(output, "w", encoding="utf-8") as f:
        f.write(full)
    if as_json:
        print(json.dumps({k: v for k, v in report.items() if k != "entity_disagreements"}, ensure_ascii=False))
    else:
        print(format_agreement(report).rstrip("\n") + f" ({output})")
    return 0
