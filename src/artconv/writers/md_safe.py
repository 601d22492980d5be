"""Safe Markdown: the raw HTML and the link URLs of a Markdown body, as a browser would meet them.

Hexo, Jekyll (kramdown) and Hugo with `unsafe = true` pass raw HTML in Markdown straight to the
browser, so `--to md` output holds only what the XHTML writer's allow-list keeps (plus the embeds
configuration names, writers/md_safe_tags.py), whatever a transformer let through:

- markdown-it's block structure says which lines are code (fenced and indented code blocks:
  never touched), which are HTML blocks (raw, read as a browser reads them) and which are
  Markdown text, where tags end at a blank line and code spans, backslash escapes and autolinks
  come first, as CommonMark says;
- the markup found is read with an HTML5 tokenizer (html/browser_tags.py): comments, bogus
  comments, CDATA and raw-text elements end where a browser ends them, not where a regular
  expression would;
- Markdown links, images, autolinks and reference definitions to `javascript:`, `vbscript:` and
  `data:` URLs (`data:image/…` in PNG, GIF, JPEG or WebP excepted) become the text markdown-it
  already shows for them (an escaped `(`, `[` or `<`), judged after entities, percent escapes,
  backslash escapes, controls and spaces are read as browsers and renderers read them.

Markdown without raw HTML or such URLs comes back byte for byte. Every step is linear: one pass,
end markers found once (browser_tags.Reader), backtick closers paired by run length.
"""

from __future__ import annotations

import bisect
import re
from functools import lru_cache

from artconv.core.errors import ConversionError
from artconv.html.block_tree import block_tree
from artconv.html.browser_tags import RAW_TEXT, Reader, bogus_comment_end, comment, raw_text_end
from artconv.html.markdown_tags import is_raw_tag
from artconv.writers.md_safe_tags import DROP, DROP_CONTENT, KEEP, TagPolicy
from artconv.writers.md_safe_urls import autolink_end, destination_end, unsafe_destination

_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")
_BLOCKQUOTE_MARKER = re.compile(r"[ ]{0,3}>[ ]?")
_BLANK = re.compile(r"\n[ \t]*\n")


@lru_cache(maxsize=1)
def _inline_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark")


@lru_cache(maxsize=1)
def _block_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).disable("inline")


def _raw_html_of(paragraph: str) -> frozenset[str]:
    """Every tag markdown-it reads as raw HTML in a paragraph: asked only for a paragraph with a
    destination in angle brackets, which few have. A set, looked up once per destination (a
    search of all the tags joined was n² for thousands of links beside thousands of tags)."""
    tokens = _inline_parser().parse(paragraph)
    tags = {child.content for t in tokens if t.type == "inline" for child in t.children or () if child.type == "html_inline"}
    for block in (t.content for t in tokens if t.type == "html_block"):
        tags.update(_TAG_IN_BLOCK.findall(block))
    return frozenset(tags)


_TAG_IN_BLOCK = re.compile(r"<[^<>]*>")


@lru_cache(maxsize=16)
def policy_for(embeds: tuple[str, ...]) -> TagPolicy:
    return TagPolicy(embeds)


def safe_markdown(body: str, policy: TagPolicy, hugo: bool = False) -> str:
    """The body with every raw tag through the allow-list and every bad link URL gone.

    What is returned is a fixed point: a further pass finds nothing to change. Taking a tag out
    can join the text around it into a new one (`<img src=x onerror=f()<style></style>>`), so
    the pass runs again on its own output; after three passes that still change something
    (markup built to nest such joins), a last pass escapes every `<` and link it does not keep.
    """
    current = body
    for round_ in range(_ROUNDS + 2):
        cleaned = _clean(current, policy, hugo, escape=round_ >= _ROUNDS)
        if cleaned == current:
            return current
        current = cleaned
    raise ConversionError("raw HTML in the Markdown could not be made safe (not written)")


_ROUNDS = 3


def _clean(body: str, policy: TagPolicy, hugo: bool, escape: bool) -> str:
    if "<" not in body and "]" not in body:
        return body
    lines = _LINE.findall(body)  # the lines markdown-it counts (not str.splitlines: no U+2028)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    kinds, depths, blocks = _line_kinds(body, len(lines))
    edits: list[tuple[int, int, str]] = []
    first = 0
    options = (policy, hugo, escape)
    for index in range(1, len(lines) + 1):
        # a tag or a code span never reaches into another block
        if index == len(lines) or kinds[index] != kinds[first] or blocks[index] != blocks[first]:
            is_html = kinds[first] == "html"
            # most blocks hold no character a scan could stop at: one search in C skips them
            if kinds[first] != "code" and (_HTML_STOP_CHARS if is_html else _TEXT_STOP_CHARS).search(
                body, starts[first], starts[index]
            ):
                edits += _run_edits(lines, starts, first, index, depths, is_html, options)
            first = index
    return _apply(body, edits)


