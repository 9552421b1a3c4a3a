"""The HTTP application of ``python -m ipner serve`` (FastAPI): endpoints, limits, keys and errors.

:func:`create_app` builds it from :class:`ServeSettings` (and, for tests, a pipeline already loaded);
:func:`create_app_from_env` is the factory that uvicorn's worker processes call, each loading its
own pipeline. Every error is a JSON body ``{"error": "..."}`` with the status chosen by
:mod:`ipner.serve.requests`; bad input never gives a 500.

Before a request reaches an endpoint, :class:`RequestGuard` checks the API key (every path but
``GET /health`` and the page ``GET /``, which holds no data and asks for the key itself) and reads the
body up to ``max_bytes``: a Content-Length over the limit is refused before anything is read, and a
body sent without one is refused as soon as it passes the limit.
"""
from __future__ import annotations

import asyncio
import hmac
import json
import logging
from contextlib import asynccontextmanager
from typing import Any, Callable

from fastapi import FastAPI, Query, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ipner.serve.extractor import Extractor
from ipner.serve.requests import (
    RequestError,
    check_content_length,
    check_date,
    decode_upload,
    document_of,
    documents_of,
    is_json,
    is_text_bytes,
    parse_json,
)
from ipner.serve.settings import ServeSettings

__all__ = ["create_app", "create_app_from_env", "RequestGuard", "ErrorResponse", "PUBLIC_PATHS"]

logger = logging.getLogger("ipner.serve")

#: Paths answered without an API key (GET only).
PUBLIC_PATHS = ("/health", "/")
_BODY_METHODS = ("POST", "PUT", "PATCH")


class ErrorResponse(JSONResponse):
    """A JSON response that never fails to encode (characters UTF-8 cannot carry are escaped)."""

    def render(self, content: Any) -> bytes:
        """The body: compact JSON in UTF-8."""
        try:
            return json.dumps(content, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
        except UnicodeEncodeError:
            return json.dumps(content, separators=(",", ":")).encode("ascii")


def _error(status: int, message: str, headers: dict[str, str] | None = None) -> ErrorResponse:
    return ErrorResponse({"error": message}, status_code=status, headers=headers)


class RequestGuard:
    """ASGI middleware: the API key, then the body's size, before the application sees a request."""

    def __init__(self, app: ASGIApp, settings: ServeSettings) -> None:
        self.app = app
        self.settings = settings
        self._key = settings.api_key.encode("utf-8") if settings.api_key else None

    def authorised(self, headers: dict[bytes, bytes]) -> bool:
        """Whether the headers carry the key (``Authorization: Bearer KEY`` or ``X-API-Key: KEY``)."""
        if self._key is None:
            return True
        given = [headers.get(b"x-api-key", b"")]
        scheme, _, token = headers.get(b"authorization", b"").partition(b" ")
        if scheme.lower() == b"bearer":
            given.append(token.strip())
        # compare_digest on every candidate, so the time taken does not depend on which one matched
        return any([hmac.compare_digest(candidate, self._key) for candidate in given])

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Check one request, then pass it on with its body already read (or answer it with an error)."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        headers = dict(scope["headers"])
        method = scope["method"]
        public = method in ("GET", "HEAD") and scope["path"] in PUBLIC_PATHS
        if not public and method != "OPTIONS" and not self.authorised(headers):
            response = _error(401, "missing or wrong API key: send Authorization: Bearer KEY or X-API-Key: KEY",
                              {"WWW-Authenticate": "Bearer"})
            await response(scope, receive, send)
            return
        if method not in _BODY_METHODS:
            await self.app(scope, receive, send)
            return
        try:
            check_content_length(headers.get(b"content-length", b"").decode("latin-1") or None, self.settings.max_bytes)
            body = await self._read_body(receive)
        except RequestError as err:
            await _error(err.status, err.message, {"Connection": "close"})(scope, receive, send)
            return
        except _Disconnected:
            return
        await self.app(scope, _replay(body, receive), send)

    async def _read_body(self, receive: Receive) -> bytes:
        parts: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                raise _Disconnected()
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.settings.max_bytes:
                raise RequestError(413, f"the body is over the limit of {self.settings.max_bytes:,} bytes (--max-bytes)")
            parts.append(chunk)
            if not message.get("more_body", False):
                return b"".join(parts)


class _Disconnected(Exception):
    pass


def _replay(body: bytes, receive: Receive) -> Receive:
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


# JSON Schemas of the request bodies, for the OpenAPI page (/docs); the bodies are read and checked by
# ipner.serve.requests, which gives the documented status codes rather than FastAPI's.
_DOCUMENT = {
    "type": "object",
    "required": ["text"],
    "properties": {
        "id": {"type": "string", "description": "the record's id (default: the document's position)"},
        "text": {"type": "string", "description": "the report's text"},
        "date": {"type": "string", "description": "reference date for 今年, 去年: 2025-02-24, 2025/2/24 or 2025年2月24日"},
    },
    "example": {"id": "r1", "text": "截至2023年底，杭州有效发明专利拥有量15.3万件。", "date": "2024-03-01"},
}
_JSON_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {"oneOf": [_DOCUMENT, {"type": "array", "items": _DOCUMENT}]}}}}}
_LIST_BODY = {"requestBody": {"required": True, "content": {"application/json": {"schema": {"type": "array", "items": _DOCUMENT}}}}}
_BYTES_BODY = {"requestBody": {"required": True, "content": {"application/octet-stream": {"schema": {"type": "string", "format": "binary"}}}}}
_RENDER_BODY = {"requestBody": {"required": True, "content": {
    "application/json": {"schema": _DOCUMENT}, "application/octet-stream": {"schema": {"type": "string", "format": "binary"}},
}}}
_ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"description": why, "content": {"application/json": {"example": {"error": "…why…"}}}}
    for status, why in [
        (400, "not JSON, or bytes that are not text"), (401, "missing or wrong API key"),
        (413, "body, document count or text over the limits"), (415, "wrong content type"),
        (422, "wrong shape or a bad date"),
    ]
}


