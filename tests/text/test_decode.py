"""Decoding report bytes: UTF-8 (BOM or not), GB18030/GBK, Big5; binary and undecodable input."""
import pytest

from ipner.text import DecodeError, InputNotFoundError, decode_bytes, read_text

SIMPLIFIED = "截至2023年底,杭州有效发明专利拥有量15.3万件,每万人高价值发明专利拥有量52.6件。"
TRADITIONAL = "長沙每萬人有效發明專利擁有量增至72.42件,全市有效發明專利擁有量7.61萬件。"


@pytest.mark.parametrize("text", [SIMPLIFIED, TRADITIONAL])
def test_utf8_with_and_without_bom(text):
    assert decode_bytes(text.encode("utf-8")) == text
    assert decode_bytes(b"\xef\xbb\xbf" + text.encode("utf-8")) == text  # BOM dropped


def test_gbk_and_gb18030():
    assert decode_bytes(SIMPLIFIED.encode("gbk")) == SIMPLIFIED
    assert decode_bytes(SIMPLIFIED.encode("gb18030")) == SIMPLIFIED


def test_big5():
    assert decode_bytes(TRADITIONAL.encode("big5")) == TRADITIONAL


def test_traditional_in_gb18030_is_not_mistaken_for_big5():
    assert decode_bytes(TRADITIONAL.encode("gb18030")) == TRADITIONAL


def test_utf16_with_bom():
    assert decode_bytes(SIMPLIFIED.encode("utf-16")) == SIMPLIFIED


def test_empty_bytes_give_empty_text():
    assert decode_bytes(b"") == ""


@pytest.mark.parametrize(
    "data",
    [b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", bytes(range(256)) * 4, b"PK\x03\x04\x14\x00\x00\x00"],
)
def test_binary_is_refused(data):
    with pytest.raises(DecodeError, match="binary"):
        decode_bytes(data)


def test_undecodable_bytes_are_refused():
    with pytest.raises(DecodeError):
        decode_bytes(b"\xff\xfe\xfd" * 0 + b"abc \xff\xff\xff\xff \x80\x80")


def test_read_text_names_the_file(tmp_path):
    missing = tmp_path / "missing.txt"
    with pytest.raises(InputNotFoundError, match="missing.txt: no such file"):
        read_text(missing)
    binary = tmp_path / "image.png"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00")
    with pytest.raises(DecodeError, match="image.png"):
        read_text(binary)
    with pytest.raises(DecodeError, match="directory"):
        read_text(tmp_path)


def test_read_text_refuses_files_over_the_limit(tmp_path):
    big = tmp_path / "big.txt"
    big.write_text("专利" * 1000, encoding="utf-8")
    with pytest.raises(DecodeError, match="over the limit"):
        read_text(big, max_bytes=100)
    assert read_text(big) == "专利" * 1000
