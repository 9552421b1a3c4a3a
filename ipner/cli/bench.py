"""``python -m ipner bench``: speed, load time and memory of the pipelines (see :mod:`ipner.benchmark`)."""
from __future__ import annotations

import argparse
import json
import sys

from ipner.cli.options import positive_int


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the command's arguments."""
    from ipner.benchmark import DEFAULT_CHARS
    from ipner.serve.client_bench import DEFAULT_REQUESTS

    parser = sub.add_parser("bench", help="measure speed, load time and memory of the pipelines",
                            description="Measure throughput, load time and peak memory of pipelines in fresh processes, with jieba as a yardstick.")
    parser.add_argument("--text", nargs="+", metavar="FILE",
                        help="measure on these files (one document each) instead of the gold test split and the seed reports")
    parser.add_argument("--chars", type=positive_int, metavar="N",
                        help=f"repeat or cut the text to N characters (default {DEFAULT_CHARS:,}; with --text: the files as they are)")
    parser.add_argument("--models", nargs="+", default=["default", "baseline"], metavar="MODEL",
                        help='pipelines to measure: "default", "baseline", a directory or a package (default: default baseline)')
    parser.add_argument("--memory", action="store_true",
                        help="instead: peak RSS of predict on 100 KB, 1 MB and 10 MB files and on 10,000 short documents")
    parser.add_argument("--engine", choices=["dask"],
                        help="instead: python -m ipner batch with the local engine and a Dask LocalCluster, 1 and 2 workers (first of --models)")
    parser.add_argument("--serve", action="store_true",
                        help="instead: a local python -m ipner serve (first of --models) under 1, 4 and 16 concurrent clients (needs ipner[serve])")
    parser.add_argument("--requests", type=positive_int, default=DEFAULT_REQUESTS, metavar="N",
                        help=f"with --serve: requests per level of concurrency (default {DEFAULT_REQUESTS})")
    parser.add_argument("--json", action="store_true", help="print one JSON object instead of a table")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Measure each model and jieba, print a table or JSON; 1 when a measurement failed."""
    from ipner.benchmark import DEFAULT_CHARS, default_texts, fit_documents, format_report, run_benchmark
    from ipner.errors import InputError, UsageError
    from ipner.inputs import ErrorLog
    from ipner.text.decode import read_text

    def progress(step: str) -> None:
        print(f"bench: {step} …", file=sys.stderr, flush=True)

    if args.memory:
        from ipner.benchmark import format_memory, memory_profile

        rows = memory_profile(args.models[0], progress=progress)
        print(json.dumps(rows, ensure_ascii=False) if args.json else format_memory(rows))
        return 1 if any("error" in row for row in rows) else 0
    errors = ErrorLog()
    if args.text:
        texts = []
        for name in args.text:
            try:
                texts.append(read_text(name))
            except InputError as err:
                errors(str(err))
        source = "files: " + ", ".join(args.text)
        documents = fit_documents(texts, args.chars) if args.chars else [t for t in texts if t]
    else:
        source = "gold corpus: test split + seed reports"
        documents = fit_documents(default_texts(), args.chars or DEFAULT_CHARS)
    if not sum(len(d) for d in documents):
        raise UsageError("no text to measure" + ("" if args.text else " (no gold corpus found; use --text FILE)"))

    if args.engine == "dask":
        from ipner.benchmark import engine_benchmark, format_engines

        report = engine_benchmark(documents, args.models[0], progress=progress)
        print(json.dumps(report, ensure_ascii=False) if args.json else format_engines(report))
        return 1 if errors.count else 0
    if args.serve:
        from ipner.serve.client_bench import format_serve, serve_benchmark

        report = serve_benchmark(documents, args.models[0], requests=args.requests, progress=progress)
        print(json.dumps(report, ensure_ascii=False) if args.json else format_serve(report))
        return 1 if errors.count else 0
    report = run_benchmark(documents, source, args.models, progress, errors)
    print(json.dumps(report, ensure_ascii=False) if args.json else format_report(report))
    return 1 if errors.count else 0
