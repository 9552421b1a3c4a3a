"""One table of facts over many documents: ``python -m ipner table`` and ``ipner.facts_table``.

Every fact of every document (SCHEMA.md's fact) is a *source*. Sources with the same key

    (place code, else place name, else the normalised subject text;
     metric id, else the normalised metric text; period; kind)

make one row (:data:`TABLE_COLUMNS`): the value, unit and approx, how many documents state it
(``n_documents``) and, one entry per source, the documents' ids, the sentences and the quantity's
offsets. Facts without a metric are no facts; a fact with neither place nor subject still makes a
row (``place`` and ``subject`` empty). "Normalised" is Traditional → Simplified, full-width →
half-width, without white space. Until a fact carries the canonical fields (``place``,
``metric.id``/``metric.name``, ``time.period``), the subject text, the metric text and the year
stand in for them.

**Agreement within rounding.** A number is as precise as it is written: its last written decimal
(15.3万 → 1000, 292.0亿 → 10 000 000, 72.42 → 0.01); for a whole number its last non-zero digit,
but never coarser than its second digit (9700 → 100, 153000 → 1000, 3000 → 100, 10 → 1, 8万 → 10 000).
Two values agree when the less precise one equals the other rounded (half up) to the less precise
one's precision: 15.3万 (153000) and 153012 agree, 8萬 and 8.0692萬 agree, 15.3万 and 154000 do not.
A less precise value marked ``over`` (超, 余, 多, 以上) also agrees with values up to one unit of its
last digit above it (9700余 and 9780), one marked ``under`` (近, 不到) with values up to one unit
below it. Two values with different units never agree (a missing unit agrees with any).

When some two values of a row do not agree, ``conflict`` is true and ``values`` lists every
distinct value (nothing is dropped); ``value`` is then the value stated by the most documents
(ties: the more precise, then the first). Without a conflict ``value`` is the most precise value
stated and ``values`` is empty. Facts whose value could not be read (``value`` null) are listed as
sources but take no part in the agreement.

**Inputs.** Text files, directories (``*.txt`` and ``*.jsonl`` below them), glob patterns (also
quoted ones, expanded here), ``-`` for standard input, JSON lines of ``{"id", "text", "date"?}``
(``--input-format jsonl``), the Parquet facts of ``python -m ipner batch`` (its output directory,
a ``.parquet`` file or a folder of ``part-*.parquet``; read without running the model), and saved
``predict`` output: a file whose first record is an object
with ``"facts"`` and ``"entities"`` (JSON lines, or the JSON array of ``--format json``) is read
as predictions, without running the model.
"""
from __future__ import annotations

import json
import math
import re
from collections import Counter, deque
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, TextIO

from ipner.errors import UsageError
from ipner.jsonlines import json_line
from ipner.pipeline.batch import InputDocument
from ipner.schema import KIND_VALUES
from ipner.text.normalize import normalize_text
from ipner.types import format_value

__all__ = [
    "TABLE_COLUMNS", "LIST_COLUMNS", "TABLE_FORMATS", "PredictionRecord", "Reading",
    "facts_table", "iter_fact_sources", "read_table_inputs", "group_facts", "rows_to_frame",
    "fact_key", "fact_period", "value_precision", "values_agree", "period_sort_key", "period_label", "row_label",
    "select_metric", "pivot_table", "write_table", "frame_records", "format_for_path", "require_openpyxl",
]

#: The columns of the table, in order (one row per place or organisation, metric, period and kind).
TABLE_COLUMNS: tuple[str, ...] = (
    "place", "place_code", "place_level", "province", "subject", "metric_id", "metric", "period", "kind",
    "value", "unit", "approx", "n_documents", "documents", "sentences", "offsets", "conflict", "values",
)
#: Columns that hold one entry per source (``values``: per distinct value); lists in JSON lines and
#: Parquet, ``"; "``-joined in CSV and xlsx (offsets as ``start-end``).
LIST_COLUMNS: tuple[str, ...] = ("documents", "sentences", "offsets", "values")
#: Output formats of :func:`write_table`.
TABLE_FORMATS: tuple[str, ...] = ("csv", "jsonl", "parquet", "xlsx")
#: Formats that cannot go to standard output.
_BINARY_FORMATS = ("parquet", "xlsx")
#: The label of a row with neither place nor subject (a national figure, or none stated).
NO_PLACE_LABEL = "未注明"
#: The pivot's column for facts without a period.
NO_PERIOD_COLUMN = "unknown"

