"""The span repair component ``ipner_span_repair``: its factory and class.

A statistical recogniser trained on characters sometimes lets a METRIC or ORG run on into the words
around it: punctuation (专利导航优秀成果，), a verb or adverb that starts the predicate (海外销售收入稳居,
营业收入首次跨越), a preposition or particle (专利转化对, 软件著作权从), or a leading preposition
(伴随着市知识产权保护中心); a CITY or REGION into the word after it (株洲特色, 杭州经济, 南京经济社).
SCHEMA.md's entities never begin or end that way, so this component trims them off before the relation
extractor links the entities: a place is cut back to the longest leading name that resolves to a
division (:func:`ipner.places.resolve_place`) when the whole does not resolve. Two repairs join
rather than trim: a place written right before an award or designation named after it (湖南省 +
专利特别奖) becomes part of that METRIC, as the guidelines annotate it; and a range the recogniser split
into two DATEs (2016年至 + 2020年) becomes one DATE (2016年至2020年, period 2016/2020), unless the
sentence goes on from a first value to a last one (2021年至2023年，…从213件增加到554件), where each end
is the time of its own value. One repair drops: a place that opens a short quoted name (“醴陵瓷器”,
“涪陵榨菜”, a geographical indication or a brand) is the first word of that name, not a place the text
speaks of, and the guidelines tag no place there; nor in brackets inside a company's name
(国广国际在线网络(北京)有限公司), which becomes one ORG. Deictic time words the recogniser left untagged
(如今, 一年来, 过去的一年) become DATEs, and a DATE that stopped before its 来 or 以来 takes it in; a dateline's
date is a DATE and its clock time no entity (2024-04-24 10:30); the figure a ranking list or an assessment ranks
by (…发明专利授权量排名中…第2位, 在…绩效考核中名列第一) becomes a METRIC, and so does a name listed over 、 after a
METRIC's figure (国家知识产权优势企业28家、示范企业11家), each kind of patent listed before 分别 (发明、实用新型、外观设计
专利授权量分别为…), a patent or trademark figure named for a field right before its figure (轴承领域专利授权量612件) and
the metric a list block is drawn up by (各县（市、区）发明专利授权量如下：) (:mod:`ipner.pipeline.additions`). A METRIC that stops inside a word of jieba's dictionary is carried to the
word's end (办理知识产权各项业 + 务; :mod:`ipner.text.words`). An ORG that is a place and a collective of courts
or departments (白银市两级法院) becomes the place, as the guidelines tag it. One repair adds: a party committee, government or
people's congress of a place (宁波市委, 南京市政府, 中共武汉市委, and 市委, 市政府 alone) is an ORG, as the
guidelines tag government bodies; the place written right before it (宁波市 + 委, 宁波 + 市政府) becomes
part of it. The recogniser trained on the corpus, which names such bodies mostly inside longer names
(…市人民政府新闻办公室), leaves them untagged or tags the place alone. And an alias that the text defines
right after an organisation's name (中车株洲电力机车研究所有限公司（下称“中车株洲所”）, 以下简称「X」) is an ORG
wherever the text uses it, as the guidelines tag short forms and aliases. A company whose name begins with
a place (湖南 + 中晟全肽生物科技股份有限公司), where the recogniser tagged the place alone, is one ORG, and so is an
intellectual-property centre's (漯河市 + 知识产权公共服务中心). A place's name inside a person's name (副局长陈海宁, 据陈海宁
介绍) is dropped. A figure in a table's cell loses the column bar and the line break the recogniser ran it into
(3386 | → 3386), and a DATE of bare digits that is no year (3471) is a QUANTITY. List and
heading marks (■, ●, ##) are trimmed like punctuation, and an entity made of nothing else is dropped; so is a DATE that is a
heading's number alone (## 5), a QUANTITY that begins at the number opening a heading or a list item (### 1 发明…,
2、凡…), and a DATE that ran back into a heading's number or a preposition (4 从2016年至
2020年) is trimmed. A CITY that resolves to no division, ends like no place's name and begins no name of
the gazetteer (双双, 株潭) is dropped, and a place is cut back with an eye on the character after it
(宁波海 + 外 is 宁波 + 海外); two organisations run together over a conjunction are split (宁波市政府与
浙江省市场监管局), and so are government bodies written one after the other (市委市政府); and a group of places loses the count of its members or 区域 (长株潭三市 →
长株潭) but takes in the words that make it a group's name (长株潭 + 都市圈, 港澳 + 台). A METRIC takes
in the edition or batch written right before it (首届 + 浙江省知识产权奖, 第八批 + 制造业单项冠军企业), which
the guidelines make part of it, and loses a 新增 before a stock (新增贯标企业) and the verb 有 it ran back
into (我市有 + 国家级标委会); a METRIC or ORG is cut at a clause break inside it, which none in the corpus
holds. Offsets stay those
of ``doc.text``; a trimmed span keeps at least two characters; the words are matched on the
normalised text, so Traditional script is repaired alike.

The word lists are closed and short on purpose: they hold words that end no metric or organisation
name. A segmenter's part-of-speech tags (jieba.posseg) were not used: they tag the last word of many
real metrics as a verb (专利授权, 专利申请, 办理知识产权各项业务), which must stay.
"""
from __future__ import annotations

