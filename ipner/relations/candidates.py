"""Candidate pairs of the relation extractor and their features.

Candidates start only at QUANTITY entities. For each relation label, a quantity is paired with the
``max_candidates`` nearest entities whose label fits that relation (``RELATION_SIGNATURES``) and that
lie within ``window`` characters, on either side. Each pair gets a few features of the stretch
between its entities: direction, distance, rank among the candidates on that side, sentence and
line breaks, entities in between, and the child's label. The candidate set grows linearly with the
document (spaCy's tutorial component pairs every entity with every other), which keeps long
reports fast.

The feature layout is part of the relation model's input shape, so it is versioned with it:
``ipner.RelationModel.v1`` reads the :data:`N_FEATURES` features above; ``ipner.RelationModel.v2``
adds :data:`N_CUE_FEATURES` cue features of the stretch between the pair (clause breaks and figures in
between, 其中 and 分别 in between) and of the child (named as the source of a statement, standing on a
heading line). Changing either layout needs a new architecture version (tests pin both widths).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy
from spacy.tokens import Span

from ipner.schema import ENTITY_LABELS, RELATION_LABELS, RELATION_SIGNATURES, SENTENCE_END_CHARS
from ipner.text.cues import BREAKDOWN_CUE, CLAUSE_BREAK_CHARS, RESPECTIVELY_CUE, source_follows, source_precedes
from ipner.text.normalize import normalize_text

__all__ = [
    "Candidates", "find_candidates", "n_pair_features", "N_FEATURES", "N_CUE_FEATURES", "PAIR_FEATURE_VERSIONS",
    "MAX_RANK", "MAX_BREAKS",
]

#: Ranks beyond this share one feature column.
MAX_RANK = 4
#: Sentence or line break counts beyond this share one feature column.
MAX_BREAKS = 3
#: Scales that bring the log distances to about [0, 1].
DISTANCE_SCALE = 6.0
ENTITIES_BETWEEN_SCALE = 3.0
#: Length of the feature vector built by :func:`find_candidates` (see ``_pair_features``).
N_FEATURES = 2 + 2 * (MAX_RANK + 1) + 2 * (MAX_BREAKS + 1) + 1 + len(ENTITY_LABELS)
#: Length of the cue features that version 2 appends (see ``_DocumentCues.features``).
N_CUE_FEATURES = 2 * (MAX_BREAKS + 1) + 4
#: The pair feature layouts, by the relation model version that reads them.
PAIR_FEATURE_VERSIONS = (1, 2)
#: A line this short without a sentence end is a heading or a list label (截至2023年底,某市——).
HEADING_MAX_CHARS = 40


def n_pair_features(version: int) -> int:
    """The width of the pair features of layout ``version`` (1 or 2)."""
    if version not in PAIR_FEATURE_VERSIONS:
        raise ValueError(f"unknown pair feature version {version!r}; known: {PAIR_FEATURE_VERSIONS}")
    return N_FEATURES + (N_CUE_FEATURES if version >= 2 else 0)


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


def _char_codes(text: str) -> numpy.ndarray:
    return numpy.frombuffer(text.encode("utf-32-le"), dtype=numpy.uint32)


def _prefix_counts(codes: numpy.ndarray, chars: str) -> numpy.ndarray:
    """``counts[i]`` = how many of ``chars`` lie before position ``i`` of the text whose codes are ``codes``."""
    found = numpy.isin(codes, [ord(c) for c in chars])
    return numpy.concatenate([numpy.zeros(1, dtype=numpy.int32), numpy.cumsum(found, dtype=numpy.int32)])


def _break_counts(text: str) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Prefix sums of sentence ends and of newlines: ``counts[i]`` = how many lie before ``i``."""
    codes = _char_codes(text)
    return _prefix_counts(codes, SENTENCE_END_CHARS), _prefix_counts(codes, "\n")


def find_candidates(
    ents: list[Span], text: str, window: int, max_candidates: int, version: int = 1, norm_text: str | None = None
) -> Candidates:
    """The candidate pairs of a document whose entities (sorted, non-overlapping) are ``ents``.

    ``version`` is the pair feature layout (:data:`PAIR_FEATURE_VERSIONS`); the cues of version 2 are
    read on ``norm_text``, the normalised ``text`` (:func:`ipner.text.normalize.normalize_text`,
    computed when not given).
    """
    width = n_pair_features(version)
    if not any(ent.label_ == "QUANTITY" for ent in ents):
        return _no_candidates(width)
    sentence_breaks, line_breaks = _break_counts(text)
    info = [(ent.start_char, ent.end_char, ent.label_, ent.start, ent.end) for ent in ents]
    cues = None
    if version >= 2:
        cues = _DocumentCues(normalize_text(text) if norm_text is None else norm_text, info)
    slot_of = {label: slot for slot, allowed in enumerate(RELATION_SIGNATURES[l][1] for l in RELATION_LABELS) for label in allowed}
    pairs: list[tuple[int, int]] = []
    child_ranks: list[int] = []
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
                child_ranks.append(rank)
    if not pairs:
        return _no_candidates(width)
    pair_array = numpy.asarray(pairs, dtype=numpy.int64)
    features = _pair_features(info, pair_array, numpy.asarray(child_ranks, dtype=numpy.int64), sentence_breaks, line_breaks)
    if cues is not None:
        features = numpy.hstack([features, cues.features(pair_array)])
    spans = numpy.asarray([(info[h][3], info[h][4], info[c][3], info[c][4]) for h, c in pairs], dtype=numpy.int32)
    return Candidates(pair_array.astype(numpy.int32), spans, features)


