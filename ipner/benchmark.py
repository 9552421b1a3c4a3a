"""Benchmark (``python -m ipner bench``): throughput, load time and memory of the pipelines, with jieba as a yardstick.

Every figure comes from a fresh Python process, one measurement after the other:

* load time: from the first import to the end of ``ipner.pipeline.load.load(name)`` (imports count);
* throughput: ``predict``'s own path, ``ipner.pipeline.batch.iter_results`` with the JSON-lines
  writer writing to /dev/null, over text already in memory, timed after the load and after a
  warm-up call; with 2 processes the time includes starting spaCy's worker processes;
* peak RSS: of the 1-process run (imports, load, warm-up and processing the whole text);
* reference: ``jieba.posseg.cut`` (and plain ``jieba.cut``) over the same documents in one process,
  after jieba's initialisation.
"""
from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Callable

#: The code a measuring subprocess runs: the clock starts before anything of ipner is imported.
WORKER_CODE = (
    "import time; t0 = time.perf_counter(); import sys; "
    "from ipner.benchmark import worker; worker(t0, sys.argv[1:])"
)
__all__ = [
    "run_benchmark", "default_texts", "fit_documents", "format_report", "worker", "DEFAULT_CHARS",
    "memory_profile", "format_memory",
]

DEFAULT_CHARS = 200_000
WARMUP_CHARS = 2000
THROUGHPUT_METHOD = "ipner.pipeline.batch.iter_results + JSON-lines writer to /dev/null (predict's path), text in memory"


def run_benchmark(
    documents: list[str],
    source: str,
    models: list[str],
    progress: Callable[[str], None] = lambda step: None,
    on_error: Callable[[str], None] = lambda message: None,
) -> dict[str, Any]:
    """Measure each of ``models`` and jieba on ``documents``, each in fresh processes; the report.

    ``progress`` is told each step before it starts (a step can take minutes); a measurement that
    fails is handed to ``on_error`` and left out of the report.
    """
    from ipner.pipeline.load import default_model_path

    n_chars = sum(len(d) for d in documents)
    default_path = default_model_path()
    names = list(dict.fromkeys(models))
    notes = []
    if default_path is None and "default" in names:
        notes.append("the default model is the baseline (no trained model is shipped)")
        if "baseline" in names:
            names.remove("default")

    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="ipner-bench-") as tmp:
        docs_path = Path(tmp) / "documents.json"
        docs_path.write_text(json.dumps(documents, ensure_ascii=False), encoding="utf-8")
        for name in names:
            try:
                progress(f"{name}, 1 process")
                one = run_worker(["model", name, "1", str(docs_path)])
                progress(f"{name}, 2 processes")
                two = run_worker(["model", name, "2", str(docs_path)])
            except RuntimeError as err:
                on_error(f"model {name!r}: {err}")
                continue
            results[name] = {
                "chars_per_s_1proc": round(n_chars / one["process_s"], 1),
                "chars_per_s_2proc": round(n_chars / two["process_s"], 1),
                "load_s": round(one["load_s"], 3),
                "peak_rss_mb": round(one["peak_rss_mb"], 1),
                "warmup_s": round(one["warmup_s"], 3),
                "pipeline": one["pipeline"],
            }
        reference: dict[str, Any] = {}
        try:
            progress("jieba.posseg")
            jieba = run_worker(["jieba", "-", "1", str(docs_path)])
            reference = {
                "jieba_posseg_chars_per_s": round(n_chars / jieba["process_s"], 1),
                "jieba_cut_chars_per_s": round(n_chars / jieba["cut_s"], 1),
                "jieba_init_s": round(jieba["load_s"], 3),
            }
        except RuntimeError as err:
            on_error(f"jieba reference: {err}")

    report = {
        "text_chars": n_chars,
        "text_documents": len(documents),
        "text_source": source,
        "default_model": str(default_path) if default_path else None,
        "notes": notes,
        "method": {
            "throughput": THROUGHPUT_METHOD + "; after load and a warm-up; 2 processes includes starting the workers",
            "load_s": "fresh process: imports + ipner.pipeline.load.load(name)",
            "peak_rss_mb": "ru_maxrss of the 1-process run (load, warm-up, whole text)",
        },
        "models": results,
        "reference": reference,
        "machine": machine_info(),
    }
    return report


