"""Fixtures of the server's tests: the shipped pipeline loaded once, an in-process client, and
``predict`` and ``table`` run as the command line runs them, to compare the server's answers with."""
import json
import warnings
from pathlib import Path

import pytest

from ipner.cli import main

#: Short reports with relative dates (今年, 去年), so that the reference date changes the facts.
REPORTS = [
    "截至2023年底，杭州有效发明专利拥有量15.3万件，同比增长12.5%；每万人高价值发明专利拥有量居全省第2。",
    "今年上半年，长沙市发明专利授权量达到4521件，去年同期为3980件。",
    "2024年一季度，湖南省PCT国际专利申请量850件；株洲市每万人有效发明专利拥有量31.24件。",
    "去年，宁波发明专利授权量5102件，有效注册商标超过60万件。今年3月，宁波专利质押金额1.5亿元。",
]


@pytest.fixture(scope="session")
def shipped_nlp():
    """The shipped pipeline (``ipner.load()``), loaded once for all the server's tests."""
    from ipner.pipeline.load import load

    return load()


@pytest.fixture(scope="session")
def make_client(shipped_nlp):
    """A factory of in-process clients (FastAPI's TestClient) for settings, all on the shipped pipeline."""
    pytest.importorskip("fastapi", reason="the extra ipner[serve] is not installed")
    with warnings.catch_warnings():
        warnings.filterwarnings("ignore", message=".*httpx2")  # newer Starlette asks for httpx2 rather than httpx
        from fastapi.testclient import TestClient

    from ipner.serve.app import create_app
    from ipner.serve.settings import ServeSettings

    clients = []

    def make(**settings):
        client = TestClient(create_app(ServeSettings(**settings), nlp=shipped_nlp), raise_server_exceptions=False)
        client.__enter__()
        clients.append(client)
        return client

    yield make
    for client in clients:
        client.__exit__(None, None, None)


@pytest.fixture(scope="session")
def client(make_client):
    """A client of a server with the default settings."""
    return make_client()


def write_jsonl(path: Path, documents: list[dict]) -> Path:
    path.write_text("".join(json.dumps(d, ensure_ascii=False) + "\n" for d in documents), encoding="utf-8")
    return path


def run_cli(tmp_path: Path, command: str, documents: list[dict], *extra: str) -> list[dict]:
    """``python -m ipner COMMAND`` (predict or table) on ``documents`` as JSON lines; its JSON-lines output."""
    source = write_jsonl(tmp_path / f"{command}-in.jsonl", documents)
    out = tmp_path / f"{command}-out.jsonl"
    fmt = ["--format", "jsonl"]
    assert main([command, str(source), "--input-format", "jsonl", *fmt, "-o", str(out), *extra]) == 0
    return [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