import re
from bisect import bisect_left
from functools import lru_cache

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span

from ipner.normalizers import parse_date
from ipner.pipeline.additions import (
    LEGAL_FORM, NAME_CHAR, next_start, with_bracketed_companies, with_coordinated_metrics, with_datelines,
    with_deictic_dates, with_field_metrics, with_list_introducer_metrics, with_patent_type_lists, with_ranking_metrics,
)
from ipner.pipeline.settings import SettingsSerializer
from ipner.pipeline.tokenizer import doc_norm, doc_text
from ipner.places import resolve_place
from ipner.resources import load_places
from ipner.text.cues import COLLECTIVE_BODIES, COLLECTIVE_SCOPE
from ipner.text.normalize import normalize_text
from ipner.text.words import MAX_WORD_CHARS, is_word, load_words

__all__ = ["SpanRepair", "make_span_repair", "repaired_bounds"]

#: The component's settings by default.
DEFAULT_SPAN_REPAIR_SETTINGS = {"repair_labels": ["METRIC", "ORG", "CITY", "REGION", "DATE"]}

# Separators that never begin or end an entity (brackets and quotes are handled by balance).
# Punctuation, and the marks of list items and markdown headings (■ …, ## …), which no entity begins or ends with.
_EDGE_PUNCTUATION = "，,、。；;：:！!？?…—-·～~ \t\r\n\u3000#*■□▲△◆◇●○•▶►★☆※"
_OPENING, _CLOSING = "“‘《（(「『【[", "”’》）)」』】]"
# Where a METRIC has run on into its predicate: the span is cut before the first of these words.
_METRIC_PREDICATE = re.compile(
    r"稳居|位居|位列|居于|首次(?=跨越|突破|实现|进入|超过|达到|位列|位居|跻身)|跨越|突破|达到|实现|同比|较上年|较去年|排名|排在|最快|最多|共计|"
    r"稳定在|增长|提升至|提高到|保持|连续|跃居|跻身|荣登|蝉联|入选"
)
# Single characters that end no METRIC (prepositions, particles); 有 only when it is not 拥有/持有/所有, 中 only
# after a list's or a selection's name (百强榜中, 评选中, 排名中).
_METRIC_TRAILING = re.compile(r"(?:[的了从对共达为居和及与等在将已]|(?<![拥持所])有|(?<=[榜选名])中)$")
# 新增 / 净增 before a stock (新增贯标企业, 新增国家知识产权优势企业): outside the METRIC by the guidelines, as it
# makes the figure growth; before a flow (新增发明专利授权) it is inside.
_METRIC_LEADING_GROWTH = re.compile(r"^(?:累计)?(?:新增|净增)(?!.*(?:授权|申请|注册|登记))")
# The verb 有 that a METRIC ran back into (我市有 + 国家级标委会); 有效 and 有色 begin metrics.
_METRIC_LEADING_VERB = re.compile(r"^有(?![效色])")
# Clause and sentence breaks, which no METRIC or ORG of the corpus holds: the span is cut at the first.
_INNER_BREAK = re.compile(r"[，,；;。！!？?]")
# Two organisations that the recogniser ran together over a conjunction (宁波市政府与浙江省市场监管局): each part
# ends like an organisation's name, which a name with 与 / 和 / 及 inside does not (技术与创新支持中心, 呼和浩特).
_ORG_END = r"(?:局|委|厅|部|院|政府|中心|公司|集团|协会|学会|办公室|法院|检察院|大学|学院|银行)"
_COORDINATED_ORGS = re.compile(rf"^(.{{2,}}?{_ORG_END})[与和及](.{{2,}}{_ORG_END})$")
# The rest of a company's name after the place it begins with (湖南 + 中晟全肽生物科技股份有限公司): words without
# a break, ending in the company's legal form; the legal forms are tried first, so that 集团 inside 某某集团有限公司
# does not end the name early.
_COMPANY_REST = tuple(re.compile(NAME_CHAR + "{1,20}?" + ending) for ending in (LEGAL_FORM, "集团"))
# …and of an intellectual-property centre's (漯河市 + 知识产权公共服务中心, 攀枝花 + 钒钛产业知识产权运营中心, a field
# of industry at most before 知识产权, a service, protection, operation or rights centre after it): one ORG, as
# GUIDELINES §2 tags 株洲市知识产权保护中心; the recogniser, which knows the corpus's centres, often tags the place alone.
_IP_CENTRE_REST = re.compile(r"(?:[\u4e00-\u9fff]{1,6}产业)?知识产权[\u4e00-\u9fff]{0,6}?(?:服务|保护|运营|维权)中心(?!主任|副主任)")
# The rest of a company's name after a place in brackets inside it (国广国际在线网络(北京) + 有限公司).
_BRACKETED_IN_COMPANY = re.compile("[)）]" + NAME_CHAR + "{0,12}?(?:" + LEGAL_FORM + "|集团)")
# What an organisation's name may not begin or end with.
_ORG_LEADING = re.compile(r"^(?:伴随着|依托|通过|经过|根据|按照|围绕|面向|对于|关于)")
_ORG_TRAILING = re.compile(r"(?:共同|实施|联合|发布|表示|介绍|指出|牵头|公示|公布|印发|[和与及等])$")
_MIN_CHARS = 2
# What may follow a division's name inside a longer place name (杭州湾, 松山湖, 长沙片区, 苏南地区): a span that
# runs on with one of these is not cut back to the division.
_PLACE_CONTINUATION = re.compile(r"^(?:[湾区县市州省盟旗镇乡村港岛湖山江河]|海(?!外)|新区|片区|地区|都市圈|城市群|经济带|经济圈|一带|两岸)")
_PLACE_LABELS = ("CITY", "REGION")
# What makes a place, written right before it, the name of a group of places (长株潭 + 都市圈, 港澳 + 台): the
# corpus tags the whole as one REGION, every time.
_GROUP_SUFFIX = re.compile(r"都市圈|城市群|经济圈|经济带|(?<=港澳)台")
# What follows a place or a group of places and is no part of its name: the count of its members (长株潭 + 三市,
# 京津冀 + 三地) or 区域 (长株潭 + 区域); a name that holds them (东北三省, 中部六省) resolves whole and stays.
_MEMBERS_AFTER = re.compile(r"^(?:[两二三四五六七八九十]+[市地省县区城]|区域)")
# What ends the name of a place that GB/T 2260 does not list (a town, a park, a zone, a port: 石河镇, 松山湖,
# 光谷, 高新区, 金水河), normalised: a CITY that resolves to no division, ends in none of these and begins
# no name of the gazetteer (雄安 → 雄安新区) is a cut or a word that is no place (双双, 株潭, 无疑): dropped.
_PLACE_NAME_END = re.compile(r"(?:[镇乡区县市州省村盟旗湖谷岛港园河]|街道)$")
# What opens a DATE the recogniser ran back into: a heading's number (## 4 从2016年至2020年) or a preposition
# (从, 自, 于, 在, 由), normalised; no DATE of the corpus begins with either.
_DATE_LEADING = re.compile(r"(?:\d{1,3}[ \t\u3000]+)?[从自于在由]?(?=[\d〇零一二三四五六七八九十去今前近上本])")
# A DATE that is a heading's number and nothing else (## 5): at most three digits; a year has four.
# A person's name that holds a place's (陈 + 海宁, 王 + 宁波): a common surname right before the place, a title before the
# surname (副局长, 记者) or a verb of speech after the name (介绍, 表示); normalised text.
_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金"
    "石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
)
_SPEECH_AFTER = re.compile(r"(?:介绍|表示|说|坦言|指出|通报|认为|强调|透露|告诉|称|谈到|解释)")
_TITLE_BEFORE = re.compile(r"(?:[长任者理员席官授师]|书记)$")
_TITLE_CHARS = 4
# What separates a table's columns in text (专利授权量 | 件 | 3386), and a number that is no year (a DATE of bare digits
# outside 1900–2099 is a table's figure: 3471); normalised text.
_COLUMN_BARS = "|"
_NOT_A_YEAR = re.compile(r"(?!19\d\d$|20\d\d$)\d+")
_NUMBER_ONLY = re.compile(r"^[#*\s]*\d{1,3}[\s.、．]*$")
# The number that opens a heading or a list item (### 1 发明专利拥有量, 2、凡本网注明…, 3. 专利…): digits at a line's
# start, after a heading's marks and a space or before 、 or a full stop, then no digit; normalised text. The number
# counts nothing, and the corpus tags none of its 58 as a QUANTITY. A figure that opens a line (3 个园区) is kept.
_ITEM_NUMBER = re.compile(
    r"[ \t\u3000]*(?:[#*]+[ \t\u3000]*\d{1,3}[ \t\u3000]+|\d{1,3}[.、．](?!\d)[ \t\u3000]*)(?=[^\d\s])"
)
# Awards and designations a government names after its place (湖南省专利特别奖, 安徽省知识产权示范企业,
# 宁波市专利示范企业): the place written right before them is part of the METRIC, not the figure's subject.
_NAMED_AFTER_A_PLACE = re.compile(r"(?:专利|知识产权)(?:特别|金|银)?奖(?!励|补|金)|(?:专利|知识产权)(?:示范|优势)企业|老字号")
# The edition of an award or the batch of a list written right before it (第二十五届, 首届, 第八批, 首批): the
# guidelines make it part of the METRIC (第二十五届中国专利奖, 第八批制造业单项冠军企业), as the corpus does. A batch
# only before what a list designates (enterprises, bodies): 颁发首批数据知识产权登记证书 is the first certificates issued.
_EDITION_BEFORE = re.compile(r"(?:第[〇零一二三四五六七八九十百0-9]+|首)(?:届|(批))$")
# …and its ordinal alone, where the recogniser began the METRIC at 届 or 批 (首 + 届浙江省知识产权奖).
_EDITION_ORDINAL_BEFORE = re.compile(r"(?:第[〇零一二三四五六七八九十百0-9]+|首)$")
_DESIGNATED = re.compile(r"(?:企业|单位|机构|字号|城市|县|区|高校|基地|园区|中心|名录)$")
_EDITION_CHARS = 8
# The word between a range's start and end (2016年至2020年, 2016—2020年), normalised.
_RANGE_WORD = re.compile(r"[至到—–~-]")
# A change from a first value to a last one later in the range's sentence (从213件增加到554件, 由1.9件提升至3.7件).
_FROM_TO = re.compile(r"[^。；;！？!?\n]*?[从由][^。；;！？!?\n]*?(?:到|至|为)")
_FROM_TO_CHARS = 60
# A collective of courts or departments after a place's name (两级法院, 全市法院, 各级市场监管部门): the guidelines tag
# the place and leave the collective untagged, as it names no organisation; the place is the figure's subject.
_COLLECTIVE = re.compile(COLLECTIVE_SCOPE + COLLECTIVE_BODIES)
# How far past a METRIC's end the word it stops inside may run (业 + 务, 院 + 士: one character; at most two).
_WORD_END_CHARS = 2
# What a METRIC is not carried into although the dictionary joins it to the METRIC's last character: the verb
# or comparison that follows (得分 + 居全省, 得分 + 列全省, 价格 + 比普通, 满意度 + 提高: 分居, 分列, 格比 and 度提高
# are words of jieba's), the figure's approximation (超, 近, 约), or the list a designation is drawn up in
# (企业 + 名单).
_NOT_A_WORD_END = re.compile(r"[居列比位排占达为超近约]|名单|榜单|提高|提升|增长|下降")
# How far after a place an award's name may end (知识产权优势企业 is nine characters).
_AWARD_CHARS = 12
# A quoted name that begins with a place: “醴陵瓷器”, “宁夏枸杞”, “单县羊肉汤”. At most six more characters,
# none a figure or a separator, so that a quoted statement (「贵州山多、特产多…」) or a quoted place alone
# (“大三亚”) keeps its place.
_QUOTED_NAME_REST = re.compile(r"[\u4e00-\u9fffA-Za-z]{1,6}[”’」』\"]")
_QUOTES = "“‘「『\""
# A place's party committee, government or people's congress (市委, 省政府, 区人民政府, 市人大常委会), normalised;
# not a title (市委书记, 市政府副秘书长) nor the head of a longer name (市人民政府新闻办公室, 台北市政府产业发展局).
_GOVERNMENT_BODY = re.compile(
    r"[市省区县](?:委(?![员托])|人民政府|政府|人大常委会)"
    r"(?![书副常秘]|新闻|办公|[\u4e00-\u9fff]{0,4}[局厅处部])"
)
# An alias defined in brackets right after a name: （下称“中车株洲所”）, (以下简称「X」); normalised text. The
# quoted alias is group 1 (two to twelve characters, no separator).
_ALIAS_DEFINITION = re.compile(
    r"[(（]\s*(?:以下|下文)?(?:简称|下称)\s*[“\"「『]([^”\"」』，,。；;、()（）\n]{2,12})[”\"」』]\s*[)）]"
)
# What may come right before an untagged 市委 or 市政府 that has no place before it: the start of a text, a
# separator, a quote or a conjunction (在市委、市政府的领导下), not a character of a longer word (各县区人民政府).
_BODY_BOUNDARY = "，,、。；;：:！!？?（(“‘「『\" \t\r\n\u3000和与及在由"
# How far back a bare body looks for 各 (each), which makes it the bodies of every such place, no organisation.
_EACH_CONTEXT_CHARS = 4


