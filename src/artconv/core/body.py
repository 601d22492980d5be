"""Split a body into Markdown text and raw-HTML regions, as a CommonMark site generator sees it.

Treating a Markdown body as HTML destroys it, and treating HTML as Markdown keeps its junk, so the
body is cut along markdown-it's own block tokens: top-level `html_block` tokens (and indented code
blocks that are plainly HTML continuing an HTML region, as scrapers indent it) form HTML regions;
everything else is Markdown and is left exactly as written. Consecutive HTML blocks separated only
by blank lines form one region, so that `<div>` … blank lines … `</div>` parses as one tree.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from functools import lru_cache

from lxml import etree

from artconv.core.input_bounds import TOO_MANY_ATTRIBUTES, InputTooComplex, check_attributes
from artconv.html.block_tree import block_tree, line_starts

_LOOKS_LIKE_HTML = re.compile(r"\s*<(?:[A-Za-z][A-Za-z0-9-]*|!--|/[A-Za-z])")


@dataclass
class MarkdownPart:
    """Markdown source lines, kept verbatim."""

    text: str
    line: int  # 0-based line in body


@dataclass
class HtmlPart:
    """A raw-HTML region; `root` is a <body> element whose children are the region's content."""

    source: str
    line: int  # 0-based line in body
    root: etree._Element | None = field(default=None, repr=False)

    def tree(self) -> etree._Element:
        if self.root is None:
            self.root = parse_html_fragment(self.source)
        return self.root


Part = MarkdownPart | HtmlPart


@lru_cache(maxsize=1)
def _html_parser():
    # etree's parser, not lxml.html's: its elements need no Python-level class lookup, which
    # made every element access of every transformer, rule and writer several times dearer
    return etree.HTMLParser(remove_comments=False, remove_pis=False, huge_tree=True)


CONTEXT_ATTRIBUTE = "artconv-context"  # no transformer strips it (they strip data-*)


def parse_html_fragment(source: str, keep_strays: bool = False) -> etree._Element:
    """Parse an HTML fragment into a <body> element, keeping comments and element order.

    Wrapping in <html><body> stops libxml2 from moving a leading <style>, <meta> or <title> into
    <head>, and a stray `</div>` can close nothing of ours. With `keep_strays`, end tags that
    close an element of an earlier block get a marked opening element in front, so that
    writing the tree back gives them back where they were.
    """
    if check_attributes(source) is not None:  # libxml2 would take quadratic time over it
        raise InputTooComplex(TOO_MANY_ATTRIBUTES)
    prefix = ""
    if keep_strays:
        from artconv.html.tag_balance import strays_and_open

        strays, _ = strays_and_open(source)
        prefix = "".join(f'<{name} {CONTEXT_ATTRIBUTE}="">' for name in reversed(strays))
    if "</" in source:
        # a browser ignores `</body>` and `</html>` inside the body (pasted code writes them in
        # text); libxml2 drops all that follows them: a whole section of the article
        source = _DOCUMENT_END_TAG.sub("", source)
    document = etree.fromstring("<html><body>" + prefix + source + "</body></html>", parser=_html_parser())
    body = document.find("body")
    if body is None:  # pragma: no cover - libxml2 always builds one for this input
        body = etree.SubElement(document, "body")
    return body


_DOCUMENT_END_TAG = re.compile(r"</(?:body|html)\s*>", re.IGNORECASE)


def split_body(body: str) -> list[Part]:
    """Cut a body into Markdown and HTML parts covering all of its lines, in order."""
    if "<" not in body:
        return [MarkdownPart(body, 0)] if body else []
    # offsets of line starts, with the end of the body last: regions are sliced, never joined
    starts = line_starts(body)
    if starts[-1] != len(body):
        starts.append(len(body))
    count = len(starts) - 1
    regions = _top_level_blocks(body)
    parts: list[Part] = []
    cursor = 0
    index = 0
    while index < len(regions):
        start, _, is_html = regions[index]
        if not is_html:
            index += 1
            continue
        end, index = _html_region_end(body, starts, regions, index)
        if start > cursor:
            parts.append(MarkdownPart(body[starts[cursor] : starts[start]], cursor))
        parts.append(HtmlPart(body[starts[start] : starts[end]], start))
        cursor = end
        index += 1
    if cursor < count:
        parts.append(MarkdownPart(body[starts[cursor] :], cursor))
    return parts


