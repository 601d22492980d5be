"""Raw HTML tags inside Markdown text (`<span style=…>` in a paragraph, `<!-- x -->` in a list).

Markdown parts are never re-parsed as HTML (that would destroy the Markdown); instead each tag in
them is rewritten where it stands: transformers get one tag at a time and return what replaces
it. Only lines a renderer reads as inline content or as nested HTML blocks are touched, never code
blocks or code spans.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from artconv.html.delimiters import keep_flanking
from artconv.html.blocks import BlockCache, blocks_of
from artconv.html.tag_scan import SimpleElementPattern, TagPattern, code_spans

# A comment, start tag or end tag: `<!--.*?-->|<(/?)(NAME)(ATTRIBUTES)\s*(/?)>`, found in linear
# time (tag_scan.py: as a regex, `x <b <b <b …` made every `<b` read to the end of the line).
_TAG = TagPattern()
# An element simple enough to write as Markdown: a link, an image, or emphasis around plain text.
SIMPLE_ELEMENT = SimpleElementPattern()


def attributes_of(source: str) -> dict[str, str | None]:
    attributes: dict[str, str | None] = {}
    for attribute in _ATTRIBUTE.finditer(source or ""):
        value = attribute.group(2)
        if value is not None and value[:1] in "\"'":
            value = value[1:-1]
        attributes[attribute.group(1).lower()] = value
    return attributes
_ATTRIBUTE = re.compile(r"([^\s\"'>/=]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?")
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+")  # CommonMark's line breaks only


def _lines(text: str) -> list[str]:
    return _LINE.findall(text)


@dataclass
class Tag:
    """One tag found in Markdown text; `comment` is set for `<!-- … -->`."""

    source: str
    name: str = ""
    closing: bool = False
    self_closing: bool = False
    attributes: dict[str, str | None] | None = None
    comment: str | None = None

    def render(self) -> str:
        if self.comment is not None:
            return self.source
        if self.closing:
            return f"</{self.name}>"
        attributes = "".join(
            f' {k}="{v}"' if v is not None else f" {k}" for k, v in (self.attributes or {}).items()
        )
        return f"<{self.name}{attributes}{' /' if self.self_closing else ''}>"


def parse_tag(match: re.Match[str]) -> Tag:
    source = match.group()
    if source.startswith("<!--"):
        return Tag(source, comment=source[4:-3])
    attributes = attributes_of(match.group(3))
    return Tag(source, match.group(2), bool(match.group(1)), bool(match.group(4)), attributes)


def _html_line_ranges(text: str, inline_only: bool, blocks: BlockCache | None) -> tuple[tuple[int, int, bool], ...]:
    """Line ranges that may hold tags, each with whether it is inline content (where a
    backslash escapes `<`) rather than an HTML block (where a backslash is a backslash)."""
    found = blocks_of(text, blocks)
    return found.inline if inline_only else found.html


def rewrite_tags(text: str, replace: Callable[[Tag], str | None], blocks: BlockCache | None = None) -> str:
    """Rewrite every tag in the HTML-bearing lines of Markdown text.

    `replace` gets a Tag and returns its replacement text, or None to keep it unchanged.
    `blocks`: the document's cache of block structures (html/blocks.py).
    """
    return rewrite_matches(text, _TAG, lambda match: replace(parse_tag(match)), blocks=blocks)


def rewrite_matches(
    text: str,
    pattern: re.Pattern[str],
    replace: Callable[[re.Match[str]], str | None],
    inline_only: bool = False,
    blocks: BlockCache | None = None,
) -> str:
    """Rewrite the matches of `pattern` in the HTML-bearing lines of Markdown text, outside
    code spans; `replace` returns the new text for a match, or None to keep it. With
    `inline_only`, lines of HTML blocks are left alone: Markdown written there is not read."""
    if "<" not in text or not getattr(pattern, "may_match", _always)(text):
        return text
    layout = _layout_of(text, inline_only, blocks)
    out: list[str] = []
    cursor = 0
    changed = False
    for start, end, inline, chunk, spans in layout.chunks:
        rewritten = _rewrite_chunk(chunk, spans, pattern, replace, inline)
        if rewritten is not chunk:
            out.extend(layout.lines[cursor:start])
            out.append(rewritten)
            cursor, changed = end, True
    if not changed:
        return text
    out.extend(layout.lines[cursor:])
    return "".join(out)


def _always(text: str) -> bool:
    return True


def iter_tags(text: str, blocks: BlockCache | None = None) -> Iterator[tuple[Tag, int]]:
    """Every tag in the HTML-bearing lines of Markdown text, outside code, with its offset."""
    if "<" not in text:
        return
    layout = _layout_of(text, False, blocks)
    starts = [0]
    for line in layout.lines:
        starts.append(starts[-1] + len(line))
    for start, _, inline, chunk, spans in layout.chunks:
        chunk_offset = starts[start]
        cursor = 0
        for span in [*spans, None]:
            stop = span[0] if span else len(chunk)
            for match in _TAG.finditer(chunk, cursor, stop):
                if not inline or is_raw_html(chunk, match.start()):
                    yield parse_tag(match), chunk_offset + match.start()
            if span:
                cursor = span[1]


# What CommonMark reads before any raw HTML and which only looks like a tag: an angle-bracket
# link destination (`[x](<a b c> "t")`) and an autolink (`<https://x.org/>`, `<me@x.org>`).
_ANGLE_DESTINATION = re.compile(r"(?<!\\)\]\([ \t]*\n?[ \t]*(<(?:[^<>\n\\]|\\.)*>)")
_AUTOLINK = re.compile(
    r"<[A-Za-z][A-Za-z0-9+.-]{1,31}:[^\s<>]*>"
    r"|<[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*>"
)


# A `<` after an odd number of backslashes: in inline content, CommonMark reads it as a literal
# `<` (the md writer writes `\<IMG SRC="a.jpg">` for text that shows a tag), never as a tag.
_ESCAPED_ANGLE = re.compile(r"(?<!\\)(?:\\\\)*\\(<)")


def not_tags(chunk: str, escapes: bool = False) -> list[tuple[int, int]]:
    """Sorted spans of Markdown text where `<…>` is never a tag: code spans, angle-bracket link
    destinations and autolinks (those that start outside a code span), and with `escapes`
    (inline content, not an HTML block) a backslash-escaped `<`."""
    spans = [(span.start(), span.end()) for span in code_spans(chunk)]
    if "<" not in chunk:
        return spans
    extra = [m.span(1) for m in _ANGLE_DESTINATION.finditer(chunk)]
    extra += [m.span() for m in _AUTOLINK.finditer(chunk)]
    if escapes and "\\<" in chunk:
        extra += [m.span(1) for m in _ESCAPED_ANGLE.finditer(chunk)]
    if not extra:
        return spans
    return _merged(sorted(spans + _kept_extras(spans, extra)))


def _kept_extras(code: list[tuple[int, int]], extra: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The extra spans that start neither inside a code span nor inside an extra span kept
    before them. Code spans are sorted and apart (one bisect); the kept extras come in order of
    their start, so starting inside one is starting before the furthest end so far. (Asking
    every span kept so far made 20,000 escaped `<` on one line cost 10 s.)"""
    code_starts = [start for start, _ in code]
    kept: list[tuple[int, int]] = []
    reach = -1
    for start, end in sorted(extra):
        inside = bisect.bisect_right(code_starts, start) - 1
        if start < reach or (inside >= 0 and start < code[inside][1]):
            continue
        kept.append((start, end))
        reach = max(reach, end)
    return kept


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted spans with the overlapping ones joined."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start < merged[-1][1]:
            merged[-1] = (merged[-1][0], max(end, merged[-1][1]))
        else:
            merged.append((start, end))
    return merged


