"""Reading the documents of a run: text files, standard input, JSON lines; located errors, never a stop.

An input that cannot be read is handed to ``on_error`` (a message naming it) and skipped, so one
bad file or line never loses the rest of a batch.
"""
from __future__ import annotations

import glob
import json
import sys
from pathlib import Path
from typing import Callable, Iterable, Iterator

from ipner.errors import InputError
from ipner.normalizers.date import parse_reference_date
from ipner.pipeline.batch import InputDocument
from ipner.text.decode import DEFAULT_MAX_BYTES, decode_bytes, read_text

__all__ = [
    "iter_documents", "expand_inputs", "expand_globs", "files_below", "ErrorLog", "INPUT_FORMATS", "STDIN", "DEFAULT_GLOBS",
]

INPUT_FORMATS = ("text", "jsonl")
#: The input name that means standard input.
STDIN = "-"


class ErrorLog:
    """Collects the messages of inputs that failed; each is also printed to stderr at once."""

    def __init__(self, echo: bool = True) -> None:
        self.messages: list[str] = []
        self.echo = echo

    def __call__(self, message: str) -> None:
        self.messages.append(message)
        if self.echo:
            print(f"ipner: error: {message}", file=sys.stderr, flush=True)

    @property
    def count(self) -> int:
        """How many inputs failed."""
        return len(self.messages)


#: The files a directory input contributes when no ``--glob`` is given.
DEFAULT_GLOBS = ("*.txt", "*.jsonl")


def files_below(directory: str | Path, globs: Iterable[str]) -> list[Path]:
    """The files below ``directory`` that match any of ``globs``, recursively, sorted; hidden files and
    the ``_``-prefixed markers that Spark, Dask and Hadoop write (``_SUCCESS``) are no documents."""
    return sorted({
        path for pattern in globs for path in Path(directory).rglob(pattern)
        if path.is_file() and not path.name.startswith((".", "_"))
    })


def expand_globs(inputs: Iterable[str], on_error: Callable[[str], None]) -> list[str]:
    """Inputs with glob patterns (``*``, ``?``, ``[``, ``**``) that name no existing path replaced
    by the paths they match, sorted; a pattern that matches nothing is reported to ``on_error``."""
    names: list[str] = []
    for name in inputs:
        if name != STDIN and not Path(name).exists() and any(c in name for c in "*?["):
            found = sorted(glob.glob(name, recursive=True))
            if not found:
                on_error(f"{name}: no file matches this pattern")
            names.extend(found)
        else:
            names.append(name)
    return names


def expand_inputs(
    inputs: Iterable[str], on_error: Callable[[str], None], input_format: str = "text", globs: Iterable[str] = DEFAULT_GLOBS
) -> list[tuple[str, str]]:
    """``(path, format)`` of every input: files as named (in ``input_format``), and for a directory
    the files below it that match ``globs`` (:func:`files_below`), ``*.jsonl`` read as JSON lines and
    the others as text. A directory without such files is reported to ``on_error``."""
    expanded: list[tuple[str, str]] = []
    for name in inputs:
        path = Path(name)
        if name == STDIN or not path.is_dir():
            expanded.append((name, input_format))
            continue
        found = files_below(path, globs)
        if not found:
            on_error(f"{name}: a directory without files matching {', '.join(globs)}")
        expanded.extend((str(p), "jsonl" if p.suffix == ".jsonl" else "text") for p in found)
    return expanded


def iter_documents(
    inputs: Iterable[str | tuple[str, str]],
    on_error: Callable[[str], None],
    input_format: str = "text",
    date: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
) -> Iterator[InputDocument]:
    """The documents of ``inputs`` (paths, ``-`` for standard input, or ``(path, format)`` pairs from
    :func:`expand_inputs`), read lazily.

    ``text``: each input is one document, its id the path. ``jsonl``: each line of each input is
    ``{"id", "text", "date"?}``; a line's ``date`` overrides ``date``.
    """
    for item in inputs:
        name, fmt = item if isinstance(item, tuple) else (item, input_format)
        try:
            text = _read_stdin(max_bytes) if name == STDIN else read_text(name, max_bytes=max_bytes)
        except InputError as err:
            on_error(f"<stdin>: {err}" if name == STDIN else str(err))
            continue
        doc_id = "<stdin>" if name == STDIN else name
        if fmt == "text":
            yield InputDocument(doc_id, text, date)
        else:
            yield from _jsonl_documents(doc_id, text, date, on_error)


def _read_stdin(max_bytes: int) -> str:
    from ipner.errors import DecodeError

    data = sys.stdin.buffer.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise DecodeError(f"over the limit of {max_bytes:,} bytes (see --max-bytes)")
    return decode_bytes(data)


def _jsonl_documents(doc_id: str, text: str, date: str | None, on_error: Callable[[str], None]) -> Iterator[InputDocument]:
    for lineno, line in enumerate(text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{doc_id}:{lineno}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as err:
            on_error(f"{where}: not valid JSON ({err.msg})")
            continue
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            on_error(f'{where}: expected an object with a string "text"')
            continue
        line_date = record.get("date", date)
        if line_date:
            try:
                line_date = parse_reference_date(str(line_date))
            except ValueError as err:
                on_error(f"{where}: {err}")
                continue
        yield InputDocument(str(record.get("id", where)), record["text"], line_date or None)
