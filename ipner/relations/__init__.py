"""The relation extractor: candidates, model, component and scorer, one module each.

Importing the package registers the factory ``ipner_relations``, the architecture
``ipner.RelationModel.v1`` / ``.v2`` and the scorer ``ipner.relation_scorer.v1`` (the ``spacy_*`` entry
points name the same modules, so a saved pipeline loads without importing ipner first).
"""
from ipner.relations.candidates import N_FEATURES, Candidates, find_candidates
from ipner.relations.component import DEFAULT_RELATION_MODEL, RelationExtractor, make_relations, select_relations
from ipner.relations.model import build_relation_model, build_relation_model_v2
from ipner.relations.scorer import make_relation_scorer, relation_keys, score_relations

__all__ = [
    "Candidates",
    "find_candidates",
    "N_FEATURES",
    "RelationExtractor",
    "make_relations",
    "select_relations",
    "DEFAULT_RELATION_MODEL",
    "build_relation_model",
    "build_relation_model_v2",
    "relation_keys",
    "score_relations",
    "make_relation_scorer",
]
