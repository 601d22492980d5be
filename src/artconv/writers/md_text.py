"""Markdown text primitives both HTML → Markdown writers share: escaping, emphasis placeholders,
moving spaces out of inline markup, link destinations and titles, and URLs as libxml2 writes them."""

from __future__ import annotations

import re
from urllib.parse import quote

from lxml import etree

# Emphasis is first written with placeholders and resolved once the neighbouring characters are
# known (writers/md.py resolve_emphasis): `中文**“粗”**体` is not bold in CommonMark.
STRONG_OPEN, STRONG_CLOSE, EM_OPEN, EM_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"
DEL_OPEN, DEL_CLOSE = "\ue004", "\ue005"  # strikethrough: the same flanking rules in GFM

_ESCAPE_ANY = re.compile(r"[\\`*_<&\[\]~#>+=|.)$^-]")
_ESCAPE_ALWAYS = re.compile(r"([\\`*])")
_ESCAPE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_ESCAPE_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")
_ESCAPE_ENTITY = re.compile(r"&(?=#?\w+;)")
# a `[` is escaped when a `]` follows it anywhere (it could open a link); which one that is is
# asked of the last `]`: a lookahead for it from every `[` was n² for a run of them
_ESCAPE_BRACKET = re.compile(r"\[|(?<=\])\(")
_ESCAPE_LINE_START = re.compile(
    # `>` opens a quote with no space after it
    r"(^|\n)([ \t]*)([#+=-](?=[ \t]|$|\n)|>)|(^|\n)([ \t]*\d{1,9})([.)])(?=[ \t]|$|\n)"
)
_ESCAPE_PIPE = re.compile(r"\|")
_LONE_CARET = re.compile(r"^([ \t]*)\^(?=[ \t]*$)", re.MULTILINE)
_ESCAPE_MATH = re.compile(r"\$(?=\$)|(?<=\$)\$")


def escape(text: str) -> str:
    """Backslash what CommonMark or kramdown would read as markup in this text. Every `|` too:
    kramdown makes a table row of any line with a bare one (a paragraph, a list item, a link's
    text all became cells on Jekyll), and in a GFM table it splits the cell."""
    if not _ESCAPE_ANY.search(text):
        return text  # most text, and all CJK prose without punctuation of this kind
    text = _ESCAPE_ALWAYS.sub(r"\\\1", text)
    text = _ESCAPE_UNDERSCORE.sub(r"\\_", text)
    text = _ESCAPE_HTML_START.sub(r"\\<", text)
    text = _ESCAPE_ENTITY.sub("&amp;", text)  # not `\&`: kramdown shows that backslash
    last_close = text.rfind("]")
    text = _ESCAPE_BRACKET.sub(lambda m: "\\" + m.group() if m.group() == "(" or m.start() < last_close else m.group(), text)
    if "~" in text and (text.count("~") > 1 or text[0] == "~" or text[-1] == "~"):
        # GFM's single-tilde strikethrough pairs any two (marked, for Hexo, strikes out `~x~`),
        # and one at an edge joins the `~~` of a <del> beside it into a run kramdown shows
        text = text.replace("~", "\\~")
    text = _ESCAPE_LINE_START.sub(_escape_line_start, text)
    if "|" in text:
        text = _ESCAPE_PIPE.sub(r"\\|", text)
    if "^" in text:
        text = _LONE_CARET.sub(r"\1&#94;", text)  # a line of `^` alone ends a block in kramdown
    if "$$" in text:
        text = _ESCAPE_MATH.sub(r"\\$", text)  # kramdown reads `$$…$$` as math
    return text


def alt_reads_alike(alt: str) -> bool:
    """True when an alt text reads the same bare inside `![…]` to every generator: kramdown takes
    alt text as written, CommonMark reads it as Markdown (a `\\` ending it escaped the `]`, and
    the image was no image), so one that needs any escape, a bracket or a line break is shown
    alike only by HTML (image)."""
    return "\n" not in alt and "\r" not in alt and "[" not in alt and "]" not in alt and escape(alt) == alt


def cell_text(text: str) -> str:
    """Written Markdown as a table cell's. A row splits at every `|` not backslashed, before any
    inline reading: in a link target or code too, where escape() does not reach. kramdown's row
    splitter takes an escaped backtick for a code span's start and reads the row's next `|` as
    code: a reference is a backtick to every reader."""
    if "|" in text:
        text = _BARE_PIPE.sub(r"\1\\|", text)
    if "\\`" in text:
        text = _ESCAPED_BACKTICK.sub(r"\1&#96;", text)
    return text


