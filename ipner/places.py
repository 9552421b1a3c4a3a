"""A fact's place: the administrative division its subject names (SCHEMA.md, "Canonical fields").

:func:`resolve_place` reads a subject mention (a ``CITY``, ``REGION`` or ``ORG`` as written, in any
script or width) and returns the :class:`Place` it names, or ``None``. Every name, code, level and
province comes from ``ipner/resources/divisions.tsv``, generated from jionlp's administrative data by
``python -m ipner.resources.build_gazetteer``; this module holds rules, never codes.

The rules, in the order they apply:

- Full names win over short forms: 吉林市 is the city, 吉林 the province; 株洲, 東莞 and 滨江区 resolve
  through the short forms and the Simplified normalisation (:func:`ipner.text.normalize_text`).
- A name several places share (朝阳区, 鼓楼区, 南山) is decided by the document's other place mentions
  (``context``): the candidate the context names itself, else the one whose parent city it names, else
  the one whose province it names. A short form that is still shared names its highest-ranking
  division when that one is a province or a city and the only one of its rank (长沙 → 长沙市, not
  长沙县; 朝阳 → 朝阳市); otherwise the place keeps the full name if all candidates share it (else the
  name as written), the level and province they share (else ``other`` and ``None``), and code ``None``.
- Names written one after the other resolve to the last, which must lie inside the one before
  (湖南株洲 → 株洲市, 北京朝阳 → 北京市朝阳区, 株洲市天元区 → 天元区).
- Municipalities (北京, 上海, 天津, 重庆) and the SARs are provincial-level divisions: level
  ``province``, province ``None``, although the corpus tags them ``CITY``.
- Zones (高新区, 经开区, 新区, 片区, 科技城 …): the division table's zone, with its statistical code,
  when it has it (郑州高新区 → 郑州高新技术产业开发区); else level ``zone``, code ``None``, the name as
  written and the province of the place named at its start or, failing that, of a province or city
  named inside it (株洲高新区 and 自贸区长沙片区 → 湖南省; 东湖高新区 → ``None``).
- Countries (中国, 日本; 全国 and 我国 read as 中国) have level ``country``; groups (长株潭, 长三角,
  中部六省, or a ``REGION`` ending in 城市群, 经济带, 地区 …) and places abroad (东京) level ``other``;
  all of them code ``None``.
- ``ORG``: only public bodies hold a place: a name that ends in a government, court, procuratorate,
  customs or centre word (局, 委, 厅, 办, 政府, 法院, 中院, 检察院, 海关, 中心 …) and contains no
  company, bank, university, institute, association or media word (公司, 集团, 银行, 大学, 学院,
  研究院, 协会, 日报 …) resolves to the division (or zone) its name starts with (株洲市中级人民法院 →
  株洲市, 中国(西安)知识产权保护中心 → 西安市, 株洲高新区管委会 → the zone). Companies
  (株洲硬质合金集团), universities and the like give ``None`` even when their name holds a place, and so
  does a body without a place (市知识产权局, 国家知识产权局). A county's or district's short form
  starts a body's name only before a court or procuratorate (海淀法院).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Callable, Iterable, NamedTuple

from ipner.resources import RESOURCES
from ipner.schema import PLACE_LEVELS, SUBJECT_LABELS
from ipner.text.normalize import normalize_text

__all__ = ["PLACE_LEVELS", "Place", "Division", "load_divisions", "resolve_place"]

# A short form shared by divisions of different ranks names the highest when it is a province or city.
_RANK = {"country": 0, "province": 1, "city": 2, "county": 3, "district": 3, "zone": 4, "other": 5}
_PRECEDENCE_MAX_RANK = 2
# Words after a place that still mean that place (株洲市区, 长沙地区).
_SAME_PLACE_TAILS = ("市区", "城区", "全市", "全省", "全区", "全县", "全境", "境内", "地区", "本级")
# A zone's last words; the long forms of 高新区 and 经开区 are read as those (济南高新技术产业开发区 = 济南高新区).
_ZONE_HEADS = ("高新区", "经开区", "开发区", "新区", "片区", "园区", "产业园", "工业园", "示范区", "试验区", "实验区",
               "先行区", "合作区", "科技城", "科学城", "保税区", "综保区", "自贸区", "自由贸易港", "自由贸易区", "新城",
               "港区", "管理区")
_ZONE_SYNONYMS = (("高新技术产业开发区", "高新区"), ("高新技术产业园区", "高新区"), ("高新技术开发区", "高新区"),
                  ("高新技术园区", "高新区"), ("国家高新区", "高新区"), ("经济技术开发区", "经开区"), ("经济开发区", "经开区"))
# A REGION whose name ends so is a group of places.
_GROUP_TAILS = ("地区", "城市群", "都市圈", "经济圈", "经济带", "经济区", "走廊", "通道", "湾区", "流域", "三角洲", "平原",
                "省区", "省份", "三省", "四省", "五省", "六省", "七省", "八省", "九省", "沿海", "老工业基地")
# An ORG holds a place only when its name ends in one of these (a public body) ...
_PUBLIC_BODY_HEADS = ("法院", "中院", "法庭", "检察院", "海关", "政府", "局", "厅", "委员会", "委", "管委会", "办公室", "办",
                      "中心", "署", "工作站", "服务站")
# ... and contains none of these (companies, banks, schools, institutes, associations, media).
_NOT_PUBLIC_BODY = ("公司", "集团", "股份", "有限", "银行", "分行", "支行", "大学", "学院", "学校", "中学", "小学", "医院",
                    "研究院", "研究所", "科学院", "实验室", "日报", "晚报", "报社", "电视台", "广播", "出版社", "协会", "学会",
                    "商会", "联合会", "促进会", "研究会", "联盟", "基金会", "事务所", "工作室", "合作社", "厂")
# A county's or district's short form may start an ORG's name only before these (海淀法院).
_COURT_WORDS = ("法院", "人民法院", "中院", "检察院", "人民检察院")
_CHINA_WRAPPER = re.compile(r"^中国\((.+?)\)(.*)$")  # 中国(西安)知识产权保护中心
_STRIP = " \t\r\n\"'“”‘’《》〈〉「」『』【】"


@dataclass(frozen=True)
class Place:
    """The place a figure belongs to: full Simplified name, six-digit GB/T 2260 code (``None`` outside
    China, for groups and for names several divisions share), level (one of :data:`PLACE_LEVELS`) and
    the province's full name (``None`` for provinces, countries and groups)."""

    name: str
    code: str | None
    level: str
    province: str | None

    def to_dict(self) -> dict:
        """SCHEMA.md's JSON: ``{"name", "code", "level", "province"}``."""
        return {"name": self.name, "code": self.code, "level": self.level, "province": self.province}


