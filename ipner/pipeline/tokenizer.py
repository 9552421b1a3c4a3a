"""A character tokenizer for Chinese reports that keeps ASCII runs whole and normalises norms.

Every CJK character is a token; runs of ASCII digits (with inner ``.`` and ``,``: 31.24, 11,925)
and of ASCII letters (PCT, GDP, R&D is three tokens) stay one token. Each token's ``norm_`` is its
normalised form (Traditional → Simplified, full-width → half-width), so models and matchers that
read NORM serve both scripts, while ``doc.text`` and every offset stay those of the input.

spaCy builds ``doc.text`` from the tokens on every access, which for one token per character costs
as much as a layer of the model; the tokenizer therefore keeps the text and its normalised form in
``doc.user_data`` (:func:`doc_text`, :func:`doc_norm`), for the components that read them.
"""
from __future__ import annotations

import re
from typing import Callable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.util import registry
from spacy.vocab import Vocab

from ipner.text.normalize import normalize_text

__all__ = ["CharTokenizer", "create_char_tokenizer", "doc_text", "doc_norm"]

_TEXT_KEY = "ipner_text"  # user_data: (number of tokens, text, normalised text)

_TOKEN_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[A-Za-z]+|[ \t]+|\r?\n|\s|.", re.S)


class CharTokenizer:
    """Split text into characters, ASCII number and word runs, and whitespace."""

    def __init__(self, vocab: Vocab):
        self.vocab = vocab

    def __call__(self, text: str) -> Doc:
        norm = normalize_text(text)
        words: list[str] = []
        spaces: list[bool] = []
        changed: list[tuple[int, str]] = []  # (token index, norm) where the norm differs from the text
        for match in _TOKEN_RE.finditer(norm):
            start, end = match.span()
            piece = text[start:end]
            if piece == " " and words and not spaces[-1] and not words[-1].isspace():
                spaces[-1] = True
                continue
            if match.group() != piece:
                changed.append((len(words), match.group()))
            words.append(piece)
            spaces.append(False)
        doc = Doc(self.vocab, words=words, spaces=spaces)
        for index, norm_form in changed:
            doc[index].norm_ = norm_form
        doc.user_data[_TEXT_KEY] = (len(doc), text, norm)
        return doc

    def pipe(self, texts, batch_size: int = 1000):
        """Tokenise a stream of texts."""
        for text in texts:
            yield self(text)

    # The tokenizer has no state of its own: these make nlp.to_disk / from_disk work.
    def to_bytes(self, **kwargs) -> bytes:
        """Nothing to save: the tokenizer has no state."""
        return b""

    def from_bytes(self, data: bytes, **kwargs) -> "CharTokenizer":
        """Nothing to restore: the tokenizer has no state."""
        return self

    def to_disk(self, path, **kwargs) -> None:
        """Nothing to save: the tokenizer has no state."""
        pass

    def from_disk(self, path, **kwargs) -> "CharTokenizer":
        """Nothing to restore: the tokenizer has no state."""
        return self


@registry.tokenizers("ipner.CharTokenizer.v1")
def create_char_tokenizer() -> Callable[[Language], CharTokenizer]:
    """Registered tokenizer factory: ``[nlp.tokenizer] @tokenizers = "ipner.CharTokenizer.v1"``."""

    def create(nlp: Language) -> CharTokenizer:
        return CharTokenizer(nlp.vocab)

    return create


def _cached(doc: Doc) -> tuple[int, str, str] | None:
    cached = doc.user_data.get(_TEXT_KEY)
    # the token count guards against a Doc that was retokenised or built some other way
    return cached if cached is not None and cached[0] == len(doc) else None


def doc_text(doc: Doc) -> str:
    """``doc.text``, read from what the tokenizer kept when it can be (the same string, much faster)."""
    cached = _cached(doc)
    return cached[1] if cached is not None else doc.text


def doc_norm(doc: Doc) -> str:
    """``normalize_text(doc.text)``, as the tokenizer computed it when it can be."""
    cached = _cached(doc)
    return cached[2] if cached is not None else normalize_text(doc.text)
