"""spaCy factories of ipner's components, with their default configs.

Registered through the ``spacy_factories`` entry points of ``pyproject.toml``, so a saved pipeline
that uses them loads with plain ``spacy.load(path)`` without importing ipner first.
"""
from __future__ import annotations

from spacy.language import Language

import ipner.extensions  # noqa: F401  (declares the Doc extensions the components write)
from ipner.pipeline.facts import FactAssembler
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


@Language.factory(
    "ipner_facts",
    default_config={"threshold": 0.5, "carry_over_chars": 0},
    requires=["doc.ents", "doc._.relations"],
    assigns=["doc._.facts"],
)
def make_facts(nlp: Language, name: str, threshold: float, carry_over_chars: int) -> FactAssembler:
    """Assemble SCHEMA.md facts from entities, relations and the normalisers."""
    return FactAssembler(name, threshold, carry_over_chars)
