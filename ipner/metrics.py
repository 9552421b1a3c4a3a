"""Canonical metrics: the catalogue shipped in ``ipner/resources/metric_catalogue.tsv`` and the linker
that maps a METRIC mention, as written, to one of its entries (SCHEMA.md, "Canonical fields").

The catalogue is a data file reviewed by a person: one canonical metric per line (stable snake_case
id, canonical Chinese name, English name, category, usual unit) with the mention forms that name it.
:func:`link_metric` normalises a mention and looks it up among the equally normalised variants; it
never guesses. The normalisation, the only thing it does beyond exact lookup, is:

1. Traditional → Simplified script and full-width → half-width (:func:`ipner.text.normalize.normalize_text`);
   ASCII letters upper-cased (``pct`` → ``PCT``);
2. white space, quotes (“” ‘’ " ' 「」 『』) and title marks (《》 〈〉) removed;
3. a leading edition ``第二十四届`` / ``第24届`` / ``首届`` or batch ``第五批`` / ``首批`` removed (an award's
   edition and a list's batch are its time, not another metric: 第二十四届中国专利奖 is 中国专利奖,
   第五批国家知识产权优势企业 is 国家知识产权优势企业); a demonstration or advantage designation named after
   the province or city that grants it takes that level (安徽省知识产权示范企业 → 省级知识产权示范企业,
   宁波市专利示范企业 → 市级专利示范企业: the place is the figure's subject, the level is what it counts);
4. the per-10k-people prefix unified: 每万人口, 每万人 and a bare 万人 → 每万人;
5. the measure-word ending unified: 拥有数量 / 拥有数 / 拥有量 → 拥有量, and otherwise an ending 数量 /
   数 / 量 removed (有效注册商标量 = 有效注册商标数 = 有效注册商标; 发明专利授权量 = 发明专利授权). 拥有量 stays:
   发明专利拥有量 (held, in force) is not bare 发明专利 (stage unknown).

A mention whose normalised form is no variant of any entry gets ``None``.

:func:`link_metric_in_context` adds one thing for mentions that leave the stage open (bare 发明专利,
注册商标, 涉外案件): the stage the text states right next to them. A breakdown after 其中 takes the
stage of the metric it breaks down (专利授权量4,825件，其中发明专利732件 → 发明专利授权量), and a
stage verb just before the mention gives its stage (拥有植物新品种权19件 → 有效植物新品种权). The
composed form is looked up exactly like a mention; nothing is linked that the catalogue does not list.
:func:`link_metric_at` adds more, read in the mention's sentence, line or list (its docstring lists them):
an award grade written alone takes the award named before it (第二十五届中国专利奖…金奖 → 中国专利金奖); a list
member the words its list's members share (制修订国际标准148项、国家标准 → 制修订国家标准; 发明、实用新型专利
授权量 → 发明专利授权量) or the stage verb before them (拥有…、注册商标42件); a bare count in an organisation's
entry of a list block is what it holds (某某有限公司：注册商标64件 → 有效注册商标).
"""
from __future__ import annotations

