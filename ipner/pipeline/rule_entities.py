"""The rule baseline's entity recogniser: gazetteer, metric lexicon and patterns for figures and dates.

It reads the normalised text (same length as ``doc.text``), so one set of rules serves Simplified
and Traditional input. Candidates from every source compete for the same characters; the longest
wins, and on equal length the label listed first in ``LABEL_PRIORITY``.
"""
from __future__ import annotations

import re
from typing import Iterable

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from ipner.normalizers.numbers import (
    APPROX_AFTER_UNIT,
    APPROX_BEFORE,
    APPROX_INFIX,
    CHINESE_NUMERAL_RE,
    CN_DIGITS,
    MULTIPLIER_RE,
    RANGE_SEPARATOR_RE,
    UNSIGNED_ARABIC_RE,
    alternation,
)
from ipner.pipeline.settings import SettingsSerializer
from ipner.pipeline.tokenizer import doc_norm

from ipner.resources import load_metric_lexicon, load_places
from ipner.schema import PLACE_LABELS
from ipner.text.normalize import normalize_text

__all__ = ["RuleCandidates", "RuleEntityRecognizer", "make_rule_entities", "LABEL_PRIORITY"]

#: Which label wins when candidates of equal length compete for the same characters.
LABEL_PRIORITY = ("ORG", "DATE", "QUANTITY", "METRIC", "CITY", "REGION")

_CN = CN_DIGITS
_NUM = rf"(?:{UNSIGNED_ARABIC_RE}|{CHINESE_NUMERAL_RE})"
_MULT = MULTIPLIER_RE
_INFIX = alternation(APPROX_INFIX)
_UNITS = (
    r"(?:件次|人次|万元|亿元|美元|欧元|港元|港币|元|件|项|家|个|人|次|倍|位|名|户|所|笔|份|部|平方米|亩|吨|分|台|款|套|条|种|类|座|宗|起|单|枚|篇|册|场|个工作日|%)"
)
_QUANTITY_RE = re.compile(
    rf"{alternation(APPROX_BEFORE)}?(?:"
    rf"第(?:\d+|[{_CN}]+)[位名]?(?![届批次个期轮号条章款家大项年天\d{_CN}])"  # ranks, not editions
    rf"|(?:百|千)分之{_NUM}"
    rf"|{_NUM}分之{_NUM}|\d+/\d+"
    rf"|[{_CN}\d.]+成半?(?![功为员本果立都])"
    rf"|(?:{UNSIGNED_ARABIC_RE}|[{_CN}]{{2,}}(?:点[{_CN}]+)?|[{_CN}](?=[万亿千百余多]))"
    rf"{_MULT}?{_INFIX}?(?:{RANGE_SEPARATOR_RE}{_NUM}{_MULT}?{_INFIX}?)?{_UNITS}"
    rf"){alternation(APPROX_AFTER_UNIT)}?"
)
_YEAR = r"(?:19|20)\d\d"
_MONTHS = r"(?:\d{1,2}(?:\s*(?:—|–|-|至|到)\s*\d{1,2})?月(?:\d{1,2}[日号])?(?:底|初|末|份|中旬|上旬|下旬)?)"
_PART = rf"(?:[一二三四1-4]季度|前三季度|上半年|下半年|{_MONTHS})"
_DATE_RE = re.compile(
    rf"{_YEAR}年(?:\s*(?:—|–|-|至|到)\s*{_YEAR}年)"
    rf"|{_YEAR}(?:\s*(?:—|–|-)\s*{_YEAR})年"
    rf"|{_YEAR}年度?(?:底|末|初|以来)?{_PART}?"
    rf"|(?:今年|去年|前年|明年|本年度|上年度)(?:底|末|初|以来)?{_PART}?"
    rf"|“?十[一二三四五六]?五”?(?:末|期间|时期|以来|初)?"
    rf"|第\d+个世界知识产权日|第[{_CN}]+个世界知识产权日"
    rf"|近(?:[一两二三四五六七八九十]|\d+)年|近年来|目前|当前"
    rf"|(?<![\d.])\d{{1,2}}月\d{{1,2}}[日号]|(?<![\d.个])(?:1[0-2]|[1-9])月(?:底|初|末|份|中旬|上旬|下旬)?(?![\d个])"
)
_ORG_SUFFIX = (
    r"(?:股份有限公司|有限责任公司|有限公司|集团|公司|大学|学院|研究院|研究所|科学院|中级人民法院|高级人民法院|人民法院|知识产权法庭|"
    r"法院|检察院|知识产权局|市场监督管理局|市场监管局|科技局|科学技术局|商务局|海关|知识产权保护中心|知识产权交易中心|"
    r"知识产权运营中心|知识产权服务中心|技术与创新支持中心|中心|协会|商会|联盟|委员会|银行|日报|晚报|报社|电视台|管委会|"
    r"工信部|科技部|商务部|国务院|人民政府|知识产权组织)"
)
_ORG_RE = re.compile(rf"[\u4e00-\u9fffA-Za-z]{{0,16}}?(?P<suffix>{_ORG_SUFFIX}+)")
_ORG_LEFT_STOP = re.compile(r".*(?:的|在|与|和|及|由|对|向|经|据|是|为|了|从|将|把|被|让|等|获|以|于|并|其中|其|全|同时|已|共|有|该|记者|联合|成立|举行|召开|发布|牵头)")
_ZONE_RE = re.compile(r"(?:高新技术产业开发区|经济技术开发区|高新区|经开区|新区|自贸区|片区|开发区)")
_METRIC_QUALIFIERS = r"(?:每万人|万人|人均|国内|海外|国外|境外|全社会|规上工业企业|规上企业|企业|高校|科研院所|有效|高价值|国际|年度|核心)"
_METRIC_MEASURES = r"(?:拥有量|申请量|授权量|注册量|登记量|受理量|成交额|数量|总量|总额|金额|规模|件数|量|数|额)"


