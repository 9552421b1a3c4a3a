"""The fact assembler ``ipner_facts``: its factory and class. Relations + normalisers → ``doc._.facts``."""
from __future__ import annotations

import re
from bisect import bisect_left
from collections import Counter
from dataclasses import replace
from functools import lru_cache
from typing import Any, Iterable

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.training import Example

from ipner.extensions import register_extensions
from ipner.metrics import link_metric_at
from ipner.normalizers import parse_date, parse_quantity
from ipner.pipeline.additions import with_national_bodies
from ipner.pipeline.settings import SettingsSerializer
from ipner.pipeline.tokenizer import doc_norm, doc_text
from ipner.places import Place, resolve_place
from ipner.scoring import fact_keys, precision_recall_f
from ipner.schema import PLACE_LABELS, SUBJECT_LABELS, SENTENCE_BOUNDARY_CHARS, SENTENCE_BOUNDARY_RE, SENTENCE_END_RE
from ipner.text.cues import (
    CAPTION_LINE_RE, COLLECTIVE_BODIES, COLLECTIVE_SCOPE, GOVERNMENT_BODY_END_RE, LIST_ITEM_MARKER,
    RESPECTIVELY_CUE, clause_start, official_speaks, source_follows,
)
from ipner.text.normalize import normalize_text
from ipner.types import Fact, MetricSlot, QuantitySlot, SubjectSlot, TimeSlot

__all__ = ["FactAssembler", "make_facts", "sentence_around", "assemble_gold_facts"]


#: The component's settings by default; ``carry_over_chars`` is retuned on dev after training.
DEFAULT_FACT_SETTINGS = {
    "threshold": 0.5, "carry_over_chars": 0, "kind_context_chars": 20, "skip_sources": False, "document_subject": False,
    "province_as_base": False, "deictic_city": False, "drop_unmeasured_metrics": False, "metric_in_sentence": False,
    "time_in_sentence": False, "skip_captions": False, "nearest_mention": False, "respective": False,
    "clause_subject": False, "list_metric": False, "list_subject_time": False,
}

# A new item of a list block or a new section: a slot is not carried into it from the item before.
_ITEM_START = re.compile(rf"\n\s*{LIST_ITEM_MARKER}")

# In a sentence that compares with the whole province (居全省第二, 占全省的37%), the province is the base
# of the comparison, not the subject of the figure.
_PROVINCE_AGGREGATE = re.compile(r"(?:居|占|列|排名?)全[省区]|全[省区](?:第|前|首|最|之首|排名|总数|总量)")

# A place the text leaves out of a figure (全国（不含港澳台）, 除北京外), named at most a dozen characters
# before it in the same clause: never the figure's subject; normalised text.
_EXCLUDED = re.compile(r"(?:不含|不包括|不包含|(?<![排剔清删消解免])除(?:了|去)?)[^，,。；;：:（）()\n]{0,12}$")
_EXCLUDED_CHARS = 16
# What follows a place that is the scope of a lead, not whose figure it is (中部地区领先的国家知识产权强市, 居广西
# 前列): no such place is a subject in the corpus.
_SCOPE_AFTER = re.compile(r"(?:领先|一流|前列)")
# What comes right before the name a figure's holder ranks second to (仅次于兰州): normalised text.
_SECOND_TO = "次于"
# …and the names listed after it (仅次于成都和绵阳, 次于深圳、广州): what comes before a name so ranked; normalised text.
_RANKED_ABOVE = re.compile(_SECOND_TO + r"(?:[\u4e00-\u9fff]{2,8}(?:和|与|及|、))*$")
_RANKED_ABOVE_CHARS = 24

# A figure stated for the whole city (全市发明专利授权量…, 今年全市力争…), not the base of a comparison
# (居全市第一, 占嘉兴全市的三成, 全市各园区中, 高于全市平均水平): normalised text.
_DEICTIC_CITY = re.compile(r"(?<![占居列排名在于为较])(?:全市|我市|本市|该市)(?![第前首最各之排总范内平均])")
# …and for the whole province (今年，全省新增地理标志证明商标12件): the province named before, as for 全市. Not a share
# of the province (全省占比80%); not 全区, which as often names a district as an autonomous region.
_DEICTIC_PROVINCE = re.compile(r"(?<![占居列排名在于为较])(?:全省|我省|本省|该省)(?![第前首最各之排总范内平均占])")
# A government body of the city whose name holds no place (市市场监管局, 市知识产权局, 市政府, 州市场监管局): it
# stands for the city the passage is about, whose figures it states (GUIDELINES §3); the corpus links none of its 80
# as a subject. Normalised text; not a centre, fund or company (市知识产权保护中心 keeps its figures).
_ADMINISTRATIVE_BODY = "局|委员会|委|办公室|办|人民政府|政府|管委会"
_PLACELESS_CITY_BODY = re.compile(rf"[市州][\u4e00-\u9fff]{{0,8}}?(?:{_ADMINISTRATIVE_BODY})")
# An organisation referred to at the start of a clause (截至2023年底，公司拥有有效发明专利3,412件; 该局受理…): the
# figure is the organisation's, named earlier with a name of the same head, not the place's named before it.
_ANAPHOR = re.compile(r"(?:该|本)?(公司|集团|局|中心|法院|院)")
_ANAPHOR_HEADS = {
    "公司": ("公司", "集团"), "集团": ("集团", "公司"), "局": ("局",), "中心": ("中心",), "法院": ("法院",), "院": ("院",),
    "校": ("大学", "学院", "学校"), "行": ("银行", "分行", "支行"), "关": ("海关",), "所": ("研究所", "事务所"),
}
# …and with ``clause_subject``: also 该校, 该行, 该关, 该所 (these heads only after 该 or 本), after a time word that opens
# the clause (2023年该关查扣…, 今年上半年该校…), in any clause of the figure's sentence before it.
_ANAPHOR_IN_CLAUSE = re.compile(
    r"(?:\d{4}年(?:[上下]半年|\d{1,2}月)?|今年(?:[上下]半年|以来)?|去年|全年|当年|同期|目前)?"
    r"(?:(?:该|本)?(公司|集团|局|中心|法院|院)(?![长士主副党董总负])|(?:该|本)(校(?![园区长])|行(?![业长])|关(?![于键系注长])|所(?![有属在长])))"
)
# A whole place named between a clause's opening name and the figure (…局长马建国说，今年全市…, 全州, 全国).
_WHOLE_PLACE = re.compile(r"全[市省州县区盟国]|[我本该][市省州县区国]")
# A government body whose name holds no place (区市场监管局, 县人民法院, 市政府): it stands for the place the passage is about.
_PLACELESS_BODY = re.compile(rf"[市州区县省旗][\u4e00-\u9fff]{{0,8}}?(?:{_ADMINISTRATIVE_BODY}|法院|检察院|海关)")
# What makes a name opening a clause one of several actors (…中心与8家银行签署…, 某公司联合…).
_CO_ACTOR = re.compile(r"(?:与|和|同(?![期比时样年])|联合|携手)")
# Words that may open a clause before the name or the 全国 that holds its figure (其中，东兴海关…; 同期，全国…).
_LEAD_WORDS = "其中|同期|同时|此外|另外|而|但"
# A clause stated for the whole nation (全国每万人口高价值发明专利拥有量为12.4件; 同期，全国…): not 全国第一 and the like.
_NATIONAL_CLAUSE = re.compile(
    rf"\s*(?:{_LEAD_WORDS}|\d{{4}}年(?:底|末)?|去年|今年|目前)?\s*(?:全国|我国)(?![第前首最各之排总范内平均占])"
)
# What may stand before a name that opens a clause (其中，东兴海关…; 同期，山东省为…): normalised text.
_CLAUSE_LEAD = re.compile(rf"\s*(?:{_LEAD_WORDS})?\s*")
# A place named as the scope or base of a comparison (居甘肃省各市州第1位, 占浙江的三成), not as a figure's holder: the
# character before it, or 各 after it.
_COMPARED_BEFORE = "居占列较比"
_COMPARED_AFTER = "各"
# A collective of courts or departments acting at a clause's start (两级法院审理…, 行政部门查办…): the figure is the
# place's, not an organisation's named in an earlier sentence.
_COLLECTIVE_ACTOR = re.compile(f"{COLLECTIVE_SCOPE}?{COLLECTIVE_BODIES}")
# A count of years (三年, 2年, 二十多年, 七八年, 不到半年): a QUANTITY the corpus never links (47 of 47).
_YEARS_COUNTED = re.compile(r"(?:不到|近|约)?(?:[一二两三四五六七八九十]{1,3}|\d{1,2})?(?:多|余)?个?半?年")
# The end of a line that introduces a list block (主要设区市情况如下——, 截至2023年底，各市:): its metric is that of
# the figures listed under it; normalised text.
_LIST_INTRODUCER = re.compile(r"(?:—|:|如下)[ \t]*$")
# A line that is an item of a list block: it opens with an item's marker (1. / ▶ / （一）).
_LIST_ITEM_LINE = re.compile(rf"[ \t\u3000]*{LIST_ITEM_MARKER}")
# A heading line inside a list block (知识产权 创造, 保护方面): a few words, no punctuation, no figure; normalised text.
_LIST_HEADING = re.compile(r"[ \t\u3000]*[^\d,.;:!?，。；：、！？]{1,14}")
# A list block: the (start, end) of the line that introduces it and the (start, end) of each of its items' lines.
_ListBlock = tuple[int, int, list[tuple[int, int]]]
# The labels of the entity a list's introducing line gives each item's figure, per slot.
_LIST_SLOT_LABELS = {"metric": ("METRIC",), "subject": SUBJECT_LABELS, "time": ("DATE",)}
# What comes right before a DATE that is the base of a comparison (较2022年增长, 比2022年底提高, 是2022年的2.3倍, 与2020年
#相比) or the time of an earlier value (由2020年底的1.9件提升至…), not the time of the figure after it; normalised text.
_DATE_AS_BASE = re.compile(r"(?:较|比|是|为|于|与|同|从|由)$")


