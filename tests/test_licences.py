"""Licences (issue 12, item 17): ipner is MIT, so neither what a run of ipner imports nor what its
default install (``pip install ipner``, no extras) brings in may be GPL, AGPL, LGPL or limited to
research or non-commercial use (thulac-style terms).

LGPL is refused as well. Importing an unmodified LGPL package from MIT code is allowed by the LGPL,
but it puts conditions on whoever redistributes the result (a bundled application, a container
image must let users replace the LGPL part), and the default install has no LGPL package today. An
LGPL (or any other flagged) dependency therefore needs a decision: review it and add it to
``REVIEWED`` with the reason.

The tree is walked with ``importlib.metadata``: ipner's own requirements with no extras (from the
checkout's ``pyproject.toml``, so that a dependency added there is checked before the next
``pip install -e .``; from the installed metadata otherwise), then recursively the installed
distributions' requirements, markers evaluated for this interpreter. (pip-licenses
lists every package of the environment, extras and test tools included, so it cannot answer
"what does the default install contain".)
"""
from __future__ import annotations

import importlib.metadata as md
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from packaging.markers import default_environment
from packaging.requirements import Requirement
from packaging.utils import canonicalize_name

FORBIDDEN = re.compile(
    r"\b[AL]?GPL|General Public Licen[cs]e|Affero|non-?commercial|\bCC[- ]BY(?:[- ]SA)?[- ]NC"
    r"|research[- ]only|research purposes|academic (?:use|purposes)",
    re.IGNORECASE,
)
PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"
# canonical distribution name -> why its licence is acceptable although the check flags it
REVIEWED: dict[str, str] = {}


def licence_verdict(expression: str, license_field: str, classifiers: list[str]) -> str:
    """``"ok"``, ``"forbidden"`` or ``"unknown"`` for a distribution's licence metadata.

    An SPDX ``License-Expression`` (PEP 639) decides alone, and ``A OR B`` is acceptable when one
    alternative is; otherwise the free-text ``License`` field and the ``License ::`` classifiers
    are read together and any copyleft or research-only mention is refused.
    """
    expression = expression.strip()
    if expression:
        alternatives = re.split(r"\s+OR\s+", expression.strip("()"))
        return "ok" if any(not FORBIDDEN.search(a) for a in alternatives) else "forbidden"
    texts = [t for t in [license_field, *classifiers] if t.strip() and t.strip().upper() not in {"UNKNOWN", "NONE"}]
    if not texts:
        return "unknown"
    return "forbidden" if any(FORBIDDEN.search(t) for t in texts) else "ok"


def _licence(dist: md.Distribution) -> tuple[str, str]:
    meta = dist.metadata
    classifiers = [c.split("::", 1)[1].strip() for c in meta.get_all("Classifier") or [] if c.startswith("License ::")]
    expression = meta.get("License-Expression") or ""
    field = meta.get("License") or ""
    shown = expression or (field.splitlines()[0][:80] if field.strip() else "") or "; ".join(classifiers)
    return licence_verdict(expression, field, classifiers), f"{shown!r} classifiers={classifiers}"


def default_install_tree() -> tuple[dict[str, tuple[md.Distribution, list[str]]], list[str]]:
    """Every distribution that ``pip install ipner`` brings, each with the chain that requires it;
    and the requirements that apply here but are not installed."""
    found: dict[str, tuple[md.Distribution, list[str]]] = {}
    missing: list[str] = []
    done: set[tuple[str, frozenset[str]]] = set()
    todo: list[tuple[str, frozenset[str], list[str]]] = []

    def follow(requirements: list[str], extras: frozenset[str], chain: list[str]) -> None:
        for line in requirements:
            req = Requirement(line)
            envs = [{**default_environment(), "extra": extra} for extra in (sorted(extras) or [""])]
            if req.marker is not None and not any(req.marker.evaluate(env) for env in envs):
                continue
            todo.append((req.name, frozenset(canonicalize_name(e) for e in req.extras), chain))

    if PYPROJECT.exists() and sys.version_info >= (3, 11):
        import tomllib

        follow(tomllib.loads(PYPROJECT.read_text(encoding="utf-8"))["project"]["dependencies"], frozenset(), ["ipner"])
    else:
        follow(md.distribution("ipner").requires or [], frozenset(), ["ipner"])
    while todo:
        name, extras, chain = todo.pop()
        key = canonicalize_name(name)
        if (key, extras) in done:
            continue
        done.add((key, extras))
        try:
            dist = md.distribution(name)
        except md.PackageNotFoundError:
            missing.append(" → ".join([*chain, name]))
            continue
        found.setdefault(key, (dist, [*chain, key]))
        follow(dist.requires or [], extras, [*chain, key])
    return found, missing


