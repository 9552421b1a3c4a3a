"""``python -m ipner import``: annotation-tool exports → ipner gold JSONL, validated."""
from __future__ import annotations

import argparse
import sys

from ipner.data.importers import FORMATS


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the command's arguments."""
    parser = sub.add_parser("import", help="convert doccano, Label Studio or Prodigy exports to ipner JSONL", description=__doc__)
    parser.add_argument("files", nargs="+", metavar="FILE")
    parser.add_argument("--format", dest="fmt", required=True, choices=FORMATS, help="the files' format")
    parser.add_argument("-o", "--output", help="write gold JSONL here (default: standard output)")
    parser.set_defaults(run=run)


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code."""
    from ipner.data.importers import load_annotations
    from ipner.data.validate import AnnotationError
    from ipner.errors import UsageError
    from ipner.files import check_output_path, open_output
    from ipner.jsonlines import json_line

    if args.output and args.output != "-" and (why := check_output_path(args.output)):
        raise UsageError(why)
    records, failed, notes = [], False, []
    for name in args.files:
        try:
            records.extend(load_annotations(name, args.fmt, notes=notes))
        except AnnotationError as err:
            print("\n".join(f"ipner: error: {p}" for p in err.problems), file=sys.stderr)
            failed = True
    if failed:
        print("ipner: nothing written: fix the errors above", file=sys.stderr)
        return 1
    for note in notes:
        print(f"ipner: note: {note}", file=sys.stderr)
    with open_output(args.output, newline="\n") as out:
        out.writelines(json_line(r) + "\n" for r in records)
    return 0
