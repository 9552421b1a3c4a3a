"""``python -m ipner bench --serve``: the report's shape and figures that can be true."""
import json
import subprocess
import sys

import pytest

from ipner.serve.client_bench import format_serve, percentile


def test_percentile():
    assert percentile([3.0], 0.95) == 3.0
    assert percentile([4.0, 1.0, 3.0, 2.0], 0.5) == 2.5
    assert percentile(list(map(float, range(101))), 0.95) == pytest.approx(95.0)
    with pytest.raises(ValueError):
        percentile([], 0.5)


@pytest.mark.slow
def test_bench_serve_json():
    pytest.importorskip("uvicorn", reason="the extra ipner[serve] is not installed")
    run = subprocess.run(
        [sys.executable, "-m", "ipner", "bench", "--serve", "--models", "baseline", "--chars", "3000", "--requests", "6", "--json"],
        capture_output=True, text=True, timeout=300,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    report = json.loads(run.stdout)
    assert [row["clients"] for row in report["rows"]] == [1, 4, 16]
    for row in report["rows"]:
        assert row["requests"] == 6 and row["requests_per_s"] > 0 and row["chars_per_s"] > 0
        assert 0 < row["p50_ms"] <= row["p95_ms"] < 1000 * row["seconds"] + 1
    assert report["rss_mb_before"] > 50 and report["rss_mb_after"] > 50
    assert report["model"] == "baseline" and report["workers"] == 1
    assert "req/s" in format_serve(report)