class Division(NamedTuple):
    """One row of ``divisions.tsv``: code, full name, level, province and parent city (``None`` where
    empty) and the short forms."""

    code: str | None
    name: str
    level: str
    province: str | None
    city: str | None
    short_forms: tuple[str, ...]

    def place(self) -> Place:
        """The :class:`Place` this division is."""
        return Place(self.name, self.code, self.level, self.province)


@lru_cache(maxsize=1)
def load_divisions() -> tuple[Division, ...]:
    """Every row of ``ipner/resources/divisions.tsv``, in file order."""
    with open(RESOURCES / "divisions.tsv", encoding="utf-8", newline="") as f:
        rows = csv.reader((line for line in f if not line.startswith("#")), delimiter="\t", quoting=csv.QUOTE_NONE)
        return tuple(
            Division(code or None, name, level, province or None, city or None, tuple(filter(None, forms.split("|"))))
            for code, name, level, province, city, forms in rows
        )


class _Index(NamedTuple):
    full: dict[str, tuple[Division, ...]]  # full name → divisions
    short: dict[str, tuple[Division, ...]]  # short form → divisions
    zones: dict[str, tuple[Division, ...]]  # zone name or form, with 高新区/经开区 synonyms folded
    longest: int


def _zone_key(text: str) -> str:
    for long, short in _ZONE_SYNONYMS:
        if text.endswith(long):
            return text[: -len(long)] + short
    return text


