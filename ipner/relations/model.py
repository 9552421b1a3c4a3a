"""The relation models ``ipner.RelationModel.v1`` and ``.v2``: score (QUANTITY, entity) candidate pairs.

Versioned: the input width is ``2 × tok2vec width`` plus the pair features of the version's layout
(:func:`ipner.relations.candidates.n_pair_features`: v1 reads 27 features, v2 adds the cue features).
A change of the features or the layers is a new version, so that pipelines saved with an older one
keep loading with the shape they were trained with. The model's ``attrs["pair_features"]`` tells the
component which layout to compute.
"""
from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Linear, Model, Relu, chain
from thinc.types import Floats2d

from ipner.relations.candidates import Candidates, n_pair_features

__all__ = ["build_relation_model", "build_relation_model_v2", "build_pair_encoder", "RelationInput", "PAIR_FEATURES_ATTR"]

#: The ``attrs`` key of a relation model that holds its pair feature layout version.
PAIR_FEATURES_ATTR = "pair_features"

RelationInput = tuple[list[Doc], list[Candidates]]


@registry.architectures("ipner.RelationModel.v1")
def build_relation_model(
    tok2vec: Model[list[Doc], list[Floats2d]],
    hidden_width: int,
    dropout: float,
    nO: int | None = None,
) -> Model[RelationInput, Floats2d]:
    """Score candidate (QUANTITY, entity) pairs: one logit per relation label.

    Each pair is the mean of its head's token vectors, the mean of its child's token vectors and
    the pair features of :func:`ipner.relations.candidates.find_candidates` (layout 1), fed to two
    ReLU layers and a linear output layer. The output are logits; the component applies the sigmoid.
    """
    return _relation_model(tok2vec, hidden_width, dropout, nO, feature_version=1)


@registry.architectures("ipner.RelationModel.v2")
def build_relation_model_v2(
    tok2vec: Model[list[Doc], list[Floats2d]],
    hidden_width: int,
    dropout: float,
    nO: int | None = None,
) -> Model[RelationInput, Floats2d]:
    """``ipner.RelationModel.v1`` reading pair feature layout 2: the v1 features plus cues of the
    stretch between the pair (clause breaks, figures, 其中, 分别) and of the child (a statement's
    source, a heading line)."""
    return _relation_model(tok2vec, hidden_width, dropout, nO, feature_version=2)


def _relation_model(tok2vec, hidden_width: int, dropout: float, nO: int | None, feature_version: int) -> Model:
    model = chain(
        build_pair_encoder(tok2vec, feature_version),
        Relu(nO=hidden_width, dropout=dropout),
        Relu(nO=hidden_width, dropout=dropout),
        Linear(nO=nO),
    )
    model.attrs[PAIR_FEATURES_ATTR] = feature_version
    return model


def build_pair_encoder(
    tok2vec: Model[list[Doc], list[Floats2d]], feature_version: int = 1
) -> Model[RelationInput, Floats2d]:
    """``(docs, candidates)`` → one row per candidate pair: head mean, child mean, pair features."""
    return Model(
        "ipner_pair_encoder",
        _pair_encoder_forward,
        layers=[tok2vec],
        init=_pair_encoder_init,
        dims={"nO": None},
        attrs={"n_features": n_pair_features(feature_version)},
    )


def _pair_encoder_init(model: Model, X: RelationInput | None = None, Y=None) -> None:
    tok2vec = model.layers[0]
    tok2vec.initialize(X=X[0] if X is not None else None)
    model.set_dim("nO", 2 * tok2vec.get_dim("nO") + model.attrs["n_features"])


def _pair_encoder_forward(model: Model, X: RelationInput, is_train: bool) -> tuple[Floats2d, Callable]:
    docs, candidates = X
    ops = model.ops
    xp = ops.xp
    tokvecs, backprop_tok2vec = model.layers[0](docs, is_train)
    width = tokvecs[0].shape[1] if tokvecs else model.layers[0].get_dim("nO")
    lengths = [len(doc) for doc in docs]
    flat = ops.flatten(tokvecs) if tokvecs else ops.alloc2f(0, width)
    # Span means from a cumulative sum: mean(X[s:e]) = (C[e] - C[s]) / (e - s), with C[0] = 0.
    cumulative = xp.vstack([ops.alloc2f(1, width), xp.cumsum(flat, axis=0)])
    offsets, spans, features = 0, [], []
    for length, doc_candidates in zip(lengths, candidates):
        if len(doc_candidates):
            spans.append(ops.asarray2i(doc_candidates.spans) + offsets)
            features.append(ops.asarray2f(doc_candidates.features))
        offsets += length
    if not spans:
        output = ops.alloc2f(0, 2 * width + model.attrs["n_features"])

        def backprop_nothing(d_output: Floats2d) -> RelationInput:
            # Zero gradients still go upstream: a shared tok2vec or transformer runs its own
            # backward pass (for every listener) only when its last listener calls back.
            backprop_tok2vec([ops.alloc2f(*tokvec.shape) for tokvec in tokvecs])
            return X

        return output, backprop_nothing
    span_array = xp.vstack(spans)
    starts = (span_array[:, 0], span_array[:, 2])
    ends = (span_array[:, 1], span_array[:, 3])
    sizes = [(e - s).astype("float32")[:, None] for s, e in zip(starts, ends)]
    means = [(cumulative[e] - cumulative[s]) / n for s, e, n in zip(starts, ends, sizes)]
    output = xp.hstack([means[0], means[1], xp.vstack(features)])

    def backprop(d_output: Floats2d) -> RelationInput:
        d_cumulative = ops.alloc2f(flat.shape[0] + 1, width)
        for k in (0, 1):
            d_mean = d_output[:, k * width : (k + 1) * width] / sizes[k]
            ops.scatter_add(d_cumulative, ends[k], d_mean)
            ops.scatter_add(d_cumulative, starts[k], -d_mean)
        # C[k] sums X[:k], so dX[i] = sum of dC[k] for k > i: a reversed cumulative sum.
        d_flat = xp.cumsum(d_cumulative[::-1], axis=0)[::-1][1:]
        backprop_tok2vec(ops.unflatten(xp.ascontiguousarray(d_flat), lengths))
        return X

    return output, backprop