@Language.factory(
    "ipner_facts",
    default_config=DEFAULT_FACT_SETTINGS,
    requires=["doc.ents", "doc._.relations"],
    assigns=["doc._.facts", "doc._.relations", "doc.ents"],
)
def make_facts(
    nlp: Language, name: str, threshold: float, carry_over_chars: int, kind_context_chars: int,
    skip_sources: bool, document_subject: bool, province_as_base: bool, deictic_city: bool,
    drop_unmeasured_metrics: bool, metric_in_sentence: bool, time_in_sentence: bool, skip_captions: bool,
    nearest_mention: bool, respective: bool, clause_subject: bool, list_metric: bool, list_subject_time: bool,
) -> "FactAssembler":
    """Assemble SCHEMA.md facts from entities, relations and the normalisers."""
    return FactAssembler(
        name, threshold, carry_over_chars, kind_context_chars, skip_sources, document_subject, province_as_base,
        deictic_city, drop_unmeasured_metrics, metric_in_sentence, time_in_sentence, skip_captions,
        nearest_mention, respective, clause_subject, list_metric, list_subject_time,
    )


class FactAssembler(SettingsSerializer, Pipe):
    """Write one fact per QUANTITY whose ``metric`` relation scores at least ``threshold``.

    Fallbacks when a slot is not linked: with ``carry_over_chars > 0`` a fact without a subject
    (or time) takes the subject (or time) of the previous fact if that fact starts at most
    ``carry_over_chars`` characters before it and no new list item or section (a line opening with
    a bullet, a number or a heading mark) starts between them: figures listed under a heading
    ("截至目前,株洲市——" and a list of figures) or continuing a sentence share its subject and date
    even when the relation model left the slot open. Carried slots are marked ``carried``. A fact needs a
    ``metric``: a QUANTITY without one is no fact. The quantity's ``kind`` is read from at most
    ``kind_context_chars`` characters before it (not reaching into the previous entity);
    ``time.year`` comes from ``parse_date`` with ``doc._.doc_date`` (None for relative dates
    without a document date). ``carry_over_chars`` is tuned on dev after training and saved
    with the pipeline (``ipner_facts/cfg``).

    A place the text leaves out of the figure (全国（不含港澳台）, 除北京外), or names as the scope its
    holder leads in (中部地区领先的…强市, 居河南省前列) or the base it is compared with (占嘉兴全市的三成), and a name
    the text ranks above its holder (仅次于兰州), is never its subject: the figure is left without one, and
    the fallbacks below apply.

    Subject fallbacks (SCHEMA.md, "Subjects"), each a setting:

    - ``skip_sources``: an ORG followed by 发布, 介绍, 获悉, 显示 …, or a government body whose official speaks after
      its name (…市场监督管理局副局长王强说, …局有关负责人介绍), is the source of the statement, never its subject; the
      figure is left without one (and the fallbacks below apply).
    - ``province_as_base``: when the subject is a province named outside the figure's sentence, the
      sentence compares with the whole province (居全省第二, 占全省总数的23%) and the document is about
      a city of that province, the subject is that city.
    - ``deictic_city``: a figure whose sentence states it for 全市, 我市, 本市 or 该市 (GUIDELINES: "a figure
      stated for 全市 gets the city named earlier"), and whose subject is not named in that sentence,
      takes the city (a prefecture-level one, or a county-level 市) named last before it, else the
      document's main city; marked ``carried``. A county, county-level city or district inside the document's
      main city gives way to the main city (全市 in a report on 酒泉 that has just named 玉门市). Not where 全市 is
      the base of a comparison (居全市第一, 占嘉兴全市的三成) or follows the city's own name (济南全市: the
      model links that city). Likewise a figure stated for 全省, 我省, 本省 or 该省 (not 全省第一, 全省占比) takes
      the province of the document's main city where the text names it before the figure; where it does not (the
      province named only inside its source's name, 记者从江西省知识产权局获悉，全省…), the figure, and the figures
      carried on from it, take no city from the fallbacks, unless a place stands between 全省 and the figure
      (在全省…考核中，宜宾位列第3). A figure whose
      subject is a body of the city whose name holds no place (市市场监管局, 市知识产权局, 市政府) takes the city
      the same way: the body stands for the city the passage is about (GUIDELINES §3).
    - ``document_subject``: a figure still without a subject takes the city named last before it
      (the one its paragraph or section is about: a page with a 宁波 part and a 杭州 part), else the
      city the document names most often; marked ``carried``.

    National bodies (国家知识产权局, 上交所: :func:`ipner.pipeline.additions.with_national_bodies`) that no
    entity covers are added to ``doc.ents`` as ORGs after the facts are assembled: the corpus tags them every
    time but links them as a subject twice in sixty mentions (both foreign patent offices), and as subject
    candidates before the relation extractor they displaced places from its nearest candidates.

    A figure whose clause opens with an anaphor of an organisation (公司, 该公司, 该局, 本中心) and whose subject is
    a place named before its sentence takes the organisation named last before it with a name of that head
    (…股份有限公司 for 公司), marked ``carried``: the figures of 截至2023年底，公司拥有有效发明专利3,412件 are the
    company's, not the city's. A figure whose sentence has a clause opening with a collective of courts or
    departments (两级法院审理…, 行政部门…查办案件) has no organisation named before that sentence as its subject: the
    collective's figures are its place's (SCHEMA.md, "Subjects"), so the figure goes to the fallbacks above.

    A QUANTITY that is a count of years (连续三年, 仅用2年时间, 二十多年) is a duration, never a fact's figure: its
    relations are dropped before the facts are assembled (the corpus links none of its 47).

    ``metric_in_sentence``: a figure's metric is named in its sentence. A ``metric`` relation across a sentence end
    (。；！？) is dropped before the figure's metric is chosen, so a candidate in its own sentence may take the slot
    and, failing one, the figure makes no fact; unless the metric stands on a line that introduces a list block
    (…情况如下——, 各市:) and the figure is listed under it with no sentence end in between. In the corpus 1.3 %
    of the gold metric links cross a sentence end (most are parts of a breakdown after 其中, which the model rarely
    links right); in leave-one-report-out most predicted links that did were wrong (a METRIC of an earlier paragraph
    taken where the figure's own was not recognised), so the figure is better left without that link.

    ``time_in_sentence``: a figure whose time the extractor left open or took from outside its sentence takes the
    DATE named last before it in its sentence (截至2023年底，…), unless that DATE is the base of a comparison
    (较2022年, 比2022年底, 是2022年的) or an earlier value's time (由2020年底的…). In the corpus 92 % of the figures with
    such a DATE have it as their time, and most of the others have it as a comparison base.

    ``skip_captions``: a place or organisation named in a photo caption (``ipner.text.cues.CAPTION_LINE_RE``: ▲图为…,
    …记者 王晓 摄) is where the photo was taken, not what the figures after it are about: it is the subject of no
    figure outside that caption line, neither as a linked subject, nor carried over, nor as the city named last
    before a figure (GUIDELINES §4; none of the corpus's 40 caption places is).

    ``nearest_mention``: the subject, however it was found (linked, carried, the city named last), points at the last
    mention of its name before the figure in the figure's line where there is one. The fact is the same; its
    ``subject`` relation goes to the mention a reader would point at (其中，长沙在…榜中跃居第32位；…2.97万件 → that 长沙,
    not the 长沙 of the line above, which carry-over or the relation model found first).

    ``respective``: figures that 分别 pairs with a list are taken in order (A、B和C…分别为x、y和z: x is A's): the i-th
    figure's subject is the i-th of the places or organisations listed before 分别 in its clause, and its metric the
    i-th of the METRICs listed there, where the list has as many items as 分别 has figures; a later 分别 in the sentence
    with as many figures and no list of its own (…，同比分别增长22.4%、6.1%) takes the same list
    (:func:`_respective_relations`).

    ``clause_subject``: the subject is read off the figure's clause where it names one (GUIDELINES §3). A place or
    organisation that opens a clause of the figure's sentence, with no other named between it and the figure, holds
    the figure over a subject linked from before it (…9.86件，山东省同期为24.6件 → 山东省; :func:`_clause_opener`), unless
    it is one item of a list, a comparison's scope, a source, one of several actors (…与8家银行签署), a body whose name
    holds no place, or a whole place (全市) is named after it; a province opening such an aside after another holder's
    figures in its sentence is not carried past that sentence. An anaphor opening the figure's clause or an earlier
    one of its sentence (公司…，其中…261件; also 该校, 该行, 该关, after a time word: 2023年该关查扣…) refers to the organisation
    named before, over a place or another organisation linked (:func:`_organisation_in_clauses`). A clause opened by
    全国 or 我国 states a national figure: no subject, and no fallback gives it one (:func:`_states_national`).

    ``list_metric``: the figures listed under a line that introduces a list block and names a METRIC (…发明专利授权量如下：
    / 1. 袁州区：142件，同比增长19.3%；) take that METRIC where their item names none before them
    (:func:`_list_metric_relations`). Short heading lines between the items that name no entity (知识产权 创造) do not
    end the block.

    ``list_subject_time``: the figures listed under a line that introduces a list block take the place or organisation
    and the DATE that line names (2023年，杭州—— / ■ …1701项), each where their item names none before them
    (:func:`_list_subject_time_relations`).

    ``drop_unmeasured_metrics``: a METRIC that no fact takes as its metric is removed from ``doc.ents``
    (GUIDELINES: "a METRIC is tagged only when a figure of the passage measures it"). The relations of
    the entities that stay are unchanged, as they are stored by character spans.

    The metric's canonical id is read in context (:func:`ipner.metrics.link_metric_at`).

    ``doc._.relations`` are made to agree with the facts: the subject and time relations of a figure
    that has a fact are its fact's, so a slot filled by a fallback becomes a relation (score 0) and one
    emptied (a source, a place left out) is removed; other relations stay as the extractor wrote them.
    """

    settings = (
        "threshold", "carry_over_chars", "kind_context_chars", "skip_sources", "document_subject", "province_as_base",
        "deictic_city", "drop_unmeasured_metrics", "metric_in_sentence", "time_in_sentence", "skip_captions",
        "nearest_mention", "respective", "clause_subject", "list_metric", "list_subject_time",
    )

    def __init__(
        self,
        name: str = "ipner_facts",
        threshold: float = DEFAULT_FACT_SETTINGS["threshold"],
        carry_over_chars: int = DEFAULT_FACT_SETTINGS["carry_over_chars"],
        kind_context_chars: int = DEFAULT_FACT_SETTINGS["kind_context_chars"],
        skip_sources: bool = DEFAULT_FACT_SETTINGS["skip_sources"],
        document_subject: bool = DEFAULT_FACT_SETTINGS["document_subject"],
        province_as_base: bool = DEFAULT_FACT_SETTINGS["province_as_base"],
        deictic_city: bool = DEFAULT_FACT_SETTINGS["deictic_city"],
        drop_unmeasured_metrics: bool = DEFAULT_FACT_SETTINGS["drop_unmeasured_metrics"],
        metric_in_sentence: bool = DEFAULT_FACT_SETTINGS["metric_in_sentence"],
        time_in_sentence: bool = DEFAULT_FACT_SETTINGS["time_in_sentence"],
        skip_captions: bool = DEFAULT_FACT_SETTINGS["skip_captions"],
        nearest_mention: bool = DEFAULT_FACT_SETTINGS["nearest_mention"],
        respective: bool = DEFAULT_FACT_SETTINGS["respective"],
        clause_subject: bool = DEFAULT_FACT_SETTINGS["clause_subject"],
        list_metric: bool = DEFAULT_FACT_SETTINGS["list_metric"],
        list_subject_time: bool = DEFAULT_FACT_SETTINGS["list_subject_time"],
    ):
        register_extensions()
        self.name = name
        self.threshold = float(threshold)
        self.carry_over_chars = int(carry_over_chars)
        self.kind_context_chars = int(kind_context_chars)
        self.skip_sources = bool(skip_sources)
        self.document_subject = bool(document_subject)
        self.province_as_base = bool(province_as_base)
        self.deictic_city = bool(deictic_city)
        self.drop_unmeasured_metrics = bool(drop_unmeasured_metrics)
        self.metric_in_sentence = bool(metric_in_sentence)
        self.time_in_sentence = bool(time_in_sentence)
        self.skip_captions = bool(skip_captions)
        self.nearest_mention = bool(nearest_mention)
        self.respective = bool(respective)
        self.clause_subject = bool(clause_subject)
        self.list_metric = bool(list_metric)
        self.list_subject_time = bool(list_subject_time)

    def score(self, examples: Iterable[Example], **kwargs: Any) -> dict[str, float]:
        """Micro P/R/F of the predicted docs' facts against the facts of their references' gold entities
        and relations (matched as :func:`ipner.scoring.fact_keys` matches them, as evaluation does):
        ``facts_p``, ``facts_r``, ``facts_f``. spaCy's scorer reports them during training, so a config
        can choose its best checkpoint on facts (``[training.score_weights] facts_f``; fine-tuning does)."""
        tp = fp = fn = 0
        for example in examples:
            predicted = fact_keys(example.predicted._.facts or [])
            gold = fact_keys(assemble_gold_facts(example.reference.copy())._.facts)  # a copy: assembly writes to it
            tp, fp, fn = tp + len(predicted & gold), fp + len(predicted - gold), fn + len(gold - predicted)
        scores = precision_recall_f(tp, fp, fn)
        return {"facts_p": scores["p"], "facts_r": scores["r"], "facts_f": scores["f"]}

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        text = doc_text(doc)
        norm = doc_norm(doc)  # same length as text; cached by the tokenizer
        slots: dict[int, dict[str, tuple[int, float]]] = {}
        # a count of years (连续三年, 仅用2年时间) is a duration, never a figure a fact is made of (GUIDELINES §2)
        relations = [r for r in doc._.relations if not _counts_years(norm, ents[r["head"]])]
        captions = _caption_lines(norm) if self.skip_captions else []
        if captions:
            # a place in a photo caption is no subject of a figure outside that caption
            relations = [
                r for r in relations
                if r["label"] != "subject" or _outside_captions(captions, ents[r["child"]].start_char, ents[r["head"]].start_char)
            ]
        if self.metric_in_sentence:
            relations = [
                r for r in relations
                if r["label"] != "metric" or not _outside_sentence(norm, ents[r["child"]], ents[r["head"]])
            ]
        if self.respective:
            relations = _respective_relations(norm, ents, relations)
        blocks = _list_blocks(norm, ents) if self.list_metric or self.list_subject_time else []
        if self.list_metric:
            relations = _list_metric_relations(norm, ents, relations, blocks)
        if self.list_subject_time:
            relations = _list_subject_time_relations(norm, ents, relations, blocks)
        for rel in relations:
            if rel["score"] < self.threshold:
                continue
            current = slots.setdefault(rel["head"], {})
            if rel["label"] not in current or rel["score"] > current[rel["label"]][1]:
                current[rel["label"]] = (rel["child"], rel["score"])
        facts: list[Fact] = []
        facts_by_head: dict[int, Fact] = {}
        previous: Fact | None = None
        previous_whole_province = False  # the previous fact was stated for a province the text did not name
        previous_clause_opener = False  # the previous fact's subject opens a clause of its sentence, against the link
        # the places the document names decide names that several divisions share (鼓楼区)
        context = frozenset(e.text for e in ents if e.label_ in PLACE_LABELS)
        metric_spans = [(e.start_char, e.end_char) for e in ents if e.label_ == "METRIC"]
        main_place, main_city = (
            self._main_place(ents, context)
            if self.document_subject or self.province_as_base or self.deictic_city else ([], None)
        )
        metric_index = {span: i for i, span in enumerate(metric_spans)}
        # the places and organisations a figure outside a caption may take as its subject
        subjects_named = [e for e in ents if e.label_ in SUBJECT_LABELS and _caption_of(captions, e.start_char) is None]
        named_starts = [e.start_char for e in subjects_named]
        places = [e for e in subjects_named if e.label_ in PLACE_LABELS]
        # a city ranked above the figure's holder (仅次于成都和绵阳) is not the city a later 全市 refers back to
        cities = [
            e for e in places if e.label_ == "CITY"
            and not _is_ranked_above(norm, SubjectSlot(e.text, e.start_char, e.end_char, e.label_))
        ]
        city_starts = [e.start_char for e in cities]
        for head in sorted(slots, key=lambda i: ents[i].start_char):
            linked = slots[head]
            if "metric" not in linked or ents[head].label_ != "QUANTITY":
                continue
            quantity = ents[head]
            metric, score = ents[linked["metric"][0]], linked["metric"][1]
            subject = self._subject(ents[linked["subject"][0]]) if "subject" in linked else None
            if subject is not None and (
                self.skip_sources and _is_source(norm, subject) or _is_excluded(norm, subject) or _is_scope(norm, subject)
                or _is_ranked_above(norm, subject)
            ):
                subject = None
            opener = _clause_opener(norm, subjects_named, named_starts, quantity, subject) if self.clause_subject else None
            subject = opener or subject
            # a figure whose clause opens with 全国 (全国每万人口…为12.4件) is the nation's: no subject (GUIDELINES §3)
            national = self.clause_subject and opener is None and _states_national(norm, subjects_named, quantity)
            subject = None if national else subject
            sentence = sentence_around(text, quantity.start_char, quantity.end_char)
            if (
                subject is not None and self.province_as_base and main_city is not None
                and _is_comparison_base(text, norm, subject, quantity, main_city, context)
            ):
                subject = self._nearest_before(main_place, quantity.start_char)
            if self.deictic_city and main_place and (
                _states_whole(_DEICTIC_CITY, norm, cities, subject, quantity)
                or subject is not None and subject.label == "ORG"
                and _PLACELESS_CITY_BODY.fullmatch(norm, subject.start, subject.end) is not None
            ):
                subject = self._within_main_city(
                    self._city_before(cities, city_starts, context, quantity.start_char)
                    or self._nearest_before(main_place, quantity.start_char),
                    cities, main_place, main_city, context, quantity.start_char,
                )
            stated_for_province = (
                self.deictic_city and main_city is not None
                and _states_whole(_DEICTIC_PROVINCE, norm, places, subject, quantity)
            )
            if stated_for_province:
                subject = _province_before(norm, ents, context, quantity.start_char, main_city) or subject
            # …and where the text names the province nowhere before, it takes no city by the fallbacks below (记者从江西省
            # 知识产权局获悉，…全省有效发明专利6.52万件, in a report that names 南昌 after it), unless a place is named
            # between 全省 and the figure (在2023年度全省…考核中，宜宾位列第3: 宜宾's rank)
            whole_province = national or stated_for_province and subject is None and not _named_after_deictic(
                _DEICTIC_PROVINCE, norm, places, quantity
            )
            if subject is not None and subject.label == "ORG" and _collective_acts(norm, subject, quantity.start_char):
                subject = None
            time = self._time(doc, ents[linked["time"][0]]) if "time" in linked else None
            if self.time_in_sentence and (time is None or time.start < _sentence_start(norm, quantity.start_char)):
                own_date = _date_before_in_sentence(norm, ents[:head], quantity.start_char)
                time = self._time(doc, own_date) if own_date is not None else time
            if (
                previous is not None and 0 < quantity.start_char - previous.quantity.start <= self.carry_over_chars
                and not _ITEM_START.search(text, previous.quantity.end, quantity.start_char)
            ):
                # the whole province, unnamed, is carried as any subject is (…全省…6.52万件；每万人口…4.12件)
                whole_province = whole_province or subject is None and previous.subject is None and previous_whole_province
                # a name that opened a clause against the link (山东省同期为24.6件；) holds its sentence, not the next one
                opened_before = previous_clause_opener and SENTENCE_BOUNDARY_RE.search(
                    text, previous.quantity.end, quantity.start_char
                ) is not None
                if (
                    subject is None and not whole_province and previous.subject is not None and not opened_before
                    and _outside_captions(captions, previous.subject.start, quantity.start_char)
                ):
                    subject = replace(previous.subject, carried=True)
                if time is None and previous.time is not None:
                    time = replace(previous.time, carried=True)
            if subject is None and main_place and self.document_subject and not whole_province:
                # the city named last before the figure (the one its paragraph or section is about), else
                # the document's main city
                named_before = bisect_left(city_starts, quantity.start_char)
                subject = self._nearest_before(cities[max(0, named_before - 1) : named_before] or main_place, quantity.start_char)
            if subject is not None and subject.start < _sentence_start(norm, quantity.start_char) and (
                subject.label in PLACE_LABELS or self.clause_subject
            ):
                # 公司, 该局 opening the figure's clause: the organisation named before, not the place named before
                referred = (
                    _organisation_in_clauses(norm, subjects_named, ents[:head], quantity.start_char) if self.clause_subject
                    else _organisation_referred_to(norm, ents[:head], quantity.start_char)
                )
                if referred is not None and not (subject.label == "ORG" and _same_kind_or_later(norm, subject, referred)):
                    subject = referred
            if self.nearest_mention and subject is not None:
                subject = _nearest_mention(norm, subjects_named, subject, quantity)
            canonical = link_metric_at(
                text, metric_spans, metric_index[metric.start_char, metric.end_char],
                ents[linked["metric"][0] - 1].end_char if linked["metric"][0] > 0 else 0,
            )
            fact = Fact(
                metric=MetricSlot(
                    metric.text, metric.start_char, metric.end_char,
                    canonical.id if canonical else None, canonical.name_zh if canonical else None,
                ),
                quantity=self._quantity(text, norm, ents, head),
                subject=subject,
                time=time,
                sentence=sentence,
                score=round(float(score), 4),
                place=resolve_place(subject.text, subject.label, context) if subject else None,
            )
            facts.append(fact)
            facts_by_head[head] = fact
            previous, previous_whole_province = fact, whole_province and subject is None
            # a place that opened a clause aside, after figures of another holder in its sentence (…全市…9.86件，…，山东省同期
            # 为24.6件；), is compared with, not the topic: its subject is not carried past the sentence
            previous_clause_opener = opener is not None and subject == opener and _opens_aside(norm, facts, opener)
        doc._.facts = facts
        doc._.relations = _relations_of_facts(relations, ents, facts_by_head)
        kept = ents
        if self.drop_unmeasured_metrics:
            measured = {(fact.metric.start, fact.metric.end) for fact in facts}
            kept = [e for e in ents if e.label_ != "METRIC" or (e.start_char, e.end_char) in measured]
        # after the relations, so that a national body never competes with the places for a figure's subject
        kept = with_national_bodies(doc, norm, kept)
        if kept != ents:
            doc.ents = kept
        return doc

    def _quantity(self, text: str, norm: str, ents: list[Span], head: int) -> QuantitySlot:
        quantity = ents[head]
        # A figure listed right after another (同比分别增长12.1%、5.3%和-2.4%) is of the kind the words before the
        # first of the list make it.
        first = head
        while first > 0 and ents[first - 1].label_ == "QUANTITY" and _LIST_JOINER.fullmatch(
            norm, ents[first - 1].end_char, ents[first].start_char
        ):
            first -= 1
        # The context starts after the previous entity, so that words inside a METRIC
        # (研发投入占GDP比重) do not decide the kind of the figure that follows it.
        start = ents[first].start_char
        context_start = max(ents[first - 1].end_char if first > 0 else 0, start - self.kind_context_chars)
        parsed = parse_quantity(quantity.text, text[context_start:start])
        value = parsed.value
        signed = norm[quantity.start_char - 1 : quantity.start_char] in _MINUS
        if signed and parsed.kind == "growth" and value is not None and value > 0:
            value = -value  # 增长-2.4%: a decline, negative as SCHEMA.md writes declines
        return QuantitySlot(
            quantity.text, quantity.start_char, quantity.end_char, value, parsed.unit, parsed.approx, parsed.kind
        )

    @staticmethod
    def _main_place(ents: list[Span], context: frozenset[str]) -> tuple[list[Span], Place | None]:
        """The mentions of the city the document names most often (the first named on a tie) and its
        place, or ``([], None)``."""
        cities = [e for e in ents if e.label_ == "CITY"]
        places = [resolve_place(span.text, span.label_, context) for span in cities]
        keys = [place.name if place is not None else normalize_text(span.text) for span, place in zip(cities, places)]
        if not keys:
            return [], None
        counts = Counter(keys)  # in the order first named, so max keeps the first on a tie
        best = max(counts, key=counts.__getitem__)
        return [span for span, key in zip(cities, keys) if key == best], places[keys.index(best)]

    @staticmethod
    def _nearest_before(mentions: list[Span], position: int) -> SubjectSlot:
        """The last of ``mentions`` that starts before ``position`` (else the first), as a carried subject."""
        before = [e for e in mentions if e.start_char < position]
        span = before[-1] if before else mentions[0]
        return SubjectSlot(span.text, span.start_char, span.end_char, span.label_, carried=True)

    def _within_main_city(
        self, subject: SubjectSlot, cities: list[Span], main_place: list[Span], main_city: Place | None,
        context: frozenset[str], position: int,
    ) -> SubjectSlot:
        """``subject``, or the document's main city (its mention named last before ``position``) when ``subject``
        is a county, county-level city or district inside it that the document names less often (全市 in a report
        on 酒泉 that has just named 玉门市; a report that names 海宁 as often as 嘉兴 is about 海宁)."""
        if main_city is None or main_city.level != "city" or not main_city.code:
            return subject
        place = resolve_place(subject.text, subject.label, context)
        if (
            place is not None and place.code and place.code != main_city.code
            and place.level in ("county", "district") and place.code[:4] == main_city.code[:4]
            and sum(resolve_place(e.text, e.label_, context) == place for e in cities) < len(main_place)
        ):
            return self._nearest_before(main_place, position)
        return subject

    @staticmethod
    def _city_before(cities: list[Span], city_starts: list[int], context: frozenset[str], position: int) -> SubjectSlot | None:
        """The last of ``cities`` (whose start offsets are ``city_starts``) named before ``position`` that is
        a city (prefecture-level, or a county-level 市), as a carried subject; None when there is none."""
        for span in reversed(cities[: bisect_left(city_starts, position)]):
            place = resolve_place(span.text, span.label_, context)
            if place is not None and (place.level == "city" or (place.level == "county" and place.name.endswith("市"))):
                return SubjectSlot(span.text, span.start_char, span.end_char, span.label_, carried=True)
        return None

    @staticmethod
    def _subject(span: Span) -> SubjectSlot:
        return SubjectSlot(span.text, span.start_char, span.end_char, span.label_)

    @staticmethod
    def _time(doc: Doc, date: Span) -> TimeSlot:
        parsed = parse_date(date.text, doc._.doc_date)
        return TimeSlot(date.text, date.start_char, date.end_char, parsed.year, period=parsed.period)


