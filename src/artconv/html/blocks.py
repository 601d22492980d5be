"""The block structure of Markdown text, parsed once per text and shared by every caller.

Tracking, style and the Markdown writer each ask which lines of a Markdown part hold HTML (and
the tracking rule which lines are code). markdown-it-py's block parse of the same text ran about
four times a file, a fifth of converting it: the tree now comes from the Rust port
(html/block_tree.py), once per text. A `BlockCache` belongs to one document (core's
Document holds one), is keyed by the text itself (a rewrite that changed the text gets a fresh
parse, so the answer is always that of the text asked about), and goes with its document.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from artconv.html.block_tree import block_tree


@lru_cache(maxsize=1)
def _slow_parser():
    from markdown_it import MarkdownIt

    # block structure only: inline tokens keep their content and line map
    return MarkdownIt("commonmark", {"html": True}).enable(["table"]).disable(["inline", "text_join"])


# markdown-it-py stops reading at maxNesting (20) levels, and renderers differ as deep as that:
# a quote or list item at that depth counts as HTML, all of it, so no tag in it goes unseen
_DEEPEST = 19


@dataclass(frozen=True)
class Blocks:
    """What callers read of one text's block tokens (line ranges, 0-based, end exclusive); each
    range of `html` and `inline` says whether it is inline content, where a backslash escapes
    `<`, rather than an HTML block or too-deep container, where a backslash is a backslash."""

    html: tuple[tuple[int, int, bool], ...]  # inline content holding `<`, HTML blocks, and too-deep containers
    inline: tuple[tuple[int, int, bool], ...]  # the same without HTML blocks
    code: tuple[tuple[int, int], ...]  # fenced and indented code blocks


def parse_blocks(text: str) -> Blocks:
    found = block_tree(text, tables=True)
    if found is None:
        return _parse_blocks_slow(text)
    root, lines_of = found
    html: list[tuple[int, int, bool]] = []
    inline: list[tuple[int, int, bool]] = []
    code: list[tuple[int, int]] = []
    stack = [(root, -1)]
    while stack:  # not recursive: lists and quotes nest as deep as the input says
        node, depth = stack.pop()
        name = node.name
        if name == "text":  # the inline content of a paragraph, heading, table cell or tight item
            if "<" in node.meta.get("content", ""):
                html.append((*lines_of(node), True))
                inline.append(html[-1])
            continue
        if name == "html_block":
            html.append((*lines_of(node), False))
        elif name in ("fence", "code_block"):
            code.append(lines_of(node))
        elif depth >= _DEEPEST and name in ("blockquote", "list_item"):
            html.append((*lines_of(node), False))
            inline.append(html[-1])
            continue
        stack.extend((child, depth + 1) for child in reversed(node.children))
    return Blocks(tuple(html), tuple(inline), tuple(code))


def _parse_blocks_slow(text: str) -> Blocks:
    """The same from markdown-it-py's tokens, for what the port cannot read."""
    parser = _slow_parser()
    deepest = parser.options["maxNesting"] - 1
    html: list[tuple[int, int, bool]] = []
    inline: list[tuple[int, int, bool]] = []
    code: list[tuple[int, int]] = []
    for token in parser.parse(text):
        if token.map is None:
            continue
        start, end = token.map[0], token.map[1]
        if token.type == "inline" and "<" in token.content:
            html.append((start, end, True))
            inline.append((start, end, True))
        elif token.type == "html_block":
            html.append((start, end, False))
        elif token.level >= deepest and token.type in ("blockquote_open", "list_item_open"):
            html.append((start, end, False))
            inline.append((start, end, False))
        if token.type in ("fence", "code_block"):
            code.append((start, end))
    return Blocks(tuple(html), tuple(inline), tuple(code))


@dataclass
class BlockCache:
    """Block structures of the texts one document's steps asked about."""

    _known: dict[str, Blocks] = field(default_factory=dict)
    _derived: dict[tuple, Any] = field(default_factory=dict)

    def of(self, text: str) -> Blocks:
        found = self._known.get(text)
        if found is None:
            found = self._known[text] = parse_blocks(text)
        return found

    def remember(self, key: tuple, make: Callable[[], Any]) -> Any:
        """What `make` gives for `key` (which holds the text it was made from), made once;
        callers treat it as read-only."""
        found = self._derived.get(key)
        if found is None:
            found = self._derived[key] = make()
        return found


def blocks_of(text: str, cache: BlockCache | None) -> Blocks:
    return cache.of(text) if cache is not None else parse_blocks(text)