_JOIN = "; "


# ---------------------------------------------------------------- keys, precision, agreement


def _normalised(text: str | None) -> str:
    return "".join(normalize_text(text).split()) if text else ""


def fact_period(fact: dict[str, Any]) -> str | None:
    """The fact's ``time.period``; for facts written before periods existed, the year as a string."""
    time = fact.get("time") or None
    if not time:
        return None
    if "period" in time:
        return time["period"] or None
    return None if time.get("year") is None else str(time["year"])


def fact_key(fact: dict[str, Any]) -> tuple[str, str, str, str] | None:
    """The row a fact belongs to: ``(place, metric, period, kind)`` as non-null strings, or None
    for a fact without a metric. See the module's docstring."""
    metric = fact.get("metric") or None
    if not metric or not (metric.get("id") or metric.get("text")):
        return None
    place = fact.get("place") or None
    if place and (place.get("code") or place.get("name")):
        place_key = place.get("code") or _normalised(place.get("name"))
    else:
        place_key = _normalised((fact.get("subject") or {}).get("text"))
    metric_key = metric.get("id") or _normalised(metric.get("text"))
    kind = (fact.get("quantity") or {}).get("kind") or "value"
    return place_key, metric_key, fact_period(fact) or "", kind


_LITERAL = re.compile(r"\d+(?:\.\d+)?")
_POWERS_OF_TEN = {Decimal(10) ** k for k in range(0, 19)}


def _digits_precision(literal: str) -> Decimal:
    """The precision of a number written as ``literal`` (digits, maybe one point): see the module."""
    if "." in literal:
        return Decimal(1).scaleb(-len(literal.split(".", 1)[1]))
    digits = literal.lstrip("0")
    if not digits:
        return Decimal(1)
    trailing = len(digits) - len(digits.rstrip("0"))
    return Decimal(1).scaleb(min(trailing, max(len(digits) - 2, 0)))


def value_precision(text: str | None, value: float) -> Decimal:
    """How precise ``value`` is as written in the quantity ``text`` (7.61萬件 → 100, 292.0亿元 →
    10 000 000, 9700余件 → 100); from the value's own digits where the text holds no Arabic number
    that the value is a power of ten times (一万二千件, 三分之二)."""
    amount = abs(Decimal(repr(float(value))))
    match = _LITERAL.search(normalize_text(text)) if text else None
    if match and Decimal(match.group()):
        try:
            ratio = amount / Decimal(match.group())
        except InvalidOperation:  # pragma: no cover - a non-zero literal cannot fail
            ratio = Decimal(0)
        if ratio in _POWERS_OF_TEN:
            return _digits_precision(match.group()) * ratio
    exponent = amount.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < 0:
        return Decimal(1).scaleb(exponent)
    return _digits_precision(str(int(amount)))


@dataclass(frozen=True)
class Reading:
    """One stated value of a row: the number, its unit and approx, and how precise it was written."""

    value: float
    unit: str | None
    approx: str | None
    precision: Decimal

    @classmethod
    def of(cls, quantity: dict[str, Any]) -> "Reading | None":
        """The reading of a fact's ``quantity`` slot, or None when its value could not be read."""
        value = quantity.get("value")
        if value is None or (isinstance(value, float) and not math.isfinite(value)):
            return None
        return cls(float(value), quantity.get("unit"), quantity.get("approx"), value_precision(quantity.get("text"), value))


def _rounded(value: Decimal, precision: Decimal) -> Decimal:
    return (value / precision).quantize(Decimal(1), rounding=ROUND_HALF_UP)


def values_agree(a: Reading, b: Reading) -> bool:
    """Whether two readings state the same figure within rounding (the rule of the module's docstring)."""
    if a.unit and b.unit and a.unit != b.unit:
        return False
    coarse, fine = (a, b) if a.precision >= b.precision else (b, a)
    step = coarse.precision
    c, f = Decimal(repr(coarse.value)), Decimal(repr(fine.value))
    if _rounded(c, step) == _rounded(f, step):
        return True
    if coarse.approx == "over":
        return c <= f < c + step
    if coarse.approx == "under":
        return c - step < f <= c
    return False