def _relations_of_facts(relations: list[dict], ents: list[Span], facts_by_head: dict[int, Fact]) -> list[dict]:
    """``relations`` made to agree with the facts (``facts_by_head``: the fact of each QUANTITY by its index in
    ``ents``): the subject and time relations of a figure that has a fact are those of its fact, so a slot the
    assembler filled (a carried subject, the document's city) is a relation too, with score 0, and one it
    emptied (the source of a statement, a place left out) is none."""
    spans = {(ent.start_char, ent.end_char): index for index, ent in enumerate(ents)}
    scores = {(r["head"], r["child"], r["label"]): r["score"] for r in relations}
    agreeing = [r for r in relations if r["head"] not in facts_by_head or r["label"] not in ("subject", "time")]
    for head, fact in facts_by_head.items():
        for label, slot in (("subject", fact.subject), ("time", fact.time)):
            child = spans.get((slot.start, slot.end)) if slot is not None else None
            if child is not None:
                agreeing.append({"head": head, "child": child, "label": label, "score": scores.get((head, child, label), 0.0)})
    return agreeing


# The words that join the items of a list (A、B和C) and the figures paired with them (x、y和z), with the minus sign of
# a figure that follows (和-2.4%): normalised text.
_LIST_JOINER = re.compile(r"[、，,\s]*(?:和|及|与|以及|、)?\s*[-－−+]?")
# What stands between 分别 and the first figure it pairs (分别为, 分别达到, 同比分别增长, 分别居全省): a few words, no break.
_RESPECTIVE_LEAD = re.compile(r"[^，,。；;：:！？!?\n]{0,10}")
# A minus sign written right before a figure (增长-2.4%); normalised text, where the full-width one is half-width.
_MINUS = ("-", "−", "－")
# Where a clause begins for a list paired by 分别: a comma, a colon or a sentence's end (not 、, which joins the list).
_LIST_CLAUSE_BREAK = "，,：:" + SENTENCE_BOUNDARY_CHARS


