"""Words around an entity that tell what role it plays in a report (read on normalised text).

Shared by the relation model's pair features (:mod:`ipner.relations.candidates`) and the fact
assembler's subject rules (:mod:`ipner.pipeline.facts`), so both read a cue the same way.
"""
from __future__ import annotations

import re

from ipner.schema import SENTENCE_BOUNDARY_CHARS

__all__ = [
    "SOURCE_AFTER_RE", "SOURCE_BEFORE_RE", "source_follows", "source_precedes", "GOVERNMENT_BODY_END_RE",
    "OFFICIAL_SPEAKS_RE", "official_speaks", "BREAKDOWN_CUE", "RESPECTIVELY_CUE",
    "CLAUSE_BREAK_CHARS", "clause_start", "COLLECTIVE_BODIES", "COLLECTIVE_SCOPE", "LIST_ITEM_MARKER", "CAPTION_LINE_RE",
]

#: An organisation followed by one of these words is the source of a statement (据市市场监管局介绍, 记者从
#: 市知识产权局获悉, 世界知识产权组织发布): SCHEMA.md, "Subjects", never makes it the subject. Matched at
#: the organisation's end.
SOURCE_AFTER_RE = re.compile(r"^.{0,2}?(?:发布|公布|介绍|获悉|透露|通报|披露|显示|表示|指出)")
#: …and one preceded by these (据…, 记者从…, 来自…) introduces where the figures come from. Matched on the
#: few characters that end at the organisation's start. (从 also opens a span of time, 从2016年至2020年:
#: the relation model reads the cue together with the child's label.)
SOURCE_BEFORE_RE = re.compile(r"(?:据|记者从|从|来自|根据)$")
# How many characters after (before) an entity its source cue is read in.
_SOURCE_AFTER_CHARS, _SOURCE_BEFORE_CHARS = 4, 3

#: How the name of a government body ends (局, 厅, 委, 办, 政府, 管委会, courts, procuratorates, customs: SCHEMA.md,
#: "Subjects"), as opposed to a company's, a centre's or a university's.
GOVERNMENT_BODY_END_RE = re.compile(r"(?:局|厅|委员会|委|办公室|办|人民政府|政府|管委会|法院|检察院|海关)$")
#: An official of an organisation speaking, right after its name: 副局长王强说, 有关负责人介绍, 党组书记、局长侯向宇表示,
#: 副院长在会上介绍. A government body whose official speaks is the source of what follows (SCHEMA.md, "Subjects"); the
#: corpus links 1 of its 108 such bodies as a subject (玉林海关有关负责人介绍，…该关查扣…: the body's own figures).
#: Matched at the organisation's end, on normalised text.
OFFICIAL_SPEAKS_RE = re.compile(
    r"(?:党组书记、|党委书记、)?(?:有关|相关)?(?:负责人|副?(?:局长|厅长|主任|处长|科长|院长|检察长|关长|庭长|部长|司长|"
    r"秘书长|书记))(?:[\u4e00-\u9fff]{2,3})?(?:在会上|向记者)?(?:说|表示|介绍|指出|透露)"
)


def source_follows(norm_text: str, end: int) -> bool:
    """Whether a source cue (…发布, …介绍) follows the entity that ends at ``end`` of the normalised text."""
    return SOURCE_AFTER_RE.match(norm_text[end : end + _SOURCE_AFTER_CHARS]) is not None  # ^ anchors the slice


def official_speaks(norm_text: str, end: int) -> bool:
    """Whether an official of the organisation that ends at ``end`` of the normalised text speaks right after its
    name (:data:`OFFICIAL_SPEAKS_RE`: …局副局长王强说)."""
    return OFFICIAL_SPEAKS_RE.match(norm_text, end) is not None


def source_precedes(norm_text: str, start: int) -> bool:
    """Whether a source cue (据…, 记者从…) precedes the entity that starts at ``start`` of the normalised text."""
    return SOURCE_BEFORE_RE.search(norm_text[max(0, start - _SOURCE_BEFORE_CHARS) : start]) is not None


#: Introduces the parts of a total just stated (专利授权量4825件，其中发明专利732件).
BREAKDOWN_CUE = "其中"
#: Pairs a list of metrics or places with a list of figures in order (A、B分别为x、y).
RESPECTIVELY_CUE = "分别"
#: A collective of courts or departments (两级法院, 全市法院, 各级市场监管部门, 行政部门): it names no organisation,
#: and its figures are the place's (SCHEMA.md, "Subjects"). Regular expressions to put inside larger ones: the
#: scope word, then the bodies.
COLLECTIVE_SCOPE = "(?:两级|各级|全市|全省)"
COLLECTIVE_BODIES = "(?:人民法院|法院|市场监管部门|知识产权部门|行政部门|执法部门)"
#: Clause breaks inside a sentence (sentence ends are ``ipner.schema.SENTENCE_END_CHARS``).
CLAUSE_BREAK_CHARS = "，,、：:"
_CLAUSE_ENDS = CLAUSE_BREAK_CHARS + SENTENCE_BOUNDARY_CHARS


def clause_start(text: str, position: int) -> int:
    """Where the clause of ``text`` that holds ``position`` begins: after the last clause break (，、：) or sentence end
    (。；！？ or a line break) before it."""
    while position > 0 and text[position - 1] not in _CLAUSE_ENDS:
        position -= 1
    return position

#: What opens an item of a list block or a section at the start of a line (a regular expression to put
#: inside a larger one): a bullet (■ ◆ ▶ …), a Markdown heading, a number (1. / 1、 / (1) / 一、) or a
#: circled number (③).
LIST_ITEM_MARKER = r"(?:[■□▲△◆◇●○•·▶►★☆※*-]|#+\s|[0-9]+[.、．)]|[(（][0-9一二三四五六七八九十]+[)）]|[一二三四五六七八九十]+、|[①-⑳])"
#: A photo caption's line: it opens with 图为, 图： or (图 (after a ▲ perhaps; ▲ alone is also a bullet) or ends
#: with the photographer's credit (记者 王晓 摄, 通讯员供图). A place it names is where the photo was taken, never
#: the subject of figures outside it: none of the 40 places in the corpus's 74 captions is. Matched per line
#: of the normalised text.
CAPTION_LINE_RE = re.compile(r"^[ \t]*(?:[▲△▼][ \t]*)?(?:图为|图[:：]|[(（]图)|(?:摄影?|供图)[ \t]*[)）]?[ \t]*$")
