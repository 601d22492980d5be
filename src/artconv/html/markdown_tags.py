"""Whether a CommonMark renderer reads a `<` in Markdown text as the start of a raw tag.

In Markdown text (not in an HTML block) a renderer passes a tag through only when it matches
CommonMark's grammar of raw HTML (spec 6.6); any other `<` it shows as text, escaped. So
`0.01<P值<0.05` or `<jiangtanghu[at]gmail.com>` are text a browser never reads as tags, and
safe Markdown must leave them alone. The grammar is read by a deterministic loop (no regular
expression that could backtrack): each call reads no further than the first character the
grammar refuses.
"""

from __future__ import annotations

import re

_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")
_SPACE = re.compile(r"[ \t\n\r\f\v]*")
_ATTRIBUTE_NAME = re.compile(r"[a-zA-Z_:][a-zA-Z0-9:._-]*")
_UNQUOTED = re.compile(r"[^\"'=<>`\x00-\x20]+")
_CLOSING = re.compile(r"</[A-Za-z][A-Za-z0-9-]*[ \t\n\r\f\v]*>")


def is_raw_tag(text: str, pos: int) -> bool:
    """Whether an open or closing tag of CommonMark's grammar starts at text[pos] == '<'."""
    if text.startswith("</", pos):
        return _CLOSING.match(text, pos) is not None
    name = _NAME.match(text, pos + 1)
    if name is None:
        return False
    cursor = name.end()
    while True:
        space = _SPACE.match(text, cursor).end()
        if text.startswith(">", space) or text.startswith("/>", space):
            return True
        attribute = _ATTRIBUTE_NAME.match(text, space) if space > cursor else None
        if attribute is None:
            return False
        cursor = _value_end(text, attribute.end())
        if cursor < 0:
            return False


def _value_end(text: str, pos: int) -> int:
    """After an attribute name: the end of its `= value`, pos when it has none, -1 if broken."""
    equals = _SPACE.match(text, pos).end()
    if not text.startswith("=", equals):
        return pos
    start = _SPACE.match(text, equals + 1).end()
    quote = text[start : start + 1]
    if quote in ("'", '"'):
        close = text.find(quote, start + 1)
        return close + 1 if close >= 0 else -1
    unquoted = _UNQUOTED.match(text, start)
    return unquoted.end() if unquoted else -1
