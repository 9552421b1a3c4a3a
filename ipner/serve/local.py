"""A server on this machine in a child process, for the benchmark and the tests: ``python -m ipner
serve`` on the loopback address and a free port, started and waited for, stopped on exit."""
from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from typing import Any

from ipner.errors import IpnerError

__all__ = ["LocalServer", "free_port", "post_json"]

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    """A TCP port free on the loopback address at the time of asking."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


def post_json(url: str, payload: Any, headers: dict[str, str] | None = None, timeout: float = 120) -> tuple[int, Any]:
    """POST ``payload`` as JSON; the status and the decoded JSON answer (also for error statuses)."""
    data = json.dumps(payload, ensure_ascii=False).encode("utf-8")
    request = urllib.request.Request(url, data=data, method="POST", headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as err:
        return err.code, json.loads(err.read() or b"null")


class LocalServer:
    """``python -m ipner serve`` in a child process; a context manager that yields itself once
    ``GET /health`` answers (``url`` is the base URL, ``pid`` the server process)."""

    def __init__(self, model: str = "default", workers: int = 1, args: list[str] | None = None,
                 env: dict[str, str] | None = None, startup_timeout: float = 120) -> None:
        self.port = free_port()
        self.url = f"http://{LOOPBACK}:{self.port}"
        self.command = [sys.executable, "-m", "ipner", "serve", "--model", model, "--host", LOOPBACK,
                        "--port", str(self.port), "--workers", str(workers), "--log-level", "warning", *(args or [])]
        self.env = {**os.environ, **(env or {})}
        self.startup_timeout = startup_timeout
        self.process: subprocess.Popen | None = None
        self._log: Any = None

    @property
    def pid(self) -> int:
        """The server process's id."""
        assert self.process is not None, "the server is not started"
        return self.process.pid

    def start(self) -> "LocalServer":
        """Start the server and wait until it answers; :class:`IpnerError` with its last error line if it exits."""
        # the server's log goes to a file, not a pipe that nobody reads and that could fill up
        self._log = tempfile.TemporaryFile()
        self.process = subprocess.Popen(self.command, env=self.env, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                                        stderr=self._log)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                lines = [line for line in self.log().splitlines() if line.strip()]
                self.stop()
                raise IpnerError(f"the server exited with {self.process.returncode}: {lines[-1] if lines else ''}")
            try:
                with urllib.request.urlopen(self.url + "/health", timeout=2) as response:
                    if response.status == 200:
                        return self
            except OSError:
                time.sleep(0.2)
        self.stop()
        raise IpnerError(f"the server did not answer within {self.startup_timeout:.0f} s")

    def log(self) -> str:
        """What the server has written to its standard error so far."""
        if self._log is None:
            return ""
        self._log.seek(0)
        return self._log.read().decode("utf-8", "replace")

    def stop(self) -> None:
        """Stop the server (SIGTERM, then SIGKILL after 20 s)."""
        if self.process is not None and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        if self._log is not None:
            self._log.close()
            self._log = None

    def __enter__(self) -> "LocalServer":
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()
