"""The trainable relation extractor: links each QUANTITY to its metric, subject and time.

Candidates start only at QUANTITY entities. For each relation label, a quantity is paired with the
``max_candidates`` nearest entities whose label fits that relation (``RELATION_SIGNATURES``) and that
lie within ``window`` characters, on either side. Each pair is described by the pooled token vectors
of both entities and a few features of the stretch between them (direction, distance, rank among
the candidates on that side, sentence and line breaks, entities in between); the model scores every
relation label independently (multi-label, sigmoid). A quantity keeps, per label, its best-scoring
candidate if that score reaches ``threshold`` (tuned on dev data after training and stored in the
component's ``cfg``), so it has at most one relation of each label, as SCHEMA.md requires.

Compared with spaCy's tutorial component (every entity paired with every other), the candidate set
grows linearly with the document, which keeps long reports fast.
"""
from __future__ import annotations

from dataclasses import dataclass
from itertools import islice
from typing import Any, Callable, Iterable, Iterator

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span
from spacy.training import Example, validate_get_examples
from spacy.util import registry
from spacy.vocab import Vocab
from thinc.api import Model, Optimizer, set_dropout_rate
from thinc.types import Floats2d

from ipner.schema import RELATION_LABELS, RELATION_SIGNATURES

_SENTENCE_END = "。！？!?；;"
_ANY_LABEL = ("CITY", "REGION", "ORG", "METRIC", "QUANTITY", "DATE")
MAX_RANK = 4
MAX_BREAKS = 3
#: Length of the feature vector built by :func:`find_candidates` (see ``_pair_features``).
N_FEATURES = 2 + 2 * (MAX_RANK + 1) + 2 * (MAX_BREAKS + 1) + 1 + len(_ANY_LABEL)


@dataclass
class Candidates:
    """The candidate pairs of one document.

    ``pairs`` holds ``(head, child)`` indices into the entity list, ``spans`` the token ranges
    ``(head_start, head_end, child_start, child_end)``, ``features`` one row per pair.
    """

    pairs: numpy.ndarray
    spans: numpy.ndarray
    features: numpy.ndarray

    def __len__(self) -> int:
        return len(self.pairs)