def _line_kinds(body: str, count: int) -> tuple[list[str], list[int], list[int]]:
    """Per line: "code", "html" or "text"; how many blockquotes hold it; and which block it is
    in (the innermost: a paragraph, a heading, a list item's tight text…)."""
    kinds, depths, blocks = ["text"] * count, [0] * count, [-1] * count
    for number, (kind, first, last) in enumerate(_blocks(body)):  # outer blocks first
        last = min(last, count)
        blocks[first:last] = [number] * (last - first)
        if kind == "blockquote":
            for line in range(first, last):
                depths[line] += 1
        elif kind != "block":
            kinds[first:last] = [kind] * (last - first)
    return kinds, depths, blocks


_KINDS = {"fence": "code", "code_block": "code", "html_block": "html", "blockquote": "blockquote", "blockquote_open": "blockquote"}
_CONTAINERS = frozenset({"root", "blockquote", "bullet_list", "ordered_list", "list_item"})


def _blocks(body: str) -> list[tuple[str, int, int]]:
    """(kind, first line, line after the last) of every block, outer ones first: "code", "html",
    "blockquote", or "block" for any other."""
    found = block_tree(body)  # as core/body.py splits bodies
    if found is not None:
        return list(_walk(*found))
    tokens = _block_parser().parse(body)
    return [(_KINDS.get(t.type, "block"), t.map[0], t.map[1]) for t in tokens if t.map is not None and t.nesting >= 0]


def _walk(root, lines_of):
    stack = [root]
    while stack:  # not recursive: lists and quotes nest as deep as the input says
        node = stack.pop()
        if node.srcmap is not None and node.name != "root":
            yield (_KINDS.get(node.name, "block"), *lines_of(node))
        if node.name in _CONTAINERS:  # a leaf's children are its inline text
            stack.extend(reversed(node.children))


def _run_edits(lines, starts, first, stop, depths, is_html, options) -> list[tuple[int, int, str]]:
    """Edits (source start, source end, replacement) for lines first..stop of one kind."""
    pieces, view_starts, source_starts = [], [], []
    length = 0
    for index in range(first, stop):
        line, skip = lines[index], 0
        for _ in range(depths[index]):  # the `> ` a Markdown parser takes off before reading on
            marker = _BLOCKQUOTE_MARKER.match(line, skip)
            if marker is None:
                break
            skip = marker.end()
        pieces.append(line[skip:])
        view_starts.append(length)
        source_starts.append(starts[index] + skip)
        length += len(line) - skip
    view = "".join(pieces)

    def to_source(position: int, ending: bool = False) -> int:
        # an edit starts on the line holding its first character (after that line's `> `) and
        # ends on the line holding its last one
        line = bisect.bisect_right(view_starts, position - 1 if ending and position else position) - 1
        return source_starts[line] + position - view_starts[line]

    found = []
    if is_html:
        found = _Scanner(view, True, *options).run(0, len(view))
    else:
        cursor = 0
        # a tag or a code span ends with its paragraph: each is read on its own
        for blank in _BLANK.finditer(view):
            found += _paragraph_edits(view, cursor, blank.start() + 1, options)
            cursor = blank.end() - 1
        found += _paragraph_edits(view, cursor, len(view), options)
    return [(to_source(start), to_source(end, ending=True) if end > start else to_source(start), text) for start, end, text in found]


def _paragraph_edits(view: str, start: int, stop: int, options: tuple) -> list[tuple[int, int, str]]:
    edits = _Scanner(view[start:stop], False, *options).run(0, stop - start)
    return [(begin + start, end + start, text) for begin, end, text in edits]


def _apply(body: str, edits: list[tuple[int, int, str]]) -> str:
    if not edits:
        return body
    pieces, cursor = [], 0
    for start, end, text in sorted(edits, key=lambda edit: edit[0]):
        if start < cursor:
            continue  # inside a span already rewritten
        pieces += [body[cursor:start], text]
        cursor = end
    pieces.append(body[cursor:])
    return "".join(pieces)


