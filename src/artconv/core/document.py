"""Document: what transformers work on — an Article, its body cut into parts, and their effects.

Transformers never parse: the body is cut into Markdown and HTML parts once, each HTML part is
parsed once (lazily), and every transformer edits the same trees. What a transformer takes away
on purpose (promo text, an editor line lifted into front matter) is declared in `removed`, so the
fidelity guard can tell deliberate removal from text lost by accident.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import unquote

from artconv.core.article import Article
from artconv.core.body import HtmlPart, MarkdownPart, Part, split_body
from artconv.core.guard_structure import structure_counts
from artconv.core.input_bounds import InputTooComplex
from artconv.core.islands import IslandMap, protect
from artconv.html.blocks import BlockCache

HTML_SUFFIXES = (".html", ".htm")


def is_html_article(path: str | None) -> bool:
    """A `.html` article: Jekyll, Hugo and Hexo render it as HTML, with no Markdown pass."""
    return path is not None and path.lower().endswith(HTML_SUFFIXES)

# Private-use code points stand in for text whose spelling differs between output formats (a
# brace that must stay `&#123;` in Markdown for Hexo but is a plain `{` in JSON). They survive
# HTML serialisation, markdownify and whitespace handling untouched, one character each.
_FRAGMENT_BASE = 0xF0000
_FRAGMENT_LAST = 0x10FFFD
# the code points that can stand for a fragment
FRAGMENT_CHAR = re.compile("[\U000F0000-\U0010FFFD]")
# one of them as UTF-8 percent-encoded, as an HTML serialiser writes it in `href` and `src`
ENCODED_FRAGMENT_CHAR = re.compile(
    r"%F3%B[0-9A-F]%[89AB][0-9A-F]%[89AB][0-9A-F]|%F4%8[0-9A-F]%[89AB][0-9A-F]%[89AB][0-9A-F]", re.IGNORECASE
)
_PLACEHOLDER_OR_ENCODED = re.compile(f"{FRAGMENT_CHAR.pattern}|{ENCODED_FRAGMENT_CHAR.pattern}", re.IGNORECASE)
TOO_MANY_FRAGMENTS = "more than 130,000 different template islands and kept comments: one placeholder character each, and no more are free"
_NEWLINE = re.compile("\n")


@dataclass(frozen=True)
class Removal:
    """Text a transformer removed on purpose; `text` is what a reader would have seen."""

    transformer: str
    what: str
    text: str = ""
    # table cells, list items, headings, links and images that went with it (guard_structure)
    structure: tuple[tuple[str, int], ...] = ()
    # a link target or image source changed on purpose, (as it was, as it is now): only parts of
    # it went (tracking parameters), the rest of the URL is the same
    retargeted: tuple[str, str] | None = None


@dataclass(frozen=True)
class Fragment:
    markdown: str
    plain: str


@dataclass
class Document:
    article: Article
    parts: list[Part]
    metadata_updates: dict[str, Any] = field(default_factory=dict)
    removed: list[Removal] = field(default_factory=list)
    fragments: dict[str, Fragment] = field(default_factory=dict)
    html: bool = False  # the whole body was read as one HTML part
    island_map: IslandMap | None = None  # where the template islands stood (positions)
    islands: str | None = None  # the generator whose template islands those are
    _starts: dict[int, int] | None = field(default=None, repr=False)
    _fragment_chars: dict[Fragment, str] = field(default_factory=dict, repr=False, compare=False)
    _next_fragment: int = field(default=_FRAGMENT_BASE, repr=False, compare=False)
    _written: frozenset[str] | None = field(default=None, repr=False, compare=False)  # such characters the body holds
    # the Markdown spelling of each fragment of more than one line, kept as they are made: a
    # writer asks for them once per HTML part (thousands of parts, thousands of fragments)
    multiline_fragments: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _lines: list[int] | None = field(default=None, repr=False)
    # the block structure of each Markdown text, parsed once for every step that asks
    blocks: BlockCache = field(default_factory=BlockCache, repr=False, compare=False)

    @classmethod
    def from_article(cls, article: Article, html: bool | None = None, islands: str | None = None) -> Document:
        """The article's Document. `html`: read the whole body as one HTML part (None: when the
        file is a `.html` article, which generators never read as Markdown). `islands`: the site
        generator whose template syntax is kept out of every transformer's and writer's sight
        (core/islands.py); None for none."""
        doc = cls(article, [])
        if islands:
            doc.islands = islands
            doc.island_map = IslandMap()
            body = protect(article.body, doc.fragment, islands, doc.island_map)
        else:
            body = article.body
        if html is None:
            html = is_html_article(article.path)
        doc.parts = ([HtmlPart(body, 0)] if body else []) if html else split_body(body)
        doc.html = html
        return doc

    def body_position(self, part: Part, offset: int) -> tuple[int, int]:
        """(0-based line, 0-based column) in the article's own body of an offset into a part's
        text, with the template islands as long as they are in the file."""
        starts = self._part_starts()
        absolute = starts[id(part)] + offset
        if self.island_map is not None and self.island_map.offsets:
            absolute = self.island_map.original_offset(absolute)
        if self._lines is None:
            self._lines = [0, *(m.end() for m in _NEWLINE.finditer(self.article.body))]
        line = bisect.bisect_right(self._lines, absolute) - 1
        return line, absolute - self._lines[line]

    def original_line(self, part: Part) -> int:
        """The 0-based body line a part starts on, in the article as written."""
        if self.island_map is None or not self.island_map.offsets:
            return part.line
        return part.line + self.island_map.newlines_before(self._part_starts()[id(part)])

    def _part_starts(self) -> dict[int, int]:
        if self._starts is None or len(self._starts) != len(self.parts):
            self._starts, cursor = {}, 0
            for part in self.parts:
                self._starts[id(part)] = cursor
                cursor += len(part.source if isinstance(part, HtmlPart) else part.text)
        return self._starts

    def html_parts(self) -> list[HtmlPart]:
        return [part for part in self.parts if isinstance(part, HtmlPart)]

    def markdown_parts(self) -> list[MarkdownPart]:
        return [part for part in self.parts if isinstance(part, MarkdownPart)]

    def remove(
        self, transformer: str, what: str, text: str = "", element: Any = None, retargeted: tuple[str, str] | None = None
    ) -> None:
        """Declare a removal; pass the removed lxml element, so that the structural guard knows
        the cells, items, links and images that went with it, or the URL it was taken from
        (`retargeted`: before, after), so that the guard knows that target changed on purpose."""
        structure = tuple(structure_counts(element).items()) if element is not None else ()
        self.removed.append(Removal(transformer, what, text, structure, retargeted))

    def lift(self, transformer: str, key: str, value: Any, text: str) -> bool:
        """Move a value from the body into front matter; False when the key is already taken."""
        if key in self.article.metadata or key in self.metadata_updates:
            return False
        self.metadata_updates[key] = value
        self.remove(transformer, f"lifted into front matter as '{key}'", text)
        return True

    def fragment(self, markdown: str, plain: str) -> str:
        """A one-character placeholder written as `markdown` in Markdown and `plain` elsewhere.
        The same spelling gets the same placeholder (looked up, not searched for: a body of
        thousands of template islands made that quadratic). A private-use character the body
        itself holds, as itself or percent-encoded in a URL, is never a placeholder: it stays
        what it is, and an encoded placeholder in the output is always one (resolve_fragments)."""
        key = Fragment(markdown, plain)
        char = self._fragment_chars.get(key)
        if char is not None:
            return char
        if self._written is None:
            body = self.article.body
            encoded = {unquote(found) for found in ENCODED_FRAGMENT_CHAR.findall(body)} if "%" in body else set()
            self._written = frozenset(FRAGMENT_CHAR.findall(body)) | encoded
        while self._next_fragment <= _FRAGMENT_LAST and chr(self._next_fragment) in self._written:
            self._next_fragment += 1
        if self._next_fragment > _FRAGMENT_LAST:
            raise InputTooComplex(TOO_MANY_FRAGMENTS)
        char = chr(self._next_fragment)
        self._next_fragment += 1
        self.fragments[char] = key
        self._fragment_chars[key] = char
        if "\n" in markdown:
            self.multiline_fragments[char] = markdown
        return char

    def resolve_fragments(self, text: str, markdown: bool) -> str:
        """`text` with every placeholder written out, in one pass. A fragment may hold earlier
        ones (an author's comment around a template island, `<!-- {% include x %} -->`): those
        are written out inside it too, where one `replace` per fragment in turn left the
        island's placeholder in the output. In Markdown, a placeholder an HTML serialiser
        percent-encoded in a URL (`href="%F3%B0%80%80"`) is written out too; the body's own
        encoded private-use characters are never placeholders (fragment), so they stay."""
        if not self.fragments:
            return text
        found_in = _PLACEHOLDER_OR_ENCODED if markdown and "%" in text else FRAGMENT_CHAR
        if found_in.search(text) is None:
            return text
        spelled: dict[str, str] = {}
        for char, fragment in self.fragments.items():  # in the order made: a fragment holds only earlier ones
            value = fragment.markdown if markdown else fragment.plain
            if FRAGMENT_CHAR.search(value) is not None:
                value = FRAGMENT_CHAR.sub(lambda found: spelled.get(found.group(), found.group()), value)
            spelled[char] = value

        def spelling(found: re.Match[str]) -> str:
            char = found.group()
            return spelled.get(char if len(char) == 1 else unquote(char), char)

        return found_in.sub(spelling, text)