def create_app(settings: ServeSettings | None = None, nlp: Any = None) -> FastAPI:
    """The application for ``settings``, running ``nlp`` (default: ``settings.model``, loaded now)."""
    from ipner import __version__
    from ipner.api import package_info
    from ipner.pipeline.load import load
    from ipner.serve.page import page_html

    settings = settings or ServeSettings()
    extractor = Extractor(nlp if nlp is not None else load(settings.model), settings.model)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        extractor.close()

    assets = _swagger_assets()
    app = FastAPI(
        title="ipner", version=__version__, lifespan=lifespan, docs_url=None if assets else "/docs",
        description="Entities, relations and facts from Chinese reports on intellectual-property statistics "
                    "(the records of `python -m ipner predict`, docs/SCHEMA.md). Errors are `{\"error\": \"...\"}`.",
    )
    app.state.extractor = extractor
    if assets:
        _add_local_docs(app, assets)
    app.state.settings = settings

    async def run(method: Callable[..., Any], *args: Any) -> Any:
        return await asyncio.wrap_future(extractor.submit(method, *args))

    @app.exception_handler(RequestError)
    async def request_error(request: Request, err: RequestError) -> ErrorResponse:
        return _error(err.status, err.message)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, err: StarletteHTTPException) -> ErrorResponse:
        return _error(err.status_code, str(err.detail), getattr(err, "headers", None))

    @app.exception_handler(RequestValidationError)
    async def validation_error(request: Request, err: RequestValidationError) -> ErrorResponse:
        problems = "; ".join(f"{'.'.join(str(p) for p in e.get('loc', ()))}: {e.get('msg', '')}" for e in err.errors())
        return _error(422, problems or "invalid request")

    @app.exception_handler(Exception)
    async def unexpected(request: Request, err: Exception) -> ErrorResponse:
        logger.exception("unexpected error on %s %s", request.method, request.url.path)
        return _error(500, "internal error")

    async def json_body(request: Request) -> Any:
        if not is_json(request.headers.get("content-type")):
            raise RequestError(415, "send the documents as JSON with Content-Type: application/json")
        return parse_json(await request.body())

    @app.get("/", response_class=HTMLResponse, include_in_schema=False)
    async def page() -> HTMLResponse:
        return HTMLResponse(page_html())

    @app.get("/health", summary="liveness (no API key needed)")
    @app.head("/health", include_in_schema=False)
    async def health() -> dict[str, str]:
        return {"status": "ok"}

    @app.get("/info", summary="ipner's version, the model served, labels, relations and limits", responses=_ERRORS)
    async def info() -> dict[str, Any]:
        meta = extractor.nlp.meta or {}
        # no paths of the server's files; "model" of info --json is the default model, not the one served
        described = {k: v for k, v in package_info().items() if k not in ("model_path", "baseline_config", "model")}
        return {
            **described,
            "served_model": {
                "model": settings.model,
                "name": f"{meta.get('lang', '')}_{meta.get('name', '')}".strip("_"),
                "version": meta.get("version"),
                "pipes": list(extractor.nlp.pipe_names),
            },
            "limits": {"max_bytes": settings.max_bytes, "max_docs": settings.max_docs, "max_chars": settings.max_chars},
        }

    @app.post("/extract", summary="predict's records for one document or a list", openapi_extra=_JSON_BODY, responses=_ERRORS)
    async def extract(request: Request) -> Any:
        documents, single = documents_of(await json_body(request), settings)
        records = await run(extractor.records, documents)
        return records[0] if single else records

    @app.post("/extract/file", summary="predict's record for a report's raw bytes (any encoding predict reads)",
              openapi_extra=_BYTES_BODY, responses=_ERRORS)
    async def extract_file(
        request: Request,
        id: str = Query("0", description="the record's id"),  # noqa: A002 - the record's field name
        date: str | None = Query(None, description="reference date for relative dates"),
    ) -> Any:
        document = await _bytes_document(request, id, date)
        return (await run(extractor.records, [document]))[0]

    @app.post("/table", summary="table's rows (python -m ipner table --format jsonl) for a list of documents",
              openapi_extra=_LIST_BODY, responses=_ERRORS)
    async def table(request: Request) -> Any:
        documents, _ = documents_of(await json_body(request), settings, single=False)
        return await run(extractor.table_rows, documents)

    @app.post("/render", summary="the page's view of one document: text, record, entity HTML, fact rows",
              openapi_extra=_RENDER_BODY, responses=_ERRORS)
    async def render(request: Request, date: str | None = Query(None, description="reference date (raw bytes only)")) -> Any:
        content_type = request.headers.get("content-type")
        if is_json(content_type):
            document = document_of(parse_json(await request.body()), 0, settings)
        elif is_text_bytes(content_type):
            document = await _bytes_document(request, "0", date)
        else:
            raise RequestError(415, "send one document as application/json, or a report's bytes as application/octet-stream")
        return await run(extractor.view, document)

    async def _bytes_document(request: Request, doc_id: str, date: str | None):
        from ipner.pipeline.batch import InputDocument

        if not is_text_bytes(request.headers.get("content-type")):
            raise RequestError(415, "send the report's bytes with Content-Type: application/octet-stream")
        return InputDocument(doc_id, decode_upload(await request.body(), settings), check_date(date))

    app.add_middleware(RequestGuard, settings=settings)
    if settings.cors_origins:
        from starlette.middleware.cors import CORSMiddleware

        # added last, so it is outermost: preflight requests and the guard's errors get CORS headers
        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST"],
            allow_headers=["Authorization", "X-API-Key", "Content-Type"],
        )
    return app