@lru_cache(maxsize=1)
def _index() -> _Index:
    full: dict[str, list[Division]] = {}
    short: dict[str, list[Division]] = {}
    zones: dict[str, list[Division]] = {}
    for division in load_divisions():
        full.setdefault(division.name, []).append(division)
        for form in division.short_forms:
            short.setdefault(form, []).append(division)
        if division.level == "zone":
            for form in (division.name, *division.short_forms):
                bucket = zones.setdefault(_zone_key(form), [])
                if division not in bucket:
                    bucket.append(division)
    longest = max(len(form) for table in (full, short) for form in table)
    freeze = lambda table: {key: tuple(value) for key, value in table.items()}  # noqa: E731
    return _Index(freeze(full), freeze(short), freeze(zones), longest)


class _Segment(NamedTuple):
    end: int
    candidates: tuple[Division, ...]
    short: bool  # matched by a short form


def _weak(division: Division) -> bool:
    """A county's or district's short form: too ambiguous to start a longer name on its own."""
    return division.level in ("county", "district") and not division.name.endswith("市")


def _inside(division: Division, outer: tuple[Division, ...]) -> bool:
    names = {o.name for o in outer}
    return division.name not in names and (division.city in names or division.province in names)


def _segments(text: str, weak_ok: Callable[[int], bool]) -> list[_Segment]:
    """The places written one after the other at the start of ``text``, longest form first; each after
    the first lies inside the one before. ``weak_ok(end)`` says whether a first place may be a county's
    or district's short form ending at ``end``."""
    index = _index()
    segments: list[_Segment] = []
    pos = 0
    while pos < len(text):
        found = None
        for end in range(min(len(text), pos + index.longest), pos + 1, -1):
            form = text[pos:end]
            full, short = index.full.get(form, ()), index.short.get(form, ())
            if not full and not short:
                continue
            if segments:
                outer = segments[-1].candidates
                full = tuple(d for d in full if _inside(d, outer))
                short = tuple(d for d in short if _inside(d, outer))
            elif not weak_ok(end):
                short = tuple(d for d in short if not _weak(d))
            if full or short:
                found = _Segment(end, full, False) if full else _Segment(end, short, True)
                break
        if found is None:
            break
        segments.append(found)
        pos = found.end
    return segments


def _decide(candidates: tuple[Division, ...], short: bool, written: str, named: Callable[[], frozenset[str]]) -> Place:
    """One place from the divisions a name may mean (see the module's rules)."""
    if len(candidates) > 1:
        names = named()

        def score(d: Division) -> int:
            if d.code in names:
                return 3
            return 2 if d.city in names else 1 if d.province in names else 0

        best = max(score(d) for d in candidates)
        if best:
            candidates = tuple(d for d in candidates if score(d) == best)
    if len(candidates) > 1 and short:
        top = min(_RANK[d.level] for d in candidates)
        highest = tuple(d for d in candidates if _RANK[d.level] == top)
        if top <= _PRECEDENCE_MAX_RANK and len(highest) == 1:
            candidates = highest
    if len(candidates) == 1:
        return candidates[0].place()
    full_names = {d.name for d in candidates}
    levels = {d.level for d in candidates}
    provinces = {d.province for d in candidates}
    return Place(
        full_names.pop() if len(full_names) == 1 else written,
        None,
        levels.pop() if len(levels) == 1 else "other",
        provinces.pop() if len(provinces) == 1 else None,
    )


def _province_of(place: Place) -> str | None:
    return place.name if place.level == "province" else place.province


def _zone(text: str, named: Callable[[], frozenset[str]]) -> Place | None:
    """A development zone (高新区, 新区 …): the table's, else one without a code in the province named
    at the start of its name or, failing that, the province or city named inside it."""
    key = _zone_key(text)
    if key in _index().zones:
        return _decide(_index().zones[key], True, text, named)
    if not key.endswith(_ZONE_HEADS) or key in _ZONE_HEADS:
        return None
    wrapped = _CHINA_WRAPPER.match(text)
    inner = wrapped[1] + wrapped[2] if wrapped else text
    segments = _segments(inner, lambda end: False)
    province = None
    if segments:
        province = _province_of(_decide(segments[-1].candidates, segments[-1].short, inner, named))
    else:
        for start in range(1, len(inner) - 1):
            segments = _segments(inner[start:], lambda end: False)
            candidates = tuple(d for d in segments[0].candidates if d.level in ("province", "city")) if segments else ()
            if candidates:
                province = _province_of(_decide(candidates, segments[0].short, inner, named))
                break
    return Place(text, None, "zone", province)