@Language.factory("ipner_span_repair", default_config=DEFAULT_SPAN_REPAIR_SETTINGS, requires=["doc.ents"], assigns=["doc.ents"])
def make_span_repair(nlp: Language, name: str, repair_labels: list[str]) -> "SpanRepair":
    """Trim entity spans that run on into the words around them, and join what the recogniser split
    (a date range, a place and the award named after it)."""
    return SpanRepair(name, repair_labels)


class SpanRepair(SettingsSerializer, Pipe):
    """Repair the entities of ``repair_labels``: see the module docstring for what is trimmed or joined."""

    settings = ("repair_labels",)

    def __init__(self, name: str = "ipner_span_repair", repair_labels: list[str] | tuple[str, ...] = ("METRIC", "ORG", "CITY", "REGION", "DATE")):
        self.name = name
        self.repair_labels = list(repair_labels)
        if "METRIC" in self.repair_labels:
            load_words()  # jieba's word list, read when the pipeline is built rather than by its first document

    def __call__(self, doc: Doc) -> Doc:
        norm = doc_norm(doc)
        ents = [
            self._trimmed(doc, norm, _table_cell(doc, norm, ent)) for ent in doc.ents
            if not self._opens_quoted_name(norm, ent) and not self._in_company_name(norm, ent)
            and not _is_item_number(norm, ent)
        ]
        ents = [ent for ent in ents if ent is not None]
        ents = [ent for ent in ents if not self._names_nothing(norm, ent) and not _in_person_name(norm, ent)]
        if "ORG" in self.repair_labels:
            ents = [part for ent in ents for part in _coordinated_parts(doc, norm, ent)]
        repaired = self._joined(doc, norm, ents)
        if "ORG" in self.repair_labels:
            repaired = _with_defined_aliases(doc, norm, _with_government_bodies(doc, norm, _with_companies(doc, norm, repaired)))
            repaired = [_collective_place(doc, norm, ent) for ent in with_bracketed_companies(doc, norm, repaired)]
        if "DATE" in self.repair_labels:
            repaired = with_datelines(doc, norm, with_deictic_dates(doc, norm, repaired))
        if "METRIC" in self.repair_labels:
            repaired = with_coordinated_metrics(doc, norm, with_ranking_metrics(doc, norm, repaired))
            repaired = with_patent_type_lists(doc, norm, repaired)
            repaired = with_list_introducer_metrics(doc, norm, with_field_metrics(doc, norm, repaired))
            repaired = [
                _to_word_end(doc, norm, ent, next_start(repaired, index, len(norm))) if ent.label_ == "METRIC" else ent
                for index, ent in enumerate(repaired)
            ]
        if repaired != list(doc.ents):
            doc.ents = repaired
        return doc

    def _trimmed(self, doc: Doc, norm: str, ent: Span) -> Span:
        if ent.label_ in self.repair_labels:
            start, end = repaired_bounds(
                ent.text, ent.label_, norm[ent.start_char : ent.end_char], norm[ent.end_char : ent.end_char + 1]
            )
            if (start, end) != (0, len(ent.text)):
                span = doc.char_span(ent.start_char + start, ent.start_char + end, label=ent.label_, alignment_mode="contract")
                if span is not None and len(span.text) >= _MIN_CHARS:
                    return span
        return ent

    def _names_nothing(self, norm: str, ent: Span) -> bool:
        """Whether ``ent`` (trimmed) names nothing of its label: an entity with no letter, digit or
        character of a word (##, ■, ——; what trimming leaves of one is marks too), a DATE that is a heading's
        number alone (## 5), or a CITY that resolves to no division and does not end like a place's name
        (双双, 株潭); ``norm`` is the document's normalised text."""
        if ent.label_ not in self.repair_labels:
            return False
        if not any(ch.isalnum() for ch in ent.text):
            return True
        if ent.label_ == "DATE":
            return _NUMBER_ONLY.match(ent.text) is not None
        if ent.label_ == "CITY":
            name = norm[ent.start_char : ent.end_char]
            return (
                resolve_place(name, ent.label_) is None and _PLACE_NAME_END.search(name) is None
                and not _begins_a_gazetteer_name(name)
            )
        return False

    def _opens_quoted_name(self, norm: str, ent: Span) -> bool:
        """Whether ``ent`` is a place that opens a short quoted name (“醴陵瓷器”; see the module docstring);
        ``norm`` is the document's normalised text."""
        if ent.label_ not in _PLACE_LABELS or ent.label_ not in self.repair_labels or ent.start_char == 0:
            return False
        return norm[ent.start_char - 1] in _QUOTES and _QUOTED_NAME_REST.match(norm, ent.end_char) is not None

    def _in_company_name(self, norm: str, ent: Span) -> bool:
        """Whether ``ent`` is a place in brackets inside a company's name (国广国际在线网络(北京)有限公司), which the
        guidelines tag as one ORG and no place; ``norm`` is the document's normalised text."""
        if ent.label_ not in _PLACE_LABELS or ent.label_ not in self.repair_labels or ent.start_char == 0:
            return False
        return norm[ent.start_char - 1] in "(（" and _BRACKETED_IN_COMPANY.match(norm, ent.end_char) is not None

    def _joined(self, doc: Doc, norm: str, ents: list[Span]) -> list[Span]:
        text = doc_text(doc)  # doc.text is rebuilt from the tokens on every access
        joined: list[Span] = []
        for index, ent in enumerate(ents):
            previous = joined[-1] if joined else None
            span = None
            if previous is not None and ent.label_ == "DATE" == previous.label_ and "DATE" in self.repair_labels:
                span = _date_range(doc, text, norm, previous, ent)
            elif previous is not None and previous.label_ in _PLACE_LABELS and ent.label_ == "METRIC" and "METRIC" in self.repair_labels:
                span = _named_after_place(doc, norm, previous, ent.start_char, ent.end_char)
            if span is not None:
                joined[-1] = span
                continue
            if ent.label_ in _PLACE_LABELS and "METRIC" in self.repair_labels:
                # the award's name after the place, when the recogniser left it untagged (湖南省 + 专利特别奖)
                limit = next_start(ents, index, len(norm))
                match = _NAMED_AFTER_A_PLACE.match(norm, ent.end_char, min(limit, ent.end_char + _AWARD_CHARS))
                span = _named_after_place(doc, norm, ent, ent.end_char, match.end()) if match is not None else None
            joined.append(span if span is not None else ent)
        if "REGION" in self.repair_labels:
            joined = [
                _with_group_suffix(doc, norm, ent, next_start(joined, index, len(norm))) for index, ent in enumerate(joined)
            ]
        if "METRIC" in self.repair_labels:
            joined = [
                _with_edition(doc, norm, ent, joined[index - 1].end_char if index else 0) if ent.label_ == "METRIC" else ent
                for index, ent in enumerate(joined)
            ]
        return joined


