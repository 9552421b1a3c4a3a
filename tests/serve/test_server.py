"""A real server (uvicorn, 2 worker processes) under 16 concurrent clients: every answer is the one
predict gives for the same documents and dates."""
import io
import json
import random
from concurrent.futures import ThreadPoolExecutor

import pytest

from ipner.api import as_input_document, write_predictions
from ipner.benchmark import default_texts
from tests.serve.conftest import REPORTS

pytest.importorskip("uvicorn", reason="the extra ipner[serve] is not installed")
psutil = pytest.importorskip("psutil")

N_REQUESTS = 200
N_CLIENTS = 16
DATES = [None, "2024-06-30", "2023/1/15", "2025年2月24日", "2022-12-31"]
CITIES = ["杭州", "长沙", "株洲", "宁波", "湖南省", "深圳市"]


def make_requests(seed=14):
    """Requests of one document (an object) or a list of one to three, with different texts and dates."""
    rng = random.Random(seed)
    pieces = [text[:400] for text in default_texts()[:12]] + REPORTS
    requests = []
    for i in range(N_REQUESTS):
        docs = []
        for j in range(1 if i % 3 else rng.randint(1, 3)):
            text = f"今年{rng.choice(CITIES)}发明专利授权量{1000 + i}件，去年为{900 + j}件。" + rng.choice(pieces)
            date = rng.choice(DATES)
            docs.append({"id": f"q{i}-{j}", "text": text, **({"date": date} if date else {})})
        requests.append(docs[0] if i % 3 else docs)
    return requests


def expected_answer(nlp, request):
    """What predict writes for the request's documents (the same documents in one run, as the server does)."""
    docs = [request] if isinstance(request, dict) else request
    inputs = [as_input_document(d, i) for i, d in enumerate(docs)]
    out = io.StringIO()
    write_predictions(nlp, inputs, out)
    records = [json.loads(line) for line in out.getvalue().splitlines()]
    return records[0] if isinstance(request, dict) else records


@pytest.mark.slow
def test_two_workers_and_sixteen_clients_give_predicts_answers(shipped_nlp):
    from ipner.serve.local import LocalServer, post_json

    requests = make_requests()
    expected = [expected_answer(shipped_nlp, request) for request in requests]
    assert len({json.dumps(e, sort_keys=True) for e in expected}) == N_REQUESTS  # all different
    with LocalServer("default", workers=2) as server:
        with ThreadPoolExecutor(N_CLIENTS) as clients:
            answers = list(clients.map(lambda request: post_json(server.url + "/extract", request), requests))
        workers = [p for p in psutil.Process(server.pid).children(recursive=True) if p.memory_info().rss > 150 * 2**20]
        log = server.log()
    assert [status for status, _ in answers] == [200] * N_REQUESTS, log[-2000:]
    mismatched = [i for i, ((_, answer), wanted) in enumerate(zip(answers, expected)) if answer != wanted]
    assert mismatched == []
    assert len(workers) == 2  # each worker process loaded its own pipeline
