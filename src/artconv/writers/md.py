"""Markdown writer: `--to md`, and the clean Markdown body every other format starts from.

Markdown parts of the body are written exactly as they were; HTML parts are converted to
CommonMark/GFM (ATX headings, `-` bullets, fenced code, pipe tables, links and images kept) by
writers/md_tree.py, straight from their lxml trees, or by the reference writer through markdownify
where configuration asks for it. The front matter is written back as its original text, with
lifted keys appended before the closing delimiter.
"""

from __future__ import annotations

import bisect
import html
import re
import string
import unicodedata
from functools import lru_cache

import yaml

from artconv.core.body import HtmlPart, MarkdownPart
from artconv.core.document import FRAGMENT_CHAR, Document
from artconv.core.front_matter_forms import with_added_keys
from artconv.html.blocks import BlockCache
from artconv.html.inline import SIMPLE_ELEMENT, attributes_of, rewrite_matches
from artconv.writers.base import BaseWriter
from artconv.writers.md_open_html import OpenHtml
from artconv.writers.md_parts import flanks, marked_tree, resolve_emphasis
from artconv.writers.md_text import alt_reads_alike, destination, link_title, read_alike
from artconv.writers.md_tree import tree_to_markdown

_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")
_BLANK_RUNS = re.compile(r"\n{3,}")
# tried from the first blank of a run only: from each one, a long run inside a line cost n²
_TRAILING_SPACE = re.compile(r"(?<![ \t])[ \t]+$", re.MULTILINE)


class MarkdownWriter(BaseWriter):
    format = "md"
    summary = "clean Markdown, front matter kept as written"
    suffix = ".md"
    pipeline = "md"
    in_place = True  # the only format that can replace the article it came from

    def write(self, doc: Document, body: str) -> str:
        if doc.article.newline != "\n":
            body = body.replace("\n", doc.article.newline)
        return write_front_matter(doc) + body


def html_to_markdown(part: HtmlPart, doc: Document) -> str:
    """Convert one HTML part of a document to Markdown (fragments still unresolved)."""
    return resolve_emphasis(tree_to_markdown(marked_tree(part, doc)))


def write_body(doc: Document, writer: str = "tree") -> str:
    """The body as Markdown: Markdown parts verbatim, each HTML part replaced by its conversion,
    with exactly one blank line wherever an HTML part stood. `writer` names the HTML → Markdown
    writer: "tree", or "markdownify" (the reference)."""
    if writer == "markdownify":
        from artconv.writers.markdownify import html_to_markdown as convert
    else:
        convert = html_to_markdown  # looked up at each call, so that bench/compare_writers.py can swap it
    out = "".join(_pieces(doc, convert))
    if doc.html_parts() and out.strip():
        # the blank lines the body opened with, as the transformers left them (a second run must
        # not find more to collapse)
        # (blank lines as CommonMark reads them: a line of spaces and tabs is one)
        first = doc.parts[0]
        lead = _LEADING_BLANK_LINES.match(first.text) if isinstance(first, MarkdownPart) else None
        out = (lead.group() if lead else "") + _LEADING_BLANK_LINES.sub("", out)
    elif doc.html_parts():
        out = ""  # nothing but blank lines is left: an empty body, which stays empty
    if not doc.article.has_front_matter:
        # a thematic break written as `---` on the first line would open front matter when read back
        out = _LEADING_DASH_RULE.sub(r"\1***", out, count=1)
    return doc.resolve_fragments(out, markdown=True)


def _pieces(doc: Document, convert) -> list[str]:
    # pieces joined once at the end: re-scanning the whole output at every HTML part was
    # quadratic (a 1 MB body of alternating parts took a minute)
    pieces: list[str] = []
    at_boundary = False
    open_html = OpenHtml(doc.parts)  # md_open_html.py: a table or quote left open by a blank line
    for part in doc.parts:
        if isinstance(part, HtmlPart):
            kept = open_html.write(part) if not doc.html else None
            converted = kept if kept is not None else _indent_fragments(_tidy(convert(part, doc)), doc)
            _strip_trailing_blank_lines(pieces)
            if converted.strip():  # a part of only NBSP or U+3000 is an empty paragraph, as in Markdown text
                pieces.append(f"\n\n{converted}" if pieces else converted)
            at_boundary = True
            continue
        text = markdown_inline_elements(part.text, doc.blocks, templated_urls=doc.islands != "hexo")
        if at_boundary:
            if not text.strip():
                continue  # blank lines after an HTML part: the boundary (and the final newline) stays
            text = _LEADING_BLANK_LINES.sub("", text)
            text = "\n\n" + text if pieces else text
            at_boundary = False
        if text:
            pieces.append(text)
    if at_boundary and pieces:
        pieces.append("\n")
    return pieces