import csv
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from ipner.normalizers.numbers import APPROX_BEFORE, APPROX_INFIX, MULTIPLIER_RE, NUMBER_RE, alternation
from ipner.resources import RESOURCES
from ipner.schema import SENTENCE_BOUNDARY_RE, SENTENCE_END_CHARS
from ipner.text.cues import LIST_ITEM_MARKER
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
    "link_metric_in_context",
    "breakdown_parent",
    "link_metric_at",
    "link_award_grade",
    "STAGE_CONTEXT_CHARS",
    "AWARD_CONTEXT_CHARS",
    "MODIFIER_CONTEXT_CHARS",
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
_EDITION = re.compile(r"^(?:第[0-9〇零一二三四五六七八九十百]+[届批]|首届|首批)")
# A designation named after the province or city that grants it (安徽省知识产权示范企业, 宁波市专利示范企业): its level.
_LEVEL_NAMED = re.compile(r"^[\u4e00-\u9fff]{2,6}?(省|自治区|市)(?=(?:知识产权|专利)(?:示范|优势)(?:企业|单位))")
# 万人 not preceded by a numeral or 每 (十万人, 百万人口 stay as they are)
_PER_10K = re.compile(r"每万人口|每万人|(?<![0-9〇零一二三四五六七八九十百千万亿每])万人口?")
_ENDING_OWNED = re.compile(r"拥有(?:数量|数|量)$")
_ENDING = re.compile(r"(?:数量|数|量)$")
#: How many characters before a mention may hold the stage verb that completes it (累计拥有, 获得授权的).
STAGE_CONTEXT_CHARS = 6
# Stage words (normalised script), in the order they are tried: the figure is held (有效, 拥有), granted,
# filed, registered, or a court's or bureau's stage of a case.
_STAGES = ("有效", "拥有", "授权", "申请", "注册", "审结", "受理", "新收", "查处", "办结")
# A stage verb ending at most a few characters before the mention: 拥有, 累计拥有, 获得授权的, 审结.
_STAGE_BEFORE = re.compile(f"({'|'.join(_STAGES)})[了的]?(?:[\u4e00-\u9fff]{{0,1}})$")
# Characters between a breakdown and its parent metric: no sentence end (the same sentence).
_BREAKDOWN = re.compile(r"其中")
# The sentence ends and the line break that close the scope of a stage or a breakdown; the semicolon does
# not close it, as it joins the parallel clauses of one sentence (在新收的知识产权案件中，著作权纠纷案件…；
# 商标权纠纷案件…；知识产权刑事案件82件).
_SEMICOLONS = "；;"
_FULL_STOP = re.compile("[" + "".join(c for c in SENTENCE_END_CHARS if c not in _SEMICOLONS) + "\n]")
_SEMICOLON = re.compile(f"[{_SEMICOLONS}]")
# The measure words a count of counted things ends with (4项, 531件, 1,260家, 30余名).
_COUNT_WORDS = "家个项件名所批单座支条处部宗起款份户笔场"
# A count written right before the thing it counts: an approximation mark, the number with its multiplier,
# 余 or 多, a measure word (近50个, 1.2万家, 30余名); the number grammar is the quantity normaliser's.
_COUNT_BEFORE = re.compile(
    rf"{alternation(APPROX_BEFORE)}?{NUMBER_RE}{MULTIPLIER_RE}?{alternation(APPROX_INFIX)}?[{_COUNT_WORDS}]$"
)
#: How many characters before a mention a count standing between it and its verb may take.
COUNT_CONTEXT_CHARS = 12
#: How far back in its sentence an award grade written alone looks for the award it belongs to.
AWARD_CONTEXT_CHARS = 200
# The grades of an award, written alone after the award is named (第二十五届中国专利奖…获金奖1项、优秀奖9项).
_AWARD_GRADES = ("金奖", "银奖", "铜奖", "优秀奖", "特等奖", "特别奖", "一等奖", "二等奖", "三等奖")


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

    @property
    def generic(self) -> bool:
        """Whether the metric is generic: a measure whose object the mention leaves to its context
        (审结, 融资金额), marked "… from context)" at the end of its English name in the catalogue."""
        return self.name_en.endswith("from context)")


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


@lru_cache(maxsize=65536)  # the context rules of link_metric_at normalise each unlinked mention and its neighbours
def normalize_metric(mention: str) -> str:
    """The lookup key of a metric mention or variant (the normalisation in the module docstring)."""
    text = normalize_text(mention)
    text = "".join(c.upper() if c.isascii() else c for c in text)
    text = _DROP.sub("", text)
    text = _EDITION.sub("", text)
    text = _LEVEL_NAMED.sub(lambda m: m.group(1) + "级", text)
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


