"""The settings of ``python -m ipner serve``: where it listens, which model it runs, its limits.

Every default is defined here once; the command line, the application and the documentation read
them from :class:`ServeSettings`. The settings travel to uvicorn's worker processes as one JSON
environment variable (:data:`SETTINGS_ENV`), since those processes build the application from an
import string.
"""
from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, fields
from typing import Any, Mapping

__all__ = [
    "ServeSettings", "SETTINGS_ENV", "API_KEY_ENV", "DEFAULT_HOST", "DEFAULT_PORT", "DEFAULT_MAX_BYTES",
    "DEFAULT_MAX_DOCS", "DEFAULT_MAX_CHARS",
]

#: The environment variable that carries the settings (JSON) to the worker processes.
SETTINGS_ENV = "IPNER_SERVE_SETTINGS"
#: The environment variable read for the API key when ``--api-key`` is not given.
API_KEY_ENV = "IPNER_API_KEY"

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080
#: Largest request body, in bytes (413 beyond it).
DEFAULT_MAX_BYTES = 5 * 1024 * 1024
#: Most documents in one request (413 beyond it).
DEFAULT_MAX_DOCS = 100
#: Longest document, in characters (413 beyond it).
DEFAULT_MAX_CHARS = 1_000_000


@dataclass(frozen=True)
class ServeSettings:
    """How one server runs. ``api_key`` None: no authentication; ``cors_origins`` empty: no CORS."""

    model: str = "default"
    host: str = DEFAULT_HOST
    port: int = DEFAULT_PORT
    workers: int = 1
    api_key: str | None = None
    max_bytes: int = DEFAULT_MAX_BYTES
    max_docs: int = DEFAULT_MAX_DOCS
    max_chars: int = DEFAULT_MAX_CHARS
    cors_origins: tuple[str, ...] = ()
    log_level: str = "info"

    def __post_init__(self) -> None:
        for name in ("port", "workers", "max_bytes", "max_docs", "max_chars"):
            value = getattr(self, name)
            if not isinstance(value, int) or value < (0 if name == "port" else 1):
                raise ValueError(f"{name} must be a whole number of at least {0 if name == 'port' else 1}, not {value!r}")
        if self.api_key is not None and not self.api_key.strip():
            raise ValueError("the API key is empty")
        object.__setattr__(self, "cors_origins", tuple(self.cors_origins))

    def to_env(self) -> str:
        """The settings as the JSON value of :data:`SETTINGS_ENV`."""
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> "ServeSettings":
        """The settings that :meth:`to_env` wrote into ``environ`` (default ``os.environ``); the
        defaults when the variable is absent. The API key falls back to :data:`API_KEY_ENV`."""
        environ = os.environ if environ is None else environ
        raw: dict[str, Any] = json.loads(environ[SETTINGS_ENV]) if SETTINGS_ENV in environ else {}
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in raw.items() if k in known}
        if not values.get("api_key") and environ.get(API_KEY_ENV):
            values["api_key"] = environ[API_KEY_ENV]
        return cls(**values)
