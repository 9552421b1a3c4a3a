"""``python -m ipner serve``: entities, relations and facts over HTTP (the extra ``ipner[serve]``)."""
from __future__ import annotations

import argparse

from ipner.cli.options import add_model_option, positive_int

_EPILOG = """endpoints: POST /extract, /extract/file, /table, /render; GET /health, /info, /docs (OpenAPI), / (a page)

examples:
  python -m ipner serve
  IPNER_API_KEY=secret python -m ipner serve --host 0.0.0.0 --workers 2
  curl -s localhost:8080/extract -H 'Content-Type: application/json' -d '{"text": "2023年杭州发明专利授权量2.1万件。"}'"""


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register the command's arguments."""
    from ipner.serve.settings import API_KEY_ENV, DEFAULT_HOST, DEFAULT_PORT, ServeSettings

    defaults = ServeSettings()
    parser = sub.add_parser(
        "serve", help="serve predict, table and a page over HTTP (needs ipner[serve])",
        description="Serve ipner over HTTP with FastAPI and uvicorn: predict's records, table's rows and a page "
                    "that highlights entities and lists facts. Errors are JSON {\"error\": ...}.",
        epilog=_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_model_option(parser)
    parser.add_argument("--host", default=DEFAULT_HOST, help=f"address to listen on (default {DEFAULT_HOST}: this machine only)")
    parser.add_argument("--port", type=int, default=DEFAULT_PORT, help=f"port (default {DEFAULT_PORT})")
    parser.add_argument("--workers", type=positive_int, default=1, help="worker processes, each with its own pipeline (default 1)")
    parser.add_argument("--api-key", metavar="KEY",
                        help=f"require this key (Authorization: Bearer KEY or X-API-Key: KEY) on every request but "
                             f"GET /health and the page; default: ${API_KEY_ENV}, else no key")
    parser.add_argument("--max-bytes", type=positive_int, default=defaults.max_bytes,
                        help=f"largest request body in bytes (413 beyond; default {defaults.max_bytes:,})")
    parser.add_argument("--max-docs", type=positive_int, default=defaults.max_docs,
                        help=f"most documents per request (413 beyond; default {defaults.max_docs:,})")
    parser.add_argument("--max-chars", type=positive_int, default=defaults.max_chars,
                        help=f"longest document in characters (413 beyond; default {defaults.max_chars:,})")
    parser.add_argument("--cors", action="append", metavar="ORIGIN", default=[],
                        help="allow browser requests from this origin (repeatable; default: none)")
    parser.add_argument("--log-level", choices=["critical", "error", "warning", "info", "debug"], default=defaults.log_level,
                        help=f"uvicorn's log level (default {defaults.log_level})")
    parser.set_defaults(run=run)


def settings_from_args(args: argparse.Namespace):
    """The :class:`ipner.serve.ServeSettings` of the parsed arguments (the key from the environment if not given)."""
    import os

    from ipner.errors import UsageError
    from ipner.serve.settings import API_KEY_ENV, ServeSettings

    try:
        return ServeSettings(
            model=args.model, host=args.host, port=args.port, workers=args.workers,
            api_key=args.api_key or os.environ.get(API_KEY_ENV) or None, max_bytes=args.max_bytes,
            max_docs=args.max_docs, max_chars=args.max_chars, cors_origins=tuple(args.cors), log_level=args.log_level,
        )
    except ValueError as err:
        raise UsageError(str(err)) from None


def run(args: argparse.Namespace) -> int:
    """Serve until interrupted; 2 when the extra is missing or the model will not load."""
    from ipner.serve import run_server

    run_server(settings_from_args(args))
    return 0
