"""The trainable relation extractor ``ipner_relations``: its factory, default config and class.

It links each QUANTITY to its metric, subject and time. Candidate pairs come from
:mod:`ipner.relations.candidates`; the model (:mod:`ipner.relations.model`) scores every relation
label of a pair independently (multi-label, sigmoid). A quantity keeps, per label, its
best-scoring candidate if that score reaches ``threshold`` (tuned on dev data after training and
stored in the component's ``cfg``), so it has at most one relation of each label, as SCHEMA.md
requires.
"""
from __future__ import annotations

from itertools import islice
from typing import Any, Callable, Iterable

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_get_examples
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer, set_dropout_rate
from thinc.types import Floats2d

from ipner.extensions import register_extensions
from ipner.relations.candidates import Candidates, find_candidates
from ipner.relations.model import PAIR_FEATURES_ATTR
from ipner.pipeline.tokenizer import doc_norm, doc_text
from ipner.relations.scorer import relation_keys
from ipner.schema import RELATION_LABELS, RELATION_SIGNATURES

__all__ = ["RelationExtractor", "make_relations", "select_relations", "DEFAULT_RELATION_MODEL"]

DEFAULT_RELATION_MODEL = """
[model]
@architectures = "ipner.RelationModel.v2"
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


#: The component's settings by default (``threshold`` is retuned on dev after training).
DEFAULT_THRESHOLD = 0.5
DEFAULT_WINDOW = 300
DEFAULT_MAX_CANDIDATES = 6


@Language.factory(
    "ipner_relations",
    default_config={
        "model": Config().from_str(DEFAULT_RELATION_MODEL)["model"],
        "threshold": DEFAULT_THRESHOLD,
        "window": DEFAULT_WINDOW,
        "max_candidates": DEFAULT_MAX_CANDIDATES,
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
) -> "RelationExtractor":
    """The trainable relation extractor (QUANTITY → metric, subject, time)."""
    return RelationExtractor(
        nlp.vocab, model, name, threshold=threshold, window=window, max_candidates=max_candidates, scorer=scorer
    )


def _sigmoid(x: numpy.ndarray) -> numpy.ndarray:
    return 1.0 / (1.0 + numpy.exp(-x))


class RelationExtractor(TrainablePipe):
    """Trainable QUANTITY → METRIC/subject/DATE linker writing ``doc._.relations``."""

    def __init__(
        self,
        vocab: Vocab,
        model: Model,
        name: str = "ipner_relations",
        *,
        threshold: float = DEFAULT_THRESHOLD,
        window: int = DEFAULT_WINDOW,
        max_candidates: int = DEFAULT_MAX_CANDIDATES,
        scorer: Callable | None = None,
    ):
        register_extensions()
        self.vocab = vocab
        self.model = model
        self.name = name
        self.scorer = scorer
        self.cfg: dict[str, Any] = {
            "labels": [],
            "threshold": threshold,
            "window": window,
            "max_candidates": max_candidates,
        }

    @property
    def labels(self) -> tuple[str, ...]:
        """The relation labels the model scores, in column order."""
        return tuple(self.cfg["labels"])

    @property
    def threshold(self) -> float:
        """The score a relation needs to be kept (tuned on dev after training)."""
        return float(self.cfg["threshold"])

    @threshold.setter
    def threshold(self, value: float) -> None:
        self.cfg["threshold"] = float(value)

    def add_label(self, label: str) -> int:
        """Add a relation label of SCHEMA.md; returns 1 if it was new, else 0."""
        if label not in RELATION_SIGNATURES:
            raise ValueError(f"unknown relation label {label!r}; SCHEMA.md has {', '.join(RELATION_LABELS)}")
        if label in self.cfg["labels"]:
            return 0
        self.cfg["labels"].append(label)
        return 1

    @property
    def pair_feature_version(self) -> int:
        """The pair feature layout the model reads (:data:`ipner.relations.candidates.PAIR_FEATURE_VERSIONS`)."""
        return int(self.model.attrs.get(PAIR_FEATURES_ATTR, 1))

    def candidates(self, doc: Doc, ents: list[Span] | None = None) -> Candidates:
        """The candidate pairs of ``doc`` (over ``ents``, by default ``doc.ents``)."""
        version = self.pair_feature_version
        return find_candidates(
            list(doc.ents) if ents is None else ents,
            doc_text(doc),
            self.cfg["window"],
            self.cfg["max_candidates"],
            version=version,
            norm_text=doc_norm(doc) if version >= 2 else None,
        )

    def predict(self, docs: Iterable[Doc]) -> tuple[list[Candidates], numpy.ndarray]:
        """The candidate pairs of each doc and their sigmoid scores (one column per label)."""
        docs = list(docs)
        candidates = [self.candidates(doc) for doc in docs]
        if sum(len(c) for c in candidates) == 0:
            return candidates, numpy.zeros((0, len(self.labels)), dtype=numpy.float32)
        logits = self.model.predict((docs, candidates))
        return candidates, _sigmoid(self.model.ops.to_numpy(logits))

    def set_annotations(self, docs: Iterable[Doc], predictions: tuple[list[Candidates], numpy.ndarray]) -> None:
        """Write each doc's best relation per quantity and label to ``doc._.relations``."""
        candidates, scores = predictions
        row = 0
        for doc, doc_candidates in zip(docs, candidates):
            n = len(doc_candidates)
            doc._.relations = select_relations(
                doc_candidates.pairs, scores[row : row + n], list(doc.ents), self.labels, self.threshold
            )
            row += n

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optimizer | None = None,
        losses: dict[str, float] | None = None,
    ) -> dict[str, float]:
        """Learn from the gold entities and relations of ``examples`` (teacher forcing on entities)."""
        losses = {} if losses is None else losses
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        validate_get_examples(lambda: examples, "RelationExtractor.update")
        docs, candidates, targets = self._training_instances(examples)
        if not docs:
            return losses
        set_dropout_rate(self.model, drop)
        # Also without a single candidate pair: this component is usually the last listener of the
        # shared tok2vec/transformer, which backpropagates the other listeners' gradients (the NER's)
        # only when the last one calls back, so skipping would silently drop them for the batch.
        logits, backprop = self.model.begin_update((docs, candidates))
        if len(targets):
            loss, d_logits = self._loss(logits, targets)
        else:
            loss, d_logits = 0.0, self.model.ops.alloc2f(0, len(self.labels))
        backprop(d_logits)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores) -> tuple[float, Floats2d]:
        """Binary cross-entropy of the logits ``scores`` against the gold relations."""
        _, _, targets = self._training_instances(list(examples))
        return self._loss(scores, targets)

    def _loss(self, logits, targets: numpy.ndarray) -> tuple[float, Floats2d]:
        probs = _sigmoid(self.model.ops.to_numpy(logits))
        d_logits = (probs - targets) / max(1, len(targets))
        eps = 1e-7
        loss = -float(numpy.mean(targets * numpy.log(probs + eps) + (1 - targets) * numpy.log(1 - probs + eps)))
        return loss, self.model.ops.asarray2f(d_logits)

    def _training_instances(self, examples: list[Example]) -> tuple[list[Doc], list[Candidates], numpy.ndarray]:
        docs, candidates, targets = [], [], []
        for eg in examples:
            doc = eg.predicted
            ents = _gold_ents_on(doc, eg.reference)
            doc_candidates = self.candidates(doc, ents)
            gold = relation_keys(eg.reference)
            for head, child in doc_candidates.pairs:
                key = (ents[head].start_char, ents[head].end_char, ents[child].start_char, ents[child].end_char)
                targets.append([1.0 if key + (label,) in gold else 0.0 for label in self.labels])
            docs.append(doc)
            candidates.append(doc_candidates)
        target_array = numpy.asarray(targets, dtype=numpy.float32).reshape((-1, len(self.labels)))
        return docs, candidates, target_array

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Example]],
        *,
        nlp: Language | None = None,
        labels: list[str] | None = None,
    ) -> None:
        """Set the labels (given, else those of the examples' relations) and the model's shapes."""
        validate_get_examples(get_examples, "RelationExtractor.initialize")
        sample = list(islice(get_examples(), 20))
        if labels is None:
            labels = sorted({r["label"] for eg in get_examples() for r in eg.reference._.relations})
        for label in labels or RELATION_LABELS:
            self.add_label(label)
        docs, candidates, targets = self._training_instances(sample)
        if not len(targets):
            raise ValueError("ipner_relations: the first examples have no QUANTITY with a candidate to learn from")
        self.model.initialize(X=(docs, candidates), Y=self.model.ops.asarray2f(targets))

    def raw_scores(self, docs: list[Doc]) -> list[tuple[Candidates, numpy.ndarray]]:
        """Per document: its candidates and their sigmoid scores, before thresholding."""
        candidates, scores = self.predict(docs)
        out, row = [], 0
        for doc_candidates in candidates:
            out.append((doc_candidates, scores[row : row + len(doc_candidates)]))
            row += len(doc_candidates)
        return out


def select_relations(
    pairs: numpy.ndarray, scores: numpy.ndarray, ents: list[Span], labels: tuple[str, ...], threshold: float
) -> list[dict[str, Any]]:
    """Per head and label, the best-scoring child that fits the label and reaches ``threshold``."""
    best: dict[tuple[int, str], tuple[float, int]] = {}
    for (head, child), row in zip(pairs.tolist(), scores):
        child_label = ents[child].label_
        for k, label in enumerate(labels):
            if child_label not in RELATION_SIGNATURES[label][1]:
                continue
            score = float(row[k])
            if score >= threshold and score > best.get((head, label), (-1.0, -1))[0]:
                best[(head, label)] = (score, child)
    return [
        {"head": head, "child": child, "label": label, "score": round(score, 4)}
        for (head, label), (score, child) in sorted(best.items(), key=lambda item: (item[0][0], item[0][1]))
    ]


def _gold_ents_on(doc: Doc, reference: Doc) -> list[Span]:
    """The reference entities as spans of ``doc`` (same text); ones off ``doc``'s tokens are dropped."""
    spans = []
    for ent in reference.ents:
        span = doc.char_span(ent.start_char, ent.end_char, label=ent.label_)
        if span is not None:
            spans.append(span)
    return spans
