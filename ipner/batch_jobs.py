"""Batch jobs over large archives (``python -m ipner batch``): units, one output file each, resumable,
on this machine (``local``) or on a Dask cluster (``dask``, the optional extra ``ipner[dask]``).

**Units.** The input is split into units of about ``unit_bytes`` bytes of input (default 32 MB):
text files are grouped in order (one document each, its id the path); a JSON-lines file is cut at
line ends (``{"id", "text", "date"?}`` per line; a line without an id is ``PATH:LINE``); a Parquet
file is cut at row groups (``text_column``, optional ``id_column`` and ``date_column``; a row
without an id is ``PATH:ROW``). The plan is saved as ``DIR/_plan.json``.

**One function on every engine.** :func:`process_unit` reads one unit, runs the pipeline (loaded
once per worker process and kept in :data:`_PIPELINES`) with :func:`ipner.api.extract`, documents
chunked and batched as ``predict`` does, and writes

* ``DIR/facts/part-NNNNN.parquet``: one row per fact, columns :data:`FACT_COLUMNS` (the document id,
  :data:`ipner.types.FACT_ROW_COLUMNS` with the offsets ``start``/``end``, and ``fact``: SCHEMA.md's
  fact as JSON, which ``python -m ipner table DIR`` reads); with ``fmt="jsonl"``
  ``DIR/predictions/part-NNNNN.jsonl`` instead, SCHEMA.md's ``predict`` records;
* ``DIR/status/part-NNNNN.parquet``: one row per document, columns :data:`STATUS_COLUMNS`
  (``status`` is ``ok`` or ``error``, ``error`` the message). A document that cannot be read or
  processed (not a string, over ``max_bytes``, undecodable, bad JSON or date, an exception in the
  pipeline) gets an error row; the others of its unit are processed.

Each file is written under a hidden temporary name (``.part-…``, which Parquet readers skip) and
renamed when complete; the status file is written last. A unit whose outputs both exist is skipped,
so a job interrupted and run again with the same ``DIR`` redoes only the missing units. String
columns have pandas' ``"string"`` dtype (Arrow ``string``), so every part has the same schema.
"""
from __future__ import annotations

import json
import os
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator

from ipner.errors import UsageError
from ipner.inputs import files_below
from ipner.jsonlines import json_line
from ipner.pipeline.batch import DEFAULT_BATCH_CHARS, DEFAULT_CHUNK_CHARS, InputDocument
from ipner.text.decode import DEFAULT_MAX_BYTES
from ipner.types import FACT_ROW_COLUMNS

__all__ = [
    "JobOptions", "JobReport", "plan_units", "process_unit", "run_job", "read_facts", "read_status",
    "FACT_COLUMNS", "STATUS_COLUMNS", "FACT_JSON_COLUMN", "ENGINES", "BATCH_FORMATS", "DEFAULT_UNIT_BYTES",
]

ENGINES = ("local", "dask")
BATCH_FORMATS = ("parquet", "jsonl")
#: About how many bytes of input one unit holds (spaCy's advice: units of tens of MB).
DEFAULT_UNIT_BYTES = 32_000_000
#: The column of the facts output holding SCHEMA.md's fact as JSON.
FACT_JSON_COLUMN = "fact"
FACT_COLUMNS: tuple[str, ...] = (*FACT_ROW_COLUMNS, FACT_JSON_COLUMN)
STATUS_COLUMNS: tuple[str, ...] = ("id", "source", "status", "error", "chars", "facts")
PLAN_FILE = "_plan.json"
_INT_COLUMNS = {"start", "end", "chars", "facts"}
_NULLABLE_INT = {"year"}
_FLOAT_COLUMNS = {"value", "score"}

#: Pipelines loaded in this process, by model name (one load per worker process).
_PIPELINES: dict[str, Any] = {}