def _with_stage(mention: str, stage: str) -> CanonicalMetric | None:
    """The metric that ``mention`` names once ``stage`` is added to it, tried as prefix and suffix."""
    forms = [stage + mention, mention + stage]
    if stage in ("有效", "拥有"):
        forms += ["有效" + mention, mention + "拥有量"]
    for form in forms:
        linked = link_metric(form)
        if linked is not None:
            return linked
    return None


@lru_cache(maxsize=65536)
def link_metric_in_context(mention: str, before: str = "", parent: str | None = None) -> CanonicalMetric | None:
    """The canonical metric of a mention, using the stage its context states when it states none itself.

    ``before`` is the text just before the mention (the caller bounds it to the clause); ``parent`` is
    the metric the mention breaks down (see :func:`breakdown_parent`). Tried in order: the mention
    alone; with a ``parent``, the parent's stage (and nothing else: the breakdown of a held stock stays
    a stock even after 获授权的); else the stage of a verb ending ``before`` (拥有, 获得授权的, 审结).
    Each composed form is looked up with :func:`link_metric`, so the result is always a catalogue entry.
    """
    linked = link_metric(mention)
    if linked is not None or not mention.strip():
        return linked
    key = normalize_metric(mention)
    if parent:
        # A breakdown inherits its parent's stage only when the parent names a catalogue metric that
        # restricts no scope the breakdown leaves out, or nothing but a stage (授权量): a parent with its own
        # scope (羊绒领域专利授权量) is a subset, and so are its breakdowns (:func:`_scoped`).
        parent_key = normalize_metric(parent)
        parent_metric = link_metric(parent)
        parent_name = normalize_metric(parent_metric.name_zh) if parent_metric is not None else ""
        if (parent_metric is not None and not _scoped(parent_name, key)) or parent_key in _STAGES:
            # the stage the parent writes, else the one its catalogue name states (获证专利 → 专利授权量)
            stated = parent_key if any(s in parent_key for s in _STAGES) else parent_name
            for stage in sorted((s for s in _STAGES if s in stated), key=stated.index):
                linked = _with_stage(key, stage)
                if linked is not None:
                    return linked
        return None
    verb = _STAGE_BEFORE.search(normalize_text(before[-STAGE_CONTEXT_CHARS:]))
    if verb is not None:
        return _with_stage(key, verb.group(1))
    return None


def _scoped(parent_name: str, key: str) -> bool:
    """Whether a parent metric, by its normalised catalogue name, restricts its scope beyond what its
    breakdown ``key`` states: what is left of the name once its stage words are taken out is not part of
    the breakdown (羊绒领域专利 of 羊绒领域专利授权量 is not in 发明专利, so 其中发明专利58件 are the field's,
    not all 发明专利授权; 专利 of 专利授权量 is)."""
    rest = parent_name.removesuffix("拥有量")
    for stage in _STAGES:
        rest = rest.replace(stage, "")
    return bool(rest) and rest not in key


def breakdown_parent(text: str, metrics: list[tuple[int, int]], index: int) -> tuple[int, int] | None:
    """The metric span that ``metrics[index]`` breaks down, or None.

    ``metrics`` are the (start, end) spans of the METRIC mentions of ``text`` in order. The parent is the
    nearest earlier one in the same sentence (no sentence end or line break between them; a semicolon
    only where the clause after it opens with 其中) with 其中 between it and the mention
    (…专利授权量4,825件，其中发明专利732件; 新收知识产权案件3587件，同比增长9.2%；其中知识产权民事一审案件…).
    """
    start = metrics[index][0]
    for earlier in range(index - 1, -1, -1):
        between = text[metrics[earlier][1] : start]
        if _FULL_STOP.search(between) or any(not _BREAKDOWN.match(clause.strip()) for clause in _SEMICOLON.split(between)[1:]):
            return None
        if _BREAKDOWN.search(between):
            return metrics[earlier]
    return None


