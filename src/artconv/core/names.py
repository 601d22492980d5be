"""File names and messages as text output shows them: one finding per line, no raw escapes.

A file name may hold any byte but "/" and NUL: a newline would split a finding in two (and let
a name forge a finding), an ESC would drive the terminal, and bytes that are not UTF-8 reach
Python as lone surrogates that no UTF-8 stream can print. As git does (core.quotePath without
the octal), a name that needs it is put in double quotes with C escapes: `\\n`, `\\t`, `\\\\`,
`\\"`, `\\x1b` for other controls and for each byte that is not UTF-8, `\\u202e` for the
invisible controls that reorder or hide text. Any other name is shown as it is.
"""

from __future__ import annotations

import re

_SIMPLE = {"\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a", "\b": "\\b", "\f": "\\f", "\v": "\\v"}
# C0 and C1 controls, DEL, lone surrogates (undecodable bytes), and the format characters that
# turn text around or hide it (bidi embeddings, overrides and isolates; line/paragraph separators)
_UNPRINTABLE = "\x00-\x1f\x7f-\x9f\udc80-\udcff\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069"
_NEEDS_QUOTES = re.compile(f'[{_UNPRINTABLE}"\\\\]')
_CONTROL = re.compile(f"[{_UNPRINTABLE}]")


def _escape(character: str) -> str:
    if character in _SIMPLE:
        return _SIMPLE[character]
    code = ord(character)
    if 0xDC80 <= code <= 0xDCFF:  # the byte it stands for
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code <= 0xFF else f"\\u{code:04x}"


def quote_name(name: str) -> str:
    """A file name as one safe token: unchanged when plain, else quoted and escaped."""
    if not _NEEDS_QUOTES.search(name):
        return name
    return '"' + re.sub(f'[{_UNPRINTABLE}"\\\\]', lambda m: "\\" + m[0] if m[0] in '"\\' else _escape(m[0]), name) + '"'


def printable(text: str) -> str:
    """Text (a message that may quote an article) with its controls escaped, not quoted."""
    return _CONTROL.sub(lambda m: _escape(m[0]), text)


_SURROGATE = re.compile("[\ud800-\udfff]")


def json_escape_surrogates(dumped: str) -> str:
    """JSON text from `json.dumps(..., ensure_ascii=False)` made writable as UTF-8: a byte of a
    file name that is not UTF-8 (a lone surrogate) becomes the escape `\\udcXX`. That is valid
    JSON; Python's json reads it back as the same surrogate, and os.fsencode gives the byte back."""
    return _SURROGATE.sub(lambda m: f"\\u{ord(m[0]):04x}", dumped)