@dataclass(frozen=True)
class JobOptions:
    """What every unit of a job is processed with (also part of the saved plan)."""

    model: str = "default"
    fmt: str = "parquet"
    date: str | None = None
    text_column: str = "text"
    id_column: str | None = None
    date_column: str | None = None
    chunk_chars: int = DEFAULT_CHUNK_CHARS
    batch_chars: int = DEFAULT_BATCH_CHARS
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass
class JobReport:
    """What a job did: units planned, skipped (already done) and processed; documents ok and failed."""

    units: int = 0
    skipped: int = 0
    processed: int = 0
    documents: int = 0
    failed: int = 0
    facts: int = 0
    chars: int = 0
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """One line for the user."""
        return (f"{self.units} unit(s): {self.processed} processed, {self.skipped} already done; "
                f"{self.documents} document(s), {self.failed} failed, {self.facts} fact(s) in {self.seconds:.1f} s")


# ---------------------------------------------------------------- planning


def plan_units(inputs: Iterable[str], unit_bytes: int = DEFAULT_UNIT_BYTES, globs: Iterable[str] | None = None) -> list[dict[str, Any]]:
    """The units of ``inputs`` (files or folders; folders contribute ``*.parquet``, ``*.jsonl`` and
    ``*.txt`` below them, or ``globs``), in order; each a JSON-able dict with its ``index``."""
    units: list[dict[str, Any]] = []
    texts: list[str] = []
    text_bytes = 0

    def flush_texts() -> None:
        nonlocal texts, text_bytes
        if texts:
            units.append({"kind": "text", "path": texts[0], "files": texts})
            texts, text_bytes = [], 0

    for path in _expand(inputs, tuple(globs or ("*.parquet", "*.jsonl", "*.txt"))):
        kind = _kind(path)
        if kind == "text":
            size = os.path.getsize(path)
            if texts and text_bytes + size > unit_bytes:
                flush_texts()
            texts.append(path)
            text_bytes += size
            continue
        flush_texts()
        units.extend(_jsonl_units(path, unit_bytes) if kind == "jsonl" else _parquet_units(path, unit_bytes))
    flush_texts()
    for index, unit in enumerate(units):
        unit["index"] = index
    return units