_ESCAPED_BACKTICK = re.compile(r"(?<!\\)((?:\\\\)*)\\`")
_BARE_PIPE = re.compile(r"(?<!\\)((?:\\\\)*)\|")


def link_text(text: str) -> str:
    """Written Markdown as the text of a link: a `]` that closes no `[` in it is backslashed,
    and a `[` that no `]` closes, since there the first such `]` ends the link text
    (`[**\\# \\[x]**](u)` was no link: its text ended after `x`). Code spans bind tighter than
    brackets and keep theirs as written; the `[`…`]` of an image inside the link pair up."""
    if text.startswith("^"):
        text = "&#94;" + text[1:]  # kramdown reads `[^…]` as a footnote, not a link
    if "]" not in text and "[" not in text:
        return text
    runs: dict[int, list[int]] = {}  # backtick run length → starts of such runs, for code spans
    for run in _BACKTICK_RUN.finditer(text):
        runs.setdefault(len(run.group()), []).append(run.start())
    passed: dict[int, int] = {}
    bare: list[int] = []
    opened: list[int] = []
    cursor = 0
    for found in _LINK_TEXT_STOP.finditer(text):
        mark, start = found.group(), found.start()
        if start < cursor:
            continue  # inside a code span
        if mark.startswith("\\"):
            continue  # an escaped character (the match took it along)
        if mark.startswith("`"):
            cursor = _code_span_end(runs, passed, len(mark), found.end())
        elif mark == "[":
            opened.append(start)
        elif opened:
            opened.pop()
        else:
            bare.append(start)
    bare += opened  # a `[` never closed would take the link's `]` for its own
    if not bare:
        return text
    pieces, last = [], 0
    for start in sorted(bare):
        pieces += [text[last:start], "\\"]
        last = start
    return "".join(pieces) + text[last:]


def _code_span_end(runs: dict[int, list[int]], passed: dict[int, int], length: int, after: int) -> int:
    """Where the code span opened by a run of `length` backticks ending at `after` ends (the
    next run of that length), or `after` when none closes it; each run is passed once."""
    starts = runs[length]
    index = passed.get(length, 0)
    while index < len(starts) and starts[index] < after:
        index += 1
    passed[length] = index + 1
    return starts[index] + length if index < len(starts) else after


_BACKTICK_RUN = re.compile(r"`+")
_LINK_TEXT_STOP = re.compile(r"\\.|`+|[\[\]]", re.DOTALL)


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(3):
        return f"{match.group(1)}{match.group(2)}\\{match.group(3)}"
    return f"{match.group(4)}{match.group(5)}\\{match.group(6)}"


def chomp(text: str) -> tuple[str, str, str]:
    """Move edge whitespace (NBSP included) out of inline markup, where it must not be."""
    stripped = text.strip()
    if not stripped:
        return ("", "", "")
    # a block inside inline markup (a kept `<!--more-->` in a <b>) keeps its blank line: folded
    # into a space, it left the block's line indented, which a second pass took away
    prefix = "\n\n" if text.startswith("\n\n") else " " if text[0].isspace() else ""
    suffix = "\n\n" if text.endswith("\n\n") else " " if text[-1].isspace() else ""
    # a line break at the edge of inline markup goes outside it, or `\` would escape the `*`
    if stripped.endswith("\\") and text.rstrip(" \t").endswith("\\\n"):
        stripped, suffix = stripped[:-1].rstrip(), "\\\n"
    if stripped.startswith("\\\n") or text.lstrip(" \t").startswith("\\\n"):
        stripped, prefix = stripped[1:].lstrip(), "\\\n"
    return prefix, suffix, stripped


def destination(url: str) -> str:
    """A URL as a Markdown link destination that a renderer reads back as the same URL: the
    backslash escapes and character references Markdown reads there are escaped (`\\#` was
    read as `#`, `&copy;` as `©`)."""
    url = url.strip()
    if "\\" in url or "&" in url:
        url = _READ_IN_DESTINATIONS.sub(r"\\\g<0>", url)
    if "|" in url:
        url = url.replace("|", "%7C")  # kramdown makes a table row of a line with a bare `|`
    if "{" in url:
        # a `{` the percent-encoding of a space put before `%` opens a Liquid or Nunjucks tag
        # (`/a{%20b}`) or a Hugo shortcode (`{{%20site.url%20}}`), and the site no longer builds
        url = _TEMPLATE_OPENER.sub("%7B", url)
    if not url or re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


