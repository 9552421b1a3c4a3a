import json
import subprocess
import sys


def test_info_json():
    out = subprocess.run([sys.executable, "-m", "ipner", "info", "--json"], capture_output=True, check=True).stdout
    info = json.loads(out)
    assert set(info) >= {"version", "model_path", "labels", "relations"}
    assert info["labels"] == ["CITY", "REGION", "ORG", "METRIC", "QUANTITY", "DATE"]
    assert info["relations"] == ["metric", "subject", "time"]


def test_help_lists_subcommands():
    out = subprocess.run([sys.executable, "-m", "ipner", "--help"], capture_output=True, check=True).stdout.decode()
    assert "predict" in out and "info" in out
    for command in ("predict", "info"):
        assert subprocess.run([sys.executable, "-m", "ipner", command, "--help"], capture_output=True).returncode == 0