def _table_cell(doc: Doc, norm: str, ent: Span) -> Span | None:
    """``ent`` as a figure in a table's cell: a QUANTITY or DATE cut at the first line break and without the spaces
    and column bars (|) at its edges (专利授权量 | 件 | 3386 | 4.7, where the recogniser tagged "3386 |" and "4.7\n其"),
    and a DATE of bare digits that is no year (3471) a QUANTITY; None when nothing of the figure is left. Every other
    entity as it is; ``norm`` is the document's normalised text."""
    if ent.label_ not in ("QUANTITY", "DATE"):
        return ent
    start, end = ent.start_char, ent.end_char
    line_break = norm.find("\n", start, end)
    end = line_break if line_break >= 0 else end
    while start < end and (norm[start].isspace() or norm[start] in _COLUMN_BARS):
        start += 1
    while end > start and (norm[end - 1].isspace() or norm[end - 1] in _COLUMN_BARS):
        end -= 1
    label = "QUANTITY" if ent.label_ == "DATE" and _NOT_A_YEAR.fullmatch(norm, start, end) else ent.label_
    if (start, end, label) == (ent.start_char, ent.end_char, ent.label_):
        return ent
    return doc.char_span(start, end, label=label) if end > start else None


def _in_person_name(norm: str, ent: Span) -> bool:
    """Whether ``ent`` is a place name inside a person's name (副局长陈海宁通报…, 据陈海宁介绍): a CITY right after a surname
    (:data:`_SURNAMES`) that a title stands before or a verb of speech follows; ``norm`` is the document's normalised text."""
    if ent.label_ != "CITY" or ent.start_char == 0 or norm[ent.start_char - 1] not in _SURNAMES:
        return False
    return (
        _SPEECH_AFTER.match(norm, ent.end_char) is not None
        or _TITLE_BEFORE.search(norm, max(0, ent.start_char - 1 - _TITLE_CHARS), ent.start_char - 1) is not None
    )


