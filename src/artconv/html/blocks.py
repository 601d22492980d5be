"""The block structure of Markdown text, parsed once per text and shared by every caller.

Tracking, style and the Markdown writer each ask which lines of a Markdown part hold HTML (and
the tracking rule which lines are code): markdown-it-py's block parse of the same text ran about
four times a file, a fifth of converting it. A `BlockCache` belongs to one document (core's
Document holds one), is keyed by the text itself (a rewrite that changed the text gets a fresh
parse, so the answer is always that of the text asked about), and goes with its document.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    # block structure only: inline tokens keep their content and line map, and parsing their
    # children (emphasis, links…) was three quarters of linting a Markdown-heavy repository
    return MarkdownIt("commonmark", {"html": True}).enable(["table"]).disable(["inline", "text_join"])


@dataclass(frozen=True)
class Blocks:
    """What callers read of one text's block tokens (line ranges, 0-based, end exclusive); each
    range of `html` and `inline` says whether it is inline content, where a backslash escapes
    `<`, rather than an HTML block or too-deep container, where a backslash is a backslash."""

    html: tuple[tuple[int, int, bool], ...]  # inline content holding `<`, HTML blocks, and too-deep containers
    inline: tuple[tuple[int, int, bool], ...]  # the same without HTML blocks
    code: tuple[tuple[int, int], ...]  # fenced and indented code blocks


def parse_blocks(text: str) -> Blocks:
    parser = _parser()
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
            # markdown-it reads no further than maxNesting levels and returns no token for what
            # lies deeper: its tags would go unseen (a <script> in a list item 10 lists deep)
            html.append((start, end, False))
            inline.append((start, end, False))
        if token.type in ("fence", "code_block"):
            code.append((start, end))
    return Blocks(tuple(html), tuple(inline), tuple(code))


@dataclass
class BlockCache:
    """Block structures of the texts one document's steps asked about."""

    _known: dict[str, Blocks] = field(default_factory=dict)

    def of(self, text: str) -> Blocks:
        found = self._known.get(text)
        if found is None:
            found = self._known[text] = parse_blocks(text)
        return found


def blocks_of(text: str, cache: BlockCache | None) -> Blocks:
    return cache.of(text) if cache is not None else parse_blocks(text)
