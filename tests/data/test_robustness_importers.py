"""The importers and ``python -m ipner import`` on hostile input (issue 12, "Also required").

Random bytes, random text (lone surrogates where they can be encoded, control characters, RTL
marks, emoji, long lines), random JSON lines and random or damaged annotation records are written
to files and read in every format. The contract:

- ``load_annotations`` returns records or raises :class:`AnnotationError`, never anything else;
- ``python -m ipner import`` exits 0 (with the library's notes about tasks nobody reviewed, if any),
  or 1 with located ``ipner: error:`` lines, never a traceback;
- a file is all or nothing: one bad line or task fails the whole file ("nothing written: fix the
  errors"), every problem points at the bad line, and without it every record comes back intact.
"""
from __future__ import annotations

import contextlib
import io
import json
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ipner.cli import main
from ipner.data.importers import detect_format, load_annotations
from ipner.errors import AnnotationError, LocatedProblem
from ipner.schema import ENTITY_LABELS, RELATION_SIGNATURES

FORMATS = ("ipner", "doccano", "labelstudio", "prodigy")
SUFFIX = {"ipner": ".jsonl", "doccano": ".jsonl", "labelstudio": ".json", "prodigy": ".jsonl", "authoring": ".txt"}
CHECK = settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# --- running a file through the library and the command line ---------------------------------


@contextlib.contextmanager
def written(data: bytes, fmt: str):
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"input{SUFFIX[fmt]}"
        path.write_bytes(data)
        yield path


def load(path: Path, fmt: str) -> list | AnnotationError:
    """The records, or the AnnotationError (any other exception fails the test)."""
    try:
        records = load_annotations(path, fmt)
    except AnnotationError as err:
        assert err.problems, "an AnnotationError names at least one problem"
        assert all(str(p).strip() for p in err.problems)
        first = err.problems[0]
        assert str(first).startswith(str(path)), f"the first problem is located: {first}"
        return err
    assert isinstance(records, list) and all(isinstance(r, dict) for r in records)
    return records


def run_cli(path: Path, fmt: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(["import", "--format", fmt, str(path)])
    return code, out.getvalue(), err.getvalue()


def check(data: bytes, fmt: str) -> list | AnnotationError:
    """Library and command line agree: records and exit 0, or located errors and exit 1."""
    with written(data, fmt) as path:
        result = load(path, fmt)
        code, out, err = run_cli(path, fmt)
        assert "Traceback" not in err
        if isinstance(result, AnnotationError):
            assert code == 1 and out == ""
            lines = err.splitlines()
            assert lines[0].startswith(f"ipner: error: {path}"), lines[0]
            assert lines[-1] == "ipner: nothing written: fix the errors above"
        else:
            notes = []  # tasks nobody reviewed are left out with a note, on stderr and in the library alike
            load_annotations(path, fmt, notes=notes)
            assert code == 0 and err == "".join(f"ipner: note: {note}\n" for note in notes)
            assert [json.loads(line) for line in out.split("\n") if line] == result
        return result


# --- strategies ---------------------------------------------------------------------------------

ODD = ["\u200f", "\u202e", "\u2066", "\ufeff", "\u2028", "\u2029", "\x85", "\x00", "\x1b", "\r", "\t", "😀", "👩‍👩‍👧", "𠀀", "\ud800", "\udfff"]
long_lines = st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=4), st.integers(1000, 20000))
unicode_texts = st.lists(st.one_of(st.text(), st.sampled_from(ODD), long_lines, st.just("\n")), max_size=12).map("".join)

KEYS = ["text", "id", "entities", "relations", "label", "labels", "meta", "start", "end", "start_offset", "end_offset",
        "from_id", "to_id", "type", "head", "child", "head_span", "child_span", "spans", "answer", "data",
        "annotations", "result", "value", "was_cancelled", "direction", "doc_id", "split"]
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**70), 2**70), st.floats(allow_nan=False), st.text(max_size=20),
    st.sampled_from(["accept", "reject", "labels", "relation", "left", "CITY", "QUANTITY", "metric", "杭州"]),
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.sampled_from(KEYS) | st.text(max_size=5), inner, max_size=5),
    max_leaves=20,
)


def dumps(value, ascii_only: bool) -> str:
    return json.dumps(value, ensure_ascii=ascii_only)