def test_the_verdicts():
    assert licence_verdict("", "", ["GNU General Public License v3 (GPLv3)"]) == "forbidden"  # jiojio's metadata
    assert licence_verdict("LGPL-2.1-or-later", "", []) == "forbidden"
    assert licence_verdict("", "GNU Affero General Public License v3", []) == "forbidden"
    assert licence_verdict("CC-BY-NC-4.0", "", []) == "forbidden"
    assert licence_verdict("", "For non-commercial research purposes only", []) == "forbidden"
    assert licence_verdict("", "UNKNOWN", []) == "unknown"
    assert licence_verdict("MIT OR GPL-2.0-only", "", ["GNU General Public License v2 (GPLv2)"]) == "ok"
    assert licence_verdict("", "Apache License 2.0", []) == "ok"
    assert licence_verdict("", "UNKNOWN", ["Python Software Foundation License"]) == "ok"
    assert licence_verdict("BSD-3-Clause AND 0BSD AND MIT AND Zlib AND CC0-1.0", "", []) == "ok"


RUN_IPNER = r"""
import json, sys
imported = []
sys.addaudithook(lambda event, args: imported.append(args[0]) if event == "import" else None)
import ipner
from ipner.normalizers.date import parse_date
nlp = ipner.load("baseline")
doc = nlp("2023年底，湖南省有效发明专利拥有量达到8.5万件。2024年一季度又有增长。")
assert [f.time.year for f in doc._.facts] == [2023], doc._.facts
assert parse_date("2024年一季度").quarter == 1
assert parse_date("今年3月", "2024-06-15").span == ("2024-03-01", "2024-03-31")
json.dump({"imported": sorted(set(imported)), "modules": sorted(sys.modules)}, sys.stdout)
"""


def test_running_ipner_imports_no_copyleft_module():
    """Loading the baseline and reading dates (ipner's own reader) must import neither jionlp nor the
    GPL-3.0 jiojio it requires, nor any module whose distribution is flagged; stdout carries nothing
    but what the script writes."""
    run = subprocess.run([sys.executable, "-c", RUN_IPNER], capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-3000:]
    seen = json.loads(run.stdout)  # fails if a banner reached stdout
    names = set(seen["imported"]) | set(seen["modules"])
    assert not {n for n in names if n.split(".")[0] in ("jionlp", "jiojio")}
    owners = md.packages_distributions()
    flagged = []
    for top in sorted({n.split(".")[0] for n in names}):
        for dist_name in owners.get(top, []):
            verdict, shown = _licence(md.distribution(dist_name))
            if verdict != "ok" and canonicalize_name(dist_name) not in REVIEWED:
                flagged.append(f"module {top} from {dist_name}: {verdict} {shown}")
    assert not flagged, "\n".join(flagged)


def test_default_install_has_no_copyleft_or_research_only_licence():
    try:
        md.distribution("ipner")
    except md.PackageNotFoundError:
        pytest.skip("ipner is not installed (pip install -e .)")
    found, missing = default_install_tree()
    # jionlp requires jiojio (GPL-3.0): it is the optional extra ipner[gazetteer], never a default dependency
    assert not {"jionlp", "jiojio"} & set(found), [" → ".join(found[k][1]) for k in ("jionlp", "jiojio") if k in found]
    assert not missing, "required but not installed, so their licences cannot be checked: " + ", ".join(missing)
    assert len(found) > 20  # spaCy alone brings more; a smaller tree means the walk went wrong
    flagged = []
    for key, (dist, chain) in sorted(found.items()):
        verdict, shown = _licence(dist)
        if verdict != "ok" and key not in REVIEWED:
            flagged.append(f"{dist.metadata['Name']} {dist.version} ({' → '.join(chain)}): {verdict} {shown}")
    assert not flagged, "the default install brings:\n" + "\n".join(flagged)