@dataclass(frozen=True)
class _Layout:
    """One text as rewrite_matches reads it: its lines, and each run of touched lines as
    (first line, line after the last, is inline content, the run's text, its not_tags spans)."""

    lines: list[str]
    chunks: list[tuple[int, int, bool, str, list[tuple[int, int]]]]


def _layout_of(text: str, inline_only: bool, blocks: BlockCache | None) -> _Layout:
    """The text's layout; kept in the document's BlockCache, since one text is usually read by
    several steps in a row (tracking, style, the writer) before any of them changes it."""
    if blocks is None:
        return _make_layout(text, inline_only, None)
    return blocks.remember(("layout", inline_only, text), lambda: _make_layout(text, inline_only, blocks))


def _make_layout(text: str, inline_only: bool, blocks: BlockCache | None) -> _Layout:
    lines = _lines(text)
    chunks = []
    for start, end, inline in _merged_ranges(text, len(lines), inline_only, blocks):
        chunk = "".join(lines[start:end])
        chunks.append((start, end, inline, chunk, not_tags(chunk, inline)))
    return _Layout(lines, chunks)


def _merged_ranges(text: str, line_count: int, inline_only: bool, blocks: BlockCache | None) -> list[tuple[int, int, bool]]:
    """Runs of touched lines, each with whether it is inline content; a line that is both
    (a nested HTML block read again as inline) counts as HTML block, where no escape holds."""
    found = _html_line_ranges(text, inline_only, blocks)
    if not found:
        return []
    touched: list[bool | None] = [None] * line_count  # None: untouched, True: inline, False: block
    edges = {0, line_count}
    for inline in (True, False):  # block ranges last: they win over inline ones
        for start, end, kind in found:
            end = min(end, line_count)
            if kind is inline and start < end:
                touched[start:end] = [inline] * (end - start)
                edges.update((start, end))
    # the kind can only change at a range's edge: runs are read edge to edge, not line by line
    ranges: list[tuple[int, int, bool]] = []
    bounds = sorted(edges)
    for start, end in zip(bounds, bounds[1:]):
        kind = touched[start]
        if kind is None:
            continue
        if ranges and ranges[-1][1] == start and ranges[-1][2] is kind:
            ranges[-1] = (ranges[-1][0], end, kind)
        else:
            ranges.append((start, end, kind))
    return ranges


