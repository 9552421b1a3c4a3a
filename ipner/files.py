"""Writing files and directories atomically: a reader sees the old version or the new, never half of one."""
from __future__ import annotations

import contextlib
import os
import shutil
import sys
import tempfile
from pathlib import Path
from typing import IO, Iterator

__all__ = ["replace_directory", "atomic_output", "check_output_path", "open_output"]


def replace_directory(source: str | Path, target: str | Path) -> Path:
    """Copy the directory ``source`` to ``target`` atomically: it is copied beside ``target`` and
    renamed into place only when complete, so a failure leaves an existing ``target`` as it was."""
    source, target = Path(source), Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        shutil.copytree(source, staging, dirs_exist_ok=True)
        if target.exists():
            old = target.with_name(f".{target.name}-old")
            shutil.rmtree(old, ignore_errors=True)
            target.rename(old)
            staging.rename(target)
            shutil.rmtree(old)
        else:
            staging.rename(target)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    return target


def check_output_path(path: str | Path) -> str | None:
    """Why a file cannot be written at ``path`` (a message), or None if it can."""
    path = Path(path)
    if path.is_dir():
        return f"{path} is a directory; give a file name"
    parent = path.parent if str(path.parent) else Path(".")
    if not parent.is_dir():
        return f"the directory {parent} does not exist"
    if not os.access(parent, os.W_OK | os.X_OK):
        return f"the directory {parent} is not writable"
    if path.exists() and not os.access(path, os.W_OK):
        return f"{path} is not writable"
    return None


@contextlib.contextmanager
def atomic_output(path: str | Path, mode: str = "w", **open_kwargs) -> Iterator[IO]:
    """Open a temporary file beside ``path``; on success it replaces ``path``, on any exception
    (including KeyboardInterrupt and SystemExit) it is removed and ``path`` stays as it was."""
    path = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent if str(path.parent) else ".")
    os.close(fd)
    # mkstemp creates the file readable by its owner only; the output gets the usual permissions
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        with open(tmp, mode, **open_kwargs) as handle:
            yield handle
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise


@contextlib.contextmanager
def open_output(path: str | Path | None, newline: str | None = "", encoding: str = "utf-8") -> Iterator[IO[str]]:
    """Standard output (``path`` None or ``-``), or the text file ``path`` written atomically.

    ``encoding="utf-8-sig"`` starts the output with a byte-order mark (for spreadsheets), on
    standard output too."""
    if path in (None, "-"):
        try:
            if encoding == "utf-8-sig":
                sys.stdout.write("\ufeff")
            yield sys.stdout
        finally:
            sys.stdout.flush()
        return
    with atomic_output(path, "w", encoding=encoding, newline=newline) as handle:
        yield handle