@lru_cache(maxsize=1)
def _award_names() -> re.Pattern[str]:
    """Every normalised name and variant of the catalogue's awards, longest first, as one pattern."""
    catalogue = load_catalogue()
    keys = {
        normalize_metric(variant)
        for metric in catalogue.metrics
        if metric.category == "award"
        for variant in catalogue.variants[metric.id]
    }
    return re.compile("|".join(re.escape(key) for key in sorted(keys, key=len, reverse=True) if key))


def link_award_grade(mention: str, sentence_before: str) -> CanonicalMetric | None:
    """The catalogue metric of an award grade written alone (金奖, 银奖, 优秀奖, 一等奖 …), or None.

    The grade belongs to the award named last before it in the same sentence (``sentence_before``):
    第二十五届中国专利奖…获金奖1项 → 中国专利金奖; 中国专利金奖2项、银奖1项 → 中国专利银奖; 第十届安徽省专利奖…
    一等奖 → 安徽省专利奖一等奖. Only awards the catalogue lists are recognised, and only composed forms it
    lists are returned; a grade whose award is not named in its sentence stays unlinked.
    """
    grade = normalize_metric(mention)
    if grade not in _AWARD_GRADES:
        return None
    named = _award_names().findall(_DROP.sub("", normalize_text(sentence_before)))
    if not named:
        return None
    award = named[-1]
    for other in _AWARD_GRADES:  # the award's scheme: 中国专利金奖 → 中国专利, 安徽省专利奖一等奖 → 安徽省专利奖
        if award.endswith(other) and len(award) > len(other):
            award = award[: -len(other)]
            break
    for form in (award + grade, award.removesuffix("奖") + grade):
        linked = link_metric(form)
        if linked is not None:
            return linked
    return None


def link_metric_at(text: str, metrics: list[tuple[int, int]], index: int, context_start: int = 0) -> CanonicalMetric | None:
    """The canonical metric of the METRIC mention ``metrics[index]`` of ``text``, read in its context.

    ``metrics`` are the (start, end) spans of the document's METRIC mentions in order; the stage verb
    is looked for in the :data:`STAGE_CONTEXT_CHARS` characters before the mention, but not before
    ``context_start`` (the end of the previous entity). See :func:`link_metric_in_context`. When that
    links nothing, or only a generic metric (:attr:`CanonicalMetric.generic`: 融资规模 after 发行知识产权证券化
    产品3单 is that issue's size, not any financing), the rules below are tried in order; each composes a form
    from words the text states and looks it up exactly, so nothing the catalogue does not list is ever
    returned. A generic metric gives way only to a specific one they compose:

    - a mention written right after its count reads the context before the count (审结531件知识产权案件 →
      审结知识产权案件; :func:`_link_across_count`);
    - an award grade written alone takes the award named before it in its sentence
      (:func:`link_award_grade`);
    - a breakdown takes the leading words of the metric it breaks down (主持和参与制修订各类标准72项，其中
      国际标准2项 → 主持和参与制修订国际标准);
    - a list member takes the leading words of an earlier member with the same head noun (制修订国际标准
      148项、国家标准 → 制修订国家标准), or the trailing words of the last member of its list when the
      members share them (发明、实用新型、外观设计专利授权量 → 发明专利授权量);
    - a mention takes the stage of the cases its sentence is about (审结的案件中，商标案件… → 审结商标案件),
      over the clauses a semicolon joins;
    - a mention takes the words of its clause just before it (:data:`MODIFIER_CONTEXT_CHARS`, not before
      ``context_start``: 预审合格专利的平均授权周期).
    """
    start, end = metrics[index]
    parent = breakdown_parent(text, metrics, index)
    before = text[max(context_start, start - STAGE_CONTEXT_CHARS) : start]
    mention = text[start:end]
    linked = link_metric_in_context(mention, before, text[parent[0] : parent[1]] if parent else None)
    if linked is not None and not linked.generic:
        return linked
    # a generic metric yields to a specific one that its context composes (发行知识产权证券化产品3单，融资规模…)
    composed = _link_by_context(text, metrics, index, context_start, parent)
    return composed if composed is not None and (linked is None or not composed.generic) else linked


