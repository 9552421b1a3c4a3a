"""``python -m ipner serve``: ipner over HTTP (FastAPI and uvicorn, the optional extra ``ipner[serve]``).

- :mod:`ipner.serve.settings`: :class:`ServeSettings`, the limits and their defaults;
- :mod:`ipner.serve.requests`: reading and checking request bodies, with their HTTP statuses;
- :mod:`ipner.serve.extractor`: one pipeline per process, its calls one at a time;
- :mod:`ipner.serve.app`: the FastAPI application (:func:`ipner.serve.app.create_app`);
- :mod:`ipner.serve.page`: the page at ``GET /`` (``static/index.html``);
- :mod:`ipner.serve.server`: starting uvicorn with one or several worker processes;
- :mod:`ipner.serve.client_bench`: ``python -m ipner bench --serve``.

Importing this package imports neither FastAPI nor uvicorn; :mod:`ipner.serve.app` does.
"""
from ipner.serve.server import INSTALL_HINT, require_serve_extra, run_server
from ipner.serve.settings import API_KEY_ENV, ServeSettings

__all__ = ["ServeSettings", "API_KEY_ENV", "INSTALL_HINT", "require_serve_extra", "run_server"]
