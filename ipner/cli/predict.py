"""``python -m ipner predict``: entities, relations and facts for each input document."""
from __future__ import annotations

import argparse
import sys

from ipner.cli.options import add_input_options, positive_int
from ipner.writers import WRITER_FORMATS


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the command's arguments."""
    parser = sub.add_parser(
        "predict",
        help="extract entities, relations and facts from reports",
        description="Extract entities, relations and facts (SCHEMA.md) from report files or standard input.",
    )
    add_input_options(parser)
    parser.add_argument("--format", choices=WRITER_FORMATS, default="jsonl", help="output format")
    parser.add_argument("-o", "--output", help="write to this file (replaced only when complete) instead of standard output")
    parser.add_argument("--n-process", type=positive_int, default=1, help="worker processes for spaCy (default 1)")
    parser.add_argument("--batch-size", type=positive_int, default=16, help="pieces per spaCy batch")
    parser.add_argument("--chunk-chars", type=positive_int, default=20000,
                        help="documents are processed in pieces of at most this many characters (at least 100)")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


def check_run_options(args: argparse.Namespace) -> None:
    """Usage errors found before the model is loaded: repeated stdin, an output path that cannot be written."""
    from ipner.errors import UsageError
    from ipner.files import check_output_path

    if args.inputs.count("-") > 1:
        raise UsageError("standard input (-) can be read only once")
    if getattr(args, "chunk_chars", 100) < 100:
        raise UsageError("--chunk-chars must be at least 100")
    if args.output and args.output != "-":
        problem = check_output_path(args.output)
        if problem:
            raise UsageError(f"cannot write the output: {problem}")


def run(args: argparse.Namespace) -> int:
    """Run the command; returns the exit code."""
    from ipner.api import write_predictions
    from ipner.files import open_output
    from ipner.inputs import ErrorLog, iter_documents
    from ipner.pipeline.load import load

    check_run_options(args)
    nlp = load(args.model)
    errors = ErrorLog()
    documents = iter_documents(args.inputs, errors, args.input_format, args.date, args.max_bytes)
    progress = None
    if not args.quiet and sys.stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(unit="char", unit_scale=True, file=sys.stderr, desc="predict")
    try:
        with open_output(args.output) as out:
            write_predictions(
                nlp, documents, out, args.format, n_process=args.n_process, batch_size=args.batch_size,
                chunk_chars=args.chunk_chars, on_chunk=(lambda chunk: progress.update(chunk.chars)) if progress else None,
            )
    finally:
        if progress is not None:
            progress.close()
    if errors.count:
        print(f"ipner: {errors.count} input(s) failed; the others were processed", file=sys.stderr)
        return 1
    return 0