def _no_candidates(width: int = N_FEATURES) -> Candidates:
    return Candidates(
        numpy.zeros((0, 2), dtype=numpy.int32),
        numpy.zeros((0, 4), dtype=numpy.int32),
        numpy.zeros((0, width), dtype=numpy.float32),
    )


class _DocumentCues:
    """The cue features of version 2 for the pairs of one document (prefix sums built once)."""

    def __init__(self, norm_text: str, info: list[tuple[int, int, str, int, int]]):
        self.text = norm_text
        self.info = info
        self.clause_breaks = _prefix_counts(_char_codes(norm_text), CLAUSE_BREAK_CHARS)
        is_quantity = numpy.asarray([label == "QUANTITY" for _, _, label, _, _ in info], dtype=numpy.int32)
        # quantities_before[k]: QUANTITY entities among info[:k]
        self.quantities_before = numpy.concatenate([numpy.zeros(1, dtype=numpy.int32), numpy.cumsum(is_quantity)])
        self._heading: dict[int, bool] = {}

    def features(self, pairs: numpy.ndarray) -> numpy.ndarray:
        """One row of cue features per ``(head, child)`` row of ``pairs``."""
        text, info = self.text, self.info
        heads, children = pairs[:, 0], pairs[:, 1]
        left, right = _between(info, heads, children)
        low, high = numpy.minimum(heads, children), numpy.maximum(heads, children)
        rows = numpy.arange(len(pairs))
        features = numpy.zeros((len(pairs), N_CUE_FEATURES), dtype=numpy.float32)
        features[rows, numpy.minimum(self.clause_breaks[right] - self.clause_breaks[left], MAX_BREAKS)] = 1.0
        offset = MAX_BREAKS + 1
        features[rows, offset + numpy.minimum(self.quantities_before[high] - self.quantities_before[low + 1], MAX_BREAKS)] = 1.0
        offset += MAX_BREAKS + 1
        child_cues = {}
        for row, (start, end, child) in enumerate(zip(left.tolist(), right.tolist(), children.tolist())):
            between = text[start:end]
            features[row, offset] = 1.0 if BREAKDOWN_CUE in between else 0.0
            features[row, offset + 1] = 1.0 if RESPECTIVELY_CUE in between else 0.0
            if child not in child_cues:
                c_start, c_end = info[child][0], info[child][1]
                child_cues[child] = (self._is_source(c_start, c_end), self._on_heading(c_start))
            is_source, on_heading = child_cues[child]
            features[row, offset + 2] = 1.0 if is_source else 0.0
            features[row, offset + 3] = 1.0 if on_heading else 0.0
        return features

    def _is_source(self, start: int, end: int) -> bool:
        return source_follows(self.text, end) or source_precedes(self.text, start)

    def _on_heading(self, position: int) -> bool:
        line_start = self.text.rfind("\n", 0, position) + 1
        if line_start not in self._heading:
            line_end = self.text.find("\n", position)
            line = self.text[line_start : len(self.text) if line_end < 0 else line_end].strip()
            self._heading[line_start] = len(line) <= HEADING_MAX_CHARS and not any(c in line for c in SENTENCE_END_CHARS)
        return self._heading[line_start]


def _between(info, heads: numpy.ndarray, children: numpy.ndarray) -> tuple[numpy.ndarray, numpy.ndarray]:
    """Per pair, the character offsets of the stretch between its two entities (empty when they touch)."""
    starts = numpy.asarray([entity[0] for entity in info], dtype=numpy.int64)
    ends = numpy.asarray([entity[1] for entity in info], dtype=numpy.int64)
    before = children < heads
    left = numpy.where(before, ends[children], ends[heads])
    right = numpy.maximum(left, numpy.where(before, starts[heads], starts[children]))
    return left, right


def _pair_features(info, pairs: numpy.ndarray, ranks: numpy.ndarray, sentence_breaks, line_breaks) -> numpy.ndarray:
    """One row of the version-1 features per ``(head, child)`` row of ``pairs`` (``ranks``: the child's rank
    on its side among the candidates of its slot)."""
    heads, children = pairs[:, 0], pairs[:, 1]
    before = children < heads
    left, right = _between(info, heads, children)
    rows = numpy.arange(len(pairs))
    features = numpy.zeros((len(pairs), N_FEATURES), dtype=numpy.float32)
    features[:, 0] = before
    features[:, 1] = numpy.log1p(right - left) / DISTANCE_SCALE
    offset = 2 + numpy.where(before, 0, MAX_RANK + 1)
    features[rows, offset + numpy.minimum(ranks, MAX_RANK)] = 1.0
    offset = 2 + 2 * (MAX_RANK + 1)
    features[rows, offset + numpy.minimum(sentence_breaks[right] - sentence_breaks[left], MAX_BREAKS)] = 1.0
    offset += MAX_BREAKS + 1
    features[rows, offset + numpy.minimum(line_breaks[right] - line_breaks[left], MAX_BREAKS)] = 1.0
    offset += MAX_BREAKS + 1
    features[:, offset] = numpy.log1p(numpy.abs(children - heads) - 1) / ENTITIES_BETWEEN_SCALE
    label_index = numpy.asarray([ENTITY_LABELS.index(entity[2]) for entity in info], dtype=numpy.int64)
    features[rows, offset + 1 + label_index[children]] = 1.0
    return features
