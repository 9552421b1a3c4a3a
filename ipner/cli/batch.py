"""``python -m ipner batch``: facts from a large archive, unit by unit, resumable, locally or on Dask."""
from __future__ import annotations

import argparse
import sys

from ipner.cli.options import add_model_option, add_processing_options, positive_int, reference_date

_EPILOG = """INPUT: Parquet files (--text-column, --id-column, --date-column), JSON lines of {"id", "text", "date"?},
text files (one document each), or folders of them (*.parquet, *.jsonl, *.txt below them).

DIR receives facts/part-NNNNN.parquet (one row per fact; --format jsonl: predictions/part-NNNNN.jsonl),
status/part-NNNNN.parquet (one row per document: ok, or the error) and _plan.json. Run the same command
again to finish an interrupted job: units whose outputs exist are skipped.

examples:
  python -m ipner batch archive/ --output facts_out/ --workers 8
  python -m ipner batch news.parquet --text-column body --id-column url --output out/ --engine dask --workers 4
  python -m ipner batch archive/ --output out/ --engine dask --scheduler tcp://scheduler:8786
  python -m ipner table out/ -o table.csv"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the command's arguments."""
    from ipner.batch_jobs import BATCH_FORMATS, DEFAULT_UNIT_BYTES, ENGINES

    parser = sub.add_parser(
        "batch", help="extract facts from a large archive into Parquet, resumably, locally or on a Dask cluster",
        description="Split the input into units, process each unit once (one pipeline per worker process) and write "
                    "one output file per unit; an interrupted job is finished by running it again.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="Parquet, JSON-lines or text files, or folders of them")
    parser.add_argument("--output", required=True, metavar="DIR", help="the output directory (reuse it to resume)")
    parser.add_argument("--format", choices=BATCH_FORMATS, default="parquet",
                        help="parquet: one row per fact; jsonl: SCHEMA.md's predict records (default parquet)")
    parser.add_argument("--engine", choices=ENGINES, default="local",
                        help="local: worker processes on this machine; dask: a Dask cluster (pip install 'ipner[dask]')")
    parser.add_argument("--workers", type=positive_int, default=1,
                        help="worker processes (local, or the LocalCluster started without --scheduler; default 1)")
    parser.add_argument("--scheduler", metavar="ADDRESS", help="with --engine dask: connect to this scheduler (tcp://host:8786)")
    add_model_option(parser)
    parser.add_argument("--date", type=reference_date, help="reference date for documents without their own")
    parser.add_argument("--text-column", default="text", help="Parquet: the column of texts (default text)")
    parser.add_argument("--id-column", help="Parquet: the column of document ids (default: PATH:ROW)")
    parser.add_argument("--date-column", help="Parquet: the column of reference dates")
    parser.add_argument("--glob", action="append", metavar="PATTERN",
                        help="files a folder contributes (repeatable; default *.parquet, *.jsonl and *.txt)")
    parser.add_argument("--unit-bytes", type=positive_int, default=DEFAULT_UNIT_BYTES,
                        help=f"about this many bytes of input per unit and output file (default {DEFAULT_UNIT_BYTES:,})")
    add_processing_options(parser)
    parser.add_argument("-q", "--quiet", action="store_true", help="no line per finished unit")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the job; 1 when some document failed (see status/), 0 otherwise."""
    from ipner.batch_jobs import JobOptions, pipeline, require_dask, run_job
    from ipner.errors import UsageError

    if args.scheduler and args.engine != "dask":
        raise UsageError("--scheduler needs --engine dask")
    if args.chunk_chars < 100:
        raise UsageError("--chunk-chars must be at least 100")
    if args.engine == "dask":
        require_dask()
    pipeline(args.model)  # a model that will not load is an error here, not once per unit (kept for --workers 1)
    options = JobOptions(
        model=args.model, fmt=args.format, date=args.date, text_column=args.text_column, id_column=args.id_column,
        date_column=args.date_column, chunk_chars=args.chunk_chars, batch_chars=args.batch_chars,
    )

    def progress(summary: dict) -> None:
        if not args.quiet:
            print(f"batch: unit {summary['index']}: {summary['documents']} document(s), {len(summary['failed'])} failed, "
                  f"{summary['facts']} fact(s)", file=sys.stderr, flush=True)

    report = run_job(args.inputs, args.output, options, engine=args.engine, workers=args.workers,
                     scheduler=args.scheduler, unit_bytes=args.unit_bytes, globs=args.glob, progress=progress)
    for failure in report.failures:
        print(f"ipner: error: {failure}", file=sys.stderr)
    print(f"ipner: {args.output}: {report.summary()}", file=sys.stderr)
    return 1 if report.failed else 0