def _indent_fragments(markdown: str, doc: Document) -> str:
    """Put back the fragments of more than one line (a `{% highlight %}` island in a list item)
    with the container's indentation on each of their lines: at the margin, the second line of
    an island in a list item ended the list (a `<script>` line opens an HTML block)."""
    multiline = doc.multiline_fragments
    # placeholders are found by one scan of their code points, not one search per fragment
    # (thousands of islands, each searched for in every line, were quadratic)
    if not multiline or not any(char in multiline for char in FRAGMENT_CHAR.findall(markdown)):
        return markdown
    lines = markdown.split("\n")
    for index, line in enumerate(lines):
        if not any(char in multiline for char in FRAGMENT_CHAR.findall(line)):
            continue
        prefix = _CONTAINER.match(line).group()
        indent = _LIST_MARKER.sub(lambda m: " " * len(m.group()), prefix)
        lines[index] = FRAGMENT_CHAR.sub(
            lambda found: multiline[found.group()].replace("\n", "\n" + indent) if found.group() in multiline else found.group(),
            line,
        )
    return "\n".join(lines)


# the quote markers, list markers and indentation a line of the writer's output opens with
_CONTAINER = re.compile(r"(?:[ \t]*>[ \t]?|[ \t]*(?:[-+*]|\d{1,9}[.)])[ \t]+|[ \t]+)*")
_LIST_MARKER = re.compile(r"(?:[-+*]|\d{1,9}[.)])(?=[ \t])")


def _strip_trailing_blank_lines(pieces: list[str]) -> None:
    """The joined pieces less their trailing blank lines, touching only the last ones."""
    tail = []  # the last pieces, last first: appended, not inserted at the front (n², n blank ones)
    while pieces:
        tail.append(pieces.pop())
        if tail[-1].strip():
            break
    stripped = _without_trailing_blank_lines("".join(reversed(tail)))
    if stripped:
        pieces.append(stripped)


def _without_trailing_blank_lines(text: str) -> str:
    """`text` less the line breaks (and the spaces and tabs between them) it ends with, the
    spaces before the first of them kept. By string methods: the regex `(?:\n[ \t]*)+\Z` tried
    every line break of a blank run as a start, n² for n blank lines followed by text."""
    end = len(text.rstrip(" \t\n"))
    first_break = text.find("\n", end)
    return text if first_break == -1 else text[:first_break]


_LEADING_DASH_RULE = re.compile(r"\A((?:[ \t]*\n)*)---(?=[ \t]*(?:\n|\Z))")


def markdown_inline_elements(text: str, blocks: BlockCache | None = None, templated_urls: bool = True) -> str:
    """Write simple HTML elements standing in Markdown text (links, images, emphasis around
    plain text) as Markdown; anything more complex stays as the HTML it is. Without
    `templated_urls` (Hexo, which puts its tags aside before reading Markdown), a link or image
    whose URL holds a template island stays HTML too."""
    convert = _inline_element_as_markdown if templated_urls else _untemplated_element_as_markdown
    # a browser shows <b>a</b><b>b</b> as one run and <em> </em> as a space (html/runs.py);
    # neither pattern looks around it, so one with no match in the whole text has none in a part
    if _SAME_KIND_SEAM.search(text):
        text = rewrite_matches(text, _SAME_KIND_SEAM, lambda match: "", blocks=blocks)
    if _BLANK_EMPHASIS.search(text):
        text = rewrite_matches(text, _BLANK_EMPHASIS, lambda match: match.group(2), blocks=blocks)
    for _ in range(8):  # inner elements first: <a><b>x</b></a> takes two rounds
        if "<" not in text:
            break
        # not in HTML blocks (a <div> in a list item): Markdown there shows as literal asterisks
        rewritten = rewrite_matches(text, SIMPLE_ELEMENT, convert, inline_only=True, blocks=blocks)
        if rewritten == text:
            break
        text = rewritten
    return text


