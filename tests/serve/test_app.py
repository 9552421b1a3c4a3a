"""The HTTP application in-process (FastAPI's TestClient): the answers are predict's and table's, every
error is JSON with the documented status, the API key and CORS behave, and bad input never gives a 500."""
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipner.api import package_info
from ipner.contract import validate_record
from tests.serve.conftest import REPORTS, run_cli

pytest.importorskip("fastapi", reason="the extra ipner[serve] is not installed")

DATES = ["2025/2/24", "2024-06-30", "2023年12月31日", None]


def documents():
    return [{"id": f"r{i}", "text": text, **({"date": date} if date else {})} for i, (text, date) in enumerate(zip(REPORTS, DATES))]


def assert_error(response, status):
    assert response.status_code == status, response.text
    body = response.json()
    assert set(body) == {"error"} and isinstance(body["error"], str) and body["error"]


def test_extract_answers_what_predict_writes(client, tmp_path):
    docs = documents()
    expected = run_cli(tmp_path, "predict", docs)
    answer = client.post("/extract", json=docs)
    assert answer.status_code == 200, answer.text
    assert answer.json() == expected
    for record in answer.json():
        validate_record(record)
    # the reference date matters: 今年上半年 resolves to 2024 with the date of 2024-06-30
    assert any(f["time"] and f["time"]["period"] == "2024-H1" for f in answer.json()[1]["facts"])


def test_one_object_gives_one_record(client, tmp_path):
    doc = {"text": REPORTS[3], "date": "2025-03-01"}
    expected = run_cli(tmp_path, "predict", [{"id": "0", **doc}])
    answer = client.post("/extract", json=doc)
    assert answer.status_code == 200
    assert answer.json() == expected[0]
    undated = client.post("/extract", json={"text": REPORTS[3]}).json()
    assert undated["facts"] != answer.json()["facts"]  # 去年 and 今年 unresolved without a date
    assert client.post("/extract", json=[]).json() == []


def test_file_upload_decodes_as_predict_does(client, tmp_path):
    from ipner.cli import main

    text = "２０２４年，長沙每萬人有效發明專利擁有量增至７２．４２件。去年長沙發明專利授權量達4521件。"
    for encoding in ("big5", "gb18030", "utf-16", "utf-8-sig"):
        path = tmp_path / f"{encoding}.txt"
        path.write_bytes(text.encode(encoding))
        out = tmp_path / f"{encoding}.jsonl"
        assert main(["predict", str(path), "--date", "2025-01-10", "-o", str(out), "-q"]) == 0
        expected = json.loads(out.read_text(encoding="utf-8"))
        answer = client.post("/extract/file", params={"id": str(path), "date": "2025-01-10"}, content=path.read_bytes(),
                             headers={"Content-Type": "application/octet-stream"})
        assert answer.status_code == 200, (encoding, answer.text)
        assert answer.json() == expected, encoding
        assert any(f["quantity"]["value"] == 72.42 for f in expected["facts"])


def test_table_answers_what_table_writes(client, tmp_path):
    docs = documents() + [{"id": "again", "text": REPORTS[0]}]
    expected = run_cli(tmp_path, "table", docs)
    answer = client.post("/table", json=docs)
    assert answer.status_code == 200, answer.text
    assert answer.json() == expected
    assert any(row["n_documents"] == 2 for row in expected)
    assert_error(client.post("/table", json={"text": REPORTS[0]}), 422)  # a list only


def test_render_gives_the_page_what_it_shows(client):
    from ipner.serve.extractor import VIEW_COLUMNS

    text = "<b>株洲</b>" + REPORTS[2]
    answer = client.post("/render", json={"text": text})
    assert answer.status_code == 200
    view = answer.json()
    assert view["text"] == text and view["columns"] == list(VIEW_COLUMNS)
    assert "<b>" not in view["html"] and "&lt;b&gt;" in view["html"]  # displaCy escapes the text
    assert view["html"].count("<mark") == len(view["record"]["entities"]) > 0
    assert [row["value"] for row in view["rows"]] == [
        str(int(f["quantity"]["value"])) if float(f["quantity"]["value"]).is_integer() else str(f["quantity"]["value"])
        for f in view["record"]["facts"]
    ]
    uploaded = client.post("/render", content=text.encode("gb18030"), headers={"Content-Type": "application/octet-stream"})
    assert uploaded.json()["text"] == text and uploaded.json()["record"]["facts"] == view["record"]["facts"]


