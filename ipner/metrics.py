"""Canonical metrics: the catalogue shipped in ``ipner/resources/metric_catalogue.tsv`` and the linker
that maps a METRIC mention, as written, to one of its entries (SCHEMA.md, "Canonical fields").

The catalogue is a data file reviewed by a person: one canonical metric per line (stable snake_case
id, canonical Chinese name, English name, category, usual unit) with the mention forms that name it.
:func:`link_metric` normalises a mention and looks it up among the equally normalised variants; it
never guesses. The normalisation, the only thing it does beyond exact lookup, is:

1. Traditional → Simplified script and full-width → half-width (:func:`ipner.text.normalize.normalize_text`);
   ASCII letters upper-cased (``pct`` → ``PCT``);
2. white space, quotes (“” ‘’ " ' 「」 『』) and title marks (《》 〈〉) removed;
3. a leading edition ``第二十四届`` / ``第24届`` / ``首届`` removed (an award's edition is its time,
   not another metric: 第二十四届中国专利奖 is 中国专利奖);
4. the per-10k-people prefix unified: 每万人口, 每万人 and a bare 万人 → 每万人;
5. the measure-word ending unified: 拥有数量 / 拥有数 / 拥有量 → 拥有量, and otherwise an ending 数量 /
   数 / 量 removed (有效注册商标量 = 有效注册商标数 = 有效注册商标; 发明专利授权量 = 发明专利授权). 拥有量 stays:
   发明专利拥有量 (held, in force) is not bare 发明专利 (stage unknown).

A mention whose normalised form is no variant of any entry gets ``None``.
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ipner.resources import RESOURCES
from ipner.text.normalize import normalize_text

__all__ = [
    "CATALOGUE_PATH",
    "CATEGORIES",
    "CanonicalMetric",
    "MetricCatalogue",
    "CatalogueError",
    "load_catalogue",
    "normalize_metric",
    "link_metric",
]

#: The catalogue file shipped with ipner.
CATALOGUE_PATH: Path = RESOURCES / "metric_catalogue.tsv"

#: The categories a catalogue entry may have.
CATEGORIES: frozenset[str] = frozenset({
    "patent", "trademark", "geographical_indication", "copyright", "finance", "insurance",
    "enforcement", "litigation", "technology_market", "innovation", "enterprise", "service",
    "award", "other",
})

_COLUMNS = ("id", "name_zh", "name_en", "category", "unit", "variants")
_ID = re.compile(r"[a-z][a-z0-9]*(?:_[a-z0-9]+)*")
_DROP = re.compile(r"[\s“”‘’\"'「」『』《》〈〉]+")
_EDITION = re.compile(r"^(?:第[0-9〇零一二三四五六七八九十百]+届|首届)")
# 万人 not preceded by a numeral or 每 (十万人, 百万人口 stay as they are)
_PER_10K = re.compile(r"每万人口|每万人|(?<![0-9〇零一二三四五六七八九十百千万亿每])万人口?")
_ENDING_OWNED = re.compile(r"拥有(?:数量|数|量)$")
_ENDING = re.compile(r"(?:数量|数|量)$")


class CatalogueError(ValueError):
    """The catalogue file is malformed; the message names the file and line."""


@dataclass(frozen=True)
class CanonicalMetric:
    """One entry of the catalogue: what a metric mention names, independent of how it is written."""

    id: str
    name_zh: str
    name_en: str
    category: str
    unit: str


@dataclass(frozen=True)
class MetricCatalogue:
    """The loaded catalogue: its metrics in file order, the normalised variant → metric index, and
    each id's variants as written in the file (its canonical name first)."""

    metrics: tuple[CanonicalMetric, ...]
    index: dict[str, CanonicalMetric]
    variants: dict[str, tuple[str, ...]]

    def __len__(self) -> int:
        return len(self.metrics)

    def get(self, metric_id: str) -> CanonicalMetric | None:
        """The metric with this id, or None."""
        return next((metric for metric in self.metrics if metric.id == metric_id), None)


def normalize_metric(mention: str) -> str:
    """The lookup key of a metric mention or variant (the normalisation in the module docstring)."""
    text = normalize_text(mention)
    text = "".join(c.upper() if c.isascii() else c for c in text)
    text = _DROP.sub("", text)
    text = _EDITION.sub("", text)
    text = _PER_10K.sub("每万人", text)
    if _ENDING_OWNED.search(text):
        text = _ENDING_OWNED.sub("拥有量", text)
    else:
        text = _ENDING.sub("", text)
    return text