_SAME_KIND_SEAM = re.compile(r"</(?:strong|b)><(?:strong|b)>|</(?:em|i)><(?:em|i)>|</(?:code|tt)><(?:code|tt)>", re.IGNORECASE)
_BLANK_EMPHASIS = re.compile(r"<(strong|b|em|i)>([ \t]+)</\1>", re.IGNORECASE)


def _untemplated_element_as_markdown(match: re.Match[str]) -> str | None:
    attributes = match.group(5) if match.group(4) else match.group(2)
    if attributes and FRAGMENT_CHAR.search(attributes) is not None:
        return None  # an island in its attributes (its URL): it stays HTML
    return _inline_element_as_markdown(match)


def _inline_element_as_markdown(match: re.Match[str]) -> str | None:
    if match.group(4):
        return _inline_image(match)
    name, text = match.group(1).lower(), match.group(3)
    attributes = attributes_of(match.group(2))
    if not text.strip() or "\n\n" in text:
        return None
    if name == "a":
        href = html.unescape(attributes.get("href") or "")
        if not href or href.lower().startswith("javascript:") or "[" in text or "]" in text or not _read_alike(attributes, href):
            return None
        if _in_brackets(match.string, match.start()):
            return None  # in a Markdown link's text: `[a [b](y)](x)` is no link, the raw <a> is one
        return f"[{text}]({destination(href)}{_title(attributes)})"
    if attributes or "*" in text:
        return None
    return _inline_emphasis(match, "**" if name in ("strong", "b") else "*", text)


def _in_brackets(text: str, offset: int) -> bool:
    spans = _bracket_spans(text)
    index = bisect.bisect_right(spans, (offset, len(text))) - 1
    return index >= 0 and spans[index][0] < offset < spans[index][1]


@lru_cache(maxsize=4)
def _bracket_spans(text: str) -> list[tuple[int, int]]:
    """Outermost `[…](` and `[…][` spans (unescaped brackets, matched, within a paragraph),
    found in one pass; cached because every tag of one text asks (the text keeps its hash)."""
    spans: list[tuple[int, int]] = []
    opened: list[int] = []
    for stop in _BRACKET_STOP.finditer(text):  # the regex steps over escaped characters
        char, index = stop.group(), stop.start()
        if char == "[":
            opened.append(index)
        elif char == "]" and opened:
            start = opened.pop()
            image = start > 0 and text[start - 1] == "!"  # an image may stand in a link's text
            if not image and text.startswith(("(", "["), index + 1):  # not `[a note]` in prose
                opened.clear()  # a link inside brackets makes the outer ones text (CommonMark)
                spans.append((start, index))
        elif char == "\n\n":
            opened.clear()  # a blank line ends the paragraph, and any bracket left open in it
    return spans


_BRACKET_STOP = re.compile(r"\\[\s\S]?|\[|\]|\n\n")


def _inline_image(match: re.Match[str]) -> str | None:
    attributes = attributes_of(match.group(5))
    src = html.unescape(attributes.get("src") or "")
    if not src or src.lower().startswith("javascript:") or not _read_alike(attributes, src):
        return None
    alt = html.unescape(attributes.get("alt") or "")
    if not alt_reads_alike(alt):
        return None  # an alt text that needs escapes is read alike only as HTML: it stays as it is
    return f"![{alt}]({destination(src)}{_title(attributes)})"


def _inline_emphasis(match: re.Match[str], delimiter: str, text: str) -> str | None:
    before = match.string[match.start() - 1] if match.start() else None
    after = match.string[match.end()] if match.end() < len(match.string) else None
    if _run_misread(before, text, after):
        return None
    core = text.strip()
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() else ""
    # an NBSP entity at an edge is whitespace to CommonMark: inside the delimiters it unmakes them
    while core.startswith(_NBSP_FORMS) or core.endswith(_NBSP_FORMS):
        start = _nbsp_run_start(core)
        lead, core = lead + core[:start], core[start:]
        end = _nbsp_run_end(core)
        trail, core = core[end:] + trail, core[:end].strip()
    if not core or not flanks(lead[-1:] or before, core, trail[:1] or after):
        return None
    if _pairs_elsewhere(match, (lead, core, trail), lead[-1:] or before, trail[:1] or after):
        return None
    return f"{lead}{delimiter}{core}{delimiter}{trail}"