def _kind(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return {".parquet": "parquet", ".pq": "parquet", ".jsonl": "jsonl"}.get(suffix, "text")


def _expand(inputs: Iterable[str], globs: tuple[str, ...]) -> list[str]:
    # unlike a predict run, a job refuses to start on an input it cannot plan (UsageError, not a located error)
    paths: list[str] = []
    for name in inputs:
        path = Path(name)
        if path.is_dir():
            found = [str(p) for p in files_below(path, globs)]
            if not found:
                raise UsageError(f"{name}: a directory without files matching {', '.join(globs)}")
            paths.extend(found)
        elif path.is_file():
            paths.append(str(path))
        else:
            raise UsageError(f"{name}: no such file or directory")
    return paths


def _jsonl_units(path: str, unit_bytes: int) -> Iterator[dict[str, Any]]:
    """Parts of a JSON-lines file cut at line ends after about ``unit_bytes`` bytes, with their first line number."""
    size = os.path.getsize(path)
    start, line = 0, 1
    with open(path, "rb") as handle:
        while start < size:
            handle.seek(min(start + unit_bytes, size))
            if handle.tell() < size:
                handle.readline()  # to the end of the line that crosses the limit
            end = handle.tell()
            yield {"kind": "jsonl", "path": path, "start": start, "end": end, "line": line}
            handle.seek(start)
            line += _count_newlines(handle, end - start)
            start = end


def _count_newlines(handle, length: int) -> int:
    count = 0
    while length > 0:
        block = handle.read(min(length, 1 << 24))
        if not block:
            break
        count += block.count(b"\n")
        length -= len(block)
    return count


def _parquet_units(path: str, unit_bytes: int) -> Iterator[dict[str, Any]]:
    """Parts of a Parquet file: consecutive row groups of about ``unit_bytes`` uncompressed bytes."""
    import pyarrow.parquet as pq

    meta = pq.ParquetFile(path).metadata
    groups: list[int] = []
    size, row, first_row = 0, 0, 0
    for i in range(meta.num_row_groups):
        group = meta.row_group(i)
        if groups and size + group.total_byte_size > unit_bytes:
            yield {"kind": "parquet", "path": path, "row_groups": groups, "first_row": first_row}
            groups, size, first_row = [], 0, row
        groups.append(i)
        size += group.total_byte_size
        row += group.num_rows
    if groups or not meta.num_row_groups:
        yield {"kind": "parquet", "path": path, "row_groups": groups, "first_row": first_row}


# ---------------------------------------------------------------- reading a unit


@dataclass
class _Failed:
    id: str
    source: str
    error: str
    chars: int = 0


def _unit_documents(unit: dict[str, Any], options: JobOptions) -> Iterator[tuple[str, InputDocument | _Failed]]:
    """``(source, document or failure)`` for every document of ``unit``, in order."""
    from ipner.errors import InputError
    from ipner.text.decode import read_text

    if unit["kind"] == "text":
        for path in unit["files"]:
            try:
                yield path, InputDocument(path, read_text(path, max_bytes=options.max_bytes), options.date)
            except InputError as err:
                yield path, _Failed(path, path, str(err))
        return
    path = unit["path"]
    records = _jsonl_records(unit) if unit["kind"] == "jsonl" else _parquet_records(unit, options)
    for doc_id, text, date, problem in records:
        yield path, (_Failed(doc_id, path, problem) if problem else _document(doc_id, path, text, date, options))


def _document(doc_id: str, source: str, text: Any, date: Any, options: JobOptions) -> InputDocument | _Failed:
    from ipner.normalizers.date import parse_reference_date

    if not isinstance(text, str):
        return _Failed(doc_id, source, f"text is not a string (got {type(text).__name__})")
    if len(text.encode("utf-8", errors="surrogatepass")) > options.max_bytes:
        return _Failed(doc_id, source, f"over the limit of {options.max_bytes:,} bytes")
    if date is not None and not isinstance(date, str):
        date = date.isoformat()[:10] if hasattr(date, "isoformat") else str(date)
    try:
        reference = parse_reference_date(date) if date else options.date
    except ValueError as err:
        return _Failed(doc_id, source, str(err))
    return InputDocument(doc_id, text, reference)


def _jsonl_records(unit: dict[str, Any]) -> Iterator[tuple[str, Any, Any, str | None]]:
    with open(unit["path"], "rb") as handle:
        handle.seek(unit["start"])
        data = handle.read(unit["end"] - unit["start"])
    for lineno, raw in enumerate(data.split(b"\n"), unit["line"]):
        where = f"{unit['path']}:{lineno}"
        if lineno == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        if not raw.strip():
            continue
        try:
            record = json.loads(raw.decode("utf-8"))
        except UnicodeDecodeError as err:
            yield where, None, None, f"not valid UTF-8 ({err.reason})"
            continue
        except json.JSONDecodeError as err:
            yield where, None, None, f"not valid JSON ({err.msg})"
            continue
        if not isinstance(record, dict):
            yield where, None, None, 'expected an object with a string "text"'
            continue
        yield str(record.get("id", where)), record.get("text"), record.get("date"), None


def _parquet_records(unit: dict[str, Any], options: JobOptions) -> Iterator[tuple[str, Any, Any, str | None]]:
    import pyarrow.parquet as pq

    parquet = pq.ParquetFile(unit["path"])
    names = set(parquet.schema_arrow.names)
    wanted = [c for c in (options.text_column, options.id_column, options.date_column) if c]
    missing = [c for c in wanted if c not in names]
    if missing:
        raise UsageError(f"{unit['path']}: no column {', '.join(missing)} (columns: {', '.join(sorted(names))})")
    table = parquet.read_row_groups(unit["row_groups"], columns=list(dict.fromkeys(wanted))) if unit["row_groups"] else None
    if table is None:
        return
    texts = table.column(options.text_column).to_pylist()
    ids = table.column(options.id_column).to_pylist() if options.id_column else [None] * len(texts)
    dates = table.column(options.date_column).to_pylist() if options.date_column else [None] * len(texts)
    for row, (doc_id, text, date) in enumerate(zip(ids, texts, dates), unit["first_row"] + 1):
        yield (f"{unit['path']}:{row}" if doc_id is None else str(doc_id)), text, date, None


# ---------------------------------------------------------------- processing a unit


def pipeline(model: str):
    """The pipeline ``model``, loaded once per process."""
    if model not in _PIPELINES:
        from ipner.pipeline.load import load

        _PIPELINES[model] = load(model)
    return _PIPELINES[model]


def unit_paths(out_dir: str | Path, index: int, fmt: str) -> tuple[Path, Path]:
    """The two outputs of unit ``index``: its facts (or predictions) and its status."""
    out_dir = Path(out_dir)
    name = f"part-{index:05d}"
    main = out_dir / "facts" / f"{name}.parquet" if fmt == "parquet" else out_dir / "predictions" / f"{name}.jsonl"
    return main, out_dir / "status" / f"{name}.parquet"


def process_unit(unit: dict[str, Any], out_dir: str, options: JobOptions) -> dict[str, Any]:
    """Process one unit and write its outputs atomically (the status last); a summary dict.
    The same function runs in this process, in a local worker process or on a Dask worker."""
    from ipner.api import extract

    nlp = pipeline(options.model)
    outcomes: list[tuple[str, Any]] = []  # (source, DocumentResult or _Failed), in input order
    batch: list[tuple[str, InputDocument]] = []
    size = 0

    def run(items: list[tuple[str, InputDocument]]) -> None:
        try:
            done = list(extract([d for _, d in items], nlp, chunk_chars=options.chunk_chars, batch_chars=options.batch_chars))
        except Exception as err:  # noqa: BLE001  (find the document that fails; the others still count)
            if len(items) > 1:
                for item in items:
                    run([item])
                return
            source, document = items[0]
            outcomes.append((source, _Failed(document.id, source, f"{type(err).__name__}: {err}", len(document.text))))
            return
        outcomes.extend(zip([s for s, _ in items], done))

    for source, item in _unit_documents(unit, options):
        if isinstance(item, _Failed):
            if batch:
                run(batch)
                batch, size = [], 0
            outcomes.append((source, item))
            continue
        batch.append((source, item))
        size += len(item.text)
        if size >= options.batch_chars:
            run(batch)
            batch, size = [], 0
    if batch:
        run(batch)
    results = [(source, r) for source, r in outcomes if not isinstance(r, _Failed)]
    status = [
        _status(r.id, source, r.chars, 0, r.error) if isinstance(r, _Failed) else _status(r.id, source, len(r.text), len(r.facts), None)
        for source, r in outcomes
    ]
    main, status_path = unit_paths(out_dir, unit["index"], options.fmt)
    if options.fmt == "parquet":
        rows = [_fact_row(result.id, fact) for _, result in results for fact in result.facts]
        _write_parquet(rows, FACT_COLUMNS, main)
    else:
        _write_jsonl([result.to_dict() for _, result in results], main)
    _write_parquet(status, STATUS_COLUMNS, status_path)
    failed = [f"{row['id']}: {row['error']}" for row in status if row["error"]]
    return {"index": unit["index"], "documents": len(status), "failed": failed,
            "facts": sum(row["facts"] for row in status), "chars": sum(row["chars"] for row in status)}


def _status(doc_id: str, source: str, chars: int, facts: int, error: str | None) -> dict[str, Any]:
    return {"id": doc_id, "source": source, "status": "error" if error else "ok", "error": error, "chars": chars, "facts": facts}


def _fact_row(doc_id: str, fact) -> dict[str, Any]:
    row = {name: (None if value == "" else value) for name, value in fact.to_row(doc_id).items()}
    row["value"] = fact.quantity.value
    row["year"] = fact.time.year if fact.time else None
    row["score"] = fact.score
    row[FACT_JSON_COLUMN] = json.dumps(fact.to_dict(), ensure_ascii=False)
    return row


def _arrow_schema(columns: tuple[str, ...]):
    import pyarrow as pa

    def kind(name: str):
        if name in _INT_COLUMNS or name in _NULLABLE_INT:
            return pa.int64()
        if name in _FLOAT_COLUMNS:
            return pa.float64()
        return pa.string()

    return pa.schema([(name, kind(name)) for name in columns])


def _frame(rows: list[dict[str, Any]], columns: tuple[str, ...]):
    """Rows as a DataFrame: strings with the ``"string"`` dtype, integers, nullable years, floats."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(columns))
    for name in columns:
        if name in _INT_COLUMNS:
            frame[name] = frame[name].astype("int64")
        elif name in _NULLABLE_INT:
            frame[name] = frame[name].astype("Int64")
        elif name in _FLOAT_COLUMNS:
            frame[name] = pd.to_numeric(frame[name], errors="coerce").astype("float64")
        else:
            frame[name] = frame[name].astype("string")
    return frame


def _write_parquet(rows: list[dict[str, Any]], columns: tuple[str, ...], path: Path) -> None:
    import pyarrow as pa
    import pyarrow.parquet as pq

    from ipner.files import atomic_output

    table = pa.Table.from_pandas(_frame(rows, columns), schema=_arrow_schema(columns), preserve_index=False)
    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path, "wb") as handle:
        pq.write_table(table, handle)


def _write_jsonl(records: list[dict[str, Any]], path: Path) -> None:
    from ipner.files import atomic_output

    path.parent.mkdir(parents=True, exist_ok=True)
    with atomic_output(path, "w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            handle.write(json_line(record) + "\n")


# ---------------------------------------------------------------- running a job


def run_job(
    inputs: Iterable[str],
    out_dir: str | Path,
    options: JobOptions = JobOptions(),
    engine: str = "local",
    workers: int = 1,
    scheduler: str | None = None,
    unit_bytes: int = DEFAULT_UNIT_BYTES,
    globs: Iterable[str] | None = None,
    progress: Callable[[dict[str, Any]], None] = lambda summary: None,
    client: Any = None,
) -> JobReport:
    """Plan ``inputs`` into units, skip the units whose outputs exist in ``out_dir`` and process the
    others with ``engine`` (``local``: ``workers`` processes, or this one for 1; ``dask``: a
    ``distributed.Client`` given as ``client``, else one connected to ``scheduler``, else a
    ``LocalCluster`` of ``workers`` processes). ``progress`` gets each unit's summary."""
    if engine not in ENGINES:
        raise UsageError(f"unknown engine {engine!r}; choose from {', '.join(ENGINES)}")
    if options.fmt not in BATCH_FORMATS:
        raise UsageError(f"unknown format {options.fmt!r}; choose from {', '.join(BATCH_FORMATS)}")
    start = time.perf_counter()
    out_dir = Path(out_dir)
    units = plan_units(inputs, unit_bytes, globs)
    _check_plan(out_dir, units, options)
    _remove_stale_temporaries(out_dir)
    pending = [u for u in units if not all(p.exists() for p in unit_paths(out_dir, u["index"], options.fmt))]
    report = JobReport(units=len(units), skipped=len(units) - len(pending))

    def collect(summary: dict[str, Any]) -> None:
        report.processed += 1
        report.documents += summary["documents"]
        report.failed += len(summary["failed"])
        report.failures.extend(summary["failed"])
        report.facts += summary["facts"]
        report.chars += summary["chars"]
        progress(summary)

    if pending:
        if engine == "dask":
            _run_dask(pending, str(out_dir), options, workers, scheduler, client, collect)
        else:
            _run_local(pending, str(out_dir), options, workers, collect)
    report.seconds = time.perf_counter() - start
    return report


def _check_plan(out_dir: Path, units: list[dict[str, Any]], options: JobOptions) -> None:
    """Save the plan, or check that an existing output directory was made with the same one."""
    from dataclasses import asdict

    from ipner.files import atomic_output

    plan = {"options": asdict(options), "units": units}
    path = out_dir / PLAN_FILE
    if path.exists():
        saved = json.loads(path.read_text(encoding="utf-8"))
        if saved != json.loads(json.dumps(plan)):
            raise UsageError(f"{out_dir} holds the output of a job with other inputs or options; give a new --output directory")
        return
    out_dir.mkdir(parents=True, exist_ok=True)
    with atomic_output(path, "w", encoding="utf-8") as handle:
        json.dump(plan, handle, ensure_ascii=False, indent=1)


def _remove_stale_temporaries(out_dir: Path) -> None:
    """Temporary files of a job killed before it could remove them (hidden, but they take space)."""
    for folder in ("facts", "predictions", "status"):
        for stale in (out_dir / folder).glob(".part-*.tmp"):
            stale.unlink(missing_ok=True)


def _run_local(units, out_dir: str, options: JobOptions, workers: int, collect) -> None:
    if workers <= 1:
        for unit in units:
            collect(process_unit(unit, out_dir, options))
        return
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn"),
                             initializer=pipeline, initargs=(options.model,)) as pool:
        futures = [pool.submit(process_unit, unit, out_dir, options) for unit in units]
        try:
            for future in as_completed(futures):
                collect(future.result())
        except BaseException:
            for future in futures:
                future.cancel()
            raise


