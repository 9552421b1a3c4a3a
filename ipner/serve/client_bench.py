"""``python -m ipner bench --serve``: requests per second, latency and memory of a local server.

A server (``python -m ipner serve``, loopback, a free port) is started in a child process; after
one warm-up request, the same ``requests`` ``POST /extract`` requests of one document each are sent
by 1, 4 and 16 concurrent clients (threads, one connection per request), each level on its own. Reported
per level: requests/s and characters/s (over the level's wall time), the 50th and 95th percentile
of the request latency. The server's resident memory (its process and its workers) is read with
psutil once it answers and again after the last level.
"""
from __future__ import annotations

import importlib
import time
from concurrent.futures import ThreadPoolExecutor
from typing import Any, Callable

from ipner.errors import UsageError

__all__ = ["serve_benchmark", "format_serve", "server_rss_mb", "percentile", "DEFAULT_REQUESTS", "DEFAULT_CONCURRENCY"]

#: Requests sent at each level of concurrency.
DEFAULT_REQUESTS = 64
DEFAULT_CONCURRENCY = (1, 4, 16)


def server_rss_mb(pid: int) -> float:
    """Resident memory of process ``pid`` and all its descendants (uvicorn's workers), in MB."""
    import psutil

    process = psutil.Process(pid)
    total = 0
    for member in [process, *process.children(recursive=True)]:
        try:
            total += member.memory_info().rss
        except psutil.NoSuchProcess:
            pass
    return total / (1024 * 1024)


def percentile(values: list[float], share: float) -> float:
    """The ``share`` (0–1) percentile of ``values``, by linear interpolation between the closest ranks."""
    ordered = sorted(values)
    if not ordered:
        raise ValueError("no values")
    position = share * (len(ordered) - 1)
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


def _level(url: str, documents: list[str], requests: int, clients: int) -> dict[str, Any]:
    from ipner.serve.local import post_json

    def one(index: int) -> tuple[float, int]:
        text = documents[index % len(documents)]
        start = time.perf_counter()
        status, _ = post_json(url + "/extract", {"text": text})
        if status != 200:
            raise RuntimeError(f"POST /extract answered {status}")
        return time.perf_counter() - start, len(text)

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        results = list(pool.map(one, range(requests)))
    seconds = time.perf_counter() - start
    latencies = [latency for latency, _ in results]
    return {
        "clients": clients,
        "requests": requests,
        "seconds": round(seconds, 3),
        "requests_per_s": round(requests / seconds, 2),
        "chars_per_s": round(sum(chars for _, chars in results) / seconds, 1),
        "p50_ms": round(1000 * percentile(latencies, 0.5), 1),
        "p95_ms": round(1000 * percentile(latencies, 0.95), 1),
    }


def serve_benchmark(
    documents: list[str],
    model: str = "default",
    requests: int = DEFAULT_REQUESTS,
    concurrency: tuple[int, ...] = DEFAULT_CONCURRENCY,
    workers: int = 1,
    progress: Callable[[str], None] = lambda step: None,
) -> dict[str, Any]:
    """Measure a local server running ``model`` with ``workers`` processes: ``requests`` requests at each
    level of ``concurrency``, one document of ``documents`` each (in turn). The report (see the module)."""
    from ipner.benchmark import machine_info
    from ipner.serve.local import LocalServer, post_json
    from ipner.serve.server import require_serve_extra

    require_serve_extra()
    try:
        importlib.import_module("psutil")
    except ImportError:
        raise UsageError("bench --serve reads the server's memory with psutil: pip install 'ipner[serve]'") from None
    documents = [d for d in documents if d]
    if not documents:
        raise UsageError("no text to send")
    progress(f"starting a server ({model}, {workers} worker(s))")
    start = time.perf_counter()
    with LocalServer(model, workers=workers) as server:
        start_s = time.perf_counter() - start
        rss_before = server_rss_mb(server.pid)
        post_json(server.url + "/extract", {"text": documents[0]})  # warm-up
        rows = []
        for clients in concurrency:
            progress(f"{requests} requests from {clients} concurrent client(s)")
            rows.append(_level(server.url, documents, requests, clients))
        rss_after = server_rss_mb(server.pid)
    sent = [documents[i % len(documents)] for i in range(requests)]
    return {
        "model": model,
        "workers": workers,
        "documents": len(documents),
        "mean_request_chars": round(sum(len(d) for d in sent) / len(sent), 1),
        "start_s": round(start_s, 2),
        "rss_mb_before": round(rss_before, 1),
        "rss_mb_after": round(rss_after, 1),
        "rows": rows,
        "method": __doc__.split("\n\n", 1)[1].strip(),
        "machine": machine_info(),
    }


def format_serve(report: dict[str, Any]) -> str:
    """The server benchmark as an aligned table."""
    lines = [
        f"python -m ipner serve, model {report['model']}, {report['workers']} worker(s); POST /extract of one document "
        f"(mean {report['mean_request_chars']:,.0f} characters); server up in {report['start_s']:.1f} s",
        f"{'clients':>7}{'requests':>10}{'req/s':>9}{'chars/s':>11}{'p50 ms':>9}{'p95 ms':>9}",
    ]
    for row in report["rows"]:
        lines.append(f"{row['clients']:>7}{row['requests']:>10}{row['requests_per_s']:>9.1f}{row['chars_per_s']:>11,.0f}"
                     f"{row['p50_ms']:>9.0f}{row['p95_ms']:>9.0f}")
    lines.append(f"server RSS: {report['rss_mb_before']:,.0f} MB after start, {report['rss_mb_after']:,.0f} MB after the requests")
    machine = report["machine"]
    lines.append(f"machine: {machine['cpu_count']} CPUs, Python {machine['python']}, spaCy {machine['spacy']}")
    return "\n".join(lines)
