"""The Doc extensions of ipner, declared in one place and registered once on import.

- ``doc._.relations``: list of ``{"head", "child", "label", "score"}``; ``head`` and ``child`` index
  ``doc.ents``. Plain JSON values so that documents cross process boundaries (``n_process``).
- ``doc._.facts``: list of facts in SCHEMA.md's JSON shape, offsets relative to ``doc.text``.
- ``doc._.doc_date``: the reference date (``YYYY-MM-DD``) for relative dates, or None.
"""
from __future__ import annotations

from spacy.tokens import Doc

_EXTENSIONS = {"relations": None, "facts": None, "doc_date": None}


def register_extensions() -> None:
    """Declare ipner's Doc extensions if they are not declared yet (idempotent)."""
    for name, default in _EXTENSIONS.items():
        if not Doc.has_extension(name):
            Doc.set_extension(name, default=default)


register_extensions()
