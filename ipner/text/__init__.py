"""Text handling: decoding input bytes, script and width normalisation, chunking long texts."""
from ipner.text.decode import DecodeError, InputError, InputNotFoundError, decode_bytes, read_text
from ipner.text.normalize import normalize_text
from ipner.text.chunk import iter_chunks

__all__ = ["DecodeError", "InputError", "InputNotFoundError", "decode_bytes", "read_text", "normalize_text", "iter_chunks"]
