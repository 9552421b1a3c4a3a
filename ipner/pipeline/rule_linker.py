"""The rule baseline's relation linker: each QUANTITY takes the nearest fitting entity per slot."""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.pipeline import Pipe
from spacy.tokens import Doc, Span

from ipner.extensions import register_extensions
from ipner.pipeline.settings import SettingsSerializer
from ipner.pipeline.tokenizer import doc_text
from ipner.schema import SENTENCE_END_RE, SUBJECT_LABELS

__all__ = ["RuleLinker", "make_rule_linker"]

_COMPARISON_BEFORE = re.compile(r"(?:较|比|与|同|相比|对比)$")


@Language.factory(
    "ipner_rule_linker",
    default_config={"metric_window": 40, "context_window": 400},
    requires=["doc.ents"],
    assigns=["doc._.relations"],
)
def make_rule_linker(nlp: Language, name: str, metric_window: int, context_window: int) -> "RuleLinker":
    """The rule baseline's nearest-neighbour slot linker."""
    return RuleLinker(name, metric_window, context_window)


class RuleLinker(SettingsSerializer, Pipe):
    """Link every QUANTITY to a METRIC, a subject and a DATE by proximity.

    - ``metric``: a METRIC right after the figure in the same clause (1200余家高新技术企业), else the
      nearest METRIC before it in the same sentence, else the nearest before it within
      ``metric_window`` characters (a list line under its heading).
    - ``subject`` and ``time``: the nearest CITY/REGION/ORG and DATE before the figure within
      ``context_window`` characters; a DATE right after 较/比 (a comparison base) is skipped.
    """

    settings = ("metric_window", "context_window")

    def __init__(self, name: str = "ipner_rule_linker", metric_window: int = 40, context_window: int = 400):
        register_extensions()
        self.name = name
        self.metric_window = metric_window
        self.context_window = context_window

    def __call__(self, doc: Doc) -> Doc:
        ents = list(doc.ents)
        text = doc_text(doc)
        relations = []
        for index, ent in enumerate(ents):
            if ent.label_ != "QUANTITY":
                continue
            metric = self._metric(ents, index, text)
            if metric is not None:
                relations.append({"head": index, "child": metric[0], "label": "metric", "score": metric[1]})
            subject = self._nearest_before(ents, index, SUBJECT_LABELS, text)
            if subject is not None:
                relations.append({"head": index, "child": subject[0], "label": "subject", "score": subject[1]})
            time = self._nearest_before(ents, index, ("DATE",), text, skip_comparisons=True)
            if time is not None:
                relations.append({"head": index, "child": time[0], "label": "time", "score": time[1]})
        doc._.relations = relations
        return doc

    def _metric(self, ents: list[Span], index: int, text: str) -> tuple[int, float] | None:
        quantity = ents[index]
        if index + 1 < len(ents):
            after = ents[index + 1]
            gap = text[quantity.end_char : after.start_char]
            if after.label_ == "METRIC" and len(gap) <= 2 and not re.search(r"[,，。；;、\n]", gap):
                return index + 1, 0.8
        sentence_start = _sentence_start(text, quantity.start_char)
        for j in range(index - 1, -1, -1):
            ent = ents[j]
            if quantity.start_char - ent.end_char > self.metric_window:
                break
            if ent.label_ == "METRIC":
                return j, 0.9 if ent.start_char >= sentence_start else 0.6
        return None

    def _nearest_before(
        self, ents: list[Span], index: int, labels: tuple[str, ...], text: str, skip_comparisons: bool = False
    ) -> tuple[int, float] | None:
        quantity = ents[index]
        for j in range(index - 1, -1, -1):
            ent = ents[j]
            distance = quantity.start_char - ent.end_char
            if distance > self.context_window:
                break
            if ent.label_ not in labels:
                continue
            if skip_comparisons and _COMPARISON_BEFORE.search(text[max(0, ent.start_char - 2) : ent.start_char]):
                continue
            return j, max(0.3, 0.9 - distance / (2 * self.context_window))
        return None


def _sentence_start(text: str, position: int) -> int:
    start = 0
    for match in SENTENCE_END_RE.finditer(text, 0, position):
        start = match.end()
    return start