# ---------------------------------------------------------------- periods


_PERIOD_PART = re.compile(r"(\d{4})(?:-(?:H([12])|Q([1-4])|(\d{2})(?:-(\d{2}))?))?")
_HALVES = {1: (1, 6), 2: (7, 12)}


def _part_bounds(part: str) -> tuple[tuple[int, int, int], tuple[int, int, int]] | None:
    match = _PERIOD_PART.fullmatch(part.strip())
    if not match:
        return None
    year, half, quarter, month, day = match.groups()
    y = int(year)
    if half:
        first, last = _HALVES[int(half)]
    elif quarter:
        first, last = 3 * int(quarter) - 2, 3 * int(quarter)
    elif month:
        first = last = int(month)
    else:
        first, last = 1, 12
    if day:
        return (y, first, int(day)), (y, last, int(day))
    return (y, first, 1), (y, last, 31)


def period_sort_key(period: str | None) -> tuple:
    """Sorts periods chronologically by their end, then their start (so 2016/2020 before 2020,
    2023-H1 before 2023-Q3 before 2023); null and unreadable periods last."""
    if not period:
        return (2, (), (), "")
    first, _, last = period.partition("/")
    start, end = _part_bounds(first), _part_bounds(last or first)
    if start is None or end is None:
        return (1, (), (), period)
    return (0, end[1], start[0], period)


_QUARTERS = "一二三四"


def period_label(period: str | None) -> str:
    """A period in Chinese words for charts: 2023 → 2023年, 2023-H1 → 2023年上半年, 2023-Q3 →
    2023年第三季度, 2023-06 → 2023年6月, 2016/2020 → 2016年—2020年."""
    if not period:
        return "时期未注明"
    if "/" in period:
        return "—".join(period_label(part) for part in period.split("/", 1))
    match = _PERIOD_PART.fullmatch(period)
    if not match:
        return period
    year, half, quarter, month, day = match.groups()
    if half:
        return f"{year}年{'上' if half == '1' else '下'}半年"
    if quarter:
        return f"{year}年第{_QUARTERS[int(quarter) - 1]}季度"
    if month:
        return f"{year}年{int(month)}月" + (f"{int(day)}日" if day else "")
    return f"{year}年"


# ---------------------------------------------------------------- grouping


@dataclass
class _Group:
    key: tuple[str, str, str, str]
    first: dict[str, Any]
    documents: list[str] = field(default_factory=list)
    sentences: list[str] = field(default_factory=list)
    offsets: list[list[int]] = field(default_factory=list)
    readings: list[tuple[Reading, str]] = field(default_factory=list)


def _as_fact_dict(fact: Any) -> dict[str, Any]:
    return fact.to_dict() if hasattr(fact, "to_dict") else fact


def group_facts(sources: Iterable[tuple[str, Any]]) -> list[dict[str, Any]]:
    """Rows of :data:`TABLE_COLUMNS` from ``(document id, fact)`` pairs (facts as SCHEMA.md dicts or
    :class:`ipner.Fact`), sorted by metric, place, period and kind."""
    groups: dict[tuple[str, str, str, str], _Group] = {}
    for document, fact in sources:
        fact = _as_fact_dict(fact)
        key = fact_key(fact)
        if key is None:
            continue
        group = groups.get(key)
        if group is None:
            group = groups[key] = _Group(key, fact)
        quantity = fact.get("quantity") or {}
        group.documents.append(str(document))
        group.sentences.append(" ".join(str(fact.get("sentence") or "").split()))
        group.offsets.append([quantity.get("start"), quantity.get("end")])
        reading = Reading.of(quantity)
        if reading is not None:
            group.readings.append((reading, str(document)))
    kinds = {kind: index for index, kind in enumerate(KIND_VALUES)}
    ordered = sorted(
        groups.values(),
        key=lambda g: (g.key[1], g.key[0], period_sort_key(g.key[2] or None), kinds.get(g.key[3], len(kinds)), g.key[3]),
    )
    return [_row(group) for group in ordered]


