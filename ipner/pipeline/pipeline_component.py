"""spaCy factories of ipner's components, with their default configs.

Registered through the ``spacy_factories`` entry points of ``pyproject.toml``, so a saved pipeline
that uses them loads with plain ``spacy.load(path)`` without importing ipner first.
"""
from __future__ import annotations

from typing import Callable

from spacy.language import Language
from thinc.api import Config, Model

import ipner.extensions  # noqa: F401  (declares the Doc extensions the components write)
import ipner.pipeline.architectures  # noqa: F401  (registers ipner.RelationModel.v1)
from ipner.pipeline.facts import FactAssembler
from ipner.pipeline.relations import RelationExtractor
from ipner.pipeline.rule_entities import RuleEntityRecognizer
from ipner.pipeline.rule_linker import RuleLinker


@Language.factory(
    "ipner_rule_entities",
    default_config={"overwrite": True},
    assigns=["doc.ents"],
)
def make_rule_entities(nlp: Language, name: str, overwrite: bool) -> RuleEntityRecognizer:
    """The rule baseline's entity recogniser (gazetteer, metric lexicon, figure and date patterns)."""
    return RuleEntityRecognizer(nlp, name, overwrite)


@Language.factory(
    "ipner_rule_linker",
    default_config={"metric_window": 40, "context_window": 400},
    requires=["doc.ents"],
    assigns=["doc._.relations"],
)
def make_rule_linker(nlp: Language, name: str, metric_window: int, context_window: int) -> RuleLinker:
    """The rule baseline's nearest-neighbour slot linker."""
    return RuleLinker(name, metric_window, context_window)


DEFAULT_RELATION_MODEL = """
[model]
@architectures = "ipner.RelationModel.v1"
hidden_width = 128
dropout = 0.1
nO = null

[model.tok2vec]
@architectures = "spacy.HashEmbedCNN.v2"
pretrained_vectors = null
width = 96
depth = 2
embed_size = 2000
window_size = 1
maxout_pieces = 3
subword_features = false
"""


@Language.factory(
    "ipner_relations",
    default_config={
        "model": Config().from_str(DEFAULT_RELATION_MODEL)["model"],
        "threshold": 0.5,
        "window": 300,
        "max_candidates": 6,
        "scorer": {"@scorers": "ipner.relation_scorer.v1"},
    },
    requires=["doc.ents"],
    assigns=["doc._.relations"],
    default_score_weights={"rel_micro_f": 1.0, "rel_micro_p": 0.0, "rel_micro_r": 0.0, "rel_per_type": None},
)
def make_relations(
    nlp: Language,
    name: str,
    model: Model,
    threshold: float,
    window: int,
    max_candidates: int,
    scorer: Callable | None,
) -> RelationExtractor:
    """The trainable relation extractor (QUANTITY → metric, subject, time); see :mod:`ipner.pipeline.relations`."""
    return RelationExtractor(
        nlp.vocab, model, name, threshold=threshold, window=window, max_candidates=max_candidates, scorer=scorer
    )


@Language.factory(
    "ipner_facts",
    default_config={"threshold": 0.5, "carry_over_chars": 0},
    requires=["doc.ents", "doc._.relations"],
    assigns=["doc._.facts"],
)
def make_facts(nlp: Language, name: str, threshold: float, carry_over_chars: int) -> FactAssembler:
    """Assemble SCHEMA.md facts from entities, relations and the normalisers."""
    return FactAssembler(name, threshold, carry_over_chars)