def _rewrite_chunk(
    chunk: str, spans: list[tuple[int, int]], pattern: re.Pattern[str], replace: Callable, inline: bool = False
) -> str:
    """The chunk rewritten outside its not_tags spans; the chunk itself when nothing changed."""
    pieces = []
    cursor = 0
    changed = False
    for start, end in [*spans, (len(chunk), len(chunk))]:
        plain = chunk[cursor:start]
        rewritten = _rewrite_plain(plain, pattern, replace, inline)
        changed = changed or rewritten is not plain
        pieces += [rewritten, chunk[start:end]]
        cursor = end
    return "".join(pieces) if changed else chunk


def _rewrite_plain(text: str, pattern: re.Pattern[str], replace: Callable, inline: bool = False) -> str:
    if "<" not in text:
        return text

    removed_at: list[int] = []  # offsets in the rewritten text where a tag went
    shift = [0]

    def substitute(match: re.Match[str]) -> str:
        if inline and not is_raw_html(text, match.start()):
            return match.group()  # text that only looks like a tag: CommonMark shows it as written
        replacement = replace(match)
        result = match.group() if replacement is None else replacement
        if not result:
            removed_at.append(match.start() + shift[0])
        shift[0] += len(result) - len(match.group())
        return result

    rewritten = pattern.sub(substitute, text)
    if rewritten == text:
        return text
    rewritten, escaped_at = _markers_escaped(text, rewritten)
    if removed_at and inline:
        if escaped_at:  # each backslash added before a removal's offset moves it on by one
            removed_at = [at + bisect.bisect_right(escaped_at, at) for at in removed_at]
        rewritten = keep_flanking(rewritten, removed_at)  # delimiters.py: `** Why?**` shows asterisks
    return rewritten