def _is_item_number(norm: str, ent: Span) -> bool:
    """Whether ``ent`` is a QUANTITY that begins at the number opening a heading or a list item (:data:`_ITEM_NUMBER`:
    ### 1 发…, where the recogniser tagged "1 发"); ``norm`` is the document's normalised text."""
    if ent.label_ != "QUANTITY":
        return False
    line_start = norm.rfind("\n", 0, ent.start_char) + 1
    item = _ITEM_NUMBER.match(norm, line_start)
    return (
        item is not None and line_start <= ent.start_char < item.end()
        and not norm[line_start : ent.start_char].strip("#* \t\u3000")
    )


def _collective_place(doc: Doc, norm: str, ent: Span) -> Span:
    """The place of an ORG that names a collective of courts or departments (白银市两级法院, 贵州全省法院: see
    :data:`_COLLECTIVE`), as a CITY or (a province) a REGION; else ``ent``. ``norm`` is the document's normalised text."""
    if ent.label_ != "ORG":
        return ent
    match = _COLLECTIVE.search(norm, ent.start_char, ent.end_char)
    if match is None or match.end() != ent.end_char or match.start() - ent.start_char < _MIN_CHARS:
        return ent
    place = resolve_place(norm[ent.start_char : match.start()], "CITY")
    if place is None:
        return ent
    label = "REGION" if place.level == "province" else "CITY"
    return doc.char_span(ent.start_char, match.start(), label=label) or ent


