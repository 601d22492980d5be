"""HTML blocks that leave a table, list or quote open: written back as clean HTML, still open.

CommonMark ends an HTML block at a blank line, and a blank line inside a pasted `<table>` (or
`<blockquote>`, `<ul>`) is common. The renderer passes every HTML block through as it is, so the
browser still reads one stream: the rows after the blank line, and any Markdown between, stay
inside the table. Converting the first block on its own closed the table there, and the rows
after it fell out (the guard's "table cells: 59 → 49"). So from a block that leaves such a
container open until the block that closes it, each HTML block is written as clean HTML (styles
and layout attributes gone, md_html_table's cleaning), with the end tags it lacked still missing
and the end tags it closes earlier blocks with written back; Markdown between stays Markdown.
"""

from __future__ import annotations

import html
import re

from lxml import etree

from artconv.core.body import HtmlPart
from artconv.html.tag_balance import strays_and_open
from artconv.writers.md_html_table import table_html

CONTAINERS = frozenset({"table", "blockquote", "ul", "ol", "dl"})


class OpenHtml:
    """The elements the body's HTML blocks left open so far, in nesting order."""

    def __init__(self, parts: list) -> None:
        self.stack: list[str] = []
        self.balance = {id(p): strays_and_open(p.source) for p in parts if isinstance(p, HtmlPart)}
        # per HTML part, the containers that a later HTML block closes: a container nothing
        # closes again runs to the end, as before, and its part is converted as usual
        self.closed_later: dict[int, frozenset[str]] = {}
        later: set[str] = set()
        for p in reversed(parts):
            if isinstance(p, HtmlPart):
                self.closed_later[id(p)] = frozenset(later)
                closed = CONTAINERS.intersection(self.balance[id(p)][0])
                if _closers_first(p.source):
                    later.update(closed)
                else:  # its end tags stand among its content, in an order this writer cannot keep
                    later.difference_update(closed)

    def write(self, part: HtmlPart) -> str | None:
        """The part as clean, still-open HTML, or None when it is to be converted as usual."""
        strays, still_open = self.balance[id(part)]
        left_open = self.closed_later[id(part)].intersection(still_open)
        if not CONTAINERS.intersection(self.stack) and not left_open:
            return None
        closing = []
        for name in strays:
            if name in self.stack:
                while self.stack:
                    opened = self.stack.pop()
                    closing.append(f"</{opened}>")
                    if opened == name:
                        break
        self.stack.extend(still_open)
        return "".join(closing) + _without_end_tags(_clean_html(part.tree()), still_open)


_LEADING_END_TAGS = re.compile(r"(?:\s*</[A-Za-z][A-Za-z0-9:-]*\s*>)*")


def _closers_first(source: str) -> bool:
    """True when every container the part closes is closed before any content of its own."""
    rest = source[_LEADING_END_TAGS.match(source).end():]
    return not CONTAINERS.intersection(strays_and_open(rest)[0])


def _clean_html(root: etree._Element) -> str:
    pieces = [html.escape(root.text or "", quote=False)]
    for child in root:
        if isinstance(child.tag, str):
            pieces.append(table_html(child))
        pieces.append(html.escape(child.tail or "", quote=False))
    return "".join(pieces).strip()


_TAG_NAME = re.compile(r"[A-Za-z][A-Za-z0-9:-]*")


def _without_end_tags(source: str, still_open: list[str]) -> str:
    """`source` less the end tags the serialiser added for the elements the part left open."""
    waiting = list(still_open)
    end = len(source)
    while waiting:
        found = _last_end_tag(source, end)
        if found is None or found[1].lower() not in waiting:
            break
        name = found[1].lower()
        del waiting[len(waiting) - 1 - waiting[::-1].index(name)]
        end = found[0]
    return source[:end]


def _last_end_tag(source: str, end: int) -> tuple[int, str] | None:
    """(where it starts, with the white space before it; its name) of the end tag that
    source[:end] ends with, white space aside. By string methods: the regex
    `\s*</(name)>\s*\Z` tried every position of a run of white space as a start."""
    while end > 0 and source[end - 1].isspace():
        end -= 1
    if not source.endswith(">", 0, end):
        return None
    opening = source.rfind("</", 0, end)
    if opening == -1 or not _TAG_NAME.fullmatch(source, opening + 2, end - 1):
        return None
    start = opening
    while start > 0 and source[start - 1].isspace():
        start -= 1
    return start, source[opening + 2 : end - 1]