def _markers_escaped(text: str, rewritten: str) -> tuple[str, list[int]]:
    """Text that followed a removed tag now opens its line (or its list item): kept from turning
    into a list item, heading or quote by escaping what would be read as a marker. Returns the
    text and the offsets, in the text before escaping, where a backslash went."""
    old_lines, new_lines = text.split("\n"), rewritten.split("\n")
    if len(old_lines) != len(new_lines):
        return rewritten, []
    escaped_at: list[int] = []
    line_start = 0
    for index, (old, new) in enumerate(zip(old_lines, new_lines, strict=True)):
        prefix = _CONTAINER_PREFIX.match(old).group()
        # the line's own markers are the old line's: a `>` the removal brought to the front is
        # text to escape, not one more quote (`<font>> x</font>` was a quote)
        content = old[len(prefix):]
        if content.startswith("<") and not _BLOCK_MARKER.match(content) and new.startswith(prefix):
            marker = _BLOCK_MARKER.match(new[len(prefix):])
            if marker is not None:
                at = len(prefix) + marker.start(3)
                new_lines[index] = new[:at] + "\\" + new[at:]
                escaped_at.append(line_start + at)
        line_start += len(new) + 1
    return ("\n".join(new_lines), escaped_at) if escaped_at else (rewritten, [])


# Raw HTML as CommonMark reads it in inline content: a comment, an end tag, or a start tag whose
# attributes follow its grammar. `<span style=”font-size: small;”>` (curly quotes from a word
# processor) is no tag there: the reader sees it as text, so it is text to rewrite too.
_RAW_HTML = re.compile(
    r"<!--|</[A-Za-z][A-Za-z0-9-]*\s*>"
    r"|<[A-Za-z][A-Za-z0-9-]*(?:\s+[A-Za-z_:][A-Za-z0-9_.:-]*(?:\s*=\s*(?:[^\s\"'=<>`]+|'[^']*'|\"[^\"]*\"))?)*\s*/?>"
)


def is_raw_html(text: str, offset: int) -> bool:
    """True when text[offset:] opens with what CommonMark reads as raw inline HTML."""
    return _RAW_HTML.match(text, offset) is not None


# what opens a line before its text: quote markers and list item markers (`- <span>1. x</span>`
# left `- 1. x`, a list nested in the item)
_CONTAINER_PREFIX = re.compile(r"^(?:[ \t]*(?:>|[-+*][ \t]+|\d{1,9}[.)][ \t]+))*[ \t]*")
# a list item, heading, quote or setext line's marker (a quote's `>` needs no space after it)
_BLOCK_MARKER = re.compile(r"^([ \t]*)(\d{1,9})?((?:[.)]|(?<![\d])[-+*#=|])(?=[ \t]|$)|(?<![\d])>)")


def outside_code(text: str, blocks: BlockCache | None = None) -> list[tuple[int, int]]:
    """Offset ranges of Markdown text that are neither code blocks nor code spans."""
    lines = _lines(text)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    code_lines = [False] * len(lines)
    for start, end in blocks_of(text, blocks).code:
        for index in range(start, min(end, len(lines))):
            code_lines[index] = True
    ranges: list[tuple[int, int]] = []
    index = 0
    while index < len(lines):
        if code_lines[index]:
            index += 1
            continue
        end = index
        while end < len(lines) and not code_lines[end]:
            end += 1
        cursor = starts[index]
        for span in code_spans(text, starts[index], starts[end]):
            ranges.append((cursor, span.start()))
            cursor = span.end()
        ranges.append((cursor, starts[end]))
        index = end
    return [(start, end) for start, end in ranges if end > start]


def rewrite_outside_code(
    text: str, pattern: re.Pattern[str], replace: Callable[[re.Match[str]], str], blocks: BlockCache | None = None
) -> str:
    """`pattern.sub(replace, …)` over the Markdown text outside code blocks and code spans."""
    if pattern.search(text) is None:
        return text
    pieces, cursor = [], 0
    for start, end in outside_code(text, blocks):
        pieces.append(text[cursor:start])
        pieces.append(pattern.sub(replace, text[start:end]))
        cursor = end
    pieces.append(text[cursor:])
    return "".join(pieces)
