"""Bytes to text: UTF-8 first, then BOMs, then legacy encodings by detection.

Article files are overwhelmingly UTF-8; a few are UTF-16 (Windows editors), GBK/GB18030 or Big5
(old Chinese blogs), cp1252 (Western WordPress exports), and some are UTF-8 with a stray cp1252
byte pasted in. Each of these decodes here or raises DecodeError naming what is wrong.
"""

from __future__ import annotations

import codecs
import re

# Single-byte and multi-byte legacy encodings worth trying, in the order a tie is broken.
LEGACY_CANDIDATES = ("gb18030", "big5", "cp1252", "shift_jis", "euc_kr", "latin_1")

# A file counts as "UTF-8 with stray bytes" when at most this many bytes fail to decode and
# valid multi-byte sequences exist elsewhere: repairing the few bytes beats re-decoding all of it.
MAX_STRAY_BYTES = 8

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f]")
_MULTIBYTE_UTF8 = re.compile(rb"[\xc2-\xf4][\x80-\xbf]+")


class DecodeError(ValueError):
    """The bytes are not text in any encoding we accept."""


def decode(data: bytes) -> tuple[str, str]:
    """Return (text, encoding name) for the bytes of an article file."""
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[3:], "utf-8"), "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16"), "utf-16"
    if b"\x00" in data:
        return _decode_with_nul(data)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        first_error = exc
    repaired = _repair_stray_bytes(data)
    if repaired is not None:
        return repaired, "utf-8+cp1252"
    return _detect_legacy(data, first_error)


def _strict(data: bytes, encoding: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise DecodeError(f"invalid {encoding} at byte {exc.start}") from None


def _decode_with_nul(data: bytes) -> tuple[str, str]:
    # UTF-16 without a BOM shows NUL in every other byte of ASCII text; anything else with NUL
    # bytes is binary, whatever its file name says.
    even_nuls = data[0::2].count(0)
    odd_nuls = data[1::2].count(0)
    half = max(1, len(data) // 2)
    for encoding, nuls, other in (("utf-16-le", odd_nuls, even_nuls), ("utf-16-be", even_nuls, odd_nuls)):
        if nuls > half * 0.3 and other <= half * 0.01 and len(data) % 2 == 0:
            try:
                text = data.decode(encoding)
            except UnicodeDecodeError:
                continue
            if not _CONTROL.search(text):
                return text, encoding
    raise DecodeError(f"binary file (NUL byte at offset {data.index(0)})")


def _repair_stray_bytes(data: bytes) -> str | None:
    if not _has_valid_multibyte(data):
        return None  # no valid multi-byte sequence at all: a legacy encoding, not stray bytes
    text = data.decode("utf-8", errors="surrogateescape")
    stray = _ESCAPED_BYTE.findall(text)
    if len(stray) > MAX_STRAY_BYTES:
        return None
    repaired = _ESCAPED_BYTE.sub(lambda m: bytes([ord(m.group()) - 0xDC00]).decode("cp1252", "replace"), text)
    return None if "\ufffd" in repaired else repaired


_ESCAPED_BYTE = re.compile("[\udc80-\udcff]")


def _has_valid_multibyte(data: bytes) -> bool:
    for match in _MULTIBYTE_UTF8.finditer(data):
        try:
            match.group().decode("utf-8")
            return True
        except UnicodeDecodeError:
            continue
    return False


def _detect_legacy(data: bytes, first_error: UnicodeDecodeError) -> tuple[str, str]:
    from charset_normalizer import from_bytes  # only non-UTF-8 files pay for detection

    best = from_bytes(data, cp_isolation=list(LEGACY_CANDIDATES)).best()
    if best is None or best.encoding is None:
        raise DecodeError(
            f"not UTF-8 (invalid byte at offset {first_error.start}) and no known encoding fits"
        )
    return str(best), best.encoding
