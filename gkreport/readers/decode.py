"""Bytes of a text input as text: UTF-8 (with or without a BOM), then GB18030 (which covers GBK
and GB2312 pages), UTF-16/32 by their BOM or their zero bytes; binary data is refused."""

from __future__ import annotations

import codecs
import re
from pathlib import Path

from gkreport.readers.errors import ReadError

ENCODINGS = ("utf-8-sig", "gb18030")


def decode_text(data: bytes, path: str | Path = "") -> str:
    """UTF-8 (BOM or not), then GB18030; UTF-16 or UTF-32 (as Windows tools save "Unicode" text)
    by its byte-order mark, or UTF-16 without one when one byte order reads as plain text; any other
    file with NUL bytes or control debris is binary."""
    unicode = _utf16_or_32(data)
    if unicode is not None:
        if _looks_binary(unicode):
            raise ReadError("binary", path)
        return unicode
    if b"\x00" in data:
        raise ReadError("binary", path)
    for encoding in ENCODINGS:
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise ReadError("binary", path)
        return text
    raise ReadError("undecodable", path)


_BOMS = ((codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def _utf16_or_32(data: bytes) -> str | None:
    """The text of a UTF-16 or UTF-32 file, or None when the bytes are not that."""
    for bom, encoding in _BOMS:  # UTF-32 first: its little-endian mark starts like UTF-16's
        if data.startswith(bom):
            try:
                return data.decode(encoding)
            except UnicodeDecodeError:
                return None
    if len(data) < 4 or len(data) % 2 or b"\x00" not in data:
        return None
    readings = []
    for encoding in ("utf-16-le", "utf-16-be"):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        readings.append((_plain_share(text[:4096]), text))
    best = max(readings, default=None, key=lambda reading: reading[0])
    return best[1] if best is not None and best[0] >= 0.8 else None


def _plain_share(text: str) -> float:
    """The share of characters a Chinese or English report is made of: ASCII text, CJK ideographs and punctuation,
    full-width forms.  The wrong byte order of UTF-16 scores low (ASCII turns into rare ideographs)."""
    if not text:
        return 0.0
    plain = sum(1 for ch in text if " " <= ch <= "~" or ch in "\t\n\r" or "\u3000" <= ch <= "\u303f" or "\u4e00" <= ch <= "\u9fff" or "\uff00" <= ch <= "\uffef")
    return plain / len(text)


_CONTROL = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f]")  # control characters text does not hold (tabs, breaks and feeds it does)


def _looks_binary(text: str) -> bool:
    sample = text[:4096]
    if not sample:
        return False
    return len(_CONTROL.findall(sample)) > max(2, len(sample) // 100)
