"""Entities added where the recogniser tagged nothing: names and words that SCHEMA.md and the guidelines tag
every time and that a closed list or one pattern finds (the fact assembler adds its kind after the relations:
:mod:`ipner.pipeline.facts`).

- Deictic time words (如今, 当前, 当下, 一年来, 多年来, 过去的一年): GUIDELINES §4 makes them DATE also where they
  are no figure's time; the recogniser, trained on a corpus that tags 如今 about half the time, often leaves
  them out. A DATE that stops before the 来 or 以来 that ends it (近年 + 来, 2021年 + 以来) takes it in.
- A dateline's date (2024-04-24 10:30, 2024年5月6日 14:20 over a news page): a DATE, and the clock time after it no
  entity, as the guidelines tag it; the recogniser, which saw one such line in training, cuts them into a QUANTITY
  "24 10" or a DATE "2024年5月6日 14".
- A company whose name holds a place in brackets (国广国际在线网络(北京)有限公司, 腾讯科技(深圳)有限公司): one ORG.
  The recogniser tags the place alone, if anything, and span repair drops a place in brackets inside a company's
  name; this finds where the name begins.
- The figure a ranking list is drawn up by (在…发明专利授权量排名中…位列第2位, …知识产权竞争力排行榜中, …授权量榜单上…蝉联
  第一) and an assessment that ranks places (在全国专利行政执法绩效考核中名列第一): METRIC, as the guidelines tag them,
  without the words that name the list's scope (我国副省级城市, 全省, 中国城市) and only where a rank follows in the
  sentence. The corpus has few such lists, and the recogniser often misses them.
- The name of a figure listed over 、 after a METRIC's figure (国家知识产权优势企业28家、示范企业11家): a METRIC, as the
  corpus tags 86 of its 97 such names (of the others, 5 are places, 银川5家, 5 a rank's scope or a measurement,
  全国副省级城市第二, 臂展1.8米, and 1 a METRIC before its verb, …融资金额突破12亿元; this leaves them out). The
  recogniser often misses the second name, and its figure then takes the first METRIC.
- Kinds of patent listed before 分别 (发明、实用新型、外观设计专利授权量分别为431件、2018件、397件): a METRIC each, the last
  with the words they share, as the guidelines tag elliptical mentions, so that the figures 分别 pairs with them in
  order (:mod:`ipner.pipeline.facts`, ``respective``) each have a metric. The recogniser, which saw the list in no
  training document, tags none of it or the whole list as one METRIC.
- A patent or trademark figure named for a field (轴承领域专利授权量612件, 阿胶相关发明专利授权量, 旅游商品外观设计专利授权量,
  茶叶类有效注册商标) right before its figure: one METRIC from the field's first word, as GUIDELINES §4 tags field and
  holder breakdowns. The recogniser finds these where the field is one the corpus names (新能源领域发明专利授权量) and
  often tags nothing where it is not, and the figure then makes no fact.
- The metric a list block is drawn up by, named at the end of the line that introduces it (各县（市、区）发明专利授权量如下：):
  a METRIC, as GUIDELINES §2 tags a list heading's metric, so that the figures listed under it take it
  (:mod:`ipner.pipeline.facts`, ``list_metric``). The recogniser often leaves it out, with no figure right after it.
- National bodies (``national_bodies.txt``: 国家知识产权局, 最高人民法院, 工信部, 上交所 …): ORG, as the corpus
  tags them every time, unless the words after them continue a longer body's name (国家知识产权局专利局…中心,
  中国科学院…研究所), which the recogniser is left to tag, or a place stands right before them (香港 + 经济日报:
  the place's own paper or body).

Span repair adds the first eight kinds, the fact assembler the last. Every addition goes only where no entity
overlaps it, except the places inside a company's name, which it replaces. The words are matched on the
normalised text, so Traditional script is served alike.
"""
from __future__ import annotations

import re
from functools import lru_cache

from spacy.tokens import Doc, Span

from ipner.normalizers.quantity import parse_quantity
from ipner.places import resolve_place
from ipner.resources import load_national_bodies
from ipner.schema import PLACE_LABELS, SENTENCE_BOUNDARY_RE
from ipner.text.cues import RESPECTIVELY_CUE, clause_start
from ipner.text.normalize import normalize_text