@st.composite
def gold_records(draw, n: int | None = None):
    """A valid gold record: entities that do not overlap, with labels and relations of SCHEMA.md."""
    plain = st.characters(codec="utf-8", exclude_categories=("Cs",))
    solid = plain.filter(lambda c: not c.isspace())
    pieces, entities, pos = [], [], 0
    for _ in range(draw(st.integers(0, 5))):
        gap = draw(st.text(plain, max_size=4))
        span = draw(st.text(solid, min_size=1, max_size=4))
        pieces += [gap, span]
        pos += len(gap)
        entities.append({"start": pos, "end": pos + len(span), "label": draw(st.sampled_from(ENTITY_LABELS)), "text": span})
        pos += len(span)
    pieces.append(draw(st.text(plain, max_size=4)))
    relations = []
    for head, ent in enumerate(entities):
        if ent["label"] != "QUANTITY":
            continue
        for label, (_, child_labels) in RELATION_SIGNATURES.items():
            children = [i for i, e in enumerate(entities) if e["label"] in child_labels]
            if children and draw(st.booleans()):
                relations.append({"head": head, "child": draw(st.sampled_from(children)), "label": label})
    doc_id = draw(st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), min_size=1, max_size=6))
    return {"id": doc_id, "text": "".join(pieces), "entities": entities, "relations": relations, "meta": {"doc_id": doc_id}}


def export(record: dict, fmt: str, n: int) -> dict:
    """``record`` as one record (line or task) of ``fmt``."""
    ents, rels = record["entities"], record["relations"]
    if fmt == "ipner":
        return record
    if fmt == "doccano":
        return {"id": n, "text": record["text"],
                "entities": [{"id": 100 + i, "label": e["label"], "start_offset": e["start"], "end_offset": e["end"]} for i, e in enumerate(ents)],
                "relations": [{"id": i, "from_id": 100 + r["head"], "to_id": 100 + r["child"], "type": r["label"]} for i, r in enumerate(rels)]}
    if fmt == "prodigy":
        span = lambda e: {"start": e["start"], "end": e["end"], "label": e["label"]}  # noqa: E731
        return {"text": record["text"], "spans": [span(e) for e in ents], "answer": "accept", "meta": {"id": n},
                "relations": [{"head_span": span(ents[r["head"]]), "child_span": span(ents[r["child"]]), "label": r["label"]} for r in rels]}
    result = [{"id": f"r{i}", "type": "labels", "value": {"start": e["start"], "end": e["end"], "labels": [e["label"]]}} for i, e in enumerate(ents)]
    result += [{"type": "relation", "from_id": f"r{r['head']}", "to_id": f"r{r['child']}", "direction": "right", "labels": [r["label"]]} for r in rels]
    return {"id": n, "data": {"text": record["text"]}, "annotations": [{"id": 1, "result": result}]}


def file_of(items: list, fmt: str, ascii_only: bool = False) -> bytes:
    if fmt == "labelstudio":
        return dumps(items, ascii_only).encode("utf-8")
    return "".join(dumps(item, ascii_only) + "\n" for item in items).encode("utf-8")


def same_annotations(read: dict, record: dict) -> bool:
    strip = lambda r: (r["text"], [(e["start"], e["end"], e["label"], e["text"]) for e in r["entities"]],  # noqa: E731
                       sorted((x["head"], x["child"], x["label"]) for x in r["relations"]))
    return strip(read) == strip(record)


@st.composite
def damaged(draw, value):
    """``value`` with one place (at any depth) replaced by a random JSON value or removed."""
    if isinstance(value, (dict, list)) and value and draw(st.integers(0, 3)) > 0:
        keys = list(value) if isinstance(value, dict) else list(range(len(value)))
        key = draw(st.sampled_from(keys))
        copy = dict(value) if isinstance(value, dict) else list(value)
        if isinstance(copy, dict) and draw(st.integers(0, 5)) == 0:
            del copy[key]
        else:
            copy[key] = draw(damaged(value[key]))
        return copy
    return draw(json_values)


# --- the properties -----------------------------------------------------------------------------


@CHECK
@given(data=st.binary(max_size=3000), fmt=st.sampled_from(FORMATS + ("authoring",)))
def test_random_bytes(data, fmt):
    check(data, fmt)


@CHECK
@given(text=unicode_texts, fmt=st.sampled_from(FORMATS + ("authoring",)), bom=st.booleans())
def test_random_unicode(text, fmt, bom):
    data = text.encode("utf-8", errors="surrogatepass")
    check((b"\xef\xbb\xbf" if bom else b"") + data, fmt)


