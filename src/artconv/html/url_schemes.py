"""Which URLs no safe output keeps: `javascript:`, `vbscript:`, `livescript:` and `data:`, except
images in PNG, GIF, JPEG or WebP, judged as the last reader sees the URL.

The scheme is read after Markdown backslash escapes and character references are decoded
(twice, for a renderer that decodes again), percent escapes decoded (a renderer or a browser
may), tabs and newlines dropped anywhere, controls and spaces taken off the ends, case folded.
Safe Markdown (writers/md_safe_urls.py) drops such links; the guard does not count them.
"""

from __future__ import annotations

import html
import re
from urllib.parse import unquote

_DANGEROUS = frozenset({"javascript", "vbscript", "livescript", "data"})
_DATA_IMAGE = re.compile(r"data:image/(?:png|gif|jpeg|jpg|webp)[;,]")
_SCHEME = re.compile(r"([a-zA-Z][a-zA-Z0-9+.-]*):")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_IGNORED = re.compile("[\t\n\r]")
_ENDS = "".join(map(chr, range(0x21))) + "\x7f\xa0"


def reading(raw: str) -> str:
    """A URL as the browser finally gets it, for judging its scheme."""
    value = _ESCAPED.sub(r"\1", raw)
    value = unquote(html.unescape(html.unescape(value)))
    return _IGNORED.sub("", value).strip(_ENDS).casefold()


def dangerous(raw: str, image: bool) -> bool:
    value = reading(raw)
    scheme = _SCHEME.match(value)
    if scheme is None or scheme.group(1) not in _DANGEROUS:
        return False
    return not (image and _DATA_IMAGE.match(value))


def script_or_data(raw: str) -> bool:
    """A URL with one of those schemes, images or not, as written or as finally read."""
    if ":" not in raw and "&" not in raw and "%" not in raw:
        return False  # no scheme however it is read
    scheme = _SCHEME.match(reading(raw))
    return scheme is not None and scheme.group(1) in _DANGEROUS