__all__ = [
    "LEGAL_FORM", "NAME_CHAR", "next_start", "with_bracketed_companies", "with_coordinated_metrics", "with_datelines",
    "with_deictic_dates", "with_field_metrics", "with_list_introducer_metrics", "with_national_bodies",
    "with_patent_type_lists", "with_ranking_metrics",
]

# Deictic time words that GUIDELINES §4 tags DATE (目前, 日前, 近日 and the dated forms the recogniser finds
# itself are left to it): a count of years with 来 (一年来, 三年来, 多年来, 近年来), 过去的一年 with 刚刚 if written,
# 如今, 当前, 当下. Not after a character that makes them part of a longer word (年来 in 近两年来 is one DATE; 当前
# in 把握当前 or 应当前往 is a verb's object or no time at all).
_DEICTIC_DATE = re.compile(
    r"(?<![\u4e00-\u9fff])(?:如今|当前|当下)(?![往去来])"
    r"|(?<![0-9〇零一二两三四五六七八九十百几数多近])(?:近?(?:多|几|数|[一二两三四五六七八九十]{1,3}|\d{1,2})|近)年来"
    r"|(?:刚刚|刚)?过去的?一年"
)
# What a DATE that stops right before it leaves out: 来 after a count of years (近年 + 来, 多年 + 来), 以来 after any
# date (2021年 + 以来, 今年 + 以来).
_DATE_SINCE = re.compile(r"以来")
_YEARS_SINCE = re.compile(r"(?:^|[近多几数〇零一二两三四五六七八九十0-9])年$")

# A dateline's timestamp: a date (group "date": 2024-04-24, 2024/4/24, 2024年4月24日) and the clock time after it
# (10:30, 09:32:11); normalised text.
_DATELINE = re.compile(
    r"(?P<date>\d{4}(?:-\d{1,2}-\d{1,2}|/\d{1,2}/\d{1,2}|年\d{1,2}月\d{1,2}日))[ \t]*"
    r"(?:[01]?\d|2[0-3]):[0-5]\d(?::[0-5]\d)?(?!\d)"
)

# The name of a figure written right after 、 (…28家、示范企业11家): two to twelve Chinese characters (group 1) that end
# where the figure begins; normalised text. Not a rank's or a share's scope, nor a comparison (全国副省级城市第二,
# 占全省…, 较上年…).
_COORDINATED_NAME = re.compile(r"、([\u4e00-\u9fff]{2,12})$")
_NOT_A_NAME_START = re.compile(r"全国|全省|全区|全市|国内|省内|市内|占|居|列|位居|较|比|同比|环比")
# …nor a METRIC that runs into the verb before its figure (知识产权质押融资金额 + 突破12亿元), which the name would keep.
_NOT_A_NAME_END = re.compile(r"(?:突破|达到|达|超过|超|逾|为|至|增长|提高|提升|下降|共|有|约|近)$")

# The kinds of patent listed before the figures that 分别 pairs them with, the last kind carrying the words they share
# (发明、实用新型、外观设计专利授权量分别为…; 發明、實用新型專利授權量分別為…): the listed kinds (group "kinds"), the last
# kind with the shared words (group "last"); normalised text.
_PATENT_KIND = "(?:发明|实用新型|外观设计)"
_PATENT_TYPE_LIST = re.compile(
    rf"(?P<kinds>(?:{_PATENT_KIND}(?:专利)?[、和及与]){{1,2}})"
    rf"(?P<last>{_PATENT_KIND}专利(?:授权量|申请量|拥有量|授权|申请))"
    rf"(?=[^，,。；;：:\n]{{0,4}}{RESPECTIVELY_CUE})"
)
_PATENT_KIND_RE = re.compile(_PATENT_KIND + "(?:专利)?")

