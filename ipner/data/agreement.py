"""Inter-annotator agreement: entity and relation F1 between two annotations of the same passages."""
from __future__ import annotations

import csv
from collections import Counter
from pathlib import Path
from typing import Any, Iterable

Span = tuple[int, int, str]


def passage_record(record: dict[str, Any], start: int, end: int, passage_id: str) -> dict[str, Any]:
    """The part of ``record`` in ``[start, end)``: entities inside it (shifted) and relations between them."""
    keep = {i: e for i, e in enumerate(record["entities"]) if start <= e["start"] and e["end"] <= end}
    order = {i: n for n, i in enumerate(keep)}
    return {
        "id": passage_id,
        "text": record["text"][start:end],
        "entities": [{**e, "start": e["start"] - start, "end": e["end"] - start} for e in keep.values()],
        "relations": [
            {"head": order[r["head"]], "child": order[r["child"]], "label": r["label"]}
            for r in record["relations"]
            if r["head"] in order and r["child"] in order
        ],
        "meta": dict(record.get("meta", {})),
    }


def _entities(record: dict[str, Any]) -> set[Span]:
    return {(e["start"], e["end"], e["label"]) for e in record["entities"]}


def _relations(record: dict[str, Any]) -> set[tuple[Span, Span, str]]:
    ents = record["entities"]
    as_span = lambda e: (e["start"], e["end"], e["label"])  # noqa: E731
    return {(as_span(ents[r["head"]]), as_span(ents[r["child"]]), r["label"]) for r in record["relations"]}


def _f1(matched: int, first: int, second: int) -> float:
    return 2 * matched / (first + second) if first + second else 1.0


def agreement(first: Iterable[dict[str, Any]], second: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """Micro F1 (one annotation taken as reference; F1 is symmetric) overall and per label."""
    by_id = {r["id"]: r for r in second}
    counts: dict[str, Counter[str]] = {"entities": Counter(), "relations": Counter()}
    disagreements: list[dict[str, Any]] = []
    n = 0
    for a in first:
        b = by_id.get(a["id"])
        if b is None:
            continue
        if a["text"] != b["text"]:
            raise ValueError(f"{a['id']}: the two annotations have different texts")
        n += 1
        for kind, extract in (("entities", _entities), ("relations", _relations)):
            sa, sb = extract(a), extract(b)
            # the label is the third field of an entity and of a relation
            for item in sa:
                counts[kind][f"first:{item[2]}"] += 1
            for item in sb:
                counts[kind][f"second:{item[2]}"] += 1
            for item in sa & sb:
                counts[kind][f"both:{item[2]}"] += 1
            if kind == "entities":
                for item in sorted(sa ^ sb):
                    disagreements.append({"id": a["id"], "text": a["text"][item[0]:item[1]], "label": item[2],
                                          "only_in": "first" if item in sa else "second"})
    report: dict[str, Any] = {"passages": n}
    for kind, counter in counts.items():
        labels = sorted({key.split(":", 1)[1] for key in counter})
        per_label = {
            label: round(_f1(counter[f"both:{label}"], counter[f"first:{label}"], counter[f"second:{label}"]), 4)
            for label in labels
        }
        total = lambda prefix: sum(v for k, v in counter.items() if k.startswith(prefix))  # noqa: E731
        report[kind] = {"f1": round(_f1(total("both:"), total("first:"), total("second:")), 4),
                        "first": total("first:"), "second": total("second:"), "matched": total("both:"), "per_label": per_label}
    report["entity_disagreements"] = disagreements
    return report


def read_sample(path: Path) -> list[tuple[str, str, int, int]]:
    """``(passage id, document id, start, end)`` rows of the agreement sample."""
    with open(path, encoding="utf-8") as f:
        rows = csv.reader((line for line in f if not line.startswith("#")), delimiter="\t")
        return [(r[0], r[1], int(r[2]), int(r[3])) for r in rows if r]


def measure_agreement(root: Path) -> dict[str, Any]:
    """The agreement report of the repository at ``root``: the corpus as authored (first annotation)
    against ``annotations/agreement/second_annotation.txt`` on the passages of ``sample.tsv``.

    Nothing is written; the committed ``annotations/agreement/report.json`` is the one measured
    when the second annotation was made (see ``REPORT.md``).
    """
    from ipner.data.authoring import parse_file
    from ipner.data.corpus import load_corpus
    from ipner.errors import AnnotationError, LocatedProblem

    folder = Path(root) / "annotations" / "agreement"
    corpus = {r["id"]: r for r in load_corpus(Path(root))}
    try:
        sample = read_sample(folder / "sample.tsv")
    except OSError as err:
        raise AnnotationError([LocatedProblem(str(folder / "sample.tsv"), f"cannot read: {err.strerror or err}")]) from None
    except (IndexError, ValueError):
        raise AnnotationError([LocatedProblem(str(folder / "sample.tsv"), "rows must be: passage id, document id, start, end")]) from None
    missing = [doc for _, doc, _, _ in sample if doc not in corpus]
    if missing:
        raise AnnotationError([LocatedProblem(str(folder / "sample.tsv"), f"documents not in the corpus: {', '.join(missing)}")])
    first = [passage_record(corpus[doc], start, end, pid) for pid, doc, start, end in sample]
    second = [d.record for d in parse_file(folder / "second_annotation.txt")]
    try:
        return agreement(first, second)
    except ValueError as err:
        raise AnnotationError([LocatedProblem(str(folder / "second_annotation.txt"), str(err))]) from None


def format_agreement(report: dict[str, Any], disagreements: bool = False) -> str:
    """The report as text: passages, F1 overall and per label, and the entity disagreements (each
    one with ``disagreements``, else their number)."""
    lines = [f"passages: {report['passages']}"]
    for kind in ("entities", "relations"):
        per_label = ", ".join(f"{k} {v:.3f}" for k, v in report[kind]["per_label"].items())
        lines.append(f"{kind}: F1 {report[kind]['f1']:.3f} ({per_label})")
    lines.append(f"entity disagreements: {len(report['entity_disagreements'])}")
    if disagreements:
        lines.extend(f"  {d['id']}\t{d['label']}\t{d['text']}\tonly in {d['only_in']}" for d in report["entity_disagreements"])
    return "\n".join(lines) + "\n"