def _break_counts(text: str) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Prefix sums of sentence ends and of newlines: ``counts[i]`` = how many lie before ``i``."""
    codes = numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)
    sentence = numpy.isin(codes, [ord(c) for c in _SENTENCE_END])
    newline = codes == ord("\n")
    zero = numpy.zeros(1, dtype=numpy.int32)
    return (
        numpy.concatenate([zero, numpy.cumsum(sentence, dtype=numpy.int32)]),
        numpy.concatenate([zero, numpy.cumsum(newline, dtype=numpy.int32)]),
    )


def find_candidates(ents: list[Span], text: str, window: int, max_candidates: int) -> Candidates:
    """The candidate pairs of a document whose entities (sorted, non-overlapping) are ``ents``."""
    if not any(ent.label_ == "QUANTITY" for ent in ents):
        return _no_candidates()
    sentence_breaks, line_breaks = _break_counts(text)
    info = [(ent.start_char, ent.end_char, ent.label_, ent.start, ent.end) for ent in ents]
    slot_of = {label: slot for slot, allowed in enumerate(RELATION_SIGNATURES[l][1] for l in RELATION_LABELS) for label in allowed}
    pairs: list[tuple[int, int]] = []
    rows: list[numpy.ndarray] = []
    for head, (q_start, q_end, q_label, _, _) in enumerate(info):
        if q_label != "QUANTITY":
            continue
        # (distance, rank on its side among entities of the same slot, child index), per slot
        near: dict[int, list[tuple[int, int, int]]] = {}
        for side in (range(head - 1, -1, -1), range(head + 1, len(info))):
            ranks: dict[int, int] = {}
            for j in side:
                start, end, label, _, _ = info[j]
                distance = q_start - end if j < head else start - q_end
                if distance > window:
                    break
                slot = slot_of.get(label)
                if slot is None:
                    continue
                rank = ranks.get(slot, 0)
                ranks[slot] = rank + 1
                near.setdefault(slot, []).append((distance, rank, j))
        for slot_candidates in near.values():
            for _, rank, j in sorted(slot_candidates)[:max_candidates]:
                pairs.append((head, j))
                rows.append(_pair_features(info, head, j, rank, sentence_breaks, line_breaks))
    if not pairs:
        return _no_candidates()
    spans = numpy.asarray([(info[h][3], info[h][4], info[c][3], info[c][4]) for h, c in pairs], dtype=numpy.int32)
    return Candidates(numpy.asarray(pairs, dtype=numpy.int32), spans, numpy.vstack(rows))


def _no_candidates() -> Candidates:
    return Candidates(
        numpy.zeros((0, 2), dtype=numpy.int32),
        numpy.zeros((0, 4), dtype=numpy.int32),
        numpy.zeros((0, N_FEATURES), dtype=numpy.float32),
    )


def _pair_features(info, head, child, rank, sentence_breaks, line_breaks) -> numpy.ndarray:
    q_start, q_end = info[head][0], info[head][1]
    c_start, c_end, c_label = info[child][0], info[child][1], info[child][2]
    before = child < head
    left, right = (c_end, q_start) if before else (q_end, c_start)
    right = max(left, right)
    vector = numpy.zeros(N_FEATURES, dtype=numpy.float32)
    vector[0] = 1.0 if before else 0.0
    vector[1] = numpy.log1p(right - left) / 6.0
    offset = 2 + (0 if before else MAX_RANK + 1)
    vector[offset + min(rank, MAX_RANK)] = 1.0
    offset = 2 + 2 * (MAX_RANK + 1)
    vector[offset + min(int(sentence_breaks[right] - sentence_breaks[left]), MAX_BREAKS)] = 1.0
    offset += MAX_BREAKS + 1
    vector[offset + min(int(line_breaks[right] - line_breaks[left]), MAX_BREAKS)] = 1.0
    offset += MAX_BREAKS + 1
    vector[offset] = numpy.log1p(abs(child - head) - 1) / 3.0
    vector[offset + 1 + _ANY_LABEL.index(c_label)] = 1.0
    return vector


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
        threshold: float = 0.5,
        window: int = 300,
        max_candidates: int = 6,
        scorer: Callable | None = None,
    ):
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
        return tuple(self.cfg["labels"])

    @property
    def threshold(self) -> float:
        return float(self.cfg["threshold"])

    @threshold.setter
    def threshold(self, value: float) -> None:
        self.cfg["threshold"] = float(value)

    def add_label(self, label: str) -> int:
        if label not in RELATION_SIGNATURES:
            raise ValueError(f"unknown relation label {label!r}; SCHEMA.md has {', '.join(RELATION_LABELS)}")
        if label in self.cfg["labels"]:
            return 0
        self.cfg["labels"].append(label)
        return 1

    def candidates(self, doc: Doc, ents: list[Span] | None = None) -> Candidates:
        """The candidate pairs of ``doc`` (over ``ents``, by default ``doc.ents``)."""
        return find_candidates(
            list(doc.ents) if ents is None else ents, doc.text, self.cfg["window"], self.cfg["max_candidates"]
        )

    def predict(self, docs: Iterable[Doc]) -> tuple[list[Candidates], numpy.ndarray]:
        docs = list(docs)
        candidates = [self.candidates(doc) for doc in docs]
        if sum(len(c) for c in candidates) == 0:
            return candidates, numpy.zeros((0, len(self.labels)), dtype=numpy.float32)
        logits = self.model.predict((docs, candidates))
        return candidates, _sigmoid(self.model.ops.to_numpy(logits))

    def set_annotations(self, docs: Iterable[Doc], predictions: tuple[list[Candidates], numpy.ndarray]) -> None:
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
            doc_candidates = find_candidates(ents, doc.text, self.cfg["window"], self.cfg["max_candidates"])
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
            labels = sorted({r["label"] for eg in get_examples() for r in (eg.reference._.relations or [])})
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


def relation_keys(doc: Doc) -> set[tuple[int, int, int, int, str]]:
    """``(head start, head end, child start, child end, label)`` of every relation of ``doc``."""
    ents = list(doc.ents)
    return {
        (ents[r["head"]].start_char, ents[r["head"]].end_char, ents[r["child"]].start_char, ents[r["child"]].end_char, r["label"])
        for r in doc._.relations or []
    }


def score_relations(examples: Iterable[Example], **kwargs) -> dict[str, Any]:
    """Micro and per-label P/R/F of predicted against gold relations (both entities must match by span).

    Keys: ``rel_micro_p``, ``rel_micro_r``, ``rel_micro_f`` and ``rel_per_type`` (``{label: {p, r, f}}``),
    in the shape spaCy's own scorers use, so training logs and ``spacy evaluate`` show them.
    """
    counts: dict[str, list[int]] = {label: [0, 0, 0] for label in RELATION_LABELS}  # tp, fp, fn
    for eg in examples:
        predicted = relation_keys(eg.predicted)
        gold = relation_keys(eg.reference)
        for key in predicted | gold:
            c = counts.setdefault(key[4], [0, 0, 0])
            if key in predicted and key in gold:
                c[0] += 1
            elif key in predicted:
                c[1] += 1
            else:
                c[2] += 1
    per_type = {label: precision_recall_f(*c) for label, c in counts.items()}
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    micro = precision_recall_f(tp, fp, fn)
    return {"rel_micro_p": micro["p"], "rel_micro_r": micro["r"], "rel_micro_f": micro["f"], "rel_per_type": per_type}


def precision_recall_f(tp: int, fp: int, fn: int) -> dict[str, float]:
    """``{"p", "r", "f"}`` from true positive, false positive and false negative counts (0 when undefined)."""
    p = tp / (tp + fp) if tp + fp else 0.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}


@registry.scorers("ipner.relation_scorer.v1")
def make_relation_scorer() -> Callable[..., dict[str, Any]]:
    """The relation scorer, registered so configs can name it (``spacy_scorers`` entry point)."""
    return score_relations


def iter_thresholds(start: float = 0.05, stop: float = 0.95, step: float = 0.05) -> Iterator[float]:
    """The grid of thresholds tried when tuning (inclusive of ``stop``)."""
    value = start
    while value <= stop + 1e-9:
        yield round(value, 4)
        value += step
