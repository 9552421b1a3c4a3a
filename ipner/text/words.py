"""Word edges from jieba's dictionary, where an entity's boundary is checked against the words of the text.

The corpus's METRICs begin and end on a word edge of jieba's dictionary segmentation (``HMM=False``) in
6,105 of 6,111 spans; a span the recogniser ended inside a word (办理知识产权各项业 + 务, 工程院院 + 士) is
cut, and span repair carries it to the word's end (:mod:`ipner.pipeline.span_repair`). jieba is a
dependency already (the yardstick of ``python -m ipner bench``); its dictionary is loaded once, when the
first pipeline with span repair is built, so that no document pays for it.
"""
from __future__ import annotations

import logging
from functools import lru_cache

__all__ = ["load_segmenter", "word_end"]


@lru_cache(maxsize=1)
def load_segmenter():
    """jieba's default tokenizer, initialised (its dictionary read, quietly)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    jieba.initialize()
    return jieba.dt


def word_end(norm_text: str, start: int, position: int, limit: int) -> int:
    """The end of the word of ``norm_text`` that holds ``position`` when the text from ``start`` to ``limit``
    is segmented with jieba's dictionary (no HMM for unknown words); ``position`` itself when a word ends
    there. ``start`` should be a word edge (an entity's start)."""
    edge = start
    for word in load_segmenter().cut(norm_text[start:limit], HMM=False):
        edge += len(word)
        if edge >= position:
            return edge
    return position
