"""Starting the server: checks that the extra ``ipner[serve]`` is installed, then runs uvicorn.

One worker runs the application in this process. Several workers are separate processes that
uvicorn starts from the import string of :func:`ipner.serve.app.create_app_from_env`, each
loading its own pipeline; the settings reach them through the environment.
"""
from __future__ import annotations

import importlib
import os
import subprocess
import sys

from ipner.errors import ModelLoadError, UsageError
from ipner.serve.settings import SETTINGS_ENV, ServeSettings

__all__ = ["require_serve_extra", "run_server", "check_model_loads", "INSTALL_HINT", "APP_FACTORY"]

INSTALL_HINT = "pip install 'ipner[serve]'"
#: The import string of the application factory, for uvicorn's worker processes.
APP_FACTORY = "ipner.serve.app:create_app_from_env"


def require_serve_extra() -> None:
    """Raise :class:`UsageError` naming the install command when FastAPI or uvicorn is missing."""
    try:
        for name in ("fastapi", "uvicorn"):
            importlib.import_module(name)
    except ImportError as err:
        raise UsageError(f"serving over HTTP needs FastAPI and uvicorn ({err.name or err} is missing): {INSTALL_HINT}") from None


def check_model_loads(model: str) -> None:
    """Load ``model`` in a short-lived process, so that a model that will not load is a usage error
    before uvicorn starts workers that would fail one by one; :class:`ModelLoadError` if it does not."""
    code = "import sys; from ipner.pipeline.load import load; load(sys.argv[1])"
    run = subprocess.run([sys.executable, "-c", code, model], capture_output=True, text=True, errors="replace")
    if run.returncode != 0:
        lines = [line for line in run.stderr.splitlines() if line.strip()]
        raise ModelLoadError(lines[-1] if lines else f"cannot load model {model!r}")


def run_server(settings: ServeSettings) -> None:
    """Serve until interrupted (uvicorn, on ``settings.host``:``settings.port``)."""
    require_serve_extra()
    import uvicorn

    options = {"host": settings.host, "port": settings.port, "log_level": settings.log_level}
    if settings.workers == 1:
        from ipner.serve.app import create_app

        uvicorn.run(create_app(settings), **options)
        return
    check_model_loads(settings.model)
    os.environ[SETTINGS_ENV] = settings.to_env()
    uvicorn.run(APP_FACTORY, factory=True, workers=settings.workers, **options)