def _place_name(text: str, label: str, named: Callable[[], frozenset[str]]) -> Place | None:
    """A CITY or REGION mention (normalised)."""
    index = _index()
    if text in index.full:
        return _decide(index.full[text], False, text, named)
    if text in index.short:
        return _decide(index.short[text], True, text, named)
    segments = _segments(text, lambda end: end == len(text))
    if segments and segments[-1].end == len(text):
        return _decide(segments[-1].candidates, segments[-1].short, text, named)
    for tail in _SAME_PLACE_TAILS:
        if text.endswith(tail) and len(text) > len(tail):
            place = _place_name(text[: -len(tail)], "CITY", named)
            if place is not None and place.level != "zone":
                return place
    zone = _zone(text, named)
    if zone is not None:
        return zone
    if label == "REGION" and text.endswith(_GROUP_TAILS):
        return Place(text, None, "other", None)
    return None


def _organisation(text: str, named: Callable[[], frozenset[str]]) -> Place | None:
    """The place a public body's name starts with (see the module's rules)."""
    wrapped = _CHINA_WRAPPER.match(text)
    if wrapped:
        text = wrapped[1] + wrapped[2]
    if any(word in text for word in _NOT_PUBLIC_BODY) or not text.endswith(_PUBLIC_BODY_HEADS):
        return None
    segments = _segments(text, lambda end: text.startswith(_COURT_WORDS, end))
    if not segments:
        return None
    end = segments[-1].end
    rest = text[end:]
    if rest.startswith(("路", "街")):  # 中山路街道办事处
        return None
    heads = [rest.find(head) + len(head) for head in _ZONE_HEADS if 0 <= rest.find(head) <= 8]
    for stop in sorted(heads, reverse=True):
        zone = _zone(text[: end + stop], named)
        if zone is not None:
            return zone
    return _decide(segments[-1].candidates, segments[-1].short, text[:end], named)


def _mention(text: str, label: str, named: Callable[[], frozenset[str]]) -> Place | None:
    """Resolve ``text`` as :func:`normalize_text` reads it (Simplified, half-width), without spaces and
    surrounding quotes. Where OpenCC reads a Simplified name otherwise (乾安县 → 干安县), the table
    stores that reading as a short form."""
    reading = normalize_text("".join(text.split())).strip(_STRIP)
    if not reading:
        return None
    return _organisation(reading, named) if label == "ORG" else _place_name(reading, label, named)


@lru_cache(maxsize=4096)
def _named(context: frozenset[str]) -> frozenset[str]:
    """The places the context names: each mention's code (where it has one), parent city and province."""
    names: set[str] = set()
    nothing: Callable[[], frozenset[str]] = frozenset
    for mention in context:
        place = _mention(mention, "CITY", nothing) or _mention(mention, "ORG", nothing)
        if place is None:
            continue
        if place.code:
            names.update((place.code, place.name))
            city = next((d.city for d in _index().full.get(place.name, ()) if d.code == place.code), None)
            if city:
                names.add(city)
        if place.province:
            names.add(place.province)
    return frozenset(names)


@lru_cache(maxsize=65536)
def _resolve(text: str, label: str, context: frozenset[str]) -> Place | None:
    return _mention(text, label, lambda: _named(context))  # the context is read only for shared names


def resolve_place(text: str, label: str, context: Iterable[str] = ()) -> Place | None:
    """The place a subject mention names, or ``None``.

    ``text`` is the mention as written (Simplified or Traditional, any width); ``label`` its entity
    label (``CITY``, ``REGION`` or ``ORG``); ``context`` the other place mentions of the same document
    (CITY, REGION and ORG texts), which decide names several divisions share. Results are cached.

    >>> place = resolve_place("株洲", "CITY")
    >>> place.name, place.level, place.province
    ('株洲市', 'city', '湖南省')
    """
    if label not in SUBJECT_LABELS:
        raise ValueError(f"label must be one of {', '.join(SUBJECT_LABELS)}, not {label!r}")
    return _resolve(text, label, frozenset(context))