def _run_misread(before: str | None, text: str, after: str | None) -> bool:
    """True when a delimiter run written here would not be read as one everywhere: beside the
    author's own `*`, it would grow and show literally; with ASCII punctuation on both sides of
    it (`=**=`, `%**$`), CommonMark's flanking rules decide it, which kramdown (Jekyll) and
    marked (Hexo) do not follow (`=**=：**` showed its asterisks on Jekyll). The element stays
    HTML, which all of them show; `**Note:** text` is Markdown to all and stays Markdown."""
    if "*" in (before, after):
        return True
    opening = (before or " ") in _ASCII_PUNCTUATION and text[:1] in _ASCII_PUNCTUATION
    closing = (after or " ") in _ASCII_PUNCTUATION and text[-1:] in _ASCII_PUNCTUATION
    return opening or closing


_ASCII_PUNCTUATION = frozenset(string.punctuation)


def _pairs_elsewhere(match: re.Match[str], written: tuple[str, str, str], before: str | None, after: str | None) -> bool:
    """True when a delimiter run written for this element (lead, core, trail) would pair with
    another one: of an emphasis element right beside it, or an author's asterisk in the same
    paragraph."""
    string, start, end = match.string, match.start(), match.end()
    if _merges_with_neighbour(string, start, end, "".join(written)):
        return True
    return _may_pair_outside(string, start, end, before, written[1], after)


def _may_pair_outside(string: str, start: int, end: int, before: str | None, core: str, after: str | None) -> bool:
    """True when a delimiter run written here could pair with an asterisk of the same paragraph
    outside it: an opening run that can also close (between punctuation, or between letters as
    in CJK text) with an asterisk before it, or a closing run that can also open with one after
    it. `**二、估计<a href="#f6"><strong>[6]</strong></a>**` became `**…<a>**[6]**</a>**`, whose
    first inner run closed the author's: the footnote link was left empty."""
    stars, blanks = _asterisks_and_blank_lines(string)
    if not stars:
        return False
    if _can_also_close(before, core[0]):
        blank = bisect.bisect_left(blanks, start)
        earlier = bisect.bisect_left(stars, start) - 1
        if earlier >= 0 and stars[earlier] >= (blanks[blank - 1] if blank else 0):
            return True
    if _can_also_close(after, core[-1]):  # the same test, mirrored: can the closing run open
        blank = bisect.bisect_left(blanks, end)
        later = bisect.bisect_left(stars, end)
        return later < len(stars) and stars[later] < (blanks[blank] if blank < len(blanks) else len(string))
    return False


def _can_also_close(outside: str | None, inside: str) -> bool:
    """An opening run between `outside` and `inside` is right-flanking too (CommonMark)."""
    return outside is not None and not outside.isspace() and (not is_punctuation(outside) or is_punctuation(inside))


def _asterisks_and_blank_lines(string: str) -> tuple[list[int], list[int]]:
    """Where the string's asterisks and blank lines are: read once per string, since every
    element of a paragraph asks (asking by scanning back to the paragraph's start was n²)."""
    if _ASTERISKS_OF[0] is not string:
        stars = [found.start() for found in _ASTERISK.finditer(string)] if "*" in string else []
        _ASTERISKS_OF[:] = [string, (stars, [found.start() for found in _BLANK_LINE.finditer(string)])]
    return _ASTERISKS_OF[1]


_ASTERISK = re.compile(r"\*")
_BLANK_LINE = re.compile(r"\n[ \t]*\n")
_ASTERISKS_OF: list = [None, ([], [])]


_CLOSE_BEFORE = re.compile(r"(.)</(?:strong|b|em|i)>\Z", re.IGNORECASE | re.DOTALL)
_OPEN_AFTER = re.compile(r"<(?:strong|b|em|i)>(.)", re.IGNORECASE | re.DOTALL)


