"""Extractor: every pipeline call on one thread, one at a time; predict's records and table's rows."""
import io
import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor

from ipner.api import write_predictions
from ipner.pipeline.batch import InputDocument
from ipner.serve.extractor import Extractor
from tests.serve.conftest import REPORTS


def test_calls_run_one_at_a_time_on_one_thread(baseline_nlp):
    extractor = Extractor(baseline_nlp, "baseline")
    threads, running, most = set(), [0], [0]
    guard = threading.Lock()

    def call(i):
        with guard:
            running[0] += 1
            most[0] = max(most[0], running[0])
        threads.add(threading.get_ident())
        time.sleep(0.01)
        with guard:
            running[0] -= 1
        return i

    with ThreadPoolExecutor(8) as clients:
        results = list(clients.map(lambda i: extractor.submit(call, i).result(), range(40)))
    extractor.close()
    assert results == list(range(40))
    assert most[0] == 1 and len(threads) == 1 and threading.get_ident() not in threads


def test_records_are_predicts(shipped_nlp):
    documents = [InputDocument(f"d{i}", text, "2024-06-30" if i % 2 else None) for i, text in enumerate(REPORTS)]
    out = io.StringIO()
    write_predictions(shipped_nlp, documents, out)
    extractor = Extractor(shipped_nlp)
    assert extractor.records(documents) == [json.loads(line) for line in out.getvalue().splitlines()]
    # a request leaves nothing behind: the same call again gives the same answer
    assert extractor.submit(extractor.records, documents).result() == extractor.records(documents)
    extractor.close()