def _html_region_end(body: str, starts: list[int], regions: list[tuple[int, int, bool]], index: int) -> tuple[int, int]:
    """(line after the HTML region that regions[index] opens, index of its last block)."""
    count = len(starts) - 1
    start, end, _ = regions[index]
    reader = _RegionReader(body, starts[start])
    # where the scan for an element left open resumes: all before it is closed (regions merge
    # thousands of times in a body of thousands of comment blocks; rescanning from the start
    # each time was quadratic)
    resume = starts[start]
    while True:
        # a <style>, <script> or comment left open runs on to its end tag, blank lines or
        # not: that is how browsers read it and what the page's author meant
        left_open = reader.unclosed(resume, starts[end])
        if left_open is None:
            resume = starts[end]
        elif end < count:
            closer, resume = left_open
            found = reader.run_on_to(closer, starts[end])
            if found is not None:
                end = bisect.bisect_right(starts, found) if found >= 0 else count
                continue
        while index + 1 < len(regions) and regions[index + 1][0] < end:
            index += 1  # swallowed by an extension
        if index + 1 < len(regions) and regions[index + 1][2]:
            if not body[starts[end] : starts[regions[index + 1][0]]].strip():
                # HTML regions separated only by blank lines are one region
                end = regions[index + 1][1]
                index += 1
                continue
        return end, index


class _RegionReader:
    """The questions _html_region_end asks of one HTML region as it grows by whole blocks: what
    is left open in it, and whether that runs on past it. A <pre> left open that does not run on
    is asked about again at every block the region takes in; each answer carries over what the
    smaller region's answer read, so that every stretch of the body is read a bounded number of
    times (a <pre> open over 20,000 blank-line-separated `<br>` lines was read again for each of
    them: 120 KB took 3 s). The answers are exactly those of reading from scratch."""

    def __init__(self, body: str, start: int) -> None:
        self.body, self.start = body, start
        self._closer_missing: dict[int, int] = {}  # opener start → end of the stretch known to lack its end tag
        self._next_closer: dict[str, tuple[int, int]] = {}  # end tag pattern → (searched from, its start or -1)
        self._pre_openers = (start, -1)  # (read up to, the last <pre ending before that, or -1)
        self._cuts: dict[tuple[int, int], bool] = {}

    def unclosed(self, start: int, stop: int) -> tuple[re.Pattern[str], int] | None:
        """(the pattern of the end tag body[start:stop] still waits for, where its opener is), or
        None when nothing is left open."""
        source, position = self.body, start
        while True:
            opener = _RAW_TEXT_OPENER.search(source, position, stop)
            if opener is None:
                return None
            # nothing inside a comment or raw-text element opens another: jump to its end
            if opener.group(1) is None:
                end = source.find("-->", opener.end(), stop)
                if end == -1:
                    return _COMMENT_END, opener.start()
                position = end + 3
            else:
                name = opener.group(1).lower()
                closer = self._end_tag(_RAW_TEXT_CLOSER[name], opener, stop)
                if closer is None:
                    return re.compile(re.escape("</" + name), re.IGNORECASE), opener.start()
                position = closer.end()

    def _end_tag(self, closer: re.Pattern[str], opener: re.Match[str], stop: int) -> re.Match[str] | None:
        """closer.search(body, opener.end(), stop), reading only what an earlier search with a
        smaller stop did not: an end tag holds one `<`, its first character, so one that reaches
        past the earlier stop starts at the last `<` before it, or after it."""
        begin = opener.end()
        missing = self._closer_missing.get(opener.start(), begin)
        if missing > begin:
            last = self.body.rfind("<", begin, missing)
            begin = last if last != -1 else missing
        found = closer.search(self.body, begin, stop)
        if found is None:
            self._closer_missing[opener.start()] = stop
        return found

    def run_on_to(self, closer: re.Pattern[str], stop: int) -> int | None:
        """Where the end tag body[start:stop] left open is (-1: none, run on to the end), or None
        when the region does not run on: a <pre> never closed is left to Markdown's rules."""
        known = self._next_closer.get(closer.pattern)
        if known is not None and known[0] <= stop and (known[1] == -1 or stop <= known[1]):
            found = known[1]  # nothing between the earlier stop and what that search found
        else:
            match = closer.search(self.body, stop)
            found = match.start() if match else -1
            self._next_closer[closer.pattern] = (stop, found)
        if closer.pattern != "</pre":
            return found
        return found if found != -1 and self._pre_cut(stop, found) else None

    def _pre_cut(self, stop: int, closed: int) -> bool:
        """True when the last <pre> of body[start:stop] is one a blank line cut: it opens on a line
        CommonMark reads as HTML (indented less than four spaces), and only lines of code, no other
        HTML block, stand between it and its end tag at `closed`."""
        opener = self._last_pre_opener(stop)
        if opener == -1:
            return False
        key = (opener, closed)
        if key not in self._cuts:
            self._cuts[key] = _pre_cut_at(self.body, opener, closed)
        return self._cuts[key]

    def _last_pre_opener(self, stop: int) -> int:
        """Where the last match of _PRE_OPENER.finditer(body, start, stop) starts, or -1. A match
        that ends before an earlier stop is one whatever the stop (`\\b` reads the character
        after it), and no match starts in the three characters after a `<`: only the last four
        characters before the earlier stop are read again."""
        scanned, settled = self._pre_openers
        if stop < scanned:  # never asked (the region only grows): read from the start
            scanned, settled = self.start, -1
        last = settled
        for match in _PRE_OPENER.finditer(self.body, max(self.start, scanned - 4), stop):
            last = match.start()
            if match.end() < stop:
                settled = last
        self._pre_openers = (stop, settled)
        return last