def _respective_relations(norm: str, ents: list[Span], relations: list[dict]) -> list[dict]:
    """``relations`` with the figures that 分别 pairs with a list taken in order (A、B和C…分别为x、y和z: x is A's, y B's,
    z C's): the i-th figure's subject is the i-th of N places or organisations listed before 分别 in its clause, and
    its metric the i-th of N METRICs listed there (东南大学、南京大学发明专利授权量分别为2,410件和1,986件; 发明、实用新型、
    外观设计专利授权量分别为431件、2018件、397件), where the list and the figures are equally many. A later 分别 in the
    same sentence with as many figures and no list of its own (…，同比分别增长22.4%、6.1%) pairs them with the same
    list. The relation extractor scores each pair on its own and, in new text, often gives every figure the last item;
    GUIDELINES §3 annotates them in order. A replaced relation keeps its score; an added one takes the best score
    of its label in the group."""
    if RESPECTIVELY_CUE not in norm:
        return relations
    quantities = [i for i, e in enumerate(ents) if e.label_ == "QUANTITY"]
    pairs: dict[tuple[int, str], int] = {}  # (figure, label) -> the item it takes
    previous: tuple[int, int, dict[str, list[int]]] | None = None  # sentence start, figures, items of the last group
    for cue in re.finditer(RESPECTIVELY_CUE, norm):
        figures = _figures_paired(norm, ents, quantities, cue.end())
        if len(figures) < 2:
            continue
        clause_begins = _stretch_start(norm, cue.start(), _LIST_CLAUSE_BREAK)
        items = {
            "subject": _listed(norm, ents, clause_begins, cue.start(), SUBJECT_LABELS, len(figures)),
            "metric": _listed(norm, ents, clause_begins, cue.start(), ("METRIC",), len(figures)),
        }
        sentence_start = _sentence_start(norm, cue.start())
        if not any(items.values()) and previous is not None and previous[:2] == (sentence_start, len(figures)):
            items = previous[2]
        previous = (sentence_start, len(figures), items)
        for label, listed in items.items():
            for figure, item in zip(figures, listed):
                pairs[figure, label] = item
    if not pairs:
        return relations
    kept, replaced = [], {}
    for r in relations:
        key = (r["head"], r["label"])
        if key in pairs:
            replaced[key] = r["score"]
        else:
            kept.append(r)
    best: dict[str, float] = {}
    for (_, label), score in replaced.items():
        best[label] = max(best.get(label, 0.0), score)
    for (head, label), child in pairs.items():
        score = replaced.get((head, label), best.get(label))
        if score is not None:
            kept.append({"head": head, "child": child, "label": label, "score": score})
    return kept