def require_dask():
    """``distributed``, or a usage error naming the extra to install."""
    try:
        import distributed
    except ImportError:
        raise UsageError("--engine dask needs Dask: pip install 'ipner[dask]'") from None
    return distributed


def start_client(workers: int = 1, scheduler: str | None = None):
    """A ``distributed.Client``: connected to ``scheduler``, else to a new LocalCluster of ``workers``
    single-threaded processes (closed with the client)."""
    distributed = require_dask()
    if scheduler:
        return distributed.Client(scheduler)
    cluster = distributed.LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
    client = distributed.Client(cluster)
    client._ipner_cluster = cluster  # closed with the client in stop_client
    return client


def stop_client(client) -> None:
    """Close a client of :func:`start_client` and the LocalCluster it started."""
    cluster = getattr(client, "_ipner_cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()


def _run_dask(units, out_dir: str, options: JobOptions, workers: int, scheduler: str | None, client, collect) -> None:
    distributed = require_dask()
    own = client is None
    if own:
        client = start_client(workers, scheduler)
    try:
        futures = [client.submit(process_unit, unit, out_dir, options, pure=False, key=f"ipner-unit-{unit['index']}-{time.time_ns()}")
                   for unit in units]
        try:
            for future in distributed.as_completed(futures):
                collect(future.result())
        except BaseException:
            client.cancel(futures)
            raise
    finally:
        if own:
            stop_client(client)


# ---------------------------------------------------------------- reading the output


def read_facts(out_dir: str | Path):
    """The facts of a job's output directory as one DataFrame (parts in order)."""
    return _read_parts(Path(out_dir) / "facts", FACT_COLUMNS)


def read_status(out_dir: str | Path):
    """The per-document status of a job's output directory as one DataFrame (parts in order)."""
    return _read_parts(Path(out_dir) / "status", STATUS_COLUMNS)


def _read_parts(folder: Path, columns: tuple[str, ...]):
    import pandas as pd

    parts = sorted(folder.glob("part-*.parquet"))
    if not parts:
        return _frame([], columns)
    return pd.concat([pd.read_parquet(p) for p in parts], ignore_index=True)