def _link_by_context(
    text: str, metrics: list[tuple[int, int]], index: int, context_start: int, parent: tuple[int, int] | None
) -> CanonicalMetric | None:
    """The context rules of :func:`link_metric_at`, tried in its docstring's order after the mention alone."""
    start, end = metrics[index]
    mention = text[start:end]
    linked = None
    if parent is None:
        linked = _link_across_count(text, start, mention)
        if linked is not None:
            return linked
    window_start = max(0, start - AWARD_CONTEXT_CHARS)
    boundaries = [m.end() for m in SENTENCE_BOUNDARY_RE.finditer(text, window_start, start)]
    sentence_start = boundaries[-1] if boundaries else window_start
    key = normalize_metric(mention)
    if key in _AWARD_GRADES:
        linked = link_award_grade(mention, text[sentence_start:start])
    if linked is None and parent is not None:
        linked = _with_leading_words(text[parent[0] : parent[1]], mention)
    if linked is None:
        linked = (
            _link_coordinated(text, metrics, index)
            or _link_elliptical(text, metrics, index)
            or _link_shared_verb(text, metrics, index)
        )
    if linked is None:
        # the mention's line, when it starts within the window (an entry's head is near its figures)
        line_start = text.rfind("\n", window_start, start) + 1 or (0 if window_start == 0 else start)
        linked = _link_holding(mention, text[line_start:start])
    if linked is None and key.endswith(("案件", "纠纷")):
        # the cases' stage holds over the clauses that a semicolon joins
        stops = [m.end() for m in _FULL_STOP.finditer(text, window_start, start)]
        linked = _link_case_stage(mention, text[stops[-1] if stops else window_start : start])
    if linked is None and index > 0 and metrics[index - 1][1] >= sentence_start and _has_own_figure(text, metrics[index - 1], start):
        linked = _link_attribute(text[metrics[index - 1][0] : metrics[index - 1][1]], mention)
    if linked is None:
        linked = _link_with_modifier(mention, text[max(context_start, start - MODIFIER_CONTEXT_CHARS) : start])
    return linked


# Between two members of a coordinated list: at most a figure and the enumeration comma (国际标准148项、国家标准).
_COORDINATION = re.compile(r"^[^，,。；;！？!?\n]{0,12}、$")
# Between two members of a list that share their trailing words: nothing but a conjunction (发明、实用新型、外观设计专利授权量).
_ELLIPSIS = frozenset({"、", "和", "及", "与", "以及"})
#: How far back in its clause a mention looks for the words that complete it (预审合格专利的平均授权周期).
MODIFIER_CONTEXT_CHARS = 12
# The clause a mention ends: no clause or sentence break, bracket or figure inside.
_CLAUSE_TAIL = re.compile(r"[^，,、：:。！？!?；;\n（）()0-9]*$")
# Between a metric and a measure of what it counts: its own figure, then at most a clause break (发行知识产权
# 证券化产品3单，发行规模…); without a figure between, the two are one phrase (预审合格的发明专利平均授权周期).
_ATTRIBUTE_GAP = re.compile(r"[^。！？!?；;\n]*?[0-9〇零一二三四五六七八九十百千万亿]+[^0-9。！？!?；;\n]{0,6}$")
# Leading words of a clause that scope no metric: the whole territory, the period, a breakdown.
_FILLER = re.compile(r"^(?:全[市省县区国州盟旗]|[当今去全]年|本年度?|其中|累计|共计?|合计|总计|的)+")
# An organisation's entry in a list block: the line opens (after a bullet or number) with a name ending
# like an organisation's, then a colon or a dash: 景德镇市红叶窑瓷业有限公司：… / ③山西玉露香果业有限公司——…
_HOLDER_ENTRY = re.compile(
    rf"^\s*{LIST_ITEM_MARKER}?\s*"
    r"[^\s：:，,。；;]{2,40}?(?:公司|集团|大学|学院|研究院|研究所|合作社)\s*(?:[：:]|—{1,2}|-)"
)
# Words that make an entry's figures flows of a period rather than holdings.
_FLOW_WORDS = re.compile(r"当年|全年|今年|去年|本年|年内|新增|申请|授权|获得|获批|新注册")
# The cases a sentence is about, with their stage: 审结的案件中, 查处的各类案件中, 受理的知识产权案件中.
_CASE_STAGE = re.compile(f"({'|'.join(_STAGES)})的[\u4e00-\u9fff]{{0,8}}?案件中")