def _list_metric_relations(
    norm: str, ents: list[Span], relations: list[dict], blocks: list[_ListBlock]
) -> list[dict]:
    """``relations`` with the metric of each figure listed under a line that introduces a list block and names a METRIC
    (各县（市、区）发明专利授权量如下： / 1. 袁州区：142件，同比增长19.3%；/ 2. …) set to that METRIC, the last the line names,
    where the figure's item names no METRIC before it (3. 樟树市：88件，其中中药领域发明专利授权量51件: 88件 the block's, 51件
    its own). The relation extractor, which scores each figure against candidates near it, leaves most of these
    figures without a metric once the block runs past a few lines. ``blocks`` are the document's
    (:func:`_list_blocks`)."""
    return _list_slot_relations(norm, ents, relations, "metric", blocks)


def _list_subject_time_relations(
    norm: str, ents: list[Span], relations: list[dict], blocks: list[_ListBlock]
) -> list[dict]:
    """``relations`` with the subject and the time of each figure listed under a line that introduces a list block
    (2023年，杭州—— / 知识产权创造 / ■ 转移转化高价值知识产权1701项…) set to the place or organisation and the DATE that
    line names, where the figure's item names none before it: the line states the holder and the period of every
    item under it. In the corpus 190 of 199 such figures take the line's subject and 381 of 381 its DATE; the relation
    extractor links them to a mention inside an earlier item (杭州获奖108项) or to none. Only figures with a metric
    relation are given slots (a figure without a metric states no fact and has no relations). ``blocks`` are the
    document's (:func:`_list_blocks`)."""
    measured = {r["head"] for r in relations if r["label"] == "metric"}
    with_subjects = _list_slot_relations(norm, ents, relations, "subject", blocks, measured)
    return _list_slot_relations(norm, ents, with_subjects, "time", blocks, measured)