def _row(group: _Group) -> dict[str, Any]:
    fact = group.first
    place = fact.get("place") or None
    metric = fact.get("metric") or {}
    subject = fact.get("subject") or None
    value, unit, approx, conflict, values = _decide(group.readings)
    has_place = bool(place and (place.get("code") or place.get("name")))
    return {
        "place": place.get("name") if has_place else None,
        "place_code": place.get("code") if has_place else None,
        "place_level": place.get("level") if has_place else None,
        "province": place.get("province") if has_place else None,
        "subject": None if has_place or not subject else subject.get("text"),
        "metric_id": metric.get("id") or None,
        "metric": (metric.get("name") if metric.get("id") else None) or _normalised(metric.get("text")) or metric.get("id"),
        "period": group.key[2] or None,
        "kind": group.key[3],
        "value": value,
        "unit": unit,
        "approx": approx,
        "n_documents": len(set(group.documents)),
        "documents": group.documents,
        "sentences": group.sentences,
        "offsets": group.offsets,
        "conflict": conflict,
        "values": values,
    }


def _decide(readings: list[tuple[Reading, str]]) -> tuple[float | None, str | None, str | None, bool, list[float]]:
    """value, unit, approx, conflict and the distinct values of a row's readings."""
    if not readings:
        return None, None, None, False, []
    distinct = list(dict.fromkeys(reading for reading, _ in readings))
    conflict = any(not values_agree(a, b) for i, a in enumerate(distinct) for b in distinct[i + 1 :])
    documents: dict[Reading, set[str]] = {}
    for reading, document in readings:
        documents.setdefault(reading, set()).add(document)
    order = {reading: index for index, reading in enumerate(distinct)}
    if conflict:
        chosen = min(distinct, key=lambda r: (-len(documents[r]), r.precision, order[r]))
    else:
        chosen = min(distinct, key=lambda r: (r.precision, -len(documents[r]), order[r]))
    unit = chosen.unit or next((r.unit for r in distinct if r.unit), None)
    values = sorted(set(r.value for r in distinct)) if conflict else []
    return chosen.value, unit, chosen.approx, conflict, values


def rows_to_frame(rows: list[dict[str, Any]]):
    """A ``pandas.DataFrame`` of rows with exactly :data:`TABLE_COLUMNS` (also when empty)."""
    import pandas as pd

    frame = pd.DataFrame(rows, columns=list(TABLE_COLUMNS))
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype("float64")
    frame["n_documents"] = frame["n_documents"].astype("int64")
    frame["conflict"] = frame["conflict"].astype(bool)
    return frame


# ---------------------------------------------------------------- inputs


@dataclass(frozen=True)
class PredictionRecord:
    """The facts of one document read from saved ``predict`` output (no model runs for it)."""

    id: str
    facts: list[dict[str, Any]]


def _is_prediction(record: Any) -> bool:
    return isinstance(record, dict) and isinstance(record.get("facts"), list) and "entities" in record


def _first_line_is_prediction(text: str) -> bool:
    first = text.lstrip("\ufeff \t\r\n").split("\n", 1)[0]
    if not first.startswith("{"):
        return False
    try:
        return _is_prediction(json.loads(first))
    except json.JSONDecodeError:
        return False


def _file_is_prediction(path: str, max_bytes: int) -> bool:
    try:
        with open(path, "rb") as handle:
            first = handle.readline(max_bytes)
    except OSError:
        return False  # iter_documents reports it
    try:
        return _first_line_is_prediction(first.decode("utf-8-sig"))
    except UnicodeDecodeError:
        return False


def _prediction_records(document: InputDocument, on_error: Callable[[str], None]) -> list[PredictionRecord] | None:
    """The records of a document that is saved ``predict`` output, or None when it is not."""
    text = document.text.lstrip("\ufeff \t\r\n")
    if text.startswith("["):
        try:
            data = json.loads(text)
        except json.JSONDecodeError:
            return None
        if isinstance(data, list) and data and all(_is_prediction(r) for r in data):
            return [PredictionRecord(str(r.get("id", f"{document.id}:{i}")), r["facts"]) for i, r in enumerate(data, 1)]
        return None
    if not _first_line_is_prediction(text):
        return None
    records = []
    for lineno, line in enumerate(document.text.splitlines(), 1):
        if not line.strip():
            continue
        where = f"{document.id}:{lineno}"
        try:
            record = json.loads(line.lstrip("\ufeff"))
        except json.JSONDecodeError as err:
            on_error(f"{where}: not valid JSON ({err.msg})")
            continue
        if not _is_prediction(record):
            on_error(f'{where}: expected a predict record with "entities" and "facts"')
            continue
        records.append(PredictionRecord(str(record.get("id", where)), [f for f in record["facts"] if isinstance(f, dict)]))
    return records