def _to_word_end(doc: Doc, norm: str, metric: Span, following: int) -> Span:
    """``metric`` carried to the end of the word of jieba's dictionary that its last character begins (办理知识产权各项业
    + 务, 工程院院 + 士: :func:`ipner.text.words.is_word`), when its last two characters are no word themselves, the
    word ends at most :data:`_WORD_END_CHARS` characters further and before the ``following`` entity starts, and
    no longer word begins where the METRIC ends (奖 + 评选: 奖评 is a word, 评选 a longer one); else ``metric``.
    ``norm`` is the document's normalised text."""
    start, end = metric.start_char, metric.end_char
    if end - start >= _MIN_CHARS and is_word(norm[end - 2 : end]):
        return metric
    for extension in range(1, _WORD_END_CHARS + 1):
        if (
            end + extension <= following and is_word(norm[end - 1 : end + extension])
            and not _NOT_A_WORD_END.match(norm, end, end + extension)
            and not any(is_word(norm[end : end + length]) for length in range(extension + 1, MAX_WORD_CHARS + 1))
        ):
            return doc.char_span(start, end + extension, label="METRIC") or metric
    return metric


def _with_group_suffix(doc: Doc, norm: str, place: Span, following: int) -> Span:
    """``place`` as the REGION of the group that the words right after it name (长株潭 + 都市圈, 港澳 + 台), when
    they end before the ``following`` entity starts; else ``place``. ``norm`` is the document's normalised text."""
    if place.label_ not in _PLACE_LABELS:
        return place
    suffix = _GROUP_SUFFIX.match(norm, place.end_char)
    if suffix is None or suffix.end() > following:
        return place
    return doc.char_span(place.start_char, suffix.end(), label="REGION") or place


def _coordinated_parts(doc: Doc, norm: str, ent: Span) -> list[Span]:
    """The organisations of an ORG that runs two together: over a conjunction (:data:`_COORDINATED_ORGS`), or
    government bodies one after the other (市委市政府, 武汉市委武汉市人民政府: no name of the corpus holds two);
    else ``[ent]``. ``norm`` is the document's normalised text."""
    if ent.label_ != "ORG":
        return [ent]
    name = norm[ent.start_char : ent.end_char]
    match = _COORDINATED_ORGS.match(name)
    if match is not None:
        bounds = [(match.start(g), match.end(g)) for g in (1, 2)]
    else:
        ends = [body.end() for body in _GOVERNMENT_BODY.finditer(name)]
        if len(ends) < 2 or ends[-1] != len(name):
            return [ent]
        bounds = list(zip([0] + ends[:-1], ends))
    parts = [doc.char_span(ent.start_char + start, ent.start_char + end, label="ORG") for start, end in bounds]
    return parts if all(part is not None and len(part.text) >= _MIN_CHARS for part in parts) else [ent]