#: A character of a company's or a body's name (no break, bracket or quote), and a company's legal form.
NAME_CHAR = r"[^\s，,。；;、：:（）()“”\"《》]"
LEGAL_FORM = "(?:股份有限公司|有限责任公司|有限公司)"
# A company whose name holds a place in brackets: the name's words before the bracket (group 1), the place
# (group 2), the rest of the name and the legal form; normalised text.
# A patent or trademark figure's name after the field it is counted in (轴承领域 + 专利授权量, 阿胶相关 + 发明专利授权量, 旅游商品
# + 外观设计专利授权量, 茶叶类 + 有效注册商标), right before the figure (a reporting verb between: 已有900余件); normalised text.
_FIELD_NAME = re.compile(
    r"(?P<field>[\u4e00-\u9fff]{1,10}?(?:领域|相关|类|行业|产业|产品|商品))"
    r"(?P<core>(?:有效)?(?:发明|实用新型|外观设计)?专利(?:授权量|申请量|拥有量|授权|申请)?|(?:有效)?注册商标量?|商标注册(?:申请)?量)"
)
_FIELD_VERB = re.compile(r"(?:已有|已达|达到|达|为|共|有|突破|超过)?")
_FIELD_METRIC = re.compile(_FIELD_NAME.pattern + r"(?=" + _FIELD_VERB.pattern + r"[0-9一二两三四五六七八九十近约超逾])")
# The name of an intellectual-property figure at the end of a line that introduces a list block (…发明专利授权量如下：,
# 各区知识产权质押融资金额：): the name runs back from 量, 额 or 数 to a break, a bracket or a space; normalised text.
_INTRODUCED_NAME = re.compile(
    r"(?P<name>[\u4e00-\u9fffA-Z]{2,20}?(?:量|额|数))(?:情况|数据|分别)?(?:如下)?[ \t]*[:—][ \t]*$", re.MULTILINE
)
_IP_WORD = re.compile(r"专利|商标|知识产权|地理标志|版权|作品|著作权|植物新品种|质押|技术合同")
# Words before a field that are no part of the figure's name: deictic places and times, 其中, 的.
_FIELD_LEAD = re.compile(r"(?:全市|全省|全区|全县|全国|我市|本市|该市|该县|该区|其中|当年|同期|目前|今年|去年|各[县市区]|的)+")
_BRACKETED_COMPANY = re.compile(
    rf"({NAME_CHAR}{{2,16}})[(（]([\u4e00-\u9fff]{{2,6}})[)）]{NAME_CHAR}{{0,12}}?(?:{LEGAL_FORM}|集团)"
)
# Words that run into a company's name from the left, at most three characters in (任何未与 + 国广…, 已取得 + …,
# 均由 + …): the name begins after them. A name with such a word further in (国广国际在线网络) keeps it.
_BEFORE_NAME = re.compile(r"^.{0,3}?(?:与|和|及|由|向|经|对|被|将|把|让|给|同|跟|取得|获得|委托|授权|据|从|在|是|为)")
# The words after a national body that make it the head of a longer body's name (国家知识产权局 + 专利局专利审查协作
# 湖北中心, 中国科学院 + 青海盐湖研究所, 中国人民银行 + 广西壮族自治区分行): no break and no 的 before a word that ends
# an organisation's name.
_LONGER_BODY = re.compile(rf"(?:(?!的){NAME_CHAR}){{0,16}}?(?:中心|分局|局|研究所|研究院|分院|分行|支行|法庭|委员会|办公室|司|处|站)")
# What makes a listed name the tail of a longer one when written right before it (国家 + 科技部, 中国 + 证监会 are
# listed whole, and the longest listed name is tried first).
_BODY_PREFIX = re.compile(r"(?:中共|中国|国家|全国)$")

# A ranking list's name ends in one of these words, followed by where the rank stands (中, 上, 的) or the rank itself
# (排名第2位, 排名前十位); an assessment's name (group "assessment": 考核, 评价, 评估, 考评, followed by 中) keeps the word
# inside the METRIC (GUIDELINES §2).
_RANKING_LIST = re.compile(r"(?:排行榜|排名|排行|榜单)(?=[中上里的第前])|(?P<assessment>考核|评价|评估|考评)(?=中)")
# Words before a ranking list's name that are not part of it: the verb that places the figure in the list, its
# year, and the list's scope (which country, province or kind of city it ranks).
_RANKING_LEAD = re.compile(
    r"(?:在|于|处在|处于|位于|进入|跻身|据)?(?:\d{4}年度?)?(?:全国|全省|全区|全市|我国|国内|中国|全球)?各?"
    r"(?:副省级城市|地级以上市|地级市|省会城市|设区市|城市|盟市|县域|高校)?"
)
# A name that is not the figure ranked: names joined (三星和日立排名第二: who is ranked), a clause that places a
# figure in the list (…指标在全省营商环境评价中排名第一: the figure is the 指标) or a list of the same kind as the
# figure before (在全球同领域企业专利排名中居第14位, 同一报告的分项排名: the rank is that figure's).
_NOT_THE_FIGURE = re.compile("[和与及、在]|^同")
_NAME_RUN = re.compile(r"[\u4e00-\u9fffA-Za-z0-9]")