def test_health_info_page_and_docs(client, shipped_nlp):
    assert client.get("/health").json() == {"status": "ok"}
    info = client.get("/info").json()
    described = package_info()
    assert {k: info[k] for k in ("version", "labels", "relations")} == {k: described[k] for k in ("version", "labels", "relations")}
    assert "model_path" not in info and "baseline_config" not in info  # no paths of the server's files
    assert info["served_model"]["version"] == shipped_nlp.meta["version"]
    assert info["served_model"]["pipes"] == shipped_nlp.pipe_names
    page = client.get("/")
    assert page.status_code == 200 and "Noto Sans CJK SC" in page.text
    assert "http://" not in page.text and "https://" not in page.text  # nothing loaded from elsewhere
    docs = client.get("/docs")
    assert docs.status_code == 200 and "/docs/swagger-ui-bundle.js" in docs.text
    assert "http://" not in docs.text and "https://" not in docs.text  # works offline
    script = client.get("/docs/swagger-ui-bundle.js")
    assert script.status_code == 200 and script.headers["content-type"].startswith("application/javascript") and len(script.content) > 100_000
    assert client.get("/docs/swagger-ui.css").status_code == 200
    paths = set(client.get("/openapi.json").json()["paths"])
    assert paths == {"/health", "/info", "/extract", "/extract/file", "/table", "/render"}


def test_routes_are_only_the_documented_ones(client):
    """No route takes a path or reads a file: these are all there is."""
    routes = {(route.path, method) for route in client.app.routes for method in getattr(route, "methods", None) or ()}
    ours = {r for r in routes if r[1] != "HEAD" and not r[0].startswith(("/docs", "/openapi", "/redoc"))}
    assert ours == {
        ("/", "GET"), ("/health", "GET"), ("/info", "GET"), ("/extract", "POST"), ("/extract/file", "POST"),
        ("/table", "POST"), ("/render", "POST"),
    }


@pytest.mark.parametrize("body, content_type, status", [
    (b'{"text": "x"', "application/json", 400),
    (b"\xff\xfe\x00{", "application/json", 400),
    (b"[" * 100_000, "application/json", 400),
    (b'{"text": ' + b"1" * 5000 + b"}", "application/json", 400),
    (b'"just a string"', "application/json", 422),
    (b'{"txt": "x"}', "application/json", 422),
    (b'[{"id": ["a"], "text": "x"}]', "application/json", 422),
    (b'[{"text": "x"}, 3]', "application/json", 422),
    (b'{"text": "x", "date": "2024-13-01"}', "application/json", 422),
    (b'{"text": "x", "date": "yesterday"}', "application/json", 422),
    (b'{"text": "x", "date": 20240101}', "application/json", 422),
    (b'{"text": "\\ud800"}', "application/json", 422),
    (b'{"text": "x"}', "text/plain", 415),
    (b'{"text": "x"}', "application/x-www-form-urlencoded", 415),
    (b'{"text": "x"}', "", 415),
])
def test_bad_bodies_give_their_status(client, body, content_type, status):
    headers = {"Content-Type": content_type} if content_type else {}
    assert_error(client.post("/extract", content=body, headers=headers), status)


def test_a_number_too_large_for_a_float_is_no_server_error(client):
    answer = client.post("/extract", json={"text": "2023年杭州发明专利授权量" + "9" * 400 + "件。"})
    assert answer.status_code == 200
    assert [f["quantity"]["value"] for f in answer.json()["facts"]] == [None]


def test_dates_are_checked_as_predict_checks_them(client):
    import argparse

    from ipner.cli.options import reference_date

    for date in ["2024-06-30", "2024/6/3", "２０２４年６月３日", "2024.6.3", "2024-02-30", "2024-6", "明天", "2024-06-30T00:00"]:
        try:
            expected = reference_date(date)
        except argparse.ArgumentTypeError:
            expected = None
        answer = client.post("/extract", json={"text": "今年杭州发明专利授权量9286件。", "date": date})
        if expected is None:
            assert_error(answer, 422)
        else:
            assert answer.status_code == 200, (date, answer.text)
            facts = answer.json()["facts"]
            assert facts and facts[0]["time"]["year"] == int(expected[:4])


def test_limits(make_client):
    small = make_client(max_bytes=400, max_docs=2, max_chars=30)
    assert_error(small.post("/extract", json={"text": "杭" * 31}), 413)
    assert small.post("/extract", json={"text": "杭" * 30}).status_code == 200
    assert_error(small.post("/extract", json=[{"text": "a"}] * 3), 413)
    assert_error(small.post("/table", json=[{"text": "a"}] * 3), 413)
    assert_error(small.post("/extract", content=b"[" + b" " * 500 + b"]", headers={"Content-Type": "application/json"}), 413)
    assert_error(small.post("/extract/file", content="杭".encode() * 31, headers={"Content-Type": "application/octet-stream"}), 413)

    def chunks():  # no Content-Length: the body is refused once it passes the limit
        for _ in range(100):
            yield b" " * 100

    assert_error(small.post("/extract", content=chunks(), headers={"Content-Type": "application/json"}), 413)
    assert_error(small.post("/extract/file", content=b"\x00\x01binary", headers={"Content-Type": "application/octet-stream"}), 400)
    assert_error(small.post("/extract/file", content=b"\x00", headers={"Content-Type": "text/plain"}), 415)
    assert_error(small.post("/extract/file", content=b"abc", params={"date": "2024-99-01"},
                            headers={"Content-Type": "application/octet-stream"}), 422)
    assert_error(small.get("/nowhere"), 404)
    assert_error(small.get("/extract"), 405)