def read_table_inputs(
    inputs: Iterable[str],
    on_error: Callable[[str], None],
    input_format: str = "text",
    globs: Iterable[str] | None = None,
    date: str | None = None,
    max_bytes: int | None = None,
) -> Iterator[InputDocument | PredictionRecord]:
    """The documents (to run the model on) and saved predictions of ``inputs``: files, directories,
    glob patterns, ``-``; read lazily with :func:`ipner.inputs.iter_documents`, failures reported to
    ``on_error``. Saved ``predict`` output is detected by its first record, in either input format."""
    from ipner.inputs import DEFAULT_GLOBS, STDIN, expand_globs
    from ipner.text.decode import DEFAULT_MAX_BYTES

    max_bytes = max_bytes or DEFAULT_MAX_BYTES
    for given in expand_globs(inputs, on_error):
        if given != STDIN and _parquet_facts_parts(given):
            yield from batch_fact_records(given, on_error)
            continue
        yield from _read_one_input(given, on_error, input_format, tuple(globs or DEFAULT_GLOBS), date, max_bytes)


def _read_one_input(
    given: str, on_error: Callable[[str], None], input_format: str, globs: tuple[str, ...], date: str | None, max_bytes: int
) -> Iterator[InputDocument | PredictionRecord]:
    from ipner.inputs import STDIN, expand_inputs, iter_documents

    for name, fmt in expand_inputs([given], on_error, input_format, globs):
        if fmt == "jsonl" and name != STDIN and _file_is_prediction(name, max_bytes):
            fmt = "text"  # read whole, then split into records below
        for document in iter_documents([(name, fmt)], on_error, input_format, date, max_bytes):
            records = _prediction_records(document, on_error) if fmt == "text" else None
            if records is None:
                yield document
            else:
                yield from records


# Saved output of ``python -m ipner batch`` (ipner.batch_jobs): Parquet facts with a JSON "fact" column.


def _parquet_facts_parts(name: str) -> list[Path]:
    """The Parquet files of ``name`` when it is batch output: a ``.parquet`` file, a folder of
    ``part-*.parquet`` or a batch output directory (its ``facts/``); else empty."""
    path = Path(name)
    if path.is_file():
        return [path] if path.suffix.lower() in (".parquet", ".pq") else []
    if path.is_dir():
        folder = path / "facts" if (path / "facts").is_dir() else path
        return sorted(folder.glob("part-*.parquet"))
    return []


def batch_fact_records(name: str, on_error: Callable[[str], None]) -> Iterator[PredictionRecord]:
    """The facts of ``python -m ipner batch``'s Parquet output (a file, or a directory of parts),
    one record per fact, read without running the model."""
    import pyarrow.parquet as pq

    from ipner.batch_jobs import FACT_JSON_COLUMN

    for part in _parquet_facts_parts(name):
        try:
            table = pq.read_table(part, columns=["id", FACT_JSON_COLUMN])
        except (OSError, ValueError, KeyError, TypeError) as err:  # pyarrow's IO, Invalid, KeyError and TypeError kinds
            on_error(f"{part}: not the Parquet facts output of python -m ipner batch ({err})")
            continue
        for doc_id, fact in zip(table.column("id").to_pylist(), table.column(FACT_JSON_COLUMN).to_pylist()):
            yield PredictionRecord(str(doc_id), [json.loads(fact)])


def _as_item(item: Any, index: int, reference: str | None) -> InputDocument | PredictionRecord:
    from ipner.api import as_input_document

    if isinstance(item, PredictionRecord):
        return item
    if isinstance(item, dict) and isinstance(item.get("facts"), list):  # a predict record: its facts as they are
        return PredictionRecord(str(item.get("id", index)), [_as_fact_dict(f) for f in item["facts"]])
    if hasattr(item, "facts") and hasattr(item, "id"):  # ipner.DocumentResult
        return PredictionRecord(str(item.id), [_as_fact_dict(f) for f in item.facts])
    try:
        return as_input_document(item, index, reference)
    except TypeError:
        raise TypeError(
            f"document {index}: expected a text, (id, text), {{'id', 'text', 'date'}}, a predict record or a DocumentResult, "
            f"got {type(item).__name__}"
        ) from None