def _list_slot_relations(
    norm: str, ents: list[Span], relations: list[dict], label: str, blocks: list[_ListBlock],
    figures: set[int] | None = None,
) -> list[dict]:
    """``relations`` with the ``label`` slot of each figure listed in one of ``blocks`` (of ``figures`` only, where
    given) set to the entity of the slot's labels (``_LIST_SLOT_LABELS``) that the block's introducing line names last
    outside brackets (截至2023年底，乌鲁木齐高新区（新市区）—— → 乌鲁木齐高新区), where the figure's item names no entity of
    those labels before it; ``norm`` is the document's normalised text. A replaced relation keeps its score; an added
    one takes the best score of a relation to that entity, else 0.5."""
    labels = _LIST_SLOT_LABELS[label]
    starts = [e.start_char for e in ents]
    pairs: dict[int, int] = {}
    for line_start, line_end, items in blocks:
        introduced = [
            i for i in range(bisect_left(starts, line_start), bisect_left(starts, line_end))
            if ents[i].label_ in labels and ents[i].end_char <= line_end and not _in_brackets(norm, line_start, ents[i])
        ]
        if not introduced:
            continue
        for item_start, item_end in items:
            named = False  # the item names an entity of the slot's labels before the figure
            for index in range(bisect_left(starts, item_start), bisect_left(starts, item_end)):
                named = named or ents[index].label_ in labels
                if ents[index].label_ == "QUANTITY" and not named and (figures is None or index in figures):
                    pairs[index] = introduced[-1]
    if not pairs:
        return relations
    kept = [r for r in relations if not (r["label"] == label and r["head"] in pairs)]
    replaced = {r["head"]: r["score"] for r in relations if r["label"] == label and r["head"] in pairs}
    for head, child in pairs.items():
        score = replaced.get(head, max((r["score"] for r in relations if r["child"] == child), default=0.5))
        kept.append({"head": head, "child": child, "label": label, "score": score})
    return kept


def _list_blocks(norm: str, ents: list[Span]) -> list[_ListBlock]:
    """The list blocks of the normalised text: each as the (start, end) of the line that introduces it
    (``_LIST_INTRODUCER``) and the (start, end) of its items, the lines that open with a list item's marker under it.
    Blank lines and short heading lines that name no entity of ``ents`` (``_LIST_HEADING``: 知识产权 创造) may stand
    between the items; a heading that names one (商标注册情况, 宁波) or introduces a list itself ends the block."""
    starts = [e.start_char for e in ents]
    lines = _line_spans(norm)
    blocks = []
    for number, (line_start, line_end) in enumerate(lines):
        if not _LIST_INTRODUCER.search(norm, line_start, line_end):
            continue
        items = []
        for index in range(number + 1, len(lines)):
            item_start, item_end = lines[index]
            line = norm[item_start:item_end]
            if _LIST_ITEM_LINE.match(line):
                items.append((item_start, item_end))
            elif line.strip() and (
                _LIST_HEADING.fullmatch(line) is None or _LIST_INTRODUCER.search(line)
                or bisect_left(starts, item_start) < bisect_left(starts, item_end)
            ):
                break
        blocks.append((line_start, line_end, items))
    return blocks


def _in_brackets(norm: str, line_start: int, ent: Span) -> bool:
    """Whether ``ent`` stands inside brackets opened after ``line_start`` (高新区（新市区）: an alias of the name before)."""
    before = norm[line_start : ent.start_char]
    return before.rfind("(") > before.rfind(")")


def _figures_paired(norm: str, ents: list[Span], quantities: list[int], cue_end: int) -> list[int]:
    """The QUANTITYs (indices into ``ents``) that the 分别 ending at ``cue_end`` pairs with a list: the first a few
    words after it, then each next one joined to it by 、, 和, 及 or a comma alone; none past its sentence."""
    lead_end = _RESPECTIVE_LEAD.match(norm, cue_end).end()
    figures: list[int] = []
    for index in quantities:
        start = ents[index].start_char
        if start < cue_end:
            continue
        if start > lead_end if not figures else _LIST_JOINER.fullmatch(norm, ents[figures[-1]].end_char, start) is None:
            break
        figures.append(index)
    return figures


def _listed(norm: str, ents: list[Span], start: int, end: int, labels: tuple[str, ...], count: int) -> list[int]:
    """The ``count`` entities (indices into ``ents``) with one of ``labels`` listed last between ``start`` and ``end``,
    each joined to the next by 、, 和, 及 or 与 only; ``[]`` unless exactly ``count`` form that list."""
    inside = [i for i, e in enumerate(ents) if start <= e.start_char and e.end_char <= end and e.label_ in labels]
    listed: list[int] = []
    for index in reversed(inside):
        if listed and _LIST_JOINER.fullmatch(norm, ents[index].end_char, ents[listed[0]].start_char) is None:
            break
        listed.insert(0, index)
    return listed if len(listed) == count else []


def _outside_sentence(norm: str, metric: Span, quantity: Span) -> bool:
    """Whether ``metric`` is named outside the sentence of ``quantity`` (a sentence end stands between them), and
    not on a line that introduces a list block (``_LIST_INTRODUCER``) under which ``quantity`` is listed with no
    sentence end in between; ``norm`` is the document's normalised text."""
    before = metric.start_char < quantity.start_char
    left, right = (metric.end_char, quantity.start_char) if before else (quantity.end_char, metric.start_char)
    if SENTENCE_END_RE.search(norm, left, max(left, right)) is None:
        return False
    line_end = norm.find("\n", left, right) if before else -1
    return not (
        line_end >= 0 and _LIST_INTRODUCER.search(norm, left, line_end) is not None
        and SENTENCE_END_RE.search(norm, line_end, right) is None
    )


