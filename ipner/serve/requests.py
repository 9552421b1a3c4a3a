"""Reading request bodies: content types, JSON, documents, dates and limits, each failure an HTTP status.

Nothing here imports FastAPI: the rules are plain functions, so that they are tested without a server
and shared by every endpoint. A document is ``{"id"?, "text", "date"?}`` as in ``predict``'s JSON
lines; its date is checked by the function that checks ``predict``'s dates
(:func:`ipner.normalizers.date.parse_reference_date`). Status codes:

- 400: a body that is not JSON, or bytes that are not text in an encoding ``predict`` reads;
- 413: a body over ``max_bytes``, more than ``max_docs`` documents, a text over ``max_chars``;
- 415: a content type the endpoint does not take;
- 422: JSON of the wrong shape (a missing or non-string ``text``, an ``id`` that is neither string
  nor integer, text that cannot be encoded as UTF-8) or a date that is no date.
"""
from __future__ import annotations

import json
from typing import Any

from ipner.errors import DecodeError
from ipner.normalizers.date import parse_reference_date
from ipner.pipeline.batch import InputDocument
from ipner.serve.settings import ServeSettings
from ipner.text.decode import decode_bytes

__all__ = [
    "RequestError", "JSON_TYPES", "TEXT_TYPES", "media_type", "is_json", "is_text_bytes", "parse_json", "check_date",
    "document_of", "documents_of", "decode_upload", "check_content_length",
]

#: Media types of JSON bodies (also any ``application/*+json``).
JSON_TYPES = ("application/json",)
#: Media types of raw report bytes, decoded as ``predict`` decodes files. Not text/plain: a web page
#: of another site may send text/plain without asking first (no CORS preflight), octet-stream it may not.
TEXT_TYPES = ("application/octet-stream",)


class RequestError(Exception):
    """A request that cannot be served: the HTTP status and a message for the client."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status
        self.message = message


def media_type(content_type: str | None) -> str:
    """The media type of a Content-Type header, lower case, without parameters ("" when absent)."""
    return (content_type or "").split(";", 1)[0].strip().lower()


def is_json(content_type: str | None) -> bool:
    """Whether a Content-Type header announces JSON."""
    kind = media_type(content_type)
    return kind in JSON_TYPES or (kind.startswith("application/") and kind.endswith("+json"))


def is_text_bytes(content_type: str | None) -> bool:
    """Whether a Content-Type header announces raw report bytes."""
    return media_type(content_type) in TEXT_TYPES


def check_content_length(value: str | None, max_bytes: int) -> None:
    """400 for a Content-Length that is not a number, 413 for one over ``max_bytes``."""
    if value is None:
        return
    if not value.strip().isdigit():
        raise RequestError(400, f"Content-Length is not a number: {value[:40]!r}")
    if int(value) > max_bytes:
        raise RequestError(413, f"the body of {int(value):,} bytes is over the limit of {max_bytes:,} bytes (--max-bytes)")


def parse_json(body: bytes) -> Any:
    """The JSON value of a body in UTF-8 (a byte-order mark allowed); 400 when it is not."""
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        raise RequestError(400, f"the body is not UTF-8 (byte {err.start}); JSON must be sent in UTF-8") from None
    try:
        return json.loads(text)
    except RecursionError:
        raise RequestError(400, "the body is JSON nested too deeply") from None
    except ValueError as err:  # JSONDecodeError, and integers with too many digits
        raise RequestError(400, f"the body is not valid JSON: {err}") from None


def check_date(value: Any, where: str = "date") -> str | None:
    """A document's ``date`` as ``YYYY-MM-DD`` (None for null or ""), read as ``predict`` reads
    ``--date``; 422 for anything else."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise RequestError(422, f'{where}: "date" must be a string such as "2024-06-30", not {type(value).__name__}')
    try:
        return parse_reference_date(value)
    except ValueError as err:
        raise RequestError(422, f"{where}: {err}") from None


def _check_text(text: str, where: str, settings: ServeSettings) -> None:
    if len(text) > settings.max_chars:
        raise RequestError(
            413, f"{where}: {len(text):,} characters is over the limit of {settings.max_chars:,} characters (--max-chars)"
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as err:
        raise RequestError(422, f"{where}: the text holds an unpaired surrogate at character {err.start}") from None


def document_of(item: Any, index: int, settings: ServeSettings, default_id: str | None = None) -> InputDocument:
    """One document of a request: ``{"id"?, "text", "date"?}``. The id defaults to ``default_id``,
    else the document's position (``"0"``, ``"1"`` …, as :func:`ipner.extract` numbers them)."""
    where = f"document {index}"
    if not isinstance(item, dict):
        raise RequestError(422, f'{where}: expected an object {{"id"?, "text", "date"?}}, got {_json_type(item)}')
    text = item.get("text")
    if not isinstance(text, str):
        raise RequestError(422, f'{where}: "text" must be a string' + ("" if "text" in item else ", and it is missing"))
    doc_id = item.get("id", default_id if default_id is not None else str(index))
    if isinstance(doc_id, bool) or not isinstance(doc_id, (str, int)):
        raise RequestError(422, f'{where}: "id" must be a string (or an integer), not {_json_type(doc_id)}')
    doc_id = str(doc_id)
    _check_text(doc_id, f"{where} id", settings)
    _check_text(text, where, settings)
    return InputDocument(doc_id, text, check_date(item.get("date"), where))


def documents_of(payload: Any, settings: ServeSettings, single: bool = True) -> tuple[list[InputDocument], bool]:
    """The documents of a JSON body and whether it was one object (``single``: allowed) rather than a list."""
    if isinstance(payload, dict) and single:
        return [document_of(payload, 0, settings)], True
    if not isinstance(payload, list):
        wanted = 'an object {"text", "date"?} or a list of them' if single else 'a list of {"id", "text", "date"?}'
        raise RequestError(422, f"expected {wanted}, got {_json_type(payload)}")
    if len(payload) > settings.max_docs:
        raise RequestError(413, f"{len(payload):,} documents is over the limit of {settings.max_docs:,} per request (--max-docs)")
    return [document_of(item, index, settings) for index, item in enumerate(payload)], False


def decode_upload(body: bytes, settings: ServeSettings) -> str:
    """The text of raw report bytes, decoded as ``predict`` decodes files (UTF-8, GB18030/GBK, Big5,
    UTF-16 with a byte-order mark); 400 when they are not text, 413 when the text is too long."""
    try:
        text = decode_bytes(body)
    except DecodeError as err:
        raise RequestError(400, f"the body {err}") from None
    _check_text(text, "the text", settings)
    return text


def _json_type(value: Any) -> str:
    names = {dict: "an object", list: "a list", str: "a string", bool: "a boolean", type(None): "null"}
    return names.get(type(value), "a number")
