"""Options shared by several commands, with their checks (a bad value is a usage error, exit 2)."""
from __future__ import annotations

import argparse
from typing import Iterator

from ipner.text.decode import DEFAULT_MAX_BYTES

__all__ = [
    "positive_int", "non_negative_int", "reference_date", "add_input_options", "add_model_option", "add_processing_options",
    "read_inputs", "MODEL_HELP",
]

MODEL_HELP = '"default" (shipped model), "baseline" (rules), a pipeline directory or an installed package'


def _int_at_least(minimum: int):
    def check(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
        if value < minimum:
            raise argparse.ArgumentTypeError(f"must be at least {minimum}, not {value}")
        return value

    check.__name__ = f"integer >= {minimum}"
    return check


positive_int = _int_at_least(1)
non_negative_int = _int_at_least(0)


def reference_date(text: str) -> str:
    """``--date``: a valid date in a usual form, returned as ``YYYY-MM-DD``."""
    from ipner.normalizers.date import parse_reference_date

    try:
        return parse_reference_date(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def add_processing_options(parser: argparse.ArgumentParser) -> None:
    """``--batch-chars`` and ``--chunk-chars``: how documents are cut into pieces and batched."""
    from ipner.text.chunk import DEFAULT_BATCH_CHARS, DEFAULT_CHUNK_CHARS

    parser.add_argument("--batch-chars", type=positive_int, default=DEFAULT_BATCH_CHARS,
                        help=f"characters processed together (peak memory grows with it; default {DEFAULT_BATCH_CHARS:,})")
    parser.add_argument("--chunk-chars", type=positive_int, default=DEFAULT_CHUNK_CHARS,
                        help=f"documents are processed in pieces of at most this many characters (at least 100; default {DEFAULT_CHUNK_CHARS:,})")


def add_model_option(parser: argparse.ArgumentParser) -> None:
    """``--model``: the pipeline to run."""
    parser.add_argument("--model", default="default", help=MODEL_HELP)


def add_input_options(parser: argparse.ArgumentParser) -> None:
    """INPUT…, ``--input-format``, ``--date``, ``--max-bytes`` and ``--model``, as ``predict`` reads them."""
    from ipner.inputs import INPUT_FORMATS

    parser.add_argument("inputs", nargs="+", metavar="INPUT",
                        help="text files (one document each), directories (searched recursively; hidden and _-prefixed files skipped), or - for standard input")
    parser.add_argument("--glob", action="append", metavar="PATTERN",
                        help="files a directory contributes (repeatable; default *.txt and *.jsonl, .jsonl read as JSON lines)")
    parser.add_argument("--input-format", choices=INPUT_FORMATS, default="text",
                        help='text: each input is one document; jsonl: lines of {"id", "text", "date"?}')
    parser.add_argument("--date", type=reference_date,
                        help="reference date for relative dates (今年, 去年): 2025-02-24, 2025/2/24 or 2025年2月24日")
    parser.add_argument("--max-bytes", type=positive_int, default=DEFAULT_MAX_BYTES, help="refuse input files larger than this")
    add_model_option(parser)


def read_inputs(args: argparse.Namespace, on_error) -> tuple[list[tuple[str, str]], Iterator]:
    """The inputs of ``add_input_options`` expanded (directories searched) and their documents, read lazily."""
    from ipner.inputs import DEFAULT_GLOBS, expand_inputs, iter_documents

    inputs = expand_inputs(args.inputs, on_error, args.input_format, args.glob or DEFAULT_GLOBS)
    return inputs, iter_documents(inputs, on_error, args.input_format, args.date, args.max_bytes)
