"""Plain-text presentation of scores for the terminal (``evaluate``, ``finetune``)."""
from __future__ import annotations

from typing import Any

from ipner.schema import ENTITY_LABELS, RELATION_LABELS

__all__ = ["format_comparison"]


def format_comparison(results: dict[str, dict[str, Any]]) -> str:
    """A plain-text table of P/R/F per label for several pipelines side by side."""
    names = list(results)
    header = f"{'':<22}" + "".join(f"{name:>24}" for name in names)
    lines = [header, f"{'':<22}" + "".join(f"{'P     R     F':>24}" for _ in names)]

    def row(title: str, getter) -> None:
        cells = []
        for name in names:
            s = getter(results[name])
            cells.append(f"{s['p']:>10.3f}{s['r']:>7.3f}{s['f']:>7.3f}")
        lines.append(f"{title:<22}" + "".join(cells))

    for label in ENTITY_LABELS:
        row(f"NER {label}", lambda r, label=label: r["ner"]["per_label"][label])
    row("NER micro", lambda r: r["ner"]["micro"])
    for label in RELATION_LABELS:
        row(f"relation {label}", lambda r, label=label: r["relations"]["per_label"][label])
    row("relation micro", lambda r: r["relations"]["micro"])
    row("facts", lambda r: r["facts"])
    return "\n".join(lines)