def _pre_cut_at(body: str, opener: int, closed: int) -> bool:
    """_RegionReader._pre_cut for the <pre> opening at `opener` and its end tag at `closed`."""
    line = body.rfind("\n", 0, opener) + 1
    if body[line:opener].expandtabs(4).startswith("    "):
        return False
    after = body.find("\n", opener + len("<pre"))
    before_end = body.rfind("\n", 0, closed) + 1
    return after == -1 or after >= before_end or not _HTML_LINE.search(body, after, before_end)


def _top_level_blocks(body: str) -> list[tuple[int, int, bool]]:
    """(first line, line after the last, is HTML) of each top-level block, in order."""
    found = block_tree(body)
    if found is None:
        return _top_level_blocks_slow(body)
    root, lines_of = found
    # only an indented code block's content is read (node.meta builds a dict on every call)
    return _regions(
        (*lines_of(node), node.name, node.meta.get("content", "") if node.name == "code_block" else "")
        for node in root.children
        if node.srcmap is not None
    )


def _top_level_blocks_slow(text: str) -> list[tuple[int, int, bool]]:
    """The same from markdown-it-py, which the Rust port follows rule for rule."""
    from markdown_it import MarkdownIt

    tokens = MarkdownIt("commonmark", {"html": True}).parse(text)
    return _regions(
        (t.map[0], t.map[1], t.type, t.content) for t in tokens if t.level == 0 and t.map is not None and t.nesting >= 0
    )


def _regions(blocks) -> list[tuple[int, int, bool]]:
    """(start, stop, is HTML) from (start, stop, block type, content) of top-level blocks.

    An indented code block that plainly continues an HTML region is HTML that a scraper indented.
    """
    regions: list[tuple[int, int, bool]] = []
    for start, stop, kind, content in blocks:
        is_html = kind == "html_block" or (
            kind == "code_block" and bool(regions) and regions[-1][2] and _LOOKS_LIKE_HTML.match(content) is not None
        )
        regions.append((start, stop, is_html))
    return regions


# a <pre> is no raw text, but one cut by a blank line (`<div>\n<pre><code>a\n\nb</code></pre>`)
# is code its author meant as one block, and the browser keeps all of it preformatted
_RAW_TEXT_OPENER = re.compile(r"<(style|script|textarea|pre)\b|<!--", re.IGNORECASE)
_HTML_LINE = re.compile(r"^ {0,3}<[A-Za-z/!]", re.MULTILINE)
_PRE_OPENER = re.compile(r"<pre\b", re.IGNORECASE)
_RAW_TEXT_CLOSER = {
    name: re.compile(rf"</{name}\s*>", re.IGNORECASE) for name in ("style", "script", "textarea", "pre")
}
_COMMENT_END = re.compile(re.escape("-->"))
