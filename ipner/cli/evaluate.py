"""``python -m ipner evaluate``: NER, relation and fact P/R/F of a model and of the rule baseline.

``python -m ipner evaluate`` scores the shipped model and the baseline on the corpus's test split;
``--loro`` runs leave-one-report-out over the five seed reports instead (trains five models).
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the command's arguments."""
    parser = sub.add_parser("evaluate", help="score a model and the rule baseline on gold data", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default", help='pipeline to score: "default", a directory or a package')
    parser.add_argument("--data", nargs="+", help="gold JSONL file(s) (default: the corpus's gold JSONL)")
    parser.add_argument("--split", default="test", help="meta.split to score (default test; 'all' for every record)")
    parser.add_argument("--no-baseline", action="store_true", help="do not score the rule baseline")
    parser.add_argument("--loro", action="store_true", help="leave-one-report-out over the seed reports (trains one model per seed)")
    parser.add_argument("--config", help="config trained by --loro (default: configs/cnn.cfg)")
    parser.add_argument("--work-dir", default="training/loro", help="where --loro writes its models")
    parser.add_argument("--reuse", action="store_true", help="with --loro: do not retrain folds whose training ran to the end in --work-dir; score them "
                        "with the config's span repair and fact settings (and overrides), each keeping its tuned carry-over")
    parser.add_argument("--errors", action="store_true",
                        help="also list every wrong or missing fact, entity and relation by category (in the JSON with -o)")
    parser.add_argument("-o", "--output", help="write the results as JSON to this file")
    parser.set_defaults(run=run, accepts_overrides=True)


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code."""
    from ipner.cli.formatting import format_comparison
    from ipner.data.gold import read_gold
    from ipner.errors import UsageError
    from ipner.files import atomic_output
    from ipner.pipeline.load import load
    from ipner.resources import default_corpus_path
    from ipner.training.evaluate import evaluate_pipeline

    data = [Path(p) for p in args.data] if args.data else [default_corpus_path()]
    if data[0] is None:
        raise UsageError("no gold corpus is shipped with this installation; give --data FILE")
    if args.loro:
        from ipner.cli.train import parse_overrides
        from ipner.experiments import leave_one_report_out
        from ipner.training.train import resolve_training_inputs

        config, overrides = resolve_training_inputs(args.config, data[0], parse_overrides(args.overrides))
        results = leave_one_report_out(str(config), str(data[0]), args.work_dir, overrides, reuse=args.reuse, errors=args.errors)
        results = {"setting": "leave-one-report-out over the seed reports", **results}
        shown = {"model (LORO)": results["model"], "baseline": results["baseline"]}
    else:
        records = [r for path in data for r in read_gold(path)]
        if args.split != "all":
            records = [r for r in records if r.get("meta", {}).get("split") == args.split]
        if not records:
            raise UsageError(f"no records with split {args.split!r} in {', '.join(map(str, data))}")
        nlp = load(args.model)
        results = {"setting": f"split {args.split}", "model_name": args.model, "model": evaluate_pipeline(nlp, records)}
        if args.errors:
            from ipner.training.errors import collect_errors

            results["errors"] = collect_errors(nlp, records)
        shown = {"model": results["model"]}
        if not args.no_baseline:
            results["baseline"] = shown["baseline"] = evaluate_pipeline(load("baseline"), records)
    print(f"{results['setting']}: {next(iter(shown.values()))['docs']} documents")
    print(format_comparison(shown))
    if args.errors:
        from ipner.training.errors import format_errors

        print("\n" + format_errors(results["errors"]))
    if args.output:
        with atomic_output(args.output, "w", encoding="utf-8") as out:
            out.write(json.dumps(results, ensure_ascii=False, indent=2))
        print(f"written: {args.output}")
    return 0