def next_start(ents: list[Span], index: int, text_end: int) -> int:
    """Where the entity after ``ents[index]`` starts, else ``text_end``: how far a repair may carry an entity."""
    return ents[index + 1].start_char if index + 1 < len(ents) else text_end


def _free(ents: list[Span], start: int, end: int, replaceable: tuple[str, ...] = ()) -> list[Span] | None:
    """The entities of ``ents`` that lie inside ``start``–``end`` and have a label of ``replaceable``, when every
    entity that overlaps the range is one of them; else None."""
    overlapping = [e for e in ents if e.start_char < end and start < e.end_char]
    if all(e.label_ in replaceable and start <= e.start_char and e.end_char <= end for e in overlapping):
        return overlapping
    return None


def _added(ents: list[Span], span: Span | None, replaced: list[Span]) -> list[Span]:
    """``ents`` without ``replaced`` and with ``span`` (a span that did not align: ``ents`` as they were), in order."""
    if span is None:
        return ents
    return sorted([e for e in ents if e not in replaced] + [span], key=lambda e: e.start_char)


def with_deictic_dates(doc: Doc, norm: str, ents: list[Span]) -> list[Span]:
    """``ents`` with every deictic time word of :data:`_DEICTIC_DATE` that no entity overlaps as a DATE, and each
    DATE that stops right before its 来 or 以来 taking it in; ``norm`` is the document's normalised text."""
    result = list(ents)
    for index, ent in enumerate(result):
        if ent.label_ != "DATE":
            continue
        following = next_start(result, index, len(norm))
        end = ent.end_char
        if _DATE_SINCE.match(norm, end):
            end += 2
        elif norm.startswith("来", end) and _YEARS_SINCE.search(norm, ent.start_char, end):
            end += 1
        if end != ent.end_char and end <= following:
            result[index] = doc.char_span(ent.start_char, end, label="DATE") or ent
    for match in _DEICTIC_DATE.finditer(norm):
        # 一年来: the recogniser may have tagged the count of years alone, as a duration
        inside = _free(result, *match.span(), ("QUANTITY",))
        if inside is not None:
            result = _added(result, doc.char_span(*match.span(), label="DATE"), inside)
    return result


def with_datelines(doc: Doc, norm: str, ents: list[Span]) -> list[Span]:
    """``ents`` with each dateline's date (:data:`_DATELINE`) as one DATE in place of the DATEs and QUANTITYs that
    overlap its timestamp (those that run on past it too: "30 来" of 10:30 来源), unless an entity of another label
    overlaps it; ``norm`` is the document's normalised text."""
    result = list(ents)
    for match in _DATELINE.finditer(norm):
        overlapping = [e for e in result if e.start_char < match.end() and match.start() < e.end_char]
        if any(e.label_ not in ("DATE", "QUANTITY") for e in overlapping):
            continue
        result = _added(result, doc.char_span(*match.span("date"), label="DATE"), overlapping)
    return result


def with_bracketed_companies(doc: Doc, norm: str, ents: list[Span]) -> list[Span]:
    """``ents`` with each company whose name holds a place in brackets (:data:`_BRACKETED_COMPANY`) as one ORG,
    in place of the places and organisations inside it, when no other entity overlaps it; ``norm`` is the
    document's normalised text."""
    result = list(ents)
    for match in _BRACKETED_COMPANY.finditer(norm):
        if resolve_place(match.group(2), "CITY") is None and match.group(2) != "中国":
            continue
        lead = _BEFORE_NAME.match(match.group(1))
        start = match.start() + (lead.end() if lead is not None else 0)
        if match.start(2) - 1 - start < 2:
            continue
        inside = _free(result, start, match.end(), ("ORG", *PLACE_LABELS))
        if inside is not None:
            result = _added(result, doc.char_span(start, match.end(), label="ORG"), inside)
    return result


