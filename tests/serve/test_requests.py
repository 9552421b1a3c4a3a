"""Reading request bodies without a server: content types, JSON, documents, dates, limits, decoding."""
import pytest

from ipner.pipeline.batch import InputDocument
from ipner.serve.requests import (
    RequestError,
    check_content_length,
    check_date,
    decode_upload,
    documents_of,
    is_json,
    is_text_bytes,
    parse_json,
)
from ipner.serve.settings import ServeSettings
from ipner.text.decode import decode_bytes

SETTINGS = ServeSettings(max_docs=3, max_chars=20)


def status_of(call, *args):
    with pytest.raises(RequestError) as caught:
        call(*args)
    return caught.value.status


def test_content_types():
    assert is_json("application/json") and is_json("Application/JSON; charset=utf-8") and is_json("application/ld+json")
    assert not is_json("text/plain") and not is_json(None) and not is_json("application/jsonx")
    assert is_text_bytes("application/octet-stream") and not is_text_bytes("text/plain") and not is_text_bytes("")


def test_json_bodies():
    assert parse_json('\ufeff{"text": "杭州"}'.encode("utf-8")) == {"text": "杭州"}
    assert status_of(parse_json, b"{") == 400
    assert status_of(parse_json, '{"text": "杭州"}'.encode("gb18030")) == 400
    assert status_of(parse_json, b"[" * 50_000) == 400
    assert status_of(parse_json, b"9" * 10_000) == 400


def test_documents():
    docs, single = documents_of({"text": "a", "date": "2024/6/3"}, SETTINGS)
    assert single and docs == [InputDocument("0", "a", "2024-06-03")]
    docs, single = documents_of([{"id": "x", "text": "a"}, {"id": 7, "text": "b", "date": ""}, {"text": "c"}], SETTINGS)
    assert not single and docs == [InputDocument("x", "a"), InputDocument("7", "b"), InputDocument("2", "c")]
    assert status_of(documents_of, {"text": "a"}, SETTINGS, False) == 422
    assert status_of(documents_of, [{"text": "a"}] * 4, SETTINGS) == 413
    assert status_of(documents_of, {"text": "a" * 21}, SETTINGS) == 413
    for bad in ("a", 3, None, [{"text": 3}], [{"id": None, "text": "a"}], [{"id": True, "text": "a"}], [["a"]], {"text": "\udc80"}):
        assert status_of(documents_of, bad, SETTINGS) == 422, bad


def test_dates_as_predict_reads_them():
    assert check_date("２０２５年２月２４日") == "2025-02-24"
    assert check_date(None) is None and check_date("") is None
    for bad in ("2025-02-30", "24/2/2025", 2025, ["2025-02-24"]):
        assert status_of(check_date, bad) == 422


def test_content_length():
    check_content_length(None, 10)
    check_content_length("10", 10)
    assert status_of(check_content_length, "11", 10) == 413
    assert status_of(check_content_length, "ten", 10) == 400


def test_uploads_decode_as_files_do():
    text = "２０２４年，長沙每萬人有效發明專利擁有量增至７２．４２件。"
    for encoding in ("utf-8", "utf-8-sig", "gb18030", "big5", "utf-16"):
        data = text.encode(encoding)
        assert decode_upload(data, ServeSettings()) == decode_bytes(data) == text
    assert status_of(decode_upload, b"\x00\x01\x02\x03", ServeSettings()) == 400
    assert status_of(decode_upload, "杭".encode() * 21, SETTINGS) == 413