def _swagger_assets() -> dict[str, tuple[bytes, str]] | None:
    """Swagger UI's script and style from the ``swagger-ui-bundle`` package (part of ``ipner[serve]``),
    read once, so that ``/docs`` works offline; None without the package (FastAPI's CDN page then)."""
    try:
        from swagger_ui_bundle import swagger_ui_path
    except ImportError:
        return None
    from pathlib import Path

    root = Path(swagger_ui_path)
    try:
        return {
            "swagger-ui-bundle.js": ((root / "swagger-ui-bundle.js").read_bytes(), "application/javascript"),
            "swagger-ui.css": ((root / "swagger-ui.css").read_bytes(), "text/css"),
        }
    except OSError:
        return None


def _add_local_docs(app: FastAPI, assets: dict[str, tuple[bytes, str]]) -> None:
    """``GET /docs`` with Swagger UI served by this server: two fixed files, no path taken from a request."""
    from fastapi.openapi.docs import get_swagger_ui_html
    from fastapi.responses import Response

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url=app.openapi_url or "/openapi.json", title="ipner API",
            swagger_js_url="/docs/swagger-ui-bundle.js", swagger_css_url="/docs/swagger-ui.css", swagger_favicon_url="data:,",
        )

    for name, (content, media_type) in assets.items():
        def asset(content: bytes = content, media_type: str = media_type) -> Response:
            return Response(content, media_type=media_type, headers={"Cache-Control": "max-age=86400"})

        app.add_api_route(f"/docs/{name}", asset, methods=["GET"], include_in_schema=False)


def create_app_from_env() -> FastAPI:
    """The application for the settings in the environment (:meth:`ServeSettings.from_env`): the
    factory uvicorn calls in each worker process, so each loads its own pipeline."""
    return create_app(ServeSettings.from_env())

