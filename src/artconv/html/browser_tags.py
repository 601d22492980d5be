"""Markup in a string as an HTML5 browser tokenizes it, in linear time.

Safe Markdown (writers/md_safe.py) must see the raw HTML of a Markdown body the way the browser
that finally shows it does, not the way a Markdown parser or a regular expression does: a tag
ends at the first `>` outside a quoted value, `<`, `"` and `=` may stand in attribute names,
a comment ends at `-->` or `--!>`, `<!x`, `<?x` and `</1` are bogus comments that end at the
first `>`, and after `<script>`, `<style>`, `<xmp>`, `<iframe>`, `<noembed>`, `<noframes>`,
`<noscript>`, `<textarea>` and `<title>` nothing is markup until the matching end tag
(WHATWG HTML, "Tokenization").

Cost: a tag is read by a deterministic loop, so the rest of a read from a position between two
attributes never depends on where the tag began. A read that finds no `>` marks every such
position it passed, and a later read reaching one stops at once; on `<b <b <b …` without a `>`,
each character is read a bounded number of times. End markers are searched with a cache that
remembers the last hit, so a thousand `<!--` without `-->` cost one search.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# elements whose content the tokenizer reads as text up to their end tag
RAW_TEXT = frozenset("script style xmp iframe noembed noframes noscript textarea title".split())
_SPACE = "\t\n\f\r "
_TAG_NAME_END = re.compile(r"[\t\n\f\r />]")
_ATTRIBUTE_NAME_END = re.compile(r"[\t\n\f\r />=]")
_UNQUOTED_END = re.compile(r"[\t\n\f\r >]")
_NOT_SPACE_OR_SLASH = re.compile(r"[^\t\n\f\r /]")
_NOT_SPACE = re.compile(r"[^\t\n\f\r ]")
_QUOTES = {"\"": re.compile("\""), "'": re.compile("'")}


@dataclass
class Tag:
    """A start or end tag: text[start:end] is the whole tag, `<` to `>`."""

    start: int
    end: int
    name: str  # lower case
    closing: bool
    attributes: list[tuple[str, str | None]] = field(default_factory=list)  # raw values, in order
    self_closing: bool = False


class Reader:
    """Reads markup from one string; keeps the caches that make repeated reads linear."""

    def __init__(self, text: str):
        self.text = text
        self._dead_ends: set[int] = set()  # positions between attributes from which no `>` follows
        self._found: dict[re.Pattern[str], tuple[int, re.Match[str] | None]] = {}  # pattern → (searched from, hit)

    def find(self, pattern: re.Pattern[str], pos: int) -> re.Match[str] | None:
        """pattern.search(text, pos), answered from the last search where that is the same."""
        cached = self._found.get(pattern)
        if cached is not None and cached[0] <= pos and (cached[1] is None or cached[1].start() >= pos):
            return cached[1]
        match = pattern.search(self.text, pos)
        self._found[pattern] = (pos, match)
        return match

    def tag(self, pos: int) -> Tag | None:
        """The tag opening at text[pos] == '<' (followed by a letter, or '/' and a letter), or
        None when the text ends before its `>`."""
        text = self.text
        closing = text.startswith("/", pos + 1)
        name_start = pos + 2 if closing else pos + 1
        name_end = _search_end(_TAG_NAME_END, text, name_start)
        tag = Tag(pos, -1, text[name_start:name_end].lower(), closing)
        passed: list[int] = []
        cursor = name_end
        while True:
            gap = cursor
            cursor = _search_end(_NOT_SPACE_OR_SLASH, text, cursor)
            if cursor >= len(text) or cursor in self._dead_ends:
                self._dead_ends.update(passed)
                return None
            if text[cursor] == ">":
                tag.end = cursor + 1
                tag.self_closing = cursor > gap and text[cursor - 1] == "/"
                return tag
            passed.append(cursor)
            cursor = self._attribute(cursor, tag.attributes)
            if cursor < 0:
                self._dead_ends.update(passed)
                return None

    def _attribute(self, pos: int, attributes: list[tuple[str, str | None]]) -> int:
        """Read one attribute at pos (not space, `/` or `>`); the position after it, -1 at the end."""
        text = self.text
        # a `=` standing first is part of the name (WHATWG: "unexpected equals sign")
        name_end = _search_end(_ATTRIBUTE_NAME_END, text, pos + 1)
        name = text[pos:name_end].lower()
        after = _search_end(_NOT_SPACE, text, name_end)
        if after >= len(text):
            return -1
        if text[after] != "=":
            attributes.append((name, None))
            return name_end
        value_start = _search_end(_NOT_SPACE, text, after + 1)
        if value_start >= len(text):
            return -1
        quote = text[value_start]
        if quote in "\"'":
            close = self.find(_QUOTES[quote], value_start + 1)
            if close is None:
                return -1
            attributes.append((name, text[value_start + 1 : close.start()]))
            return close.end()
        if quote == ">":
            attributes.append((name, ""))
            return value_start
        value_end = _search_end(_UNQUOTED_END, text, value_start)
        if value_end >= len(text):
            return -1
        attributes.append((name, text[value_start:value_end]))
        return value_end


def _search_end(pattern: re.Pattern[str], text: str, pos: int) -> int:
    found = pattern.search(text, pos)
    return found.start() if found else len(text)


_COMMENT_END = re.compile(r"--!?>")
_GREATER = re.compile(">")


def comment(reader: Reader, pos: int) -> tuple[int, int, bool] | None:
    """The comment opening at text[pos:pos+4] == '<!--': (content end, comment end, ended by a
    plain `-->`), or None when the text ends inside it."""
    text = reader.text
    content = pos + 4
    # `<!-->` and `<!--->` are whole (empty) comments
    if text.startswith(">", content):
        return content, content + 1, False
    if text.startswith("->", content):
        return content, content + 2, False
    found = reader.find(_COMMENT_END, content)
    if found is None:
        return None
    return found.start(), found.end(), found.group() == "-->"


def bogus_comment_end(reader: Reader, pos: int) -> int:
    """End of the bogus comment (`<!x`, `<?x`, `</1`, CDATA in HTML content) at pos, -1 if none."""
    found = reader.find(_GREATER, pos)
    return found.end() if found else -1


_RAW_TEXT_END = {name: re.compile(rf"</{name}(?=[\t\n\f\r />])", re.IGNORECASE) for name in RAW_TEXT}


def raw_text_end(reader: Reader, pos: int, name: str) -> int:
    """Where the end tag of raw-text element `name` opens after pos, -1 when there is none."""
    found = reader.find(_RAW_TEXT_END[name], pos)
    return found.start() if found else -1