@lru_cache(maxsize=1)
def _national_body_pattern() -> re.Pattern[str]:
    """The names of ``national_bodies.txt``, normalised, as one alternation that tries the longest first."""
    names = {normalize_text(name) for name in load_national_bodies()}
    return re.compile("|".join(re.escape(name) for name in sorted(names, key=len, reverse=True)))


def with_national_bodies(doc: Doc, norm: str, ents: list[Span]) -> list[Span]:
    """``ents`` with each national body of ``national_bodies.txt`` that no entity overlaps as an ORG, unless the
    words after it continue a longer body's name (:data:`_LONGER_BODY`), a word before it makes it the tail of
    one (:data:`_BODY_PREFIX`) or a place ends right where it begins; ``norm`` is the document's normalised text."""
    result = list(ents)
    for match in _national_body_pattern().finditer(norm):
        start, end = match.span()
        if _LONGER_BODY.match(norm, end) or _BODY_PREFIX.search(norm, max(0, start - 2), start):
            continue
        if any(e.label_ in PLACE_LABELS and e.end_char == start for e in result):
            continue  # 香港 + 经济日报: a place's own paper or body
        if _free(result, start, end) is not None:
            result = _added(result, doc.char_span(start, end, label="ORG"), [])
    return result


def with_coordinated_metrics(doc: Doc, norm: str, ents: list[Span]) -> list[Span]:
    """``ents`` with the name written between 、 and a QUANTITY (:data:`_COORDINATED_NAME`) as a METRIC where no entity
    overlaps it, when the 、 follows a QUANTITY that follows a METRIC with no break between them (METRIC + figure、
    name + figure), neither figure is a rank and the name is no place; ``norm`` is the document's normalised text."""
    result = list(ents)
    for quantity in ents:
        if quantity.label_ != "QUANTITY":
            continue
        match = _COORDINATED_NAME.search(norm, max(0, quantity.start_char - 13), quantity.start_char)
        if match is None or _NOT_A_NAME_START.match(match.group(1)) or _NOT_A_NAME_END.search(match.group(1)):
            continue
        before = [e for e in result if e.end_char <= match.start()]
        if (
            len(before) < 2 or before[-1].end_char != match.start() or before[-1].label_ != "QUANTITY"
            or before[-2].label_ != "METRIC" or before[-1].start_char - before[-2].end_char > 4
            or any(c in norm[before[-2].end_char : before[-1].start_char] for c in "，,；;。：:")
        ):
            continue
        name = match.group(1)
        if any(parse_quantity(e.text).kind == "rank" for e in (quantity, before[-1])) or any(
            resolve_place(name, label) is not None for label in PLACE_LABELS
        ):
            continue
        if _free(result, *match.span(1)) == []:
            result = _added(result, doc.char_span(*match.span(1), label="METRIC"), [])
    return result


def with_field_metrics(doc: Doc, norm: str, ents: list[Span]) -> list[Span]:
    """``ents`` with each patent or trademark figure's name counted in a field (:data:`_FIELD_NAME`: 轴承领域专利授权量,
    阿胶相关发明专利授权量) as one METRIC where no entity overlaps it and a QUANTITY follows it; the name begins after
    the clause's start or the entity before it, less the words of :data:`_FIELD_LEAD` (全市, 其中, 目前). ``norm`` is
    the document's normalised text."""
    result = list(ents)
    for match in _FIELD_METRIC.finditer(norm):
        before = [e for e in result if e.end_char <= match.start("core")]
        start = max(before[-1].end_char if before else 0, clause_start(norm, match.start("core")))
        lead = _FIELD_LEAD.match(norm, start)
        start = lead.end() if lead is not None else start
        end = match.end("core")
        verb = _FIELD_VERB.match(norm, end).end()
        if (
            not _FIELD_NAME.fullmatch(norm, start, end)
            or not any(e.label_ == "QUANTITY" and e.start_char == verb for e in result)
            or _free(result, start, end) != []
        ):
            continue
        result = _added(result, doc.char_span(start, end, label="METRIC"), [])
    return result