def _merges_with_neighbour(string: str, start: int, end: int, core: str) -> bool:
    """True when an emphasis element right beside this one would also become delimiters and the
    merged run could not close after punctuation (`<em>C：</em><b>D</b>` → `*C：***D**`):
    both stay HTML, as the HTML writer leaves them (md_parts.py)."""
    if core != core.strip():
        return False  # a space at the edge stands between the runs
    closed = _CLOSE_BEFORE.search(string, max(0, start - 10), start)
    if closed and is_punctuation(closed.group(1)) and not is_punctuation(core[0]):
        return True
    opened = _OPEN_AFTER.match(string, end)
    return bool(opened and is_punctuation(core[-1]) and not opened.group(1).isspace() and not is_punctuation(opened.group(1)))


def is_punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


# An NBSP is white space and one of these forms too: a regex for a run of white space and NBSPs,
# `(?:\s*NBSP)+\Z`, could read each U+00A0 either way and backtracked exponentially (22 of them
# in an <em> took a second, each one more doubled it). The runs are found by string methods.
_NBSP_FORMS = ("&nbsp;", "&#160;", "&#xa0;", "&#xA0;", "\u00a0")


def _nbsp_run_start(text: str) -> int:
    """Where the leading run of NBSPs, each with the white space after it, ends (0: none)."""
    position = 0
    while True:
        form = next((f for f in _NBSP_FORMS if text.startswith(f, position)), None)
        if form is None:
            return position
        position += len(form)
        while position < len(text) and text[position].isspace():
            position += 1


def _nbsp_run_end(text: str) -> int:
    """Where the trailing run of white space and NBSPs that ends with an NBSP starts
    (len(text): none)."""
    if not text.endswith(_NBSP_FORMS):
        return len(text)
    position = len(text)
    while position > 0:
        if text[position - 1].isspace():
            position -= 1
            continue
        form = next((f for f in _NBSP_FORMS if text.endswith(f, 0, position)), None)
        if form is None:
            break
        position -= len(form)
    return position


def _read_alike(attributes: dict[str, str | None], url: str) -> bool:
    """Markdown holds the URL and the title alike for every generator (md_text.read_alike):
    otherwise the raw element stays as it is."""
    return read_alike(url) and read_alike(html.unescape(attributes.get("title") or ""))


def _title(attributes: dict[str, str | None]) -> str:
    return link_title(html.unescape(attributes.get("title") or ""))


def _tidy(markdown: str) -> str:
    if "```" in markdown or "~~~" in markdown:
        # code keeps its blank lines and trailing spaces: tidy only what lies between fences
        pieces, cursor = [], 0
        for fenced in _FENCED.finditer(markdown):
            pieces += [_tidy_text(markdown[cursor : fenced.start()]), fenced.group()]
            cursor = fenced.end()
        markdown = "".join(pieces) + _tidy_text(markdown[cursor:])
    else:
        markdown = _tidy_text(markdown)
    return markdown.strip("\n")


def _tidy_text(markdown: str) -> str:
    return _BLANK_RUNS.sub("\n\n", _TRAILING_SPACE.sub("", markdown))


# a fenced code block as the writers write it: from an opening fence line to the same fence
_FENCED = re.compile(r"^(?P<fence>`{3,}|~{3,})[^\n]*\n.*?^(?P=fence)[ \t]*$", re.MULTILINE | re.DOTALL)


def write_front_matter(doc: Document) -> str:
    """The article's own front matter, byte for byte, with the keys transformers added in its form."""
    article = doc.article
    if not doc.metadata_updates:
        return article.head + article.closing
    if article.form in ("toml", "json"):
        return with_added_keys(article.form, article.head, article.closing, doc.metadata_updates, article.newline)
    added = yaml.safe_dump(
        doc.metadata_updates, allow_unicode=True, default_flow_style=False, sort_keys=False, width=10**9
    )
    if article.newline != "\n":
        added = added.replace("\n", article.newline)
    if not article.has_front_matter:
        nl = article.newline
        return f"---{nl}{added}---{nl}{nl}"
    head = article.head
    if head and not head.endswith("\n"):
        head += article.newline
    return head + added + article.closing
