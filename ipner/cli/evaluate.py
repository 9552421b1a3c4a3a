"""``python -m ipner evaluate``: NER, relation and fact P/R/F of a model and of the rule baseline.

``python -m ipner evaluate`` scores the shipped model and the baseline on the corpus's test split;
``--loro`` runs leave-one-report-out over the five seed reports instead (trains five models).
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser("evaluate", help="score a model and the rule baseline on gold data", description=__doc__,
                            formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", default="default", help='pipeline to score: "default", a directory or a package')
    parser.add_argument("--data", nargs="+", help="gold JSONL file(s) (default: the corpus's gold JSONL)")
    parser.add_argument("--split", default="test", help="meta.split to score (default test; 'all' for every record)")
    parser.add_argument("--no-baseline", action="store_true", help="do not score the rule baseline")
    parser.add_argument("--loro", action="store_true", help="leave-one-report-out over the seed reports (trains one model per seed)")
    parser.add_argument("--config", default=str(REPO / "configs" / "cnn.cfg"), help="config trained by --loro")
    parser.add_argument("--work-dir", default="training/loro", help="where --loro writes its models")
    parser.add_argument("--reuse", action="store_true", help="with --loro: do not retrain folds whose model exists in --work-dir")
    parser.add_argument("-o", "--output", help="write the results as JSON to this file")
    parser.set_defaults(run=run, accepts_overrides=True)


def run(args: argparse.Namespace) -> int:
    from ipner.data.corpus import GOLD
    from ipner.data.gold import read_gold
    from ipner.data.validate import AnnotationError
    from ipner.training.evaluate import evaluate_pipeline, format_comparison, leave_one_report_out

    data = [Path(p) for p in args.data] if args.data else [REPO / GOLD]
    try:
        if args.loro:
            from ipner.cli.train import parse_overrides

            results = leave_one_report_out(
                args.config, str(data[0]), args.work_dir, parse_overrides(args.overrides), reuse=args.reuse
            )
            results = {"setting": "leave-one-report-out over the seed reports", **results}
            shown = {"model (LORO)": results["model"], "baseline": results["baseline"]}
        else:
            records = [r for path in data for r in read_gold(path)]
            if args.split != "all":
                records = [r for r in records if r.get("meta", {}).get("split") == args.split]
            if not records:
                print(f"ipner: error: no records with split {args.split!r} in {', '.join(map(str, data))}", file=sys.stderr)
                return 1
            from ipner.pipeline.load import load

            results = {"setting": f"split {args.split}", "model_name": args.model, "model": evaluate_pipeline(load(args.model), records)}
            shown = {"model": results["model"]}
            if not args.no_baseline:
                results["baseline"] = evaluate_pipeline(load("baseline"), records)
                shown["baseline"] = results["baseline"]
    except AnnotationError as err:
        print(f"ipner: error: invalid gold data:\n{err}", file=sys.stderr)
        return 1
    except OSError as err:
        print(f"ipner: error: {err}", file=sys.stderr)
        return 1
    print(f"{results['setting']}: {next(iter(shown.values()))['docs']} documents")
    print(format_comparison(shown))
    if args.output:
        Path(args.output).write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
        print(f"written: {args.output}")
    return 0