def _with_edition(doc: Doc, norm: str, metric: Span, previous_end: int) -> Span:
    """``metric`` taking in the edition or batch written right before it (首届 + 浙江省知识产权奖), when no
    entity ending at ``previous_end`` or later covers it; ``norm`` is the document's normalised text."""
    window_start = max(previous_end, metric.start_char - _EDITION_CHARS)
    edition = _EDITION_BEFORE.search(norm, window_start, metric.start_char)
    is_batch = edition is not None and edition.group(1) is not None
    if edition is None and norm[metric.start_char] in "届批":
        edition = _EDITION_ORDINAL_BEFORE.search(norm, window_start, metric.start_char)
        is_batch = norm[metric.start_char] == "批"
    if edition is None or (is_batch and not _DESIGNATED.search(norm, metric.start_char, metric.end_char)):
        return metric
    return doc.char_span(edition.start(), metric.end_char, label="METRIC") or metric


def _named_after_place(doc: Doc, norm: str, place: Span, start: int, end: int) -> Span | None:
    """One METRIC for a place and the award or designation named after it (湖南省专利特别奖, 安徽省知识产权示范
    企业) that the text writes from ``start`` to ``end`` right after the place; None when it is not one.
    ``norm`` is the document's normalised text."""
    if place.end_char != start or not _NAMED_AFTER_A_PLACE.match(norm, start, end):
        return None
    return doc.char_span(place.start_char, end, label="METRIC")


def _with_government_bodies(doc: Doc, norm: str, ents: list[Span]) -> list[Span]:
    """``ents`` with each party committee, government or people's congress of a place that the text names
    (:data:`_GOVERNMENT_BODY`) as an ORG, which takes in the CITY or REGION written right before it; a body
    that overlaps another entity (an ORG that runs on past it, a METRIC) is left as the recogniser had it.
    ``norm`` is the document's normalised text."""
    result = ents
    for match in _GOVERNMENT_BODY.finditer(norm):
        start, end = match.span()
        # 宁波 + 市委 (the place ends where the body starts) or 宁波市 + 委 (it ends on the body's 市)
        place = next(
            (e for e in result if e.label_ in _PLACE_LABELS and e.end_char in (start, start + 1) and e.start_char < start), None
        )
        if place is not None:
            start = place.start_char
            if norm.endswith("中共", 0, start):  # 中共 + 武汉 + 市委: the party's name is part of its committee's
                start -= 2
        elif (start > 0 and norm[start - 1] not in _BODY_BOUNDARY) or "各" in norm[max(0, start - _EACH_CONTEXT_CHARS) : start]:
            # not the tail of a word, nor one of "each county's and district's government" (各县、区人民政府)
            continue
        overlapping = [e for e in result if e.start_char < end and start < e.end_char]
        if any(
            e.label_ not in (*_PLACE_LABELS, "ORG") or e.start_char < start or e.end_char > end for e in overlapping
        ) or any(e.label_ == "ORG" and (e.start_char, e.end_char) == (start, end) for e in overlapping):
            continue
        body = doc.char_span(start, end, label="ORG")
        if body is not None:
            result = sorted([e for e in result if e not in overlapping] + [body], key=lambda e: e.start_char)
    return result


def _with_companies(doc: Doc, norm: str, ents: list[Span]) -> list[Span]:
    """``ents`` with each company or intellectual-property centre whose name begins with a place (湖南中晟全肽生物科技股份有限公司,
    漯河市知识产权公共服务中心) as one ORG, where the recogniser tagged the place alone and nothing in the rest of the name;
    ``norm`` is the document's normalised text."""
    result = list(ents)
    for index, ent in enumerate(ents):
        if ent.label_ not in _PLACE_LABELS:
            continue
        rest = next(
            (m for m in (pattern.match(norm, ent.end_char) for pattern in (*_COMPANY_REST, _IP_CENTRE_REST)) if m), None
        )
        following = next_start(ents, index, len(norm))
        if rest is None or rest.end() > following:
            continue
        company = doc.char_span(ent.start_char, rest.end(), label="ORG")
        if company is not None:
            result[index] = company
    return result


def _with_defined_aliases(doc: Doc, norm: str, ents: list[Span]) -> list[Span]:
    """``ents`` with every use of an alias that the text defines right after an ORG (:data:`_ALIAS_DEFINITION`)
    tagged ORG where no other entity covers it; ``norm`` is the document's normalised text."""
    org_ends = {e.end_char for e in ents if e.label_ == "ORG"}
    added: list[Span] = []
    for definition in _ALIAS_DEFINITION.finditer(norm):
        if definition.start() not in org_ends:
            continue
        taken = sorted((e.start_char, e.end_char) for e in ents + added)
        for use in re.finditer(re.escape(definition.group(1)), norm):
            start, end = use.span()
            if any(s < end and start < e for s, e in taken):
                continue
            span = doc.char_span(start, end, label="ORG")
            if span is not None:
                added.append(span)
                taken.append((start, end))
    return sorted(ents + added, key=lambda e: e.start_char) if added else ents


