"""Typed facts: frozen dataclasses for a fact and each of its slots.

``doc._.facts`` returns :class:`Fact` objects; the Doc stores them as plain JSON dicts (SCHEMA.md's
shape), so documents still cross process boundaries (``n_process``) and ``Fact.from_dict`` /
``Fact.to_dict`` round-trip exactly.
"""
from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from ipner.places import Place

__all__ = ["SubjectSlot", "MetricSlot", "QuantitySlot", "TimeSlot", "Place", "Fact", "FACT_ROW_COLUMNS", "format_value"]

#: The columns of :meth:`Fact.to_row` (CSV and table output), in order.
FACT_ROW_COLUMNS: tuple[str, ...] = (
    "id", "subject", "subject_label", "place", "place_code", "metric", "metric_id", "quantity", "value", "unit",
    "approx", "kind", "time", "year", "period", "start", "end", "score", "sentence",
)


def format_value(value: Any) -> str:
    """A fact's value for display: integral numbers without a decimal part, others in full (no exponent)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


@dataclass(frozen=True)
class _Span:
    text: str
    start: int
    end: int

    def _span_dict(self) -> dict[str, Any]:
        return {"text": self.text, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class SubjectSlot(_Span):
    """The place or organisation a figure is measured for; ``carried`` when taken from the previous fact."""

    label: str = "CITY"
    carried: bool = False

    def to_dict(self) -> dict[str, Any]:
        """The slot in SCHEMA.md's JSON shape."""
        out = {"text": self.text, "label": self.label, "start": self.start, "end": self.end}
        if self.carried:
            out["carried"] = True
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "SubjectSlot":
        """Read the slot from SCHEMA.md's JSON shape."""
        return cls(data["text"], int(data["start"]), int(data["end"]), data["label"], bool(data.get("carried", False)))


@dataclass(frozen=True)
class MetricSlot(_Span):
    """The METRIC mention a figure is a value of, with the catalogue metric it names (``id`` and
    canonical ``name``; both None when the mention names none)."""

    id: str | None = None
    name: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The slot in SCHEMA.md's JSON shape."""
        return {**self._span_dict(), "id": self.id, "name": self.name}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "MetricSlot":
        """Read the slot from SCHEMA.md's JSON shape."""
        return cls(data["text"], int(data["start"]), int(data["end"]), data.get("id"), data.get("name"))


@dataclass(frozen=True)
class QuantitySlot(_Span):
    """The QUANTITY mention with its normalised value (SCHEMA.md: value, unit, approx, kind)."""

    value: float | None = None
    unit: str | None = None
    approx: str | None = None
    kind: str = "value"

    def to_dict(self) -> dict[str, Any]:
        """The slot in SCHEMA.md's JSON shape."""
        return {**self._span_dict(), "value": self.value, "unit": self.unit, "approx": self.approx, "kind": self.kind}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "QuantitySlot":
        """Read the slot from SCHEMA.md's JSON shape."""
        return cls(
            data["text"], int(data["start"]), int(data["end"]), data.get("value"), data.get("unit"),
            data.get("approx"), data.get("kind", "value"),
        )


@dataclass(frozen=True)
class TimeSlot(_Span):
    """The DATE a figure holds at or for, with its year and sortable period (None when unresolved)."""

    year: int | None = None
    carried: bool = False
    period: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """The slot in SCHEMA.md's JSON shape."""
        out = {**self._span_dict(), "year": self.year, "period": self.period}
        if self.carried:
            out["carried"] = True
        return out

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "TimeSlot":
        """Read the slot from SCHEMA.md's JSON shape."""
        return cls(
            data["text"], int(data["start"]), int(data["end"]), data.get("year"), bool(data.get("carried", False)),
            data.get("period"),
        )


@dataclass(frozen=True)
class Fact:
    """One structured fact: a QUANTITY with its metric and (optional) subject and time."""

    metric: MetricSlot
    quantity: QuantitySlot
    subject: SubjectSlot | None = None
    time: TimeSlot | None = None
    sentence: str = ""
    score: float | None = None
    place: Place | None = None

    def to_dict(self) -> dict[str, Any]:
        """The fact in SCHEMA.md's JSON shape."""
        return {
            "subject": self.subject.to_dict() if self.subject else None,
            "place": self.place.to_dict() if self.place else None,
            "metric": self.metric.to_dict(),
            "quantity": self.quantity.to_dict(),
            "time": self.time.to_dict() if self.time else None,
            "sentence": self.sentence,
            "score": self.score,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Fact":
        """Read a fact in SCHEMA.md's JSON shape (as written by ``predict``)."""
        return cls(
            metric=MetricSlot.from_dict(data["metric"]),
            quantity=QuantitySlot.from_dict(data["quantity"]),
            subject=SubjectSlot.from_dict(data["subject"]) if data.get("subject") else None,
            time=TimeSlot.from_dict(data["time"]) if data.get("time") else None,
            sentence=data.get("sentence", ""),
            score=data.get("score"),
            place=Place(**data["place"]) if data.get("place") else None,
        )

    def to_row(self, doc_id: str = "") -> dict[str, Any]:
        """One flat row for tables and CSV (columns :data:`FACT_ROW_COLUMNS`)."""
        subject, time, quantity = self.subject, self.time, self.quantity
        return {
            "id": doc_id,
            "subject": subject.text if subject else "",
            "subject_label": subject.label if subject else "",
            "place": self.place.name if self.place else "",
            "place_code": (self.place.code or "") if self.place else "",
            "metric": self.metric.text,
            "metric_id": self.metric.id or "",
            "quantity": quantity.text,
            "value": format_value(quantity.value),
            "unit": quantity.unit or "",
            "approx": quantity.approx or "",
            "kind": quantity.kind,
            "time": time.text if time else "",
            "year": "" if time is None or time.year is None else time.year,
            "period": (time.period or "") if time else "",
            "start": quantity.start,
            "end": quantity.end,
            "score": "" if self.score is None else self.score,
            "sentence": self.sentence.replace("\n", " "),
        }

    def shifted(self, offset: int) -> "Fact":
        """The same fact with every slot's offsets moved by ``offset`` (a piece's place in its document)."""
        if not offset:
            return self

        def move(slot):
            return None if slot is None else replace(slot, start=slot.start + offset, end=slot.end + offset)

        return replace(self, metric=move(self.metric), quantity=move(self.quantity), subject=move(self.subject), time=move(self.time))