def iter_fact_sources(items: Iterable[Any], model: Any = None, date: str | None = None) -> Iterator[tuple[str, dict[str, Any]]]:
    """``(document id, fact dict)`` for every fact of ``items``: documents (texts, ``(id, text)``,
    ``{"id", "text", "date"?}``, :class:`InputDocument`) are run through ``model`` (a loaded pipeline
    or a name for :func:`ipner.load`, loaded only when some document needs it); predict records,
    :class:`PredictionRecord` and :class:`ipner.DocumentResult` give their facts as they are."""
    from itertools import chain

    from ipner.normalizers.date import parse_reference_date

    reference = parse_reference_date(date) if date else None
    ready: deque[PredictionRecord] = deque()

    def documents() -> Iterator[InputDocument]:
        for index, item in enumerate(items):
            converted = _as_item(item, index, reference)
            if isinstance(converted, PredictionRecord):
                ready.append(converted)
            else:
                yield converted

    def drain() -> Iterator[tuple[str, dict[str, Any]]]:
        while ready:
            record = ready.popleft()
            for fact in record.facts:
                yield record.id, fact

    stream = documents()
    first = next(stream, None)
    yield from drain()
    if first is None:
        return
    from ipner.api import extract
    from ipner.pipeline.load import load

    nlp = model if hasattr(model, "pipe_names") else load(model)
    for result in extract(chain([first], stream), nlp):
        yield from drain()
        for fact in result.facts:
            yield result.id, fact.to_dict()
    yield from drain()


def facts_table(docs_or_texts: Iterable[Any], model: Any = None, date: str | None = None):
    """The table of facts of ``docs_or_texts`` as a ``pandas.DataFrame`` with :data:`TABLE_COLUMNS`
    (one row per place or organisation, metric, period and kind; see the module's docstring).

    Items are texts (ids ``"0"``, ``"1"`` …), ``(id, text)`` pairs, dicts ``{"id", "text", "date"?}``,
    saved ``predict`` records (dicts with ``"facts"``) or :class:`ipner.DocumentResult` objects;
    ``model`` (a loaded pipeline or a name, default the shipped one) runs only on the texts, with
    ``date`` as the reference date for relative dates."""
    return rows_to_frame(group_facts(iter_fact_sources(docs_or_texts, model=model, date=date)))


# ---------------------------------------------------------------- selections and pivots


def row_label(row: Any) -> str:
    """What a row is about, for pivots and charts: the place, else the subject, else 未注明."""
    for column in ("place", "subject"):
        value = row[column] if column in row else None
        if isinstance(value, str) and value:
            return value
    return NO_PLACE_LABEL


def select_metric(frame, metric: str, kind: str | None = None):
    """The rows of ``frame`` for one metric (its id, canonical name or mention text; Traditional and
    full-width forms too) and, if given, one ``kind``; :class:`UsageError` naming the metrics present
    when there are none."""
    wanted = _normalised(metric)
    ids = frame["metric_id"].fillna("")
    names = frame["metric"].fillna("").map(_normalised)
    selected = frame[(ids == metric) | (names == wanted)]
    if selected.empty:
        common = Counter(i or n for i, n in zip(ids, frame["metric"].fillna(""))).most_common(12)
        shown = ", ".join(name for name, _ in common) or "none"
        raise UsageError(f"no facts for the metric {metric!r}; the most frequent metrics: {shown}")
    if kind is not None:
        of_kind = selected[selected["kind"] == kind]
        if of_kind.empty:
            kinds = ", ".join(sorted(set(selected["kind"])))
            raise UsageError(f"no facts of kind {kind!r} for the metric {metric!r} (kinds present: {kinds}; see --kind)")
        selected = of_kind
    return selected


def _unique_labels(rows) -> list[str]:
    labels = [row_label(row) for _, row in rows.iterrows()]
    codes = [row["place_code"] or row["province"] or "" for _, row in rows.iterrows()]
    seen: dict[str, set[str]] = {}
    for label, code in zip(labels, codes):
        seen.setdefault(label, set()).add(code)
    return [f"{label} ({code})" if len(seen[label]) > 1 and code else label for label, code in zip(labels, codes)]


