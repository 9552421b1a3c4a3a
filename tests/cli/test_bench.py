"""``python -m ipner bench``: the JSON report's shape (no speed targets)."""
import json
import subprocess
import sys
from numbers import Number

import pytest


@pytest.mark.slow
def test_bench_json():
    result = subprocess.run(
        [sys.executable, "-m", "ipner", "bench", "--models", "baseline", "--chars", "5000", "--json"],
        capture_output=True,
        timeout=180,
    )
    assert result.returncode == 0, result.stderr.decode()
    report = json.loads(result.stdout)
    assert report["text_chars"] == 5000
    figures = report["models"]["baseline"]
    for key in ("chars_per_s_1proc", "chars_per_s_2proc", "load_s", "peak_rss_mb"):
        assert isinstance(figures[key], Number) and figures[key] > 0, key
    assert isinstance(report["reference"]["jieba_posseg_chars_per_s"], Number)
    assert report["reference"]["jieba_posseg_chars_per_s"] > 0
    machine = report["machine"]
    assert machine["cpu_count"] >= 1 and machine["python"] and machine["platform"]
