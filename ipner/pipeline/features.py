"""``ipner.RuleFeatureEmbed.v1``: token embeddings plus the rule baseline's candidates as features.

The gazetteer of every Chinese administrative division and the figure/date/organisation patterns
(:class:`ipner.pipeline.rule_entities.RuleCandidates`) mark, per token, where a candidate of each
label begins, continues and ends; the trained tok2vec thus knows places and forms that the
training corpus never shows.
"""
from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model, chain
from thinc.types import Floats2d

from ipner.schema import ENTITY_LABELS

__all__ = ["build_rule_feature_embed", "build_rule_features", "RULE_FEATURE_LABELS", "N_RULE_FEATURES"]

#: The labels whose rule candidates become token features (begin, inside, end flags for each).
RULE_FEATURE_LABELS = ENTITY_LABELS
N_RULE_FEATURES = 3 * len(RULE_FEATURE_LABELS)


@registry.architectures("ipner.RuleFeatureEmbed.v1")
def build_rule_feature_embed(
    width: int, attrs: list[str], rows: list[int], include_static_vectors: bool = False
) -> Model[list[Doc], list[Floats2d]]:
    """spaCy's ``MultiHashEmbed`` of token attributes, concatenated with the rule baseline's
    candidate marks (:func:`build_rule_features`) and mixed back to ``width`` by a Maxout layer.

    The gazetteer of every Chinese administrative division and the figure/date/organisation
    patterns thus inform the network about places and forms the training corpus never shows.
    """
    from spacy.ml.models.tok2vec import MultiHashEmbed
    from thinc.api import Maxout, concatenate, with_array

    hash_embed = MultiHashEmbed(width=width, attrs=attrs, rows=rows, include_static_vectors=include_static_vectors)
    mix = with_array(Maxout(nO=width, nI=width + N_RULE_FEATURES, nP=2, normalize=True))
    return chain(concatenate(hash_embed, build_rule_features()), mix)


def build_rule_features() -> Model[list[Doc], list[Floats2d]]:
    """Per token, 0/1 flags: begins, is inside, ends a rule candidate of each label (not trained)."""
    return Model("ipner_rule_features", _rule_features_forward, dims={"nO": N_RULE_FEATURES}, attrs={"rules": None})


def _rule_features_forward(model: Model, docs: list[Doc], is_train: bool) -> tuple[list[Floats2d], Callable]:
    import numpy
    from spacy.attrs import IDX, LENGTH

    from ipner.pipeline.rule_entities import RuleCandidates
    from ipner.pipeline.tokenizer import doc_norm, doc_text

    if docs and model.attrs["rules"] is None:  # built on first use: it needs the documents' vocab
        model.attrs["rules"] = RuleCandidates(docs[0].vocab)
    outputs = []
    for doc in docs:
        features = numpy.zeros((len(doc), N_RULE_FEATURES), dtype="float32")
        if len(doc):
            text = doc_text(doc)
            # each character's token, from the tokens' offsets and lengths (no Python loop over tokens)
            starts, lengths = doc.to_array([IDX, LENGTH]).astype("int64").T
            char_to_token = numpy.zeros(len(text) + 1, dtype="int64")
            owners = numpy.repeat(numpy.arange(len(doc)), lengths)
            offsets = numpy.arange(len(owners)) - numpy.repeat(numpy.cumsum(lengths) - lengths, lengths)
            char_to_token[numpy.repeat(starts, lengths) + offsets] = owners
            for start, end, label in model.attrs["rules"](doc, doc_norm(doc)):
                if label not in RULE_FEATURE_LABELS or end <= start:
                    continue
                k = 3 * RULE_FEATURE_LABELS.index(label)
                first, last = char_to_token[start], char_to_token[end - 1]
                features[first, k] = 1.0
                features[first : last + 1, k + 1] = 1.0
                features[last, k + 2] = 1.0
        outputs.append(model.ops.asarray2f(features))
    return outputs, lambda d_outputs: []
