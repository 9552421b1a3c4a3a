"""``python -m ipner predict``: entities, relations and facts for each input document."""
from __future__ import annotations

import argparse
import sys

from ipner.cli.options import add_input_options, add_processing_options, positive_int
from ipner.writers import WRITER_FORMATS


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the command's arguments."""
    parser = sub.add_parser(
        "predict",
        help="extract entities, relations and facts from reports",
        description="Extract entities, relations and facts (the contract: docs/SCHEMA.md) from report files, directories or standard input.",
    )
    add_input_options(parser)
    parser.add_argument("--format", choices=WRITER_FORMATS, default="jsonl",
                        help="output format; labelstudio, doccano and prodigy write entities and relations for correcting in "
                             "that tool (Label Studio's labeling config: python -m ipner.data.exporters)")
    parser.add_argument("--excel", action="store_true",
                        help="write UTF-8 with a byte-order mark, so that Excel opens Chinese CSV correctly")
    parser.add_argument("-o", "--output", help="write to this file (replaced only when complete) instead of standard output")
    parser.add_argument("--n-process", type=positive_int, default=1, help="worker processes for spaCy (default 1)")
    add_processing_options(parser)
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
    from ipner.writers import short_names
    from ipner.cli.options import read_inputs
    from ipner.inputs import ErrorLog
    from ipner.pipeline.load import load

    check_run_options(args)
    nlp = load(args.model)
    errors = ErrorLog()
    inputs, documents = read_inputs(args, errors)
    progress = None
    if not args.quiet and sys.stderr.isatty():
        from tqdm import tqdm

        progress = tqdm(unit="char", unit_scale=True, file=sys.stderr, desc="predict")
    try:
        with open_output(args.output, encoding="utf-8-sig" if args.excel else "utf-8") as out:
            write_predictions(
                nlp, documents, out, args.format, n_process=args.n_process, batch_chars=args.batch_chars,
                chunk_chars=args.chunk_chars, on_chunk=(lambda chunk: progress.update(chunk.chars)) if progress else None,
                names=short_names([path for path, _ in inputs]),
            )
    finally:
        if progress is not None:
            progress.close()
    if errors.count:
        print(f"ipner: {errors.count} input(s) failed; the others were processed", file=sys.stderr)
        return 1
    return 0
