"""The settings of a fine-tuning run (:class:`FinetuneSettings`), apart from the training code so that
the command line reads its defaults without importing spaCy."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

__all__ = ["FinetuneSettings"]


@dataclass
class FinetuneSettings:
    """What a fine-tuning run does; the defaults suit 10–50 new passages on 2 CPU cores.

    ``rehearsal_ratio`` was chosen on the fine-tuning example (``annotations/finetune_example/``,
    three seeds each; README, "Fine-tuning"): with 2 original documents per new one the original dev
    split lost 2.1–3.7 points of fact F, with 8 it lost 1.1–2.1 while the new phrasing was learnt as well
    (0.5–2.0 with the shipped model and the eighth round of post-processing; with 16, 0.2 at most, but the
    new layout was no longer learnt in two seeds of three).
    """

    rehearsal_ratio: float = 8.0  #: original training documents per new training document
    dev_fraction: float = 0.2  #: share of the new documents kept for dev when no dev file is given
    max_steps: int = 400
    eval_frequency: int = 100
    learn_rate: float = 0.0005
    augment_copies: int = 1
    seed: int = 0
    overrides: dict[str, Any] = field(default_factory=dict)