def _line_spans(text: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the lines of ``text``, line breaks excluded."""
    spans, start = [], 0
    for line in text.split("\n"):
        spans.append((start, start + len(line)))
        start += len(line) + 1
    return spans


def _caption_lines(norm: str) -> list[tuple[int, int]]:
    """The (start, end) offsets of the photo captions' lines (``CAPTION_LINE_RE``) of the normalised text."""
    return [(start, end) for start, end in _line_spans(norm) if CAPTION_LINE_RE.search(norm[start:end])]


def _outside_captions(captions: list[tuple[int, int]], subject: int, figure: int) -> bool:
    """Whether a subject at offset ``subject`` may be the subject of a figure at ``figure``: it is in no caption line
    of ``captions``, or in the figure's own."""
    return _caption_of(captions, subject) in (None, _caption_of(captions, figure))


def _caption_of(captions: list[tuple[int, int]], position: int) -> tuple[int, int] | None:
    """The caption line of ``captions`` that holds ``position``, or None."""
    return next((line for line in captions if line[0] <= position < line[1]), None)


def _date_before_in_sentence(norm: str, ents_before: list[Span], position: int) -> Span | None:
    """The DATE of ``ents_before`` named last before ``position`` in its sentence that is not the base of a comparison
    or an earlier value's time (``_DATE_AS_BASE``), or None; ``norm`` is the document's normalised text."""
    sentence_start = _sentence_start(norm, position)
    for ent in reversed(ents_before):
        if ent.start_char < sentence_start:
            return None
        if ent.label_ == "DATE" and _DATE_AS_BASE.search(norm, max(0, ent.start_char - 1), ent.start_char) is None:
            return ent
    return None


def _is_source(norm_text: str, subject: SubjectSlot) -> bool:
    """Whether ``subject`` is an organisation named as the source of the statement (…发布, …介绍), or a government
    body whose official speaks after its name (…市场监督管理局副局长王强说: a company's official speaking of it keeps
    its figures, GUIDELINES §3); the text is the document's normalised text."""
    return subject.label == "ORG" and (
        source_follows(norm_text, subject.end)
        or GOVERNMENT_BODY_END_RE.search(norm_text, subject.start, subject.end) is not None
        and official_speaks(norm_text, subject.end)
    )


def _is_excluded(norm_text: str, subject: SubjectSlot) -> bool:
    """Whether ``subject`` is a place the text leaves out (不含港澳台, 除北京外); the text is normalised."""
    return subject.label in PLACE_LABELS and _EXCLUDED.search(
        norm_text, max(0, subject.start - _EXCLUDED_CHARS), subject.start
    ) is not None


def _is_scope(norm_text: str, subject: SubjectSlot) -> bool:
    """Whether ``subject`` is a place named as the scope a figure's holder leads in (中部地区领先的…强市, 位居河南省
    前列) or the base it is compared with (占嘉兴全市的三成, 居甘肃省各市州第1位: right after 居, 占, 列, 较 or 比), not
    the holder; the text is normalised. The corpus links none of its 199 places right after 居, 占 or 列."""
    return subject.label in PLACE_LABELS and (
        _SCOPE_AFTER.match(norm_text, subject.end) is not None
        or (subject.start > 0 and norm_text[subject.start - 1] in _COMPARED_BEFORE)
    )


def _is_ranked_above(norm_text: str, subject: SubjectSlot) -> bool:
    """Whether ``subject`` is named as the one a figure's holder ranks second to (仅次于兰州, 次于深圳, 仅次于成都和绵阳):
    ranked above the holder, not the holder (no such name is a subject in the corpus: 0 of 6); the text is normalised."""
    return _RANKED_ABOVE.search(norm_text, max(0, subject.start - _RANKED_ABOVE_CHARS), subject.start) is not None


def _is_comparison_base(
    text: str, norm: str, subject: SubjectSlot, quantity: Span, main_city: Place, context: frozenset[str]
) -> bool:
    """Whether ``subject`` is the province of the document's city, named outside the figure's sentence,
    in a sentence that compares with the whole province (居全省第二): the base, not the subject. ``norm``
    is the document's normalised ``text``."""
    if not _PROVINCE_AGGREGATE.search(sentence_around(norm, quantity.start_char, quantity.end_char)):
        return False
    between = text[min(subject.end, quantity.start_char) : max(subject.start, quantity.end_char)]
    if not SENTENCE_BOUNDARY_RE.search(between):
        return False  # a province named in the figure's own sentence is its subject (甘肃…占全省的35.6%)
    place = resolve_place(subject.text, subject.label, context)
    return place is not None and place.level == "province" and main_city.province == place.name


def _states_whole(
    pattern: re.Pattern[str], norm: str, places: list[Span], subject: SubjectSlot | None, quantity: Span
) -> bool:
    """Whether the sentence of ``quantity`` states it for the whole city or province (a match of the deictic
    ``pattern``, ``_DEICTIC_CITY`` or ``_DEICTIC_PROVINCE``, before it), not right after one of ``places``' names
    (济南全市, 占福建全省的31.5%), and does not name ``subject`` before it; ``norm`` is the document's normalised text.
    The pattern's lookahead sees the figure itself: 全省 + 第一 is a rank's scope, not the province's figure."""
    if subject is not None and _sentence_start(norm, quantity.start_char) <= subject.start < quantity.start_char:
        return False
    match = _deictic_before(pattern, norm, quantity)
    return match is not None and not any(place.end_char == match.start() for place in places)


def _deictic_before(pattern: re.Pattern[str], norm: str, quantity: Span) -> re.Match[str] | None:
    """The first deictic word of ``pattern`` (全市, 全省) in the sentence of ``quantity`` that ends before it; the
    pattern's lookahead sees the figure itself. ``norm`` is the document's normalised text."""
    start = _sentence_start(norm, quantity.start_char)
    return next((m for m in pattern.finditer(norm, start, quantity.end_char) if m.end() <= quantity.start_char), None)


def _named_after_deictic(pattern: re.Pattern[str], norm: str, places: list[Span], quantity: Span) -> bool:
    """Whether one of ``places`` is named between the deictic word of ``pattern`` (全省, 全市) that opens the figure's
    sentence and the figure ``quantity``; ``norm`` is the document's normalised text."""
    match = _deictic_before(pattern, norm, quantity)
    return match is not None and any(match.end() <= p.start_char and p.end_char <= quantity.start_char for p in places)


def _stretch_start(text: str, position: int, stops: str) -> int:
    """Where the stretch of ``text`` that holds ``position`` begins: after the last of ``stops`` before it."""
    while position > 0 and text[position - 1] not in stops:
        position -= 1
    return position


def _sentence_start(text: str, position: int) -> int:
    """Where the sentence (or line) of ``text`` that holds ``position`` begins."""
    return _stretch_start(text, position, SENTENCE_BOUNDARY_CHARS)


def _nearest_mention(norm: str, named: list[Span], subject: SubjectSlot, quantity: Span) -> SubjectSlot:
    """``subject`` moved to the last mention of the same name and label before ``quantity`` in its line, else left
    where it is: the same fact, its relation pointed where a reader finds the subject (其中，长沙在…榜中跃居第32位；…高价值
    发明专利拥有量2.97万件 → that 长沙, not one a line up). A mention after the figure is left alone: it is more often
    an object (让知识产权成为衡阳制造的…). ``named`` are the document's places and organisations outside captions;
    ``norm`` is its normalised text."""
    name = norm[subject.start : subject.end]
    line_start = _stretch_start(norm, quantity.start_char, "\n")
    before = [
        p for p in named
        if line_start <= p.start_char and p.end_char <= quantity.start_char and p.label_ == subject.label
        and norm[p.start_char : p.end_char] == name
    ]
    if not before:
        return subject
    return replace(subject, start=before[-1].start_char, end=before[-1].end_char)


def sentence_around(text: str, start: int, end: int) -> str:
    """The sentence (or line) of ``text`` that holds ``text[start:end]``, with its end mark, stripped."""
    left = _sentence_start(text, start)
    right = end
    while right < len(text) and not SENTENCE_BOUNDARY_RE.match(text[right]):
        right += 1
    if right < len(text) and text[right] != "\n":
        right += 1
    return text[left:right].strip()


def _province_before(
    norm: str, ents: list[Span], context: frozenset[str], position: int, main_city: Place
) -> SubjectSlot | None:
    """The province of the document's main city (or the main place itself when it is a province) named last
    before ``position`` other than as the scope of a comparison, as a carried subject; None when the text names
    it nowhere before; ``norm`` is the document's normalised text."""
    for ent in reversed([e for e in ents if e.start_char < position and e.label_ in PLACE_LABELS]):
        place = resolve_place(ent.text, ent.label_, context)
        if (
            place is not None and place.level == "province" and place.name in (main_city.province, main_city.name)
            and not _named_as_scope(norm, ent)
        ):
            return SubjectSlot(ent.text, ent.start_char, ent.end_char, ent.label_, carried=True)
    return None


def _named_as_scope(norm: str, place: Span) -> bool:
    """Whether ``place`` is named as the scope or base of a comparison (居甘肃省各市州第1位): right after 居, 占, 列, 较
    or 比, or right before 各; ``norm`` is the document's normalised text."""
    return (place.start_char > 0 and norm[place.start_char - 1] in _COMPARED_BEFORE) or norm.startswith(
        _COMPARED_AFTER, place.end_char
    )


def _organisation_referred_to(norm: str, ents_before: list[Span], position: int) -> SubjectSlot | None:
    """The organisation that an anaphor opening the clause before ``position`` refers to (公司, 该公司, 该局, 本中心:
    ``_ANAPHOR``): the last ORG of ``ents_before`` named before it whose name ends with the anaphor's head
    (``_ANAPHOR_HEADS``), as a carried subject; None when there is no anaphor or no such organisation."""
    anaphor = _ANAPHOR.match(norm, clause_start(norm, position), position)
    if anaphor is None:
        return None
    return _organisation_named_before(norm, ents_before, anaphor.start(), anaphor.group(1))


def _organisation_named_before(norm: str, ents_before: list[Span], position: int, head: str) -> SubjectSlot | None:
    """The last ORG of ``ents_before`` that ends before ``position`` with a name of the anaphor ``head``'s kind
    (``_ANAPHOR_HEADS``: …股份有限公司 for 公司), as a carried subject; None when there is none."""
    org = next(
        (e for e in reversed(ents_before) if e.label_ == "ORG" and e.end_char <= position
         and norm[e.start_char : e.end_char].endswith(_ANAPHOR_HEADS[head])),
        None,
    )
    return SubjectSlot(org.text, org.start_char, org.end_char, org.label_, carried=True) if org is not None else None


def _clause_opener(
    norm: str, named: list[Span], named_starts: list[int], quantity: Span, subject: SubjectSlot | None
) -> SubjectSlot | None:
    """The place or organisation that opens a clause of ``quantity``'s sentence before it, with no other of ``named``
    (the document's places and organisations outside captions, starting at ``named_starts``) between it and the
    figure, where ``subject`` is not named after it: a reader takes the figures of 山东省同期为24.6件 as 山东省's,
    whatever the extractor linked from an earlier sentence. A name opens a clause when only a lead word (其中, 同期,
    此外…: ``_CLAUSE_LEAD``) stands before it in the clause. None opens one that is a list's last item (丰城市、樟树市),
    a comparison's scope (山东省各设区市…), a source (南宁海关发布…), one of several actors (…中心与8家银行签署), a body
    whose name holds no place where a place is linked (区市场监管局), or one followed by 分别 or a whole place (全市)
    before the figure. ``norm`` is the document's normalised text."""
    sentence_start = _sentence_start(norm, quantity.start_char)
    index = bisect_left(named_starts, quantity.start_char)
    last = named[index - 1] if index > 0 else None
    if last is None or last.start_char < sentence_start or last.end_char > quantity.start_char:
        return None
    if subject is not None and subject.start >= last.start_char:
        return None
    clause_begins = clause_start(norm, last.start_char)
    if norm[clause_begins - 1 : clause_begins] == "、" or _CLAUSE_LEAD.fullmatch(norm, clause_begins, last.start_char) is None:
        return None  # a list's last item (丰城市、樟树市…分别为) opens no clause
    if _WHOLE_PLACE.search(norm, last.end_char, quantity.start_char):
        return None  # …局长马建国说，今年全市将再培育100家: the figure is stated for the whole city, not the opener's
    opener = SubjectSlot(last.text, last.start_char, last.end_char, last.label_)
    if last.label_ in PLACE_LABELS and _named_as_scope(norm, last) or _is_source(norm, opener):
        return None
    if subject is not None and subject.label in PLACE_LABELS and _PLACELESS_BODY.fullmatch(
        norm, last.start_char, last.end_char
    ):
        return None  # 区市场监管局 stands for the place the passage is about: the place linked is that place or a better guess
    if _CO_ACTOR.match(norm, last.end_char) or RESPECTIVELY_CUE in norm[last.end_char : quantity.start_char]:
        return None  # …中心与8家银行签署协议; 黄石…,鄂州613件,增速分别为…: not the opener's alone
    return opener


def _opens_aside(norm: str, facts: list[Fact], opener: SubjectSlot) -> bool:
    """Whether the last of ``facts``, whose subject ``opener`` opens its clause, follows a figure of another holder
    in its sentence (…全市…9.86件，…，山东省同期为24.6件): an aside that compares; ``norm`` is the normalised text."""
    sentence_start = _sentence_start(norm, facts[-1].quantity.start)
    name = norm[opener.start : opener.end]
    for earlier in reversed(facts[:-1]):
        if earlier.quantity.start < sentence_start:
            return False
        if earlier.subject is not None and norm[earlier.subject.start : earlier.subject.end] != name:
            return True
    return False


def _same_kind_or_later(norm: str, organisation: SubjectSlot, referred: SubjectSlot) -> bool:
    """Whether ``organisation``, the subject linked, is one the anaphor that gave ``referred`` may mean as well: named
    after it (a short name, 中车株洲所 after 中车株洲电力机车研究所有限公司), or of the anaphor's kind (another company for 公司);
    ``norm`` is the document's normalised text."""
    kinds = next((heads for heads in _ANAPHOR_HEADS.values() if norm[referred.start : referred.end].endswith(heads)), ())
    return organisation.start > referred.start or norm[organisation.start : organisation.end].endswith(kinds)


def _states_national(norm: str, named: list[Span], quantity: Span) -> bool:
    """Whether the clause of ``quantity`` opens with 全国 or 我国 (after a lead or time word: 不过，全国…同期为12.4件) and
    names none of ``named`` (the document's places and organisations) before the figure; ``norm`` is normalised."""
    clause_begins = clause_start(norm, quantity.start_char)
    if parse_quantity(quantity.text).kind == "rank":
        return False  # 全国副省级城市第二: the nation is a rank's scope
    return _NATIONAL_CLAUSE.match(norm, clause_begins, quantity.start_char) is not None and not any(
        clause_begins <= e.start_char < quantity.start_char for e in named
    )


def _organisation_in_clauses(
    norm: str, named: list[Span], ents_before: list[Span], position: int
) -> SubjectSlot | None:
    """As :func:`_organisation_referred_to`, for an anaphor of :data:`_ANAPHOR_IN_CLAUSE` (also 该校, 该行, 该关, after a
    time word) opening the figure's clause or an earlier clause of its sentence with no place or organisation of
    ``named`` between it and ``position``: 截至今年3月，公司累计拥有有效专利386件，其中…外观设计专利261件 → the company's 261件."""
    sentence_start = _sentence_start(norm, position)
    clause_begins = clause_start(norm, position)
    while True:
        anaphor = _ANAPHOR_IN_CLAUSE.match(norm, clause_begins, position)
        if anaphor is not None:
            if any(anaphor.end() <= e.start_char < position for e in named):
                return None
            return _organisation_named_before(norm, ents_before, anaphor.start(), anaphor.group(1) or anaphor.group(2))
        if clause_begins <= sentence_start:
            return None
        clause_begins = clause_start(norm, clause_begins - 1)


def _collective_acts(norm: str, organisation: SubjectSlot, position: int) -> bool:
    """Whether a collective of courts or departments (两级法院, 行政部门: ``_COLLECTIVE_ACTOR``) opens a clause of the
    sentence before ``position`` while ``organisation`` is named before that sentence: the figure is the collective's,
    that is the place's, not the organisation's; ``norm`` is the document's normalised text."""
    sentence_start = _sentence_start(norm, position)
    return organisation.start < sentence_start and any(
        match.start() == clause_start(norm, match.start())
        for match in _COLLECTIVE_ACTOR.finditer(norm, sentence_start, position)
    )


def _counts_years(norm: str, ent: Span) -> bool:
    """Whether ``ent`` is a count of years (``_YEARS_COUNTED``); ``norm`` is the document's normalised text."""
    return _YEARS_COUNTED.fullmatch(norm, ent.start_char, ent.end_char) is not None


def assemble_gold_facts(doc: Doc) -> Doc:
    """``doc`` with the facts of its gold entities and relations (every relation kept, nothing carried
    over): the gold facts evaluation compares with."""
    return _gold_assembler()(doc)


@lru_cache(maxsize=1)
def _gold_assembler() -> FactAssembler:
    # built on first use, not at import: a component registers its extensions when it is made
    return FactAssembler(threshold=0.0, carry_over_chars=0)
