"""``python -m ipner predict``: entities, relations and facts for each input document."""
from __future__ import annotations

import argparse
import json
import sys
from typing import TYPE_CHECKING, Iterator

from ipner.text.decode import DEFAULT_MAX_BYTES

if TYPE_CHECKING:
    from ipner.pipeline.batch import InputDocument


def add_parser(sub: argparse._SubParsersAction) -> None:
    parser = sub.add_parser(
        "predict",
        help="extract entities, relations and facts from reports",
        description="Extract entities, relations and facts (SCHEMA.md) from report files or standard input.",
    )
    parser.add_argument("inputs", nargs="+", metavar="INPUT", help="text files (one document each), or - for standard input")
    parser.add_argument("--input-format", choices=["text", "jsonl"], default="text",
                        help='text: each input is one document; jsonl: lines of {"id", "text", "date"?}')
    parser.add_argument("--format", choices=["jsonl", "json", "csv", "table"], default="jsonl", help="output format")
    parser.add_argument("--model", default="default", help='"default" (shipped model), "baseline" (rules), a pipeline directory or package')
    parser.add_argument("--date", help="reference date YYYY-MM-DD for relative dates (今年, 去年) in text inputs")
    parser.add_argument("-o", "--output", help="write to this file instead of standard output")
    parser.add_argument("--n-process", type=int, default=1, help="worker processes for spaCy (default 1)")
    parser.add_argument("--batch-size", type=int, default=16, help="pieces per spaCy batch")
    parser.add_argument("--chunk-chars", type=int, default=20000, help="documents are processed in pieces of at most this many characters")
    parser.add_argument("--max-bytes", type=int, default=DEFAULT_MAX_BYTES, help="refuse input files larger than this")
    parser.add_argument("-q", "--quiet", action="store_true", help="no progress bar")
    parser.set_defaults(run=run)


class InputErrors:
    """Collects the inputs that could not be processed, reporting each on stderr at once."""

    def __init__(self) -> None:
        self.count = 0

    def report(self, message: str) -> None:
        self.count += 1
        print(f"ipner: error: {message}", file=sys.stderr, flush=True)


def iter_documents(args: argparse.Namespace, errors: InputErrors) -> Iterator["InputDocument"]:
    """Read the inputs lazily; an input that cannot be read is reported and skipped."""
    from ipner.pipeline.batch import InputDocument
    from ipner.text.decode import DecodeError, decode_bytes, read_text

    for name in args.inputs:
        try:
            if name == "-":
                data = sys.stdin.buffer.read(args.max_bytes + 1)
                if len(data) > args.max_bytes:
                    raise DecodeError(f"over the limit of {args.max_bytes:,} bytes (see --max-bytes)")
                text = decode_bytes(data)
            else:
                text = read_text(name, max_bytes=args.max_bytes)
        except DecodeError as err:
            errors.report(str(err) if name != "-" else f"<stdin>: {err}")
            continue
        doc_id = "<stdin>" if name == "-" else name
        if args.input_format == "text":
            yield InputDocument(doc_id, text, args.date)
            continue
        for lineno, line in enumerate(text.splitlines(), 1):
            if not line.strip():
                continue
            where = f"{doc_id}:{lineno}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as err:
                errors.report(f"{where}: not valid JSON ({err.msg})")
                continue
            if not isinstance(record, dict) or not isinstance(record.get("text"), str):
                errors.report(f'{where}: expected an object with a string "text"')
                continue
            date = record.get("date", args.date)
            yield InputDocument(str(record.get("id", where)), record["text"], str(date) if date else None)


def load_model(name: str):
    """The pipeline ``name`` (see ``--model``), or None after naming the problem on stderr."""
    from ipner.pipeline.load import load

    try:
        return load(name)
    except (OSError, ValueError) as err:
        print(f"ipner: error: cannot load model {name!r}: {err}", file=sys.stderr)
        return None


def run(args: argparse.Namespace) -> int:
    if args.n_process < 1 or args.chunk_chars < 100 or args.batch_size < 1:
        print("ipner: error: --n-process and --batch-size must be at least 1, --chunk-chars at least 100", file=sys.stderr)
        return 2
    if args.inputs.count("-") > 1:
        print("ipner: error: standard input (-) can be read only once", file=sys.stderr)
        return 2
    from ipner.cli.output import make_writer
    from ipner.pipeline.batch import iter_results

    nlp = load_model(args.model)
    if nlp is None:
        return 2
    errors = InputErrors()
    out = open(args.output, "w", encoding="utf-8", newline="") if args.output else sys.stdout
    progress = None
    if not args.quiet and sys.stderr.isatty():
        from tqdm import tqdm

        total = None if args.input_format == "jsonl" else len(args.inputs)
        progress = tqdm(total=total, unit="doc", file=sys.stderr, desc="predict")
    try:
        writer = make_writer(args.format, out)
        writer.start()
        documents = iter_documents(args, errors)
        for chunk in iter_results(nlp, documents, n_process=args.n_process, batch_size=args.batch_size, chunk_chars=args.chunk_chars):
            writer.write(chunk)
            if chunk.last and progress is not None:
                progress.update(1)
        writer.finish()
    finally:
        if progress is not None:
            progress.close()
        if args.output:
            out.close()
        else:
            out.flush()
    if errors.count:
        print(f"ipner: {errors.count} input(s) failed; the others were processed", file=sys.stderr)
        return 1
    return 0
