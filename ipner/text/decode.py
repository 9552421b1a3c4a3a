"""Decoding input bytes: UTF-8 (with or without BOM), GB18030/GBK and Big5, with clear failures."""
from __future__ import annotations

from pathlib import Path

from ipner.errors import DecodeError, InputError, InputNotFoundError
from ipner.text.normalize import to_simplified

#: Inputs larger than this are refused unless the caller raises the limit.
DEFAULT_MAX_BYTES = 200 * 1024 * 1024


__all__ = ["DecodeError", "InputError", "InputNotFoundError", "read_text", "decode_bytes", "DEFAULT_MAX_BYTES"]


def read_text(path: str | Path, max_bytes: int = DEFAULT_MAX_BYTES) -> str:
    """Read a file and decode it with :func:`decode_bytes`.

    Raises :class:`InputNotFoundError` for a missing file and :class:`DecodeError` for anything else
    that cannot be read as text; the message names the file.
    """
    path = Path(path)
    try:
        size = path.stat().st_size
        if path.is_dir():
            raise DecodeError(f"{path}: is a directory, not a text file")
        if size > max_bytes:
            raise DecodeError(f"{path}: {size:,} bytes is over the limit of {max_bytes:,} bytes (see --max-bytes)")
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputNotFoundError(f"{path}: no such file") from None
    except PermissionError:
        raise DecodeError(f"{path}: permission denied") from None
    except IsADirectoryError:
        raise DecodeError(f"{path}: is a directory, not a text file") from None
    except OSError as err:
        raise DecodeError(f"{path}: cannot read ({err.strerror or err})") from None
    try:
        return decode_bytes(data)
    except DecodeError as err:
        raise DecodeError(f"{path}: {err}") from None


def decode_bytes(data: bytes) -> str:
    """Decode report bytes to text.

    UTF-8 is tried first (a BOM is dropped, so offsets count from the first real character).
    Otherwise GB18030 and Big5 are both tried; GB18030 accepts most byte strings, so when both
    decode, the one whose text looks like Chinese is kept: the share of ideographs that, after
    conversion to Simplified, fall in GB2312 (the common characters). Binary data (NUL bytes or
    many control bytes) and bytes that none of these decode raise :class:`DecodeError`.
    """
    if not data:
        return ""
    if data.startswith(b"\xff\xfe") or data.startswith(b"\xfe\xff"):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise DecodeError("starts with a UTF-16 byte-order mark but does not decode as UTF-16") from None
    if _looks_binary(data):
        raise DecodeError("looks like a binary file, not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    candidates = []
    for encoding in ("gb18030", "big5hkscs"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        candidates.append((_chinese_score(text), encoding, text))
    if not candidates:
        raise DecodeError("cannot be decoded as UTF-8, GB18030/GBK or Big5")
    score, _, text = max(candidates)
    if score < 0.5:
        raise DecodeError("does not decode to readable Chinese text in UTF-8, GB18030/GBK or Big5")
    return text


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if b"\x00" in head:
        return True
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13, 27))
    return controls > len(head) * 0.05


def _chinese_score(text: str) -> float:
    """Share of CJK ideographs that are common characters (GB2312 after Traditional → Simplified)."""
    ideographs = [c for c in text[:20000] if "\u3400" <= c <= "\u9fff"]
    if not ideographs:
        # no Chinese at all: plain ASCII would have decoded as UTF-8, so this is noise
        return 0.0
    simplified = to_simplified("".join(ideographs))
    common = 0
    for char in simplified:
        try:
            char.encode("gb2312")
            common += 1
        except UnicodeEncodeError:
            pass
    return common / len(ideographs)
