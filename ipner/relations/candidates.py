"""Candidate pairs of the relation extractor and their features.

Candidates start only at QUANTITY entities. For each relation label, a quantity is paired with the
``max_candidates`` nearest entities whose label fits that relation (``RELATION_SIGNATURES``) and that
lie within ``window`` characters, on either side. Each pair gets a few features of the stretch
between its entities: direction, distance, rank among the candidates on that side, sentence and
line breaks, entities in between, and the child's label. The candidate set grows linearly with the
document (spaCy's tutorial component pairs every entity with every other), which keeps long
reports fast.

The feature layout is part of ``ipner.RelationModel.v1``'s input shape: changing any constant
below changes :data:`N_FEATURES`, and needs a new architecture version (a test pins the v1 value).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.tokens import Span

from ipner.schema import ENTITY_LABELS, RELATION_LABELS, RELATION_SIGNATURES, SENTENCE_END_CHARS

__all__ = ["Candidates", "find_candidates", "N_FEATURES", "MAX_RANK", "MAX_BREAKS"]

#: Ranks beyond this share one feature column.
MAX_RANK = 4
#: Sentence or line break counts beyond this share one feature column.
MAX_BREAKS = 3
#: Scales that bring the log distances to about [0, 1].
DISTANCE_SCALE = 6.0
ENTITIES_BETWEEN_SCALE = 3.0
#: Length of the feature vector built by :func:`find_candidates` (see ``_pair_features``).
N_FEATURES = 2 + 2 * (MAX_RANK + 1) + 2 * (MAX_BREAKS + 1) + 1 + len(ENTITY_LABELS)


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
    sentence = numpy.isin(codes, [ord(c) for c in SENTENCE_END_CHARS])
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
    vector[1] = numpy.log1p(right - left) / DISTANCE_SCALE
    offset = 2 + (0 if before else MAX_RANK + 1)
    vector[offset + min(rank, MAX_RANK)] = 1.0
    offset = 2 + 2 * (MAX_RANK + 1)
    vector[offset + min(int(sentence_breaks[right] - sentence_breaks[left]), MAX_BREAKS)] = 1.0
    offset += MAX_BREAKS + 1
    vector[offset + min(int(line_breaks[right] - line_breaks[left]), MAX_BREAKS)] = 1.0
    offset += MAX_BREAKS + 1
    vector[offset] = numpy.log1p(abs(child - head) - 1) / ENTITIES_BETWEEN_SCALE
    vector[offset + 1 + ENTITY_LABELS.index(c_label)] = 1.0
    return vector