def _has_own_figure(text: str, previous: tuple[int, int], start: int) -> bool:
    """Whether the metric ``previous`` has its own figure before the mention at ``start`` begins: after it
    (发行知识产权证券化产品3单，发行规模…), or right before it with only a clause break between the two
    (发行3单知识产权证券化产品，融资规模…)."""
    if _ATTRIBUTE_GAP.match(text, previous[1], start):
        return True
    return text[previous[1] : start].strip() in ("，", ",") and bool(
        _COUNT_BEFORE.search(normalize_text(text[max(0, previous[0] - COUNT_CONTEXT_CHARS) : previous[0]]))
    )


def _link_across_count(text: str, start: int, mention: str) -> CanonicalMetric | None:
    """A mention written right after its count, which stands between the mention and the verb or words that
    complete it (审结531件知识产权案件 → 审结知识产权案件; 主导制定4项国家标准 → 主导制定国家标准): the mention
    read with the context before the count, as :func:`link_metric_in_context` and :func:`_link_with_modifier`
    read it without one. The count is recognised from the text, as the caller knows only where the previous
    entity ends."""
    window = normalize_text(text[max(0, start - COUNT_CONTEXT_CHARS) : start])
    count = _COUNT_BEFORE.search(window)
    if count is None:
        return None
    count_start = start - len(count.group())
    # the aspect particle between a verb and its count (主导制定了2项) is no part of what is counted
    before = text[max(0, count_start - MODIFIER_CONTEXT_CHARS) : count_start].removesuffix("了")
    return link_metric_in_context(mention, before) or _link_with_modifier(mention, before)


def _with_leading_words(member: str, mention: str) -> CanonicalMetric | None:
    """The catalogue metric of ``mention`` given the leading words of ``member``, a metric with the same
    head noun (the last two characters, once normalised): member[:cut] + mention for the first cut that
    leaves member's tail ending in that noun and composes a catalogue form."""
    head_noun = normalize_metric(mention)[-2:]
    if len(head_noun) < 2:
        return None
    for cut in range(1, len(member) - 1):
        if normalize_metric(member[cut:]).endswith(head_noun):
            linked = link_metric(member[:cut] + mention)
            if linked is not None:
                return linked
    return None


def _link_coordinated(text: str, metrics: list[tuple[int, int]], index: int) -> CanonicalMetric | None:
    """A list member that leaves out the words its list's earlier members share (制修订国际标准148项、国家标准345项
    → 制修订国家标准; 国家知识产权示范企业41家、优势企业 → 国家知识产权优势企业): the earlier member's leading words
    put before it, where the two end in the same head noun (标准, 企业) and the composed form is a catalogue entry."""
    mention = text[metrics[index][0] : metrics[index][1]]
    for earlier in range(index - 1, _list_start(text, metrics, index) - 1, -1):
        linked = _with_leading_words(text[metrics[earlier][0] : metrics[earlier][1]], mention)
        if linked is not None:
            return linked
    return None


