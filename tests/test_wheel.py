"""A wheel built from the checkout, installed elsewhere, runs the main commands without the checkout:
the default config and the gold corpus travel in it (ipner/_configs, ipner/_gold)."""
import json
import os
import subprocess
import sys
import zipfile

import pytest

from tests.conftest import REPO


@pytest.mark.slow
def test_installed_wheel_runs_without_the_checkout(tmp_path):
    dist = tmp_path / "dist"
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(REPO), "--no-deps", "--no-build-isolation", "--no-index",
         "--disable-pip-version-check", "-q", "-w", str(dist)],
        capture_output=True, text=True, timeout=600,
    )
    assert built.returncode == 0, built.stderr
    (wheel,) = dist.glob("ipner-*.whl")
    names = zipfile.ZipFile(wheel).namelist()
    assert "ipner/_configs/cnn.cfg" in names and "ipner/_gold/corpus.jsonl" in names
    assert "ipner/resources/model/config.cfg" in names and "ipner/py.typed" in names
    assert "ipner/serve/static/index.html" in names  # the page of python -m ipner serve
    site = tmp_path / "site"
    installed = subprocess.run(
        [sys.executable, "-m", "pip", "install", "--no-deps", "--no-index", "--disable-pip-version-check", "-q",
         "--target", str(site), str(wheel)],
        capture_output=True, text=True, timeout=600,
    )
    assert installed.returncode == 0, installed.stderr
    work = tmp_path / "elsewhere"
    work.mkdir()
    (work / "report.txt").write_text("截至2023年底,杭州有效发明专利拥有量15.3万件。", encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(site))

    def ipner(*args):
        return subprocess.run([sys.executable, "-m", "ipner", *args], capture_output=True, text=True, cwd=work, env=env, timeout=600)

    where = subprocess.run([sys.executable, "-c", "import ipner; print(ipner.__file__)"], capture_output=True, text=True, cwd=work, env=env)
    assert where.stdout.strip().startswith(str(site))
    predicted = ipner("predict", "report.txt")
    assert predicted.returncode == 0, predicted.stderr
    (record,) = [json.loads(line) for line in predicted.stdout.splitlines()]
    assert any(f["quantity"]["value"] == 153000 for f in record["facts"])
    rendered = ipner("render", "report.txt", "-o", "page.html")
    assert rendered.returncode == 0 and "<table" in (work / "page.html").read_text(encoding="utf-8")
    for command in ("train", "finetune"):
        helped = ipner(command, "--help")
        assert helped.returncode == 0 and "usage" in helped.stdout
    bench = ipner("bench", "--chars", "3000", "--models", "baseline", "--json")
    assert bench.returncode == 0, bench.stderr
    report = json.loads(bench.stdout)
    assert report["text_chars"] == 3000 and report["models"]["baseline"]["chars_per_s_1proc"] > 0