def _rows(path: Path):
    with open(path, encoding="utf-8", newline="") as f:
        header_seen = False
        for number, line in enumerate(f, start=1):
            stripped = line.rstrip("\r\n")
            if not stripped.strip() or stripped.lstrip().startswith("#"):
                continue
            row = next(csv.reader([stripped], delimiter="\t", quoting=csv.QUOTE_NONE))
            if not header_seen:
                header_seen = True
                if tuple(cell.strip() for cell in row) != _COLUMNS:
                    raise CatalogueError(f"{path}:{number}: header must be {'<TAB>'.join(_COLUMNS)}, got {stripped!r}")
                continue
            yield number, [cell.strip() for cell in row]


def _read(path: Path) -> MetricCatalogue:
    metrics: list[CanonicalMetric] = []
    index: dict[str, CanonicalMetric] = {}
    claimed: dict[str, tuple[str, int, str]] = {}
    lines: dict[str, int] = {}
    variants: dict[str, tuple[str, ...]] = {}
    for number, row in _rows(path):
        where = f"{path}:{number}"
        if len(row) == len(_COLUMNS) - 1:  # no variants beyond the canonical name
            row.append("")
        if len(row) != len(_COLUMNS):
            raise CatalogueError(f"{where}: expected {len(_COLUMNS)} tab-separated columns, got {len(row)}")
        metric_id, name_zh, name_en, category, unit, variant_cell = row
        if not _ID.fullmatch(metric_id):
            raise CatalogueError(f"{where}: id {metric_id!r} is not snake_case")
        if metric_id in lines:
            raise CatalogueError(f"{where}: id {metric_id!r} already defined on line {lines[metric_id]}")
        if category not in CATEGORIES:
            raise CatalogueError(f"{where}: category {category!r} is not one of {sorted(CATEGORIES)}")
        for column, value in (("name_zh", name_zh), ("name_en", name_en), ("unit", unit)):
            if not value:
                raise CatalogueError(f"{where}: {column} is empty")
        metric = CanonicalMetric(metric_id, name_zh, name_en, category, unit)
        lines[metric_id] = number
        metrics.append(metric)
        forms = [name_zh] + [v.strip() for v in variant_cell.split("|")] if variant_cell else [name_zh]
        if any(not form for form in forms):
            raise CatalogueError(f"{where}: empty variant in {variant_cell!r}")
        variants[metric_id] = tuple(dict.fromkeys(forms))
        for form in forms:
            key = normalize_metric(form)
            if not key:
                raise CatalogueError(f"{where}: variant {form!r} is empty once normalised")
            owner = claimed.get(key)
            if owner is not None and owner[0] != metric_id:
                raise CatalogueError(
                    f"{where}: variant {form!r} of {metric_id!r} (normalised {key!r}) is already claimed by "
                    f"{owner[0]!r} on line {owner[1]} (as {owner[2]!r})"
                )
            claimed[key] = (metric_id, number, form)
            index[key] = metric
    if not metrics:
        raise CatalogueError(f"{path}: no metrics")
    return MetricCatalogue(tuple(metrics), index, variants)


@lru_cache(maxsize=4)
def load_catalogue(path: str | Path | None = None) -> MetricCatalogue:
    """Read and validate the catalogue (the shipped one unless ``path`` is given), once per path.

    Raises :class:`CatalogueError`, naming the file and line, on a wrong header or column count, an id
    that is not snake_case or is defined twice, an unknown category, an empty name or unit, or a
    variant that two ids claim once normalised.
    """
    return _read(Path(path) if path is not None else CATALOGUE_PATH)


@lru_cache(maxsize=65536)  # called for every fact: mentions repeat, and normalising them runs OpenCC
def link_metric(mention: str) -> CanonicalMetric | None:
    """The canonical metric a METRIC mention names, or None when it names none of the catalogue's.

    Exact lookup of :func:`normalize_metric` (mention) among the normalised variants; nothing fuzzy.
    """
    if not mention or not mention.strip():
        return None
    return load_catalogue().index.get(normalize_metric(mention))
