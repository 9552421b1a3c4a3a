"""The trainable relation extractor ``ipner_relations``: its factory, default config and class.

It links each QUANTITY to its metric, subject and time. Candidate pairs come from
:mod:`ipner.relations.candidates`; the model (:mod:`ipner.relations.model`) gives every relation
label of a pair a logit. ``normalization`` turns the logits into scores: ``"sigmoid"`` scores each
pair and label independently (multi-label, binary cross-entropy in training); ``"softmax"`` scores
the candidates of one slot (a quantity and a label: its metric, its subject or its time) against
each other and against "none" (a fixed logit 0), so that training pushes the right candidate above
its rivals rather than each over a bar of its own. A quantity keeps, per label, its best-scoring
candidate if that score reaches ``threshold`` (tuned on dev data after training and stored in the
component's ``cfg``), so it has at most one relation of each label, as SCHEMA.md requires.
"""
from __future__ import annotations

from dataclasses import dataclass
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
from ipner.schema import ENTITY_LABELS, RELATION_LABELS, RELATION_SIGNATURES

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
#: How logits become scores (see the module docstring).
NORMALIZATIONS = ("sigmoid", "softmax")
DEFAULT_NORMALIZATION = "sigmoid"


@Language.factory(
    "ipner_relations",
    default_config={
        "model": Config().from_str(DEFAULT_RELATION_MODEL)["model"],
        "threshold": DEFAULT_THRESHOLD,
        "window": DEFAULT_WINDOW,
        "max_candidates": DEFAULT_MAX_CANDIDATES,
        "normalization": DEFAULT_NORMALIZATION,
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
    normalization: str,
    scorer: Callable | None,
) -> "RelationExtractor":
    """The trainable relation extractor (QUANTITY → metric, subject, time)."""
    return RelationExtractor(
        nlp.vocab, model, name, threshold=threshold, window=window, max_candidates=max_candidates,
        normalization=normalization, scorer=scorer,
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
        normalization: str = DEFAULT_NORMALIZATION,
        scorer: Callable | None = None,
    ):
        if normalization not in NORMALIZATIONS:
            raise ValueError(f"ipner_relations: normalization must be one of {', '.join(NORMALIZATIONS)}, not {normalization!r}")
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
            "normalization": normalization,
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

    @property
    def normalization(self) -> str:
        """How logits become scores: ``"sigmoid"`` or ``"softmax"`` over each slot's candidates."""
        return str(self.cfg.get("normalization", DEFAULT_NORMALIZATION))

    def predict(self, docs: Iterable[Doc]) -> tuple[list[Candidates], numpy.ndarray]:
        """The candidate pairs of each doc and their scores (one column per label; see ``normalization``)."""
        docs = list(docs)
        candidates = [self.candidates(doc) for doc in docs]
        if sum(len(c) for c in candidates) == 0:
            return candidates, numpy.zeros((0, len(self.labels)), dtype=numpy.float32)
        logits = self.model.ops.to_numpy(self.model.predict((docs, candidates)))
        if self.normalization == "softmax":
            return candidates, _slot_softmax(logits, self._slots(candidates, [list(doc.ents) for doc in docs]))
        return candidates, _sigmoid(logits)

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
        docs, candidates, targets, ents = self._training_instances(examples)
        if not docs:
            return losses
        set_dropout_rate(self.model, drop)
        # Also without a single candidate pair: this component is usually the last listener of the
        # shared tok2vec/transformer, which backpropagates the other listeners' gradients (the NER's)
        # only when the last one calls back, so skipping would silently drop them for the batch.
        logits, backprop = self.model.begin_update((docs, candidates))
        if len(targets):
            loss, d_logits = self._loss(logits, targets, self._slots(candidates, ents) if self.normalization == "softmax" else None)
        else:
            loss, d_logits = 0.0, self.model.ops.alloc2f(0, len(self.labels))
        backprop(d_logits)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def get_loss(self, examples: Iterable[Example], scores) -> tuple[float, Floats2d]:
        """The loss of the logits ``scores`` against the gold relations: binary cross-entropy, or with
        ``normalization="softmax"`` the cross-entropy of each slot's choice (a candidate or none)."""
        _, candidates, targets, ents = self._training_instances(list(examples))
        return self._loss(scores, targets, self._slots(candidates, ents) if self.normalization == "softmax" else None)

    def _loss(self, logits, targets: numpy.ndarray, slots: "_Slots | None") -> tuple[float, Floats2d]:
        """The loss and its gradient; ``slots`` (see :meth:`_slots`) is needed by the softmax only."""
        eps = 1e-7
        logits = self.model.ops.to_numpy(logits)
        if slots is not None:
            # per slot, the cross-entropy of its choice: the gold candidate, else none (1 - the candidates' sum)
            probs = _slot_softmax(logits, slots)
            rows, cols = numpy.nonzero(slots.fits)
            slot, n_slots = slots.slot_of[rows, cols], len(slots.ids)
            gold_probability, candidates_probability = numpy.zeros(n_slots), numpy.zeros(n_slots)
            numpy.add.at(gold_probability, slot, (probs * targets)[rows, cols])
            numpy.add.at(candidates_probability, slot, probs[rows, cols])
            has_gold = numpy.zeros(n_slots, dtype=bool)
            has_gold[slot[targets[rows, cols] > 0]] = True
            chosen = numpy.where(has_gold, gold_probability, 1.0 - candidates_probability)
            loss = -float(numpy.mean(numpy.log(numpy.clip(chosen, eps, 1.0)))) if n_slots else 0.0
            d_logits = (probs - targets) * slots.fits / max(1, n_slots)
            return loss, self.model.ops.asarray2f(d_logits.astype("float32"))
        probs = _sigmoid(logits)
        d_logits = (probs - targets) / max(1, len(targets))
        loss = -float(numpy.mean(targets * numpy.log(probs + eps) + (1 - targets) * numpy.log(1 - probs + eps)))
        return loss, self.model.ops.asarray2f(d_logits)

    def _slots(self, candidates: list[Candidates], ents: list[list[Span]]) -> "_Slots":
        """Which rows of the stacked candidates fit which label, and the slot (quantity, label) of each."""
        fits, heads, offset = [], [], 0
        fit_by_label = {label: [label in RELATION_SIGNATURES[rel][1] for rel in self.labels] for label in ENTITY_LABELS}
        for doc_candidates, doc_ents in zip(candidates, ents):
            if len(doc_candidates):
                child_fits = [fit_by_label[doc_ents[child].label_] for child in doc_candidates.pairs[:, 1].tolist()]
                fits.append(numpy.array(child_fits, dtype=bool).reshape(-1, len(self.labels)))
                heads.append(doc_candidates.pairs[:, 0] + offset)
            offset += len(doc_ents)
        if not fits:
            return _Slots(numpy.zeros((0, len(self.labels)), dtype=bool), numpy.zeros((0, len(self.labels)), dtype=numpy.int64), numpy.zeros(0))
        fit = numpy.vstack(fits)
        head = numpy.concatenate(heads)
        keys = head[:, None] * len(self.labels) + numpy.arange(len(self.labels))[None, :]
        ids, slot_of = numpy.unique(numpy.where(fit, keys, -1), return_inverse=True)
        slot_of = slot_of.reshape(fit.shape)
        if len(ids) and ids[0] == -1:  # the rows that fit no label share a dummy slot: drop it
            ids, slot_of = ids[1:], slot_of - 1
        return _Slots(fit, numpy.where(fit, slot_of, 0), ids)

    def _training_instances(
        self, examples: list[Example]
    ) -> tuple[list[Doc], list[Candidates], numpy.ndarray, list[list[Span]]]:
        """The predicted docs, their candidates over the gold entities, the gold targets per candidate row
        and label, and those entities."""
        docs, candidates, targets, all_ents = [], [], [], []
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
            all_ents.append(ents)
        target_array = numpy.asarray(targets, dtype=numpy.float32).reshape((-1, len(self.labels)))
        return docs, candidates, target_array, all_ents

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
        docs, candidates, targets, _ = self._training_instances(sample)
        if not len(targets):
            raise ValueError("ipner_relations: the first examples have no QUANTITY with a candidate to learn from")
        self.model.initialize(X=(docs, candidates), Y=self.model.ops.asarray2f(targets))

    def raw_scores(self, docs: list[Doc]) -> list[tuple[Candidates, numpy.ndarray]]:
        """Per document: its candidates and their scores, before thresholding."""
        candidates, scores = self.predict(docs)
        out, row = [], 0
        for doc_candidates in candidates:
            out.append((doc_candidates, scores[row : row + len(doc_candidates)]))
            row += len(doc_candidates)
        return out


@dataclass
class _Slots:
    """``fits[row, label]``: the row's child fits the label; ``slot_of[row, label]``: the index of the
    row's slot (its quantity and the label) where it fits; ``ids``: one entry per slot."""

    fits: numpy.ndarray
    slot_of: numpy.ndarray
    ids: numpy.ndarray


def _slot_softmax(logits: numpy.ndarray, slots: _Slots) -> numpy.ndarray:
    """Per slot, the softmax of its candidates' logits and a fixed 0 for "none": each candidate's
    probability, 0 where a row does not fit the label."""
    probs = numpy.zeros(logits.shape, dtype=numpy.float32)
    rows, cols = numpy.nonzero(slots.fits)
    if not len(rows):
        return probs
    z = logits[rows, cols].astype(numpy.float64)
    slot = slots.slot_of[rows, cols]
    top = numpy.zeros(len(slots.ids))  # the none logit 0 is part of every slot's maximum
    numpy.maximum.at(top, slot, z)
    exps = numpy.exp(z - top[slot])
    denominator = numpy.exp(-top)
    numpy.add.at(denominator, slot, exps)
    probs[rows, cols] = exps / denominator[slot]
    return probs


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