def pivot_table(frame, metric: str, kind: str = "value"):
    """One metric as places × periods: a row per place (or organisation), a column per period in
    chronological order (``unknown`` for facts without one), the row's ``value`` in each cell."""
    import pandas as pd

    selected = select_metric(frame, metric, kind).copy()
    selected["label"] = _unique_labels(selected)
    selected["column"] = selected["period"].fillna(NO_PERIOD_COLUMN)
    periods = sorted(set(selected["period"].dropna()), key=period_sort_key)
    columns = periods + ([NO_PERIOD_COLUMN] if selected["period"].isna().any() else [])
    table = selected.pivot_table(index="label", columns="column", values="value", aggfunc="first", dropna=False)
    table = table.reindex(columns=columns).reindex(sorted(table.index))
    table.index.name = "place"
    table.columns = [str(c) for c in table.columns]
    return pd.DataFrame(table).reset_index()


# ---------------------------------------------------------------- writers


def format_for_path(path: str | None, default: str = "csv") -> str:
    """The output format a file name implies (``.csv``, ``.jsonl``, ``.parquet``/``.pq``, ``.xlsx``), else ``default``."""
    suffix = Path(path).suffix.lower() if path and path != "-" else ""
    return {".csv": "csv", ".jsonl": "jsonl", ".parquet": "parquet", ".pq": "parquet", ".xlsx": "xlsx"}.get(suffix, default)


def require_openpyxl() -> None:
    """Raise :class:`UsageError` with the install command when openpyxl (``--format xlsx``) is missing."""
    try:
        import openpyxl  # noqa: F401
    except ImportError:
        raise UsageError("--format xlsx needs openpyxl: pip install 'ipner[xlsx]'") from None


def _cell(value: Any) -> Any:
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def _joined(column: str, value: Any) -> str:
    if not isinstance(value, (list, tuple)) and not hasattr(value, "tolist"):
        return "" if value is None else str(value)
    items = list(value)
    if column == "offsets":
        return _JOIN.join(f"{start}-{end}" for start, end in items)
    if column == "values":
        return _JOIN.join(format_value(float(v)) for v in items)
    return _JOIN.join(str(v) for v in items)


def _flat(frame):
    """The frame for CSV and xlsx: lists joined, numbers without exponent or needless decimals."""
    flat = frame.copy()
    for column in flat.columns:
        if column in LIST_COLUMNS:
            flat[column] = [_joined(column, v) for v in flat[column]]
        elif flat[column].dtype.kind == "f":
            flat[column] = [format_value(_cell(v)) for v in flat[column]]
    return flat


def frame_records(frame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as plain JSON values, as ``--format jsonl`` writes them (NaN as null,
    numpy scalars as Python numbers, list columns as lists)."""
    return [
        {k: [_cell(x) for x in v] if isinstance(v, list) else _cell(v) for k, v in record.items()}
        for record in frame.to_dict("records")
    ]


def _write_jsonl(frame, out: TextIO) -> None:
    for record in frame_records(frame):
        out.write(json_line(record) + "\n")


def write_table(frame, output: str | None, fmt: str = "csv", excel: bool = False) -> None:
    """Write ``frame`` (the table, or a pivot) to ``output`` (None or ``-``: standard output) as
    ``csv``, ``jsonl``, ``parquet`` or ``xlsx``; files are replaced only when complete. ``excel``
    starts CSV with a byte-order mark. Parquet and xlsx need a file name."""
    from ipner.files import atomic_output, open_output

    if fmt not in TABLE_FORMATS:
        raise UsageError(f"unknown table format {fmt!r}; choose one of {', '.join(TABLE_FORMATS)}")
    to_stdout = output in (None, "-")
    if fmt in _BINARY_FORMATS and to_stdout:
        raise UsageError(f"--format {fmt} writes a binary file: give its name with -o")
    if fmt == "parquet":
        with atomic_output(output, "wb") as handle:
            frame.to_parquet(handle, index=False, engine="pyarrow")
    elif fmt == "xlsx":
        require_openpyxl()
        with atomic_output(output, "wb") as handle:
            _flat(frame).to_excel(handle, index=False, sheet_name="facts", engine="openpyxl")
    else:
        with open_output(output, encoding="utf-8-sig" if excel else "utf-8") as out:
            if fmt == "csv":
                _flat(frame).to_csv(out, index=False, lineterminator="\n")
            else:
                _write_jsonl(frame, out)