def _list_start(text: str, metrics: list[tuple[int, int]], index: int) -> int:
    """The index of the first member of the coordinated list that ``metrics[index]`` ends (members joined
    by at most a figure and 、); ``index`` itself when no member comes before it."""
    first = index
    while first > 0 and _COORDINATION.match(text[metrics[first - 1][1] : metrics[first][0]].strip()):
        first -= 1
    return first


def _link_elliptical(text: str, metrics: list[tuple[int, int]], index: int) -> CanonicalMetric | None:
    """A list member written before the last one and without the words they share (发明、实用新型、外观设计专利
    授权量分别为… → 发明专利授权量): the mention with a trailing part of the list's last member, the longest
    part first, where the composed form is a catalogue entry."""
    last = index
    while last + 1 < len(metrics) and text[metrics[last][1] : metrics[last + 1][0]].strip() in _ELLIPSIS:
        last += 1
    if last == index:
        return None
    mention = text[metrics[index][0] : metrics[index][1]]
    final = text[metrics[last][0] : metrics[last][1]]
    for cut in range(1, len(final)):
        linked = link_metric(mention + final[cut:])
        if linked is not None:
            return linked
    return None


def _link_shared_verb(text: str, metrics: list[tuple[int, int]], index: int) -> CanonicalMetric | None:
    """A list member whose stage verb stands before the first member of its list (members joined by a
    figure and 、) and scopes over the members after it (拥有有效发明专利137件、注册商标42件 → 有效注册商标;
    擁有植物新品種權19件、發明專利12件 → 有效发明专利); a verb written inside the list begins a list of its own."""
    first = _list_start(text, metrics, index)
    if first == index:
        return None
    start = metrics[first][0]
    clause = _CLAUSE_TAIL.search(text[max(0, start - STAGE_CONTEXT_CHARS) : start]).group()
    verb = _STAGE_BEFORE.search(normalize_text(clause))
    return _with_stage(normalize_metric(text[metrics[index][0] : metrics[index][1]]), verb.group(1)) if verb else None


def _link_holding(mention: str, line_before: str) -> CanonicalMetric | None:
    """A bare count in an organisation's entry of a list block (江西浮瑶茶业股份有限公司：有效注册商标43件，发明专利
    16件): what the organisation holds, so the stock (有效) of the mention, unless the entry speaks of the flows
    of a period before it (当年专利申请量21件，注册商标36件)."""
    line = normalize_text(line_before)
    if not _HOLDER_ENTRY.match(line) or _FLOW_WORDS.search(line):
        return None
    return _with_stage(normalize_metric(mention), "有效")


def _link_case_stage(mention: str, sentence_before: str) -> CanonicalMetric | None:
    """A kind of case in a sentence about the cases of one stage (审结的案件中，专利案件、商标案件…分别为 → 审结专利案件)."""
    topics = _CASE_STAGE.findall(normalize_text(sentence_before))
    return _with_stage(normalize_metric(mention), topics[-1]) if topics else None


def _link_attribute(previous: str, mention: str) -> CanonicalMetric | None:
    """A measure of what the previous metric of its sentence counts (发行知识产权证券化产品3单，发行规模12.5亿元 →
    知识产权证券化产品发行规模): that metric, as written or by its catalogue name, put before the mention. The
    caller checks that the previous metric has its own figure (:func:`_has_own_figure`)."""
    linked = link_metric(previous + mention)
    if linked is None and (owner := link_metric(previous)) is not None:
        linked = link_metric(owner.name_zh + mention)
    return linked


def _link_with_modifier(mention: str, before: str) -> CanonicalMetric | None:
    """A mention whose annotated span leaves out the words of its clause that complete it (预审合格专利的
    平均授权周期): the whole clause before it, less leading words that scope no metric (全市, 当年, 其中),
    put before it, where that composes a catalogue form. Only the whole clause: a tail of it could drop a
    qualifier (预审合格的发明专利平均授权周期 is not 发明专利平均授权周期)."""
    clause = _FILLER.sub("", _CLAUSE_TAIL.search(before).group())
    return link_metric(clause + mention) if clause else None
