"""ipner's spaCy pipeline: tokenizer, rule baseline, rule features, fact assembly, loading and batch runs.

Importing the package registers the tokenizer ``ipner.CharTokenizer.v1``, the factories
``ipner_rule_entities``, ``ipner_rule_linker``, ``ipner_span_repair`` and ``ipner_facts`` and the architecture
``ipner.RuleFeatureEmbed.v1``; the relation extractor lives in :mod:`ipner.relations`.
"""
from ipner.pipeline.facts import FactAssembler, make_facts
from ipner.pipeline.features import build_rule_feature_embed
from ipner.pipeline.rule_entities import RuleCandidates, RuleEntityRecognizer, make_rule_entities
from ipner.pipeline.rule_linker import RuleLinker, make_rule_linker
from ipner.pipeline.span_repair import SpanRepair, make_span_repair
from ipner.pipeline.tokenizer import CharTokenizer, create_char_tokenizer

__all__ = [
    "CharTokenizer",
    "create_char_tokenizer",
    "RuleCandidates",
    "RuleEntityRecognizer",
    "make_rule_entities",
    "RuleLinker",
    "make_rule_linker",
    "SpanRepair",
    "make_span_repair",
    "FactAssembler",
    "make_facts",
    "build_rule_feature_embed",
]