# the characters that begin each of the stops below (the blockquote markers a run's lines lose
# before the scan only take characters away)
_TEXT_STOP_CHARS = re.compile(r"[\\`<\[\]{]")
_HTML_STOP_CHARS = re.compile(r"[<{]")
_TEXT_STOPS = re.compile(r"[\\`<]|\]\(|^[ ]{0,3}\[|\{\{[<%]", re.MULTILINE)
_HTML_STOPS = re.compile(r"<|\{\{[<%]")
_SHORTCODE_END = {"<": re.compile(r">\}\}"), "%": re.compile(r"%\}\}")}
_PUNCTUATION = frozenset("!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~")
_BACKTICKS = re.compile(r"`+")
_LINK_GAP = re.compile(r"[ \t]*(?:\r?\n[ \t]*)?")
_REFERENCE = re.compile(r"[ ]{0,3}\[(?:[^\\\[\]\n]|\\.){1,999}\]:[ \t]*\n?[ \t]*")


class _Scanner:
    """One pass over a paragraph (Markdown text) or an HTML region; collects edits."""

    def __init__(self, text: str, is_html: bool, policy: TagPolicy, hugo: bool, escape: bool):
        self.text, self.policy, self.is_html, self.hugo = text, policy, is_html, hugo
        self.escape = escape  # the last resort: every `<` and link not kept is written as text
        self.reader = Reader(text)
        self.edits: list[tuple[int, int, str]] = []
        self._closers: dict[int, list[int]] | None = None  # run length → starts of such runs
        self._next: dict[int, int] = {}  # run length → index of the first closer not yet passed
        self._raw_html: frozenset[str] | None = None  # the paragraph's raw tags, as a renderer reads them

    def run(self, pos: int, stop: int) -> list[tuple[int, int, str]]:
        stops = _HTML_STOPS if self.is_html else _TEXT_STOPS
        while pos < stop:
            found = stops.search(self.text, pos, stop)
            if found is None:
                break
            pos = max(self._step(found.start(), found.group()), found.start() + 1)
        return self.edits

    def _step(self, pos: int, what: str) -> int:
        if what.startswith("{{"):
            return self._shortcode(pos, what[2])
        if what == "<":
            return self._markup(pos)
        if what == "\\":
            return pos + 2 if self.text[pos + 1 : pos + 2] in _PUNCTUATION else pos + 1
        if what == "`":
            return self._code_span(pos)
        if what == "](":
            return self._destination(pos + 2, image=None, opener=pos + 1)
        reference = _REFERENCE.match(self.text, pos)
        if reference is None:
            return pos + len(what)
        return self._destination(reference.end(), image=True, opener=pos + len(what) - 1)

    def _shortcode(self, pos: int, kind: str) -> int:
        if not self.hugo:
            return pos + 2
        end = self.reader.find(_SHORTCODE_END[kind], pos + 3)
        return end.end() if end else pos + 3  # a Hugo shortcode is the author's, not HTML

    def _code_span(self, pos: int) -> int:
        run = _BACKTICKS.match(self.text, pos).end()
        length = run - pos
        if self._closers is None:
            self._closers = {}
            for backticks in _BACKTICKS.finditer(self.text):
                self._closers.setdefault(len(backticks.group()), []).append(backticks.start())
        closers = self._closers.get(length, [])
        # the scan only moves on, so each closer is passed once
        index = self._next.get(length, 0)
        while index < len(closers) and closers[index] < run:
            index += 1
        self._next[length] = index
        return closers[index] + length if index < len(closers) else run

    def _destination(self, pos: int, image: bool | None, opener: int) -> int:
        """A link whose URL no output keeps is written as the text markdown-it already shows for
        it (its link check refuses these schemes): `[x]\\(javascript:…)` and `\\[r]: vbscript:…`
        are no links to any renderer, and the reader still sees what was written."""
        text = self.text
        pos = _LINK_GAP.match(text, pos).end()  # spaces, and one line break, before a destination
        if not unsafe_destination(text, pos, image):
            return self._past_angle_destination(pos)
        self.edits.append((opener, opener, "\\"))
        return max(destination_end(text, pos), pos + 1)

    def _past_angle_destination(self, pos: int) -> int:
        """Past a destination in angle brackets: `[x](<a b c> "t")` and `[y](<span id=1>)` are
        URLs, which CommonMark reads before any raw HTML (their "attributes" were dropped). Only
        where the paragraph, as a renderer reads it, holds no raw HTML spelled the same: with no
        link around it (`x](<img src=x onerror=f()>`, no `[`), the markup is a tag to clean."""
        end = destination_end(self.text, pos) if self.text.startswith("<", pos) else pos
        if end <= pos:
            return pos
        if self._raw_html is None:
            self._raw_html = _raw_html_of(self.text)
        return pos if self.text[pos:end] in self._raw_html else end

    def _markup(self, pos: int) -> int:
        text = self.text
        following = text[pos + 1 : pos + 2]
        if not self.is_html:
            autolink = autolink_end(text, pos)
            if autolink:
                end, unsafe = autolink
                if unsafe:
                    self.edits.append((pos, end, "&lt;" + text[pos + 1 : end - 1] + "&gt;"))
                return end
        if text.startswith("<!--", pos):
            return self._comment(pos)
        if following in ("!", "?"):
            return self._bogus(pos)
        name_start = text[pos + 2 : pos + 3] if following == "/" else following
        if name_start.isascii() and name_start.isalpha():
            # in Markdown text, only what CommonMark reads as a tag reaches a browser as one
            return self._tag(pos) if self.is_html or is_raw_tag(text, pos) else self._text(pos)
        if following == "/" and self.is_html:
            # `</>` is dropped by a browser, `</1…>` is a bogus comment
            if name_start == ">":
                self.edits.append((pos, pos + 3, ""))
                return pos + 3
            return self._bogus(pos)
        return pos + 1

    def _incomplete(self, pos: int) -> int:
        # In an HTML block the renderer passes the rest through and the browser reads on into
        # whatever follows; in Markdown text the renderer itself shows an unfinished tag as text.
        if self.is_html or self.escape:
            self.edits.append((pos, pos + 1, "&lt;"))
        return pos + 1

    def _text(self, pos: int) -> int:
        """A `<` that a Markdown renderer shows as text: left as it is, except in the last resort."""
        if self.escape:
            self.edits.append((pos, pos + 1, "&lt;"))
        return pos + 1

    def _comment(self, pos: int) -> int:
        found = comment(self.reader, pos)
        if found is None:
            return self._incomplete(pos)
        content_end, end, plain = found
        content = self.text[pos + 4 : content_end]
        if not (plain and "--" not in content and "<" not in content and ">" not in content):
            self.edits.append((pos, end, ""))
        return end

    def _bogus(self, pos: int) -> int:
        text = self.text
        if not self.is_html and not (text.startswith("<?", pos) or text[pos + 2 : pos + 3].isalpha()
                                     or text.startswith("<![CDATA[", pos)):
            return self._text(pos)  # not HTML to a Markdown renderer, which shows it as text
        end = bogus_comment_end(self.reader, pos + 2)
        if end < 0:
            return self._incomplete(pos)
        self.edits.append((pos, end, ""))
        return end

    def _tag(self, pos: int) -> int:
        tag = self.reader.tag(pos)
        if tag is None:
            return self._incomplete(pos)
        decision = self.policy.decide(tag, self.text[tag.start : tag.end])
        if decision.action == DROP_CONTENT:
            return self._drop_raw_text(tag.start, tag.end, tag.name)
        if decision.action == DROP:
            self.edits.append((tag.start, tag.end, ""))
        elif decision.action != KEEP:
            self.edits.append((tag.start, tag.end, decision.text))
        if decision.action != DROP and not tag.closing and tag.name in RAW_TEXT:
            return self._kept_raw_text(tag.name, tag.end)
        return tag.end

    def _drop_raw_text(self, start: int, pos: int, name: str) -> int:
        """A script-capable raw-text element goes with its content and end tag; without an end
        tag only the start tag goes, and what follows is read as the HTML it then is."""
        close = raw_text_end(self.reader, pos, name) if name in RAW_TEXT else -1
        if close < 0:
            self.edits.append((start, pos, ""))
            return pos
        end_tag = self.reader.tag(close)
        end = end_tag.end if end_tag is not None else close
        self.edits.append((start, end, ""))
        return end

    def _kept_raw_text(self, name: str, pos: int) -> int:
        """An embed (`<iframe>`) kept: a browser shows nothing of its content, and without an end
        tag would show nothing of the rest of the page either."""
        close = raw_text_end(self.reader, pos, name)
        if close < 0:
            self.edits.append((pos, pos, f"</{name}>"))
            return pos
        if close > pos:
            self.edits.append((pos, close, ""))
        return close
