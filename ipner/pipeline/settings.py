"""Serialisation for components whose whole state is a few settings (no weights)."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable

from spacy.util import ensure_path

__all__ = ["SettingsSerializer"]


class SettingsSerializer:
    """``to_bytes``/``from_bytes``/``to_disk``/``from_disk`` of the attributes named in ``settings``.

    The values are saved with the pipeline (``<component>/cfg``, JSON), so a setting tuned after
    training overrides the one in ``config.cfg`` when the pipeline is loaded, through bytes too.
    """

    settings: tuple[str, ...] = ()

    def settings_dict(self) -> dict[str, Any]:
        """The current values of the settings."""
        return {name: getattr(self, name) for name in self.settings}

    def _apply(self, data: dict[str, Any]) -> None:
        for name in self.settings:
            if name in data:
                current = getattr(self, name)
                setattr(self, name, type(current)(data[name]) if current is not None else data[name])

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        """The settings as JSON bytes."""
        return json.dumps(self.settings_dict()).encode("utf-8")

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()):
        """Restore the settings from :meth:`to_bytes` output."""
        self._apply(json.loads(data.decode("utf-8")))
        return self

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """Write the settings to ``path/cfg``."""
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        # the standard library's json writes floats exactly (0.3 stays 0.3)
        (path / "cfg").write_text(json.dumps(self.settings_dict()), encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()):
        """Read the settings from ``path/cfg`` (kept as they are when it is missing)."""
        cfg = ensure_path(path) / "cfg"
        if cfg.exists():
            self._apply(json.loads(cfg.read_text(encoding="utf-8")))
        return self