_TEMPLATE_OPENER = re.compile(r"\{(?=[{%<#])")
# a backslash before punctuation, or last (before the `)` or `>` that closes the destination)
_READ_IN_DESTINATIONS = re.compile(r"\\(?=[!-/:-@\[-`{-~]|\Z)|&(?=#?[A-Za-z0-9]+;)")


def read_alike(url: str) -> bool:
    """True when Markdown's link syntax holds this URL (or title) the same in every dialect.
    CommonMark reads backslash escapes and character references in a destination, kramdown
    (Jekyll) reads neither: such a URL can only be written as HTML to reach every generator as
    it was. (A `|`, which kramdown takes for a table's, is written encoded: destination,
    link_title.)"""
    return ("\\" not in url and "&" not in url) or _READ_IN_DESTINATIONS.search(url) is None


def inline_html(name: str, attributes: dict[str, str | None], text: str | None = None, quote: str = '"') -> str:
    """An element as inline HTML, where Markdown dialects would read its Markdown differently
    (read_alike, alt text needing escapes, a template island in the URL). Line breaks in values
    are references: a line that began with `>` or `-` inside a tag started a quote or a list
    item before any HTML was read."""
    written = "".join(f" {key}={quote}{_attribute(value, quote)}{quote}" for key, value in attributes.items() if value is not None)
    return f"<{name}{written}>" if text is None else f"<{name}{written}>{text}</{name}>"


def _attribute(value: str, quote: str) -> str:
    value = value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    value = value.replace(quote, "&quot;" if quote == '"' else "&#39;")
    return value.replace("\n", "&#10;").replace("\r", "&#13;")


def image(src: str, alt: str | None, title: str | None, quote: str | None = None) -> str:
    """An image as Markdown, or as HTML where generators would read its Markdown differently
    (a URL or title read_alike refuses, an alt text that needs escapes) or where `quote` is given
    (a URL holding a template island in a Hexo post: md_parts)."""
    if quote is None and read_alike(src) and read_alike(title or "") and alt_reads_alike(alt or ""):
        return f"![{alt or ''}]({destination(src)}{link_title(title or '')})"
    return inline_html("img", {"src": src, "alt": alt, "title": title}, quote=quote or '"')


def link(href: str, text: str, title: str | None, quote: str | None = None) -> str:
    """A link around written Markdown `text`: Markdown, or HTML as for image."""
    if quote is None and read_alike(href) and read_alike(title or ""):
        return f"[{link_text(text)}]({destination(href)}{link_title(title or '')})"
    return inline_html("a", {"href": href, "title": title}, text, quote=quote or '"')


# set on a link or image whose URL holds a template island, by md_parts: the quote its HTML uses
TEMPLATED_URL_QUOTE = "data-artconv-quote"


def link_title(title: str) -> str:
    """The ` "title"` part of a link or image; "" when there is none. A `|` is a reference:
    kramdown makes a table row of a line with a bare one, and every reader decodes `&#124;`."""
    return ' "%s"' % title.replace('"', '\\"').replace("|", "&#124;") if title else ""


# printable ASCII is left as it is
_URI_SAFE = "".join(chr(c) for c in range(0x21, 0x7F))
_URI_PLAIN = re.compile(r"[!-~]*")


def uri_attribute(element: etree._Element, name: str) -> str | None:
    """`href`/`src` as libxml2's HTML serialiser writes it, which is what links were made of."""
    value = element.get(name)
    if value is None:
        return None
    value = value.lstrip(" \t\n\r")
    if _URI_PLAIN.fullmatch(value):
        return value
    # a Document fragment (a template island such as `{{ site.url }}`, core/islands.py) stands
    # for text put back after writing: it must reach the output as the one character it is
    pieces = _FRAGMENT_CHARS.split(value)
    return "".join(piece if i % 2 else quote(piece, safe=_URI_SAFE) for i, piece in enumerate(pieces))


_FRAGMENT_CHARS = re.compile("([\U000F0000-\U0010FFFD])")