def with_list_introducer_metrics(doc: Doc, norm: str, ents: list[Span]) -> list[Span]:
    """``ents`` with the name of an intellectual-property figure that ends a line introducing a list block
    (:data:`_INTRODUCED_NAME`: 各县（市、区）发明专利授权量如下：) as a METRIC where no entity overlaps it; the name begins after
    the clause's start, a bracket or the entity before it, less the words of :data:`_FIELD_LEAD` (全市, 各县). ``norm`` is
    the document's normalised text."""
    result = list(ents)
    for match in _INTRODUCED_NAME.finditer(norm):
        end = match.end("name")
        before = [e for e in result if e.end_char <= end]
        start = max(before[-1].end_char if before else 0, clause_start(norm, end), norm.rfind(")", 0, end) + 1)
        lead = _FIELD_LEAD.match(norm, start, end)
        start = lead.end() if lead is not None else start
        if end - start < 3 or not _IP_WORD.search(norm, start, end) or _free(result, start, end) != []:
            continue
        result = _added(result, doc.char_span(start, end, label="METRIC"), [])
    return result


def with_patent_type_lists(doc: Doc, norm: str, ents: list[Span]) -> list[Span]:
    """``ents`` with each kind of patent listed before 分别 (:data:`_PATENT_TYPE_LIST`: 发明、实用新型、外观设计专利授权量分别为
    431件、2018件、397件) as a METRIC of its own, the last with the words the kinds share (发明 | 实用新型 | 外观设计专利授权量),
    as GUIDELINES §2 tags elliptical mentions, so that each figure 分别 pairs with the list has its metric; a METRIC
    the recogniser put inside the list (the whole list, or its last kind) gives way, any other entity there keeps
    the list as it is. ``norm`` is the document's normalised text."""
    result = list(ents)
    for match in _PATENT_TYPE_LIST.finditer(norm):
        replaced = _free(result, match.start(), match.end(), replaceable=("METRIC",))
        if replaced is None:
            continue
        offset = match.start("kinds")
        parts = [
            doc.char_span(offset + kind.start(), offset + kind.end(), label="METRIC")
            for kind in _PATENT_KIND_RE.finditer(match.group("kinds"))
        ] + [doc.char_span(*match.span("last"), label="METRIC")]
        if any(part is None for part in parts):
            continue
        result = sorted([e for e in result if e not in replaced] + parts, key=lambda e: e.start_char)
    return result


def with_ranking_metrics(doc: Doc, norm: str, ents: list[Span]) -> list[Span]:
    """``ents`` with the figure a ranking list is drawn up by (:data:`_RANKING_LIST`) as a METRIC where no entity
    overlaps it: the name runs back from the list's word to a break, a bracket or an entity, less the words of
    :data:`_RANKING_LEAD`, and a rank (a QUANTITY the normaliser reads as one: 第2位, 前十) follows in the same
    sentence; ``norm`` is
    the document's normalised text."""
    result = list(ents)
    for match in _RANKING_LIST.finditer(norm):
        end = match.end() if match.group("assessment") else match.start()
        if any(e.start_char < end <= e.end_char for e in result):
            continue  # the list's name is tagged already, or a place or organisation is what 排名 ranks
        if norm[end - 1 : end] in ("中", "里", "内"):
            continue  # 在全球科技集群中排名第14位: what comes before is the set ranked, not the figure
        start = end
        while start > 0 and _NAME_RUN.match(norm, start - 1) and not any(e.end_char == start for e in result):
            start -= 1
        if norm.startswith("在", start) and any(e.end_char == start and e.label_ == "METRIC" for e in result):
            continue  # 知识产权指标在全省营商环境评价中排名第一: the figure placed in the list is named already
        start = _RANKING_LEAD.match(norm, start, end).end()
        if end - start < 4 or _NOT_THE_FIGURE.search(norm[start:end]):
            continue  # 增速排名, 总量排名: the figure named before is what is ranked
        stop = SENTENCE_BOUNDARY_RE.search(norm, end)
        sentence_end = stop.start() if stop else len(norm)
        if not any(
            e.label_ == "QUANTITY" and end < e.start_char < sentence_end and parse_quantity(e.text).kind == "rank"
            for e in result
        ):
            continue
        if _free(result, start, end) is not None:
            result = _added(result, doc.char_span(start, end, label="METRIC"), [])
    return result