class RuleCandidates:
    """Every span the rules propose, before they compete: gazetteer places, metric phrases and the
    QUANTITY, DATE and ORG patterns. Used by the baseline and, as features, by the trained model."""

    def __init__(self, vocab: Vocab):
        self.place_matcher = PhraseMatcher(vocab, attr="NORM")
        labels_by_form: dict[str, str] = {}
        forms = [form for form, _, _ in load_places()]
        # One OpenCC pass over all forms; each normalised form is a sequence of characters, which is
        # how the character tokenizer splits CJK text, so the patterns are built without it.
        for form, (_, label, _) in zip(normalize_text("\n".join(forms)).split("\n"), load_places()):
            labels_by_form.setdefault(form, label)
        for label in PLACE_LABELS:
            patterns = [_char_doc(vocab, f) for f, lab in labels_by_form.items() if lab == label]
            self.place_matcher.add(label, patterns)
        cores = sorted({normalize_text(m) for m in load_metric_lexicon()}, key=len, reverse=True)
        self.metric_re = re.compile(
            rf"{_METRIC_QUALIFIERS}*(?:{'|'.join(re.escape(c) for c in cores)}){_METRIC_MEASURES}?"
        )

    def __call__(self, doc: Doc, norm: str | None = None) -> list[tuple[int, int, str]]:
        """``(start_char, end_char, label)`` of every candidate; ``norm`` is ``normalize_text(doc.text)``."""
        norm = doc_norm(doc) if norm is None else norm
        candidates: list[tuple[int, int, str]] = []
        for label_id, start, end in self.place_matcher(doc):
            span = doc[start:end]
            label = doc.vocab.strings[label_id]
            zone = _ZONE_RE.match(norm, span.end_char)
            end_char = zone.end() if zone else span.end_char
            candidates.append((span.start_char, end_char, "CITY" if zone else label))
        candidates.extend((m.start(), m.end(), "QUANTITY") for m in _QUANTITY_RE.finditer(norm))
        candidates.extend((m.start(), m.end(), "DATE") for m in _DATE_RE.finditer(norm))
        candidates.extend((m.start(), m.end(), "METRIC") for m in self.metric_re.finditer(norm))
        candidates.extend(self._orgs(norm))
        return candidates

    @staticmethod
    def _orgs(norm: str) -> Iterable[tuple[int, int, str]]:
        for match in _ORG_RE.finditer(norm):
            start, end = match.span()
            stop = _ORG_LEFT_STOP.match(norm, start, match.start("suffix"))
            if stop:
                start = stop.end()
            while start < end and not re.match(r"[\u4e00-\u9fffA-Za-z]", norm[start]):
                start += 1
            if end - start >= 3:
                yield start, end, "ORG"



@Language.factory("ipner_rule_entities", default_config={"overwrite": True}, assigns=["doc.ents"])
def make_rule_entities(nlp: Language, name: str, overwrite: bool) -> "RuleEntityRecognizer":
    """The rule baseline's entity recogniser (gazetteer, metric lexicon, figure and date patterns)."""
    return RuleEntityRecognizer(nlp, name, overwrite)


class RuleEntityRecognizer(SettingsSerializer, Pipe):
    """Set ``doc.ents`` from the rule candidates: the longest wins, ties by ``LABEL_PRIORITY``.

    With ``overwrite=False`` existing entities are kept and only candidates that overlap none are added.
    """

    settings = ("overwrite",)

    def __init__(self, nlp: Language, name: str = "ipner_rule_entities", overwrite: bool = True):
        self.name = name
        self.overwrite = overwrite
        self.candidates = RuleCandidates(nlp.vocab)

    def __call__(self, doc: Doc) -> Doc:
        norm = doc_norm(doc)
        spans = _select(doc, len(norm), self.candidates(doc, norm))
        if self.overwrite:
            doc.ents = spans
        else:
            doc.ents = list(doc.ents) + [s for s in spans if not any(s.start < e.end and e.start < s.end for e in doc.ents)]
        return doc


def _char_doc(vocab: Vocab, text: str) -> Doc:
    return Doc(vocab, words=list(text), spaces=[False] * len(text))


def _select(doc: Doc, n_chars: int, candidates: list[tuple[int, int, str]]) -> list[Span]:
    order = {label: rank for rank, label in enumerate(LABEL_PRIORITY)}
    candidates.sort(key=lambda c: (-(c[1] - c[0]), order[c[2]], c[0]))
    taken = [False] * (n_chars + 1)
    chosen: list[Span] = []
    for start, end, label in candidates:
        if start >= end or any(taken[start:end]):
            continue
        span = doc.char_span(start, end, label=label, alignment_mode="contract")
        if span is None or span.start_char != start or span.end_char != end:
            continue  # cuts through an ASCII run (the 2 of 2023): not an entity boundary
        for i in range(start, end):
            taken[i] = True
        chosen.append(span)
    return sorted(chosen, key=lambda s: s.start)
