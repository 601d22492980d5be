"""File positions (1-based line and column) for things found in a body part.

lxml knows the line an element starts on but not its column, so the column is found by looking
for the element's tag in that line of the part's source: the k-th element named `p` on a line is
the k-th `<p` written on it. Attributes are found after their tag's start.
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict

from lxml import etree

from artconv.core.body import HtmlPart, Part


class PartLocator:
    """Maps offsets and elements of one body part to file line:column."""

    def __init__(self, part: Part, body_line: int, doc=None):
        self.part = part
        self.body_line = body_line
        # a Document whose template islands became one character each (core/islands.py):
        # offsets are mapped back through it, so that line:col are those of the file
        self.doc = doc if doc is not None and doc.island_map is not None and doc.island_map.offsets else None
        self.source = part.source if isinstance(part, HtmlPart) else part.text
        self.first_line = body_line + part.line  # file line of the part's first line
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", self.source)]
        self._tag_offsets: dict[tuple[str, int], list[int]] | None = None
        self._elements: dict[int, tuple[etree._Element, tuple[str, int], int]] | None = None

    def position(self, offset: int) -> tuple[int, int]:
        """File (line, column) of an offset into the part's source."""
        if self.doc is not None:
            line, column = self.doc.body_position(self.part, offset)
            return self.body_line + line, column + 1
        index = bisect.bisect_right(self.line_starts, offset) - 1
        return self.first_line + index, offset - self.line_starts[index] + 1

    def element_offset(self, element: etree._Element) -> int:
        """Offset of the `<tag` (or `<!--`) that wrote `element`; the line start if not found."""
        line = max(1, getattr(element, "sourceline", None) or 1)
        line = min(line, len(self.line_starts))
        tag = "!--" if element.tag is etree.Comment else str(element.tag).lower()
        offsets = self._offsets_by_line().get((tag, line), [])
        rank = self._rank(element, tag, line)
        if rank < len(offsets):
            return offsets[rank]
        return self.line_starts[line - 1] + (len(self._line(line)) - len(self._line(line).lstrip()))

    def element_position(self, element: etree._Element) -> tuple[int, int]:
        return self.position(self.element_offset(element))

    def attribute_position(self, element: etree._Element, name: str) -> tuple[int, int]:
        start = self.element_offset(element)
        end = self.source.find(">", start)
        match = re.compile(rf"\s{re.escape(name)}\s*(=|\s|/|>)", re.IGNORECASE).search(
            self.source, start, end + 1 if end != -1 else len(self.source)
        )
        return self.position(match.start() + 1 if match else start)

    def _line(self, line: int) -> str:
        start = self.line_starts[line - 1]
        end = self.line_starts[line] - 1 if line < len(self.line_starts) else len(self.source)
        return self.source[start:end]

    def _offsets_by_line(self) -> dict[tuple[str, int], list[int]]:
        if self._tag_offsets is None:
            found: dict[tuple[str, int], list[int]] = defaultdict(list)
            for match in _TAG_START.finditer(self.source):
                tag = "!--" if match.group(1) else match.group(2).lower()
                line = bisect.bisect_right(self.line_starts, match.start())
                found[(tag, line)].append(match.start())
            self._tag_offsets = found
        return self._tag_offsets

    def _rank(self, element: etree._Element, tag: str, line: int) -> int:
        """How many elements with the same tag start on the same line before this one."""
        if self._elements is None:
            # one walk gives every element its rank, so a line holding 20,000 comments costs one
            # pass, not one pass per finding; holding the elements keeps lxml's proxies alive, so
            # identity (id) is sound for as long as the locator lives
            self._elements = {}
            counts: dict[tuple[str, int], int] = defaultdict(int)
            for node in element.getroottree().getroot().iter():
                node_tag = "!--" if node.tag is etree.Comment else (node.tag.lower() if isinstance(node.tag, str) else "")
                key = (node_tag, getattr(node, "sourceline", None) or 1)
                self._elements[id(node)] = (node, key, counts[key])
                counts[key] += 1
        found = self._elements.get(id(element))
        if found is None or found[0] is not element or found[1] != (tag, line):
            return 0
        return found[2]


_TAG_START = re.compile(r"<(!--)|<([A-Za-z][A-Za-z0-9:-]*)")
