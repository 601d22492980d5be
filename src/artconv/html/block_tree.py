"""Markdown's block tree from markdown-it's Rust port, with each node's lines.

The body split, the block structure tracking/style/the writer ask about, and safe Markdown all
need the same thing: which lines of a text are paragraphs, HTML blocks, code, quotes. The port
builds that tree about ten times faster than markdown-it-py (which it follows rule for rule), so
every caller reads it from here; `None` tells a caller to ask markdown-it-py instead, for the two
inputs the port cannot take (below).
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Callable
from functools import lru_cache
from typing import Any

BLOCK_RULES = ("blockquote", "code", "fence", "heading", "hr", "lheading", "list", "paragraph", "reference", "html_block")

# The port reads a paragraph of link reference definitions again from each one it takes: 8,000
# lines of `[r1]: /u1` cost it 5 s, 32,000 over a minute. markdown-it-py reads them once, so
# such texts go to it instead.
MAX_REFERENCE_RUN = 500
_REFERENCE_LINE = re.compile(r" {0,3}\[")
_BYTE_BREAK = re.compile(rb"\r\n|\r|\n")
_LINE_END = re.compile(r"\r\n|\r|\n")  # the line breaks CommonMark knows
_SURROGATE = re.compile("[\ud800-\udfff]")


def encodable(text: str) -> tuple[str, bytes]:
    """The text as the Rust port takes it, and its UTF-8: a lone surrogate (which it cannot
    take) becomes U+FFFD, of the same UTF-8 length, so offsets still hold. Encoding finds them
    four times faster than a search (and block_tree counts lines on the bytes)."""
    try:
        return text, text.encode("utf-8")
    except UnicodeEncodeError:
        clean = _SURROGATE.sub("\ufffd", text)
        return clean, clean.encode("utf-8")


def _line_breaks(data: bytes) -> list[int]:
    """Byte offsets of the line breaks CommonMark knows (\r\n, \r, \n)."""
    if b"\r" in data:
        return [m.start() for m in _BYTE_BREAK.finditer(data)]
    # the common case without a regex match object per line: each break ends one split piece
    return list(itertools.accumulate(map(len, data.split(b"\n")), lambda at, length: at + length + 1))[:-1]


def line_starts(text: str) -> list[int]:
    """0 and the offset after each line break CommonMark knows (\r\n, \r, \n)."""
    if "\r" in text:
        return [0, *(m.end() for m in _LINE_END.finditer(text))]
    return list(itertools.accumulate(map(len, text.split("\n")[:-1]), lambda at, length: at + length + 1, initial=0))


def many_reference_lines(text: str) -> bool:
    """True when some run of consecutive lines starting like a reference definition is longer
    than MAX_REFERENCE_RUN."""
    if text.count("]:") <= MAX_REFERENCE_RUN:
        return False
    run = 0
    for line in text.splitlines():
        if _REFERENCE_LINE.match(line):
            run += 1
            if run > MAX_REFERENCE_RUN:
                return True
        elif line.strip():
            continue  # a definition's title or destination can go on to the next line
        else:
            run = 0
    return False


@lru_cache(maxsize=2)
def _parser(tables: bool):
    from markdown_it_pyrs import MarkdownIt

    # block rules only: no caller needs the inline parse (and the port's inline rules can panic)
    parser = MarkdownIt("zero")
    parser.enable_many([*BLOCK_RULES, "table"] if tables else list(BLOCK_RULES))
    return parser


# The same text is asked about more than once in a row: the written body by safe Markdown's
# last (unchanged) pass, by the clean loop's look for HTML blocks, and by the next round's split.
# A few trees are kept (read-only to every caller); the key is the text itself.
@lru_cache(maxsize=4)
def block_tree(text: str, tables: bool = False) -> tuple[Any, Callable[[Any], tuple[int, int]]] | None:
    """(root node, node → (first line, line after its last), 0-based), or None when the port
    cannot read `text`: too many reference lines in a row, or a panic."""
    if many_reference_lines(text):
        return None
    clean, data = encodable(text)
    try:
        root = _parser(tables).tree(clean)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - a panic in the Rust parser is a BaseException
        return None
    # the port reports byte offsets; lines are counted on the bytes
    breaks = _line_breaks(data)

    def lines_of(node) -> tuple[int, int]:
        begin, end = node.srcmap
        return bisect.bisect_left(breaks, begin), bisect.bisect_left(breaks, max(begin, end - 1)) + 1

    return root, lines_of
