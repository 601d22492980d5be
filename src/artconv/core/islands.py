"""Template islands: generator syntax in a body that artconv must pass through untouched.

Liquid (`{{ … }}`, `{% … %}`), Nunjucks (`{# … #}` too) and Hugo shortcodes (`{{< … >}}`,
`{{% … %}}`, escaped `{{</* … */>}}`) are read by the generator before any Markdown or HTML is,
so nothing of them is text, markup or a URL to artconv: a `<b>` inside a shortcode's argument is
not bold, and a brace in it must not become `&#123;`.

Design: each island is replaced by one private-use character before the body is split and
parsed (a Document fragment whose Markdown and plain spellings are both the island's own text),
and put back when the body is written. Protecting before the pipeline, rather than teaching every
transformer and writer to skip islands, keeps the guarantee in one place: no transformer, writer
or plugin can see, escape or rewrite what it cannot see, in text and inside attributes alike;
and the guard reads the restored output, so an island is never counted as lost.

Each generator has its own syntax: Hugo reads only shortcodes in content, Jekyll Liquid, Hexo
Nunjucks; `unknown` (no marker found) takes all of them, since keeping text verbatim loses
nothing. Blocks whose content the generator does not read as Markdown (`{% raw %}`, Liquid's
`{% comment %}` and `{% highlight %}`, Hexo's `{% codeblock %}`) are one island from opening
tag to closing tag.
"""

from __future__ import annotations

import bisect
import re

# bounded, and each stops at the first character that could start another island: linear scans
_LIQUID = r"\{\{[^{}]{0,2000}\}\}|\{%[^%]{0,2000}%\}"
_INLINE = {
    # Hugo reads no template syntax in content but its shortcodes (`{{ .Title }}` there is text)
    "hugo": re.compile(r"\{\{[<%][^{}]{0,2000}[>%]\}\}"),
    "jekyll": re.compile(_LIQUID),
    "hexo": re.compile(_LIQUID + r"|\{#[^#{}]{0,2000}#\}"),  # Nunjucks comments too
    "unknown": re.compile(_LIQUID + r"|\{#[^#{}]{0,2000}#\}"),
}
_BLOCKS = {  # tags whose content the generator does not read as Markdown: one island to the end tag
    "hugo": (),
    "jekyll": ("raw", "comment", "highlight"),
    "hexo": ("raw", "codeblock", "code"),
    "unknown": ("raw", "comment", "highlight", "codeblock", "code"),
}
_BLOCK_OPENER = re.compile(r"\{%-?\s*(raw|comment|highlight|codeblock|code)\b[^%]{0,2000}%\}")
MAX_ISLANDS = 50_000  # one private-use character each (Document.fragment); past this, text stays text
_BLOCK_CLOSERS = {
    name: re.compile(r"\{%-?\s*end" + name + r"\s*-?%\}") for name in ("raw", "comment", "highlight", "codeblock", "code")
}


def islands(body: str, generator: str = "unknown") -> list[tuple[int, int]]:
    """(start, end) of every template island in `body`, in order, never overlapping; none for
    generator "none"."""
    if "{" not in body or generator not in _INLINE:
        return []
    inline, blocks = _INLINE[generator], _BLOCKS[generator]
    spans: list[tuple[int, int]] = []
    position = 0
    unclosed: set[str] = set()  # block kinds with no closer left after some point: skip the search
    while len(spans) < MAX_ISLANDS:
        match = inline.search(body, position)
        if match is None:
            return spans
        start, end = match.span()
        opener = _BLOCK_OPENER.match(body, start) if blocks else None
        if opener is not None and opener.group(1) in blocks and opener.group(1) not in unclosed:
            closer = _BLOCK_CLOSERS[opener.group(1)].search(body, opener.end())
            if closer is None:
                unclosed.add(opener.group(1))
            else:
                end = closer.end()
        spans.append((start, end))
        position = end
    return spans


def protect(body: str, fragment, generator: str = "unknown", where: IslandMap | None = None) -> str:
    """`body` with each island replaced by `fragment(island, island)`, a one-character stand-in.
    `where`, when given, learns where each stand-in is, to map positions back (IslandMap)."""
    spans = islands(body, generator)
    if not spans:
        return body
    pieces = []
    cursor = 0
    for start, end in spans:
        island = body[start:end]
        pieces.append(body[cursor:start])
        if where is not None:
            where.add(start - where.shift, end - start, island.count("\n"))
        pieces.append(fragment(island, island))
        cursor = end
    pieces.append(body[cursor:])
    return "".join(pieces)


class IslandMap:
    """Positions in a protected body mapped back to the original body: each multi-character
    island became one character, so offsets after it, and lines after a multi-line one, moved.
    A finding or an error must name the line and column of the file the user has open."""

    def __init__(self) -> None:
        self.offsets: list[int] = []  # protected offset of each stand-in, in order
        self.shift = 0  # characters the stand-ins so far took out
        self._shifts: list[int] = []  # after each stand-in
        self._newlines: list[int] = []  # newlines inside the islands up to each stand-in

    def add(self, offset: int, length: int, newlines: int) -> None:
        self.offsets.append(offset)
        self.shift += length - 1
        self._shifts.append(self.shift)
        self._newlines.append((self._newlines[-1] if self._newlines else 0) + newlines)

    def original_offset(self, offset: int) -> int:
        """The original offset of a protected one (a stand-in maps to its island's start)."""
        before = bisect.bisect_left(self.offsets, offset)
        return offset + (self._shifts[before - 1] if before else 0)

    def newlines_before(self, offset: int) -> int:
        """Newlines inside the islands that stand before a protected offset."""
        before = bisect.bisect_left(self.offsets, offset)
        return self._newlines[before - 1] if before else 0
