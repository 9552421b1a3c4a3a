"""``python -m ipner table``: one table of facts over many documents, a pivot, a database or a chart."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ipner.cli.options import add_input_options

_EPILOG = """INPUT: text files, directories, glob patterns (also quoted), - for standard input, JSON lines of
{"id", "text", "date"?} (--input-format jsonl), or saved predict output (JSON lines or the JSON array
of --format json; recognised by its first record and read without running the model).

examples:
  python -m ipner table corpus/seeds/*.txt -o facts.csv
  python -m ipner table reports/ --format parquet -o facts.parquet
  python -m ipner predict reports/ -o predictions.jsonl; python -m ipner table predictions.jsonl
  python -m ipner table reports/ --pivot invention_patents_per_10k_people
  python -m ipner table new_reports/ --db facts.sqlite
  python -m ipner table reports/ --plot 发明专利授权量 -o chart.png"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the command's arguments."""
    from ipner.charts import CHART_KINDS
    from ipner.schema import KIND_VALUES
    from ipner.tables import TABLE_FORMATS

    parser = sub.add_parser(
        "table",
        help="one table of facts over many documents (CSV, JSON lines, Parquet, xlsx, SQLite, charts)",
        description=(
            "Run the pipeline over reports (or read saved predict output) and merge their facts into one table: "
            "a row per place or organisation, metric, period and kind, with the value, the documents that state it "
            "and a conflict flag where they disagree beyond rounding."
        ),
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_input_options(parser)
    parser.add_argument("--format", choices=TABLE_FORMATS,
                        help="output format (default: from the -o suffix, else csv); parquet and xlsx need -o")
    parser.add_argument("-o", "--output", help="write the table, pivot or chart (PNG) to this file instead of standard output")
    parser.add_argument("--excel", action="store_true", help="CSV with a byte-order mark, so that Excel reads Chinese correctly")
    parser.add_argument("--pivot", metavar="METRIC", help="one metric (id or name) as places × periods")
    parser.add_argument("--kind", choices=KIND_VALUES, default="value", help="the kind of figure --pivot and --plot show (default value)")
    parser.add_argument("--db", metavar="FILE",
                        help="add the facts to this SQLite database (tables facts and sources; reruns add no duplicates)")
    parser.add_argument("--plot", metavar="METRIC", help="draw one metric (id or name) as a PNG chart, written to -o")
    parser.add_argument("--plot-kind", choices=CHART_KINDS, default="auto",
                        help="bar: places in one period; line: places over periods; auto: line for one place, else bar")
    parser.add_argument("--period", help="the period of a bar chart (default: the latest stated for two places or more; latest: each place's own latest)")
    parser.set_defaults(run=run)


def check_table_options(args: argparse.Namespace) -> str:
    """Usage errors found before anything is read or loaded; returns the output format."""
    from ipner.cli.predict import check_run_options
    from ipner.errors import UsageError
    from ipner.tables import format_for_path, require_openpyxl

    check_run_options(args)
    if args.plot and args.pivot:
        raise UsageError("--plot and --pivot cannot be combined")
    if args.plot:
        if not args.output or args.output == "-" or not args.output.lower().endswith(".png"):
            raise UsageError("--plot writes a PNG file: give its name with -o CHART.png")
        from ipner.charts import find_cjk_font

        find_cjk_font()
    elif args.plot_kind != "auto" or args.period:
        raise UsageError("--plot-kind and --period apply to --plot only")
    fmt = args.format or format_for_path(args.output)
    if not args.plot and fmt in ("parquet", "xlsx") and args.output in (None, "-"):
        raise UsageError(f"--format {fmt} writes a binary file: give its name with -o")
    if not args.plot and fmt == "xlsx":
        require_openpyxl()
    if args.db and Path(args.db).is_dir():
        raise UsageError(f"--db {args.db} is a directory; give a file name")
    return fmt


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code (1 when some input failed, the others still in the table)."""
    from ipner.inputs import ErrorLog
    from ipner.tables import group_facts, iter_fact_sources, pivot_table, read_table_inputs, rows_to_frame, write_table

    fmt = check_table_options(args)
    errors = ErrorLog()
    items = read_table_inputs(args.inputs, errors, args.input_format, args.glob, args.date, args.max_bytes)
    sources = iter_fact_sources(items, model=args.model)
    if args.db:
        from ipner.tabledb import read_db, update_db

        print(f"ipner: {args.db}: {update_db(args.db, sources).summary()}", file=sys.stderr)
        frame = read_db(args.db) if (args.output or args.format or args.pivot or args.plot) else None
    else:
        frame = rows_to_frame(group_facts(sources))
    if args.plot:
        from ipner.charts import plot_metric

        plot_metric(frame, args.plot, args.output, chart=args.plot_kind, kind=args.kind, period=args.period)
    elif args.pivot:
        write_table(pivot_table(frame, args.pivot, args.kind), args.output, fmt, excel=args.excel)
    elif frame is not None:
        write_table(frame, args.output, fmt, excel=args.excel)
    if errors.count:
        print(f"ipner: {errors.count} input(s) failed; the others are in the table", file=sys.stderr)
        return 1
    return 0
