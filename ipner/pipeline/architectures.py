"""ipner's registered model architectures (versioned names, ``spacy_architectures`` entry points)."""
from __future__ import annotations

from typing import Callable

from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Linear, Model, Relu, chain
from thinc.types import Floats2d

from ipner.pipeline.relations import N_FEATURES, Candidates

RelationInput = tuple[list[Doc], list[Candidates]]


@registry.architectures("ipner.RelationModel.v1")
def build_relation_model(
    tok2vec: Model[list[Doc], list[Floats2d]],
    hidden_width: int = 128,
    dropout: float = 0.1,
    nO: int | None = None,
) -> Model[RelationInput, Floats2d]:
    """Score candidate (QUANTITY, entity) pairs: one logit per relation label.

    Each pair is the mean of its head's token vectors, the mean of its child's token vectors and
    the pair features of :func:`ipner.pipeline.relations.find_candidates`, fed to two ReLU layers
    and a linear output layer. The output are logits; the component applies the sigmoid.
    """
    pair_encoder = build_pair_encoder(tok2vec)
    return chain(
        pair_encoder,
        Relu(nO=hidden_width, dropout=dropout),
        Relu(nO=hidden_width, dropout=dropout),
        Linear(nO=nO),
    )


def build_pair_encoder(tok2vec: Model[list[Doc], list[Floats2d]]) -> Model[RelationInput, Floats2d]:
    """``(docs, candidates)`` → one row per candidate pair: head mean, child mean, pair features."""
    return Model(
        "ipner_pair_encoder", _pair_encoder_forward, layers=[tok2vec], init=_pair_encoder_init, dims={"nO": None}
    )


def _pair_encoder_init(model: Model, X: RelationInput | None = None, Y=None) -> None:
    tok2vec = model.layers[0]
    tok2vec.initialize(X=X[0] if X is not None else None)
    model.set_dim("nO", 2 * tok2vec.get_dim("nO") + N_FEATURES)


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
        output = ops.alloc2f(0, 2 * width + N_FEATURES)

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


#: The labels whose rule candidates become token features (begin, inside, end flags for each).
RULE_FEATURE_LABELS = ("CITY", "REGION", "ORG", "METRIC", "QUANTITY", "DATE")
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

    from ipner.pipeline.rule_entities import RuleCandidates

    if docs and model.attrs["rules"] is None:  # built on first use: it needs the documents' vocab
        model.attrs["rules"] = RuleCandidates(docs[0].vocab)
    outputs = []
    for doc in docs:
        features = numpy.zeros((len(doc), N_RULE_FEATURES), dtype="float32")
        if len(doc):
            char_to_token = numpy.zeros(len(doc.text) + 1, dtype="int64")
            for token in doc:
                char_to_token[token.idx : token.idx + len(token.text)] = token.i
            for start, end, label in model.attrs["rules"](doc):
                if label not in RULE_FEATURE_LABELS or end <= start:
                    continue
                k = 3 * RULE_FEATURE_LABELS.index(label)
                first, last = char_to_token[start], char_to_token[end - 1]
                features[first, k] = 1.0
                features[first : last + 1, k + 1] = 1.0
                features[last, k + 2] = 1.0
        outputs.append(model.ops.asarray2f(features))
    return outputs, lambda d_outputs: []
