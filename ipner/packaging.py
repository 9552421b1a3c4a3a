"""Packaging (``python -m ipner package``): build an installable wheel of a trained pipeline with spaCy's packaging.

Example: ``python -m ipner package --output dist`` packages the shipped model as ``zh_ipner``
(spaCy's naming: language + "_" + name); ``pip install dist/zh_ipner-0.1.0/dist/zh_ipner-0.1.0-py3-none-any.whl``
then makes ``spacy.load("zh_ipner")`` work. The package requires ``ipner`` (added to its meta), whose
entry points register the components, so the loading process needs no ``import ipner``.

The package directory is written by ``spacy.cli.package.package``; the wheel is then built from it
with pip, without build isolation, so that packaging works offline (spaCy's own ``create_wheel``
needs the ``build`` or ``wheel`` package and builds in an isolated environment fetched from PyPI).
"""
from __future__ import annotations

import contextlib
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from ipner.errors import PackageError

__all__ = ["build_package", "ipner_requirement", "PackageError", "DEFAULT_NAME"]

DEFAULT_NAME = "ipner"


def ipner_requirement() -> str:
    """``ipner>=X.Y.Z,<X.(Y+1).0`` for the running version of ipner."""
    from packaging.version import Version

    from ipner import __version__

    current = Version(__version__)
    return f"ipner>={current},<{current.major}.{current.minor + 1}.0"


def build_package(
    model: Path | None, output: Path, name: str = DEFAULT_NAME, version: str | None = None, force: bool = False
) -> Path:
    """Package the pipeline ``model`` (default: the shipped one) into ``output``; returns the wheel's path.

    The package's meta requires ``ipner>=<this version>,<next minor>`` (spaCy's convention for the
    library a pipeline's code comes from: a minor release may change a component). Raises :class:`PackageError` with a
    message for the user on any problem.
    """
    import srsly
    from packaging.version import InvalidVersion, Version
    from spacy.util import split_requirement

    from ipner import __version__
    from ipner.pipeline.load import default_model_path

    if model is None:
        model = default_model_path()
        if model is None:
            raise PackageError(
                "no trained model is shipped with ipner (ipner/resources/model); "
                "train one (python -m ipner train ... --ship) or give --model PATH"
            )
    if not model.is_dir():
        raise PackageError(f"model directory not found: {model}")
    if not (model / "config.cfg").is_file():
        raise PackageError(f"not a spaCy pipeline directory (no config.cfg): {model}")
    if not name.isidentifier():
        raise PackageError(f"invalid package name {name!r}: use ASCII letters, digits and underscores")
    try:
        meta = srsly.read_json(model / "meta.json") if (model / "meta.json").is_file() else {}
    except ValueError as error:
        raise PackageError(f"unreadable meta.json in {model}: {error}") from None
    if version is None:
        version = str(meta.get("version") or "0.0.0")
        if version == "0.0.0":
            version = __version__
    try:
        Version(version)
    except InvalidVersion:
        raise PackageError(f"invalid version {version!r}: expected X.Y.Z") from None
    lang = str(meta.get("lang") or "zh")
    if name.startswith(f"{lang}_"):  # spaCy's generated setup.py would prefix the language again
        name = name[len(lang) + 1 :]
    package_name = f"{lang}_{name}"
    package_dir = output / f"{package_name}-{version}"

    try:
        output.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise PackageError(f"cannot create the output directory {output}: {error.strerror or error}") from None
    if not output.is_dir() or not os.access(output, os.W_OK | os.X_OK):
        raise PackageError(f"output directory is not writable: {output}")
    if package_dir.exists():
        if not force:
            raise PackageError(f"{package_dir} already exists; use --force to replace it")
        shutil.rmtree(package_dir)

    # The requirement on ipner, set explicitly: spaCy only infers it when ipner is an installed
    # distribution, and would pin it to the minor version range.
    requirements = [r for r in meta.get("requirements", []) if split_requirement(r)[0] != "ipner"]
    meta.update(name=name, version=version, requirements=[ipner_requirement(), *requirements])
    with tempfile.TemporaryDirectory(prefix="ipner-package-") as scratch:
        meta_path = Path(scratch) / "meta.json"
        srsly.write_json(meta_path, meta)
        _spacy_package(model, output, meta_path, name, version)
    if not package_dir.is_dir():
        raise PackageError(f"spaCy did not create the package directory {package_dir}")
    return _build_wheel(package_dir, package_name)


def _spacy_package(model: Path, output: Path, meta_path: Path, name: str, version: str) -> None:
    """Write the package directory with spaCy; its messages are shown only if it fails."""
    from spacy.cli.package import package

    log = io.StringIO()
    try:
        with contextlib.redirect_stdout(log):
            package(
                model,
                output,
                meta_path=meta_path,
                name=name,
                version=version,
                create_meta=False,
                create_sdist=False,
                create_wheel=False,
                force=False,
                silent=False,
            )
    except SystemExit as error:
        if error.code in (0, None):
            return
        raise PackageError(f"spaCy could not package {model}:\n{_plain(log.getvalue())}") from None
    except (OSError, ValueError, KeyError, ImportError) as error:  # loading the pipeline to read its meta
        raise PackageError(f"spaCy could not package {model}: {type(error).__name__}: {error}") from None


def _build_wheel(package_dir: Path, package_name: str) -> Path:
    """Build the wheel of spaCy's package directory into its ``dist/`` with pip, offline."""
    dist = package_dir / "dist"
    command = [
        sys.executable, "-m", "pip", "wheel", str(package_dir), "--wheel-dir", str(dist),
        "--no-deps", "--no-build-isolation", "--no-index", "--no-cache-dir", "--use-pep517",
        "--quiet", "--disable-pip-version-check",
    ]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise PackageError(f"building the wheel failed:\n{(result.stderr or result.stdout).strip()}")
    wheels = sorted(dist.glob(f"{re.sub('_+', '_', package_name)}-*.whl"), key=lambda p: p.stat().st_mtime)
    if not wheels:
        raise PackageError(f"no wheel was written to {dist}")
    return wheels[-1].resolve()


def _plain(text: str) -> str:
    """spaCy's messages without terminal colours."""
    return re.sub(r"\x1b\[[0-9;]*m", "", text).strip()