def test_content_length_over_the_limit_is_refused_before_reading():
    import asyncio

    from ipner.serve.app import RequestGuard
    from ipner.serve.settings import ServeSettings

    reached, received, sent = [], [], []

    async def app(scope, receive, send):
        reached.append(scope["path"])

    async def receive():
        received.append(1)
        return {"type": "http.request", "body": b"x" * 10, "more_body": True}

    async def send(message):
        sent.append(message)

    scope = {"type": "http", "method": "POST", "path": "/extract", "headers": [(b"content-length", b"1000000")]}
    asyncio.run(RequestGuard(app, ServeSettings(max_bytes=1000))(scope, receive, send))
    assert sent[0]["status"] == 413 and not received and not reached


def test_api_key(make_client):
    keyed = make_client(api_key="s3cret")
    text = {"text": REPORTS[0]}
    for headers in ({}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic s3cret"},
                    {"X-API-Key": "s3cret2"}):
        assert_error(keyed.post("/extract", json=text, headers=headers), 401)
    for path in ("/info", "/docs", "/openapi.json", "/nowhere"):
        assert_error(keyed.get(path), 401)
    assert keyed.post("/extract", json=text, headers={"X-API-Key": "s3cret"}).status_code == 200
    assert keyed.post("/table", json=[text], headers={"Authorization": "Bearer s3cret"}).status_code == 200
    assert keyed.get("/health").status_code == 200
    assert keyed.get("/").status_code == 200  # the page holds no data; it sends the key it is given
    # a wrong key is refused before the body is read: a huge body still gets 401, not 413
    assert_error(keyed.post("/extract", content=b"x" * 10_000_000, headers={"Content-Type": "application/json"}), 401)


def test_cors_is_off_unless_an_origin_is_given(client, make_client):
    origin = {"Origin": "http://example.org"}
    assert "access-control-allow-origin" not in client.post("/extract", json={"text": "x"}, headers=origin).headers
    allowed = make_client(cors_origins=("http://example.org",), api_key="k")
    preflight = allowed.options("/extract", headers={**origin, "Access-Control-Request-Method": "POST",
                                                     "Access-Control-Request-Headers": "x-api-key,content-type"})
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "http://example.org"
    answer = allowed.post("/extract", json={"text": "x"}, headers={**origin, "X-API-Key": "k"})
    assert answer.status_code == 200 and answer.headers["access-control-allow-origin"] == "http://example.org"
    other = allowed.post("/extract", json={"text": "x"}, headers={"Origin": "http://evil.example", "X-API-Key": "k"})
    assert "access-control-allow-origin" not in other.headers


ENDPOINTS = st.sampled_from(["/extract", "/extract/file", "/table", "/render"])
CONTENT_TYPES = st.sampled_from(["application/json", "application/octet-stream", "text/plain", "", "application/json; charset=latin-1"])
JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda children: st.lists(children, max_size=4) | st.dictionaries(st.sampled_from(["id", "text", "date", "x"]), children, max_size=4),
    max_leaves=12,
)
# texts the pipeline runs on: figures, units, dates and places in any order, any reference date
REPORTISH = st.text(alphabet="0123456789.%—第位前名万亿萬件元年月底今去杭州长沙发明专利授权量同比增长占，。、\n ", max_size=80)
DOCUMENTS = st.builds(lambda text, date: json.dumps({"text": text, "date": date}, ensure_ascii=False).encode(),
                      REPORTISH, st.none() | st.sampled_from(["2024-06-30", "2024/2/29", "2023-02-29"]) | st.text(max_size=12))
BODIES = st.one_of(
    st.binary(max_size=300),
    JSON_VALUES.map(lambda v: json.dumps(v).encode()),
    st.text(max_size=100).map(lambda t: t.encode("utf-8", "surrogatepass")),
    DOCUMENTS,
    REPORTISH.map(lambda t: t.encode("gb18030")),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(endpoint=ENDPOINTS, content_type=CONTENT_TYPES, body=BODIES)
def test_no_bad_body_gives_a_server_error(client, endpoint, content_type, body):
    headers = {"Content-Type": content_type} if content_type else {}
    answer = client.post(endpoint, content=body, headers=headers, params={"date": "2024-01-01"} if endpoint != "/table" else {})
    assert answer.status_code < 500, (endpoint, content_type, body, answer.text)
    if answer.status_code >= 400:
        assert set(answer.json()) == {"error"}