@CHECK
@given(values=st.lists(json_values, max_size=6), fmt=st.sampled_from(FORMATS), ascii_only=st.booleans(), as_list=st.booleans())
def test_random_json(values, fmt, ascii_only, as_list):
    if as_list:  # one JSON document (Label Studio's shape) in every format
        check(dumps(values, ascii_only).encode("utf-8"), fmt)
    else:
        check("".join(dumps(v, ascii_only) + "\n" for v in values).encode("utf-8"), fmt)


@CHECK
@given(st.data(), st.sampled_from(FORMATS), st.booleans())
def test_random_records_round_trip(data, fmt, ascii_only):
    records = data.draw(st.lists(gold_records(), min_size=1, max_size=4))
    result = check(file_of([export(r, fmt, n) for n, r in enumerate(records)], fmt, ascii_only), fmt)
    assert not isinstance(result, AnnotationError), result.problems
    assert len(result) == len(records)
    assert all(same_annotations(read, record) for read, record in zip(result, records))


@CHECK
@given(st.data(), st.sampled_from(FORMATS))
def test_damaged_records(data, fmt):
    records = data.draw(st.lists(gold_records(), min_size=1, max_size=3))
    items = [export(r, fmt, n) for n, r in enumerate(records)]
    which = data.draw(st.integers(0, len(items) - 1))
    items[which] = data.draw(damaged(items[which]))
    check(file_of(items, fmt), fmt)


BAD_LINES = st.sampled_from(["{oops", "[1, 2", "\"text\"", "42", "null", "{\"text\": 5}",
                             "{\"text\": \"杭州\", \"entities\": 7, \"spans\": 7, \"label\": 7, \"relations\": 7}"])


@CHECK
@given(st.data(), st.sampled_from(("ipner", "doccano", "prodigy")), BAD_LINES)
def test_one_bad_line_fails_the_file_and_only_it_is_named(data, fmt, bad):
    records = data.draw(st.lists(gold_records(), min_size=2, max_size=4))
    lines = [dumps(export(r, fmt, n), False) for n, r in enumerate(records)]
    at = data.draw(st.integers(1, len(lines)))  # after the first record: that one tells the format
    with written(("\n".join(lines[:at] + [bad] + lines[at:]) + "\n").encode("utf-8"), fmt) as path:
        err = load(path, fmt)
        assert isinstance(err, AnnotationError)
        assert all(isinstance(p, LocatedProblem) and p.where == f"{path}:{at + 1}" for p in err.problems), err.problems
        code, out, stderr = run_cli(path, fmt)
        assert code == 1 and out == "" and f"{path}:{at + 1}" in stderr
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        kept = load(path, fmt)
        assert not isinstance(kept, AnnotationError) and len(kept) == len(records)


@CHECK
@given(st.data())
def test_one_bad_label_studio_task_fails_the_file_and_only_it_is_named(data):
    records = data.draw(st.lists(gold_records(), min_size=2, max_size=4))
    tasks = [export(r, "labelstudio", n) for n, r in enumerate(records)]
    at = data.draw(st.integers(1, len(tasks)))
    bad = data.draw(st.sampled_from([5, "task", {"data": 3}, {"data": {"text": None}, "annotations": []},
                                     {"data": {"text": "杭州"}, "annotations": [{"result": 4}]}]))
    with written(file_of(tasks[:at] + [bad] + tasks[at:], "labelstudio"), "labelstudio") as path:
        err = load(path, "labelstudio")
        assert isinstance(err, AnnotationError)
        assert all(f": task {at} (" in str(p) for p in err.problems), err.problems


@CHECK
@given(st.lists(gold_records(), min_size=1, max_size=3), st.sampled_from(FORMATS), st.sampled_from(FORMATS))
def test_a_file_read_as_another_format_is_named_once(records, fmt, asked):
    items = [export(r, fmt, n) for n, r in enumerate(records)]
    with written(file_of(items, fmt), fmt) as path:
        detected = detect_format(path)
        assert detected in (fmt, None)
        result = load(path, asked)
        if detected is not None and asked != detected:
            assert isinstance(result, AnnotationError) and len(result.problems) == 1
            assert f"use --format {fmt}" in str(result.problems[0])