def _date_range(doc: Doc, text: str, norm: str, first: Span, second: Span) -> Span | None:
    """One DATE for a range the recogniser split in two (2016年至 + 2020年, 2016年 + 至 + 2020年), when the two
    are joined by nothing but a range word and together they read as an interval; else None. ``text`` and
    ``norm`` are the document's text and its normalised form."""
    gap = norm[first.end_char : second.start_char].strip()
    if not (_RANGE_WORD.fullmatch(gap) or (not gap and _RANGE_WORD.match(norm, first.end_char - 1))):
        return None
    period = parse_date(text[first.start_char : second.end_char]).period
    if period is None or "/" not in period:
        return None
    # 2021年至2023年，…从213件增加到554件: each end of the range is the time of one value, as the guidelines
    # give 由2020年底的1.9件提升至3.7件 the earlier value's own time
    if _FROM_TO.match(norm, second.end_char, second.end_char + _FROM_TO_CHARS):
        return None
    return doc.char_span(first.start_char, second.end_char, label="DATE")


def repaired_bounds(text: str, label: str, norm: str | None = None, after: str = "") -> tuple[int, int]:
    """The (start, end) within ``text`` of an entity of ``label`` once trimmed; (0, len) when nothing is.
    ``norm`` is ``normalize_text(text)`` when the caller has it (a slice of the document's); ``after`` is
    the normalised text right after the entity (a character is enough: 宁波海 + 外 is 宁波 + 海外)."""
    norm = normalize_text(text) if norm is None else norm  # same length as text
    start, end = 0, len(norm)
    for _ in range(4):  # each pass may expose another edge (…稳居行业， → …)
        before = (start, end)
        while start < end and norm[start] in _EDGE_PUNCTUATION:
            start += 1
        while end > start and norm[end - 1] in _EDGE_PUNCTUATION:
            end -= 1
        if end > start and norm[end - 1] in _OPENING:
            end -= 1
        if end > start and norm[start] in _CLOSING:
            start += 1
        if label in ("METRIC", "ORG"):
            inner = _INNER_BREAK.search(norm, start, end)
            if inner is not None and inner.start() - start >= _MIN_CHARS:
                end = inner.start()
        if label == "METRIC":
            # the predicate may begin inside the span and end after it (百强榜中跃 + 居)
            following = after if end == len(norm) else norm[end : end + 1]
            cut = _METRIC_PREDICATE.search(norm[:end] + following, start + _MIN_CHARS)
            if cut is not None and cut.start() < end:
                end = cut.start()
            trailing = _METRIC_TRAILING.search(norm[start:end])
            if trailing is not None and end - start - 1 >= _MIN_CHARS:
                end -= 1
            leading = _METRIC_LEADING_GROWTH.search(norm[start:end]) or _METRIC_LEADING_VERB.search(norm[start:end])
            if leading is not None and end - start - leading.end() >= _MIN_CHARS:
                start += leading.end()
        elif label == "ORG":
            leading = _ORG_LEADING.search(norm[start:end])
            if leading is not None and end - start - leading.end() >= _MIN_CHARS:
                start += leading.end()
            trailing = _ORG_TRAILING.search(norm[start:end])
            if trailing is not None and trailing.start() >= _MIN_CHARS:
                end = start + trailing.start()
        elif label in _PLACE_LABELS and end - start > _MIN_CHARS:
            end = start + _place_prefix(norm[start:end], label, after if end == len(norm) else norm[end:])
        elif label == "DATE":
            leading = _DATE_LEADING.match(norm, start, end)
            if leading is not None and leading.end() > start and end - leading.end() >= _MIN_CHARS:
                start = leading.end()
        if (start, end) == before:
            break
    if end - start < _MIN_CHARS:
        return 0, len(norm)
    return start, end


@lru_cache(maxsize=1)
def _gazetteer_forms() -> list[str]:
    """Every place form of the gazetteer (``places.tsv``), normalised and sorted."""
    return sorted({normalize_text(form) for form, _, _ in load_places()})


def _begins_a_gazetteer_name(name: str) -> bool:
    """Whether a place form of the gazetteer begins with ``name`` (normalised), itself included."""
    forms = _gazetteer_forms()
    index = bisect_left(forms, name)
    return index < len(forms) and forms[index].startswith(name)


def _place_prefix(name: str, label: str, after: str = "") -> int:
    """The length of the place name that ``name`` begins with, when the recogniser ran on past it
    (株洲特色, 杭州经济, 南京经济社): the longest prefix that resolves to a division of GB/T 2260, where the
    whole does not resolve and what follows (in ``name``, then ``after`` it) is not part of a longer place
    name (杭州湾, but 宁波海 + 外); else len(name)."""
    if resolve_place(name, label) is not None:
        return len(name)
    for length in range(len(name) - 1, _MIN_CHARS - 1, -1):
        place = resolve_place(name[:length], label)
        members = _MEMBERS_AFTER.match(name[length:] + after)  # 长株潭区 + 域 is 长株潭 + 区域
        if place is not None and members is not None:
            return length
        if place is not None and place.code is not None:
            return length if not _PLACE_CONTINUATION.match((name[length:] + after).strip()) else len(name)
    return len(name)