def default_texts() -> list[str]:
    """The documents of the gold corpus's test split, then the seed reports (the corpus is shipped
    with ipner, so this works without a checkout); empty if no corpus is found."""
    from ipner.resources import default_corpus_path

    corpus = default_corpus_path()
    if corpus is None:
        return []
    by_split: dict[str, list[str]] = {"test": [], "seed": []}
    with open(corpus, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                record = json.loads(line)
                split = (record.get("meta") or {}).get("split")
                if split in by_split:
                    by_split[split].append(record["text"])
    return by_split["test"] + by_split["seed"]


def fit_documents(texts: list[str], n_chars: int) -> list[str]:
    """The documents of ``texts`` repeated in order until they hold ``n_chars`` characters (the last one cut)."""
    texts = [t for t in texts if t]
    documents: list[str] = []
    total = 0
    while texts and total < n_chars:
        for text in texts:
            piece = text[: n_chars - total]
            documents.append(piece)
            total += len(piece)
            if total >= n_chars:
                break
    return documents


def run_worker(arguments: list[str]) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its result, or RuntimeError with its last error line."""
    proc = subprocess.run(
        [sys.executable, "-c", WORKER_CODE, *arguments], capture_output=True, text=True, encoding="utf-8", errors="replace"
    )
    lines = proc.stdout.strip().splitlines()
    if proc.returncode != 0 or not lines:
        errors = [line for line in proc.stderr.strip().splitlines() if line.strip()]
        raise RuntimeError(errors[-1] if errors else f"measuring process exited with {proc.returncode}")
    return json.loads(lines[-1])


def worker(t0: float, arguments: list[str]) -> None:
    """Measuring subprocess: ``model NAME N_PROCESS DOCS`` or ``jieba - 1 DOCS``; prints one JSON line.

    ``t0`` is the clock reading taken before any import, so ``load_s`` includes the imports.
    """
    kind, name, n_process, docs_path = arguments[0], arguments[1], int(arguments[2]), arguments[3]
    if kind == "jieba":
        import jieba
        import jieba.posseg

        jieba.setLogLevel(60)
        jieba.initialize()
        for _ in jieba.posseg.cut("2023年,杭州发明专利授权量9286件。"):
            pass
        load_s = time.perf_counter() - t0
        documents = _read_documents(docs_path)
        start = time.perf_counter()
        for text in documents:
            for _ in jieba.posseg.cut(text):
                pass
        process_s = time.perf_counter() - start
        start = time.perf_counter()
        for text in documents:
            for _ in jieba.cut(text):
                pass
        print(json.dumps({"load_s": load_s, "process_s": process_s, "cut_s": time.perf_counter() - start}))
        return

    from ipner.pipeline.load import load

    nlp = load(name)
    load_s = time.perf_counter() - t0
    from ipner.writers import make_writer
    from ipner.pipeline.batch import InputDocument

    documents = _read_documents(docs_path)
    with open(os.devnull, "w", encoding="utf-8") as devnull:
        start = time.perf_counter()
        _process(nlp, [InputDocument("warm-up", documents[0][:WARMUP_CHARS])], 1, make_writer("jsonl", devnull))
        warmup_s = time.perf_counter() - start
        inputs = [InputDocument(f"doc-{i}", text) for i, text in enumerate(documents)]
        start = time.perf_counter()
        _process(nlp, inputs, n_process, make_writer("jsonl", devnull))
        process_s = time.perf_counter() - start
    print(json.dumps({
        "load_s": load_s,
        "warmup_s": warmup_s,
        "process_s": process_s,
        "peak_rss_mb": peak_rss_mb(),
        "pipeline": f"{nlp.meta.get('lang', '')}_{nlp.meta.get('name', '')} {nlp.meta.get('version', '')}".strip(),
    }))


def _process(nlp: Any, documents: list[Any], n_process: int, writer: Any) -> None:
    from ipner.pipeline.batch import iter_results

    writer.start()
    for chunk in iter_results(nlp, documents, n_process=n_process):
        writer.write(chunk)
    writer.finish()


def _read_documents(path: str) -> list[str]:
    with open(path, encoding="utf-8") as f:
        return json.load(f)


def peak_rss_mb() -> float:
    """This process's peak resident set size in MB (ru_maxrss: KiB on Linux, bytes on macOS)."""
    import resource

    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak / (1024 * 1024) if sys.platform == "darwin" else peak / 1024


def machine_info() -> dict[str, Any]:
    """CPU count (and those this process may use), Python, platform, spaCy version and load average."""
    import spacy

    info: dict[str, Any] = {
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
        "platform": platform.platform(),
        "spacy": spacy.__version__,
    }
    if hasattr(os, "sched_getaffinity"):
        info["cpus_usable"] = len(os.sched_getaffinity(0))
    if hasattr(os, "getloadavg"):
        info["load_avg_1min"] = round(os.getloadavg()[0], 2)
    return info


def format_report(report: dict[str, Any]) -> str:
    """The report as a small aligned table with the method notes."""
    lines = [
        f"text: {report['text_chars']:,} characters in {report['text_documents']} documents ({report['text_source']})",
        f"throughput: {report['method']['throughput']}",
        f"load: {report['method']['load_s']}; peak RSS: {report['method']['peak_rss_mb']}",
        "",
    ]
    header = ("model", "chars/s 1 proc", "chars/s 2 proc", "load s", "peak RSS MB")
    rows = [header]
    for name, figures in report["models"].items():
        rows.append((
            name,
            f"{figures['chars_per_s_1proc']:,.0f}",
            f"{figures['chars_per_s_2proc']:,.0f}",
            f"{figures['load_s']:.2f}",
            f"{figures['peak_rss_mb']:,.0f}",
        ))
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    for row in rows:
        lines.append("  ".join([row[0].ljust(widths[0])] + [cell.rjust(w) for cell, w in zip(row[1:], widths[1:])]))
    for note in report["notes"]:
        lines.append(f"note: {note}")
    reference = report["reference"]
    if reference:
        lines.append("")
        lines.append(
            f"reference: jieba.posseg.cut {reference['jieba_posseg_chars_per_s']:,.0f} chars/s, "
            f"jieba.cut {reference['jieba_cut_chars_per_s']:,.0f} chars/s (same documents, 1 process, after initialisation)"
        )
    machine = report["machine"]
    lines.append(
        f"machine: {machine['cpu_count']} CPUs"
        + (f" ({machine['cpus_usable']} usable)" if "cpus_usable" in machine else "")
        + (f", load average {machine['load_avg_1min']}" if "load_avg_1min" in machine else "")
        + f", Python {machine['python']}, spaCy {machine['spacy']}, {machine['platform']}"
    )
    return "\n".join(lines)


#: Inputs of the memory profile: single files of these sizes (bytes of UTF-8), then many short documents.
MEMORY_FILE_BYTES = (100_000, 1_000_000, 10_000_000)
MEMORY_SHORT_DOCUMENTS = 10_000


def memory_profile(
    model: str = "default",
    file_bytes: tuple[int, ...] = MEMORY_FILE_BYTES,
    short_documents: int = MEMORY_SHORT_DOCUMENTS,
    progress: Callable[[str], None] = lambda step: None,
) -> list[dict[str, Any]]:
    """Peak RSS of ``python -m ipner predict`` (a fresh process, default settings, output to /dev/null)
    on single files of ``file_bytes`` bytes and on ``short_documents`` short documents in one JSONL file.

    The texts are the gold corpus's test split and seed reports, repeated. Returns one row per input:
    ``{"input", "chars", "peak_rss_mb", "seconds"}``; a row with ``"error"`` if predict failed.
    """
    texts = default_texts() or ["截至2023年底,杭州有效发明专利拥有量15.3万件。"]
    rows = []
    with tempfile.TemporaryDirectory(prefix="ipner-memory-") as tmp:
        for size in file_bytes:
            path = Path(tmp) / f"{size}.txt"
            text = _text_of_bytes("\n\n".join(texts), size)
            path.write_text(text, encoding="utf-8")
            progress(f"memory: {size:,}-byte file")
            rows.append({"input": f"one file of {size / 1e6:g} MB", "chars": len(text), **_predict_rss(path, model, [])})
        path = Path(tmp) / "short.jsonl"
        with open(path, "w", encoding="utf-8") as out:
            short = [t[:300] for t in texts]
            for i in range(short_documents):
                out.write(json.dumps({"id": str(i), "text": short[i % len(short)]}, ensure_ascii=False) + "\n")
        progress(f"memory: {short_documents:,} short documents")
        chars = sum(len(short[i % len(short)]) for i in range(short_documents))
        rows.append({"input": f"{short_documents:,} short documents (JSONL)", "chars": chars,
                     **_predict_rss(path, model, ["--input-format", "jsonl"])})
    return rows


def _text_of_bytes(text: str, size: int) -> str:
    encoded = text.encode("utf-8")
    repeated = (encoded * (size // max(1, len(encoded)) + 1))[:size]
    return repeated.decode("utf-8", errors="ignore")


def _predict_rss(path: Path, model: str, extra: list[str]) -> dict[str, Any]:
    """Run predict on ``path`` in a child process; its peak RSS (from wait4) and wall time."""
    command = [sys.executable, "-m", "ipner", "predict", str(path), "--model", model, "-q", "-o", os.devnull, *extra]
    start = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    stderr = process.stderr.read().decode("utf-8", errors="replace") if process.stderr else ""
    process.returncode = os.waitstatus_to_exitcode(status)
    row = {"peak_rss_mb": round(usage.ru_maxrss / 1024, 1), "seconds": round(seconds, 1)}
    if process.returncode != 0:
        row["error"] = (stderr.strip().splitlines() or [f"exit {process.returncode}"])[-1]
    return row


def format_memory(rows: list[dict[str, Any]]) -> str:
    """The memory profile as an aligned table."""
    lines = [f"{'input':<34}{'characters':>12}{'peak RSS MB':>13}{'seconds':>9}"]
    for row in rows:
        lines.append(f"{row['input']:<34}{row['chars']:>12,}{row['peak_rss_mb']:>13,.0f}{row['seconds']:>9.1f}"
                     + (f"  error: {row['error']}" if "error" in row else ""))
    return "\n".join(lines)


def engine_benchmark(
    documents: list[str], model: str = "default", workers: tuple[int, ...] = (1, 2), units: int = 8,
    progress: Callable[[str], None] = lambda step: None,
) -> dict[str, Any]:
    """``python -m ipner bench --engine dask``: ``python -m ipner batch`` on ``documents`` (one JSON-lines
    file cut into about ``units`` units) with the local engine and with a Dask LocalCluster, for each
    number of ``workers``.

    Local: the whole job (starting the worker processes and loading a pipeline in each count, as they
    do on every run). Dask: the job on a cluster already started, with the pipeline already loaded on
    each worker; that start-up (cluster, workers, pipeline) is ``start_s``, shown separately.
    """
    from ipner.batch_jobs import JobOptions, pipeline, require_dask, run_job, start_client, stop_client

    require_dask()
    n_chars = sum(len(d) for d in documents)
    options = JobOptions(model=model)
    rows = []
    with tempfile.TemporaryDirectory(prefix="ipner-bench-dask-") as tmp:
        source = Path(tmp) / "documents.jsonl"
        with open(source, "w", encoding="utf-8") as out:
            for i, text in enumerate(documents):
                out.write(json.dumps({"id": str(i), "text": text}, ensure_ascii=False) + "\n")
        unit_bytes = max(1, source.stat().st_size // units)
        for n in workers:
            progress(f"local engine, {n} worker(s)")
            report = run_job([str(source)], Path(tmp) / f"local-{n}", options, workers=n, unit_bytes=unit_bytes)
            rows.append({"engine": "local", "workers": n, "start_s": None,
                         "seconds": round(report.seconds, 2), "chars_per_s": round(n_chars / report.seconds, 1)})
            progress(f"dask LocalCluster, {n} worker(s)")
            start = time.perf_counter()
            client = start_client(n)
            try:
                client.run(pipeline, model)  # on every worker
                start_s = time.perf_counter() - start
                report = run_job([str(source)], Path(tmp) / f"dask-{n}", options, engine="dask", unit_bytes=unit_bytes, client=client)
            finally:
                stop_client(client)
            rows.append({"engine": "dask", "workers": n, "start_s": round(start_s, 2),
                         "seconds": round(report.seconds, 2), "chars_per_s": round(n_chars / report.seconds, 1)})
    return {"text_chars": n_chars, "text_documents": len(documents), "model": model, "units": units,
            "method": engine_benchmark.__doc__.split("\n\n", 1)[1].strip(), "rows": rows, "machine": machine_info()}


def format_engines(report: dict[str, Any]) -> str:
    """The engine benchmark as an aligned table."""
    lines = [f"python -m ipner batch on {report['text_chars']:,} characters ({report['text_documents']} documents, "
             f"~{report['units']} units), model {report['model']}",
             f"{'engine':<8}{'workers':>8}{'chars/s':>12}{'job s':>9}{'start-up s':>12}"]
    for row in report["rows"]:
        start = "-" if row["start_s"] is None else f"{row['start_s']:.2f}"
        lines.append(f"{row['engine']:<8}{row['workers']:>8}{row['chars_per_s']:>12,.0f}{row['seconds']:>9.2f}{start:>12}")
    lines.append("local: the whole job, worker start and pipeline loads included; dask: after start-up (cluster, workers, pipeline)")
    machine = report["machine"]
    lines.append(f"machine: {machine['cpu_count']} CPUs, Python {machine['python']}, spaCy {machine['spacy']}")
    return "\n".join(lines)
