"""Clean HTML of an article: its clean Markdown rendered by CommonMark (GFM tables), sanitised.

The JSON and XHTML writers start here, so that every format says the same thing: what the
Markdown writer produced, as a CommonMark renderer shows it. The sanitiser keeps a small
allow-list of elements and attributes: no scripts, no event handlers, no `javascript:` or
`data:` URLs, no styles, whatever a transformer or a Markdown part let through.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from artconv.body import parse_html_fragment
from artconv.htmltree import remove, unwrap

ALLOWED_ELEMENTS = frozenset(
    """a abbr b blockquote br caption cite code dd del dfn div dl dt em figcaption figure h1 h2 h3 h4
    h5 h6 hr i img ins kbd li mark ol p pre q s samp small span strong sub sup table tbody td tfoot
    th thead tr u ul var""".split()
)
DROPPED_WITH_CONTENT = frozenset(
    """script style noscript template iframe object embed applet frame frameset head title meta link
    base svg math form input button select textarea""".split()
)
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start", "reversed"},
    "code": {"class"},
    "abbr": {"title"},
    "q": {"cite"},
    "blockquote": {"cite"},
}
SAFE_SCHEMES = ("http:", "https:", "mailto:", "ftp:")
_SCHEME = re.compile(r"^\s*([a-zA-Z][a-zA-Z0-9+.-]*):")
_CODE_CLASS = re.compile(r"^language-[\w+#-]+$")


@lru_cache(maxsize=1)
def _renderer():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def render_markdown(markdown: str) -> str:
    return _renderer().render(markdown)


def clean_html_tree(markdown: str) -> etree._Element:
    """The sanitised tree (a <body> element) of a Markdown body."""
    root = parse_html_fragment(render_markdown(markdown))
    sanitize(root)
    return root


def is_safe_url(url: str) -> bool:
    scheme = _SCHEME.match(url or "")
    return scheme is None or (scheme.group(1).lower() + ":") in SAFE_SCHEMES


def sanitize(root: etree._Element) -> None:
    for node in list(root.iter()):
        if node is root:
            continue
        if not isinstance(node.tag, str):
            remove(node)  # comments and processing instructions
            continue
        tag = node.tag.lower()
        if tag in DROPPED_WITH_CONTENT:
            remove(node)
            continue
        if tag not in ALLOWED_ELEMENTS:
            unwrap(node)
            continue
        allowed = ALLOWED_ATTRIBUTES.get(tag, set())
        for name in list(node.attrib):
            value = node.attrib[name]
            keep = name in allowed
            if keep and name in ("href", "src", "cite") and not is_safe_url(value):
                keep = False
            if keep and name == "class" and not all(_CODE_CLASS.match(c) for c in value.split()):
                keep = False
            if not keep:
                del node.attrib[name]
        if tag == "img" and not node.get("src"):
            remove(node)


def serialize_html(root: etree._Element) -> str:
    """Inner HTML of a <body> element."""
    pieces = [_escape(root.text or "")]
    pieces.extend(etree.tostring(child, method="html", encoding=str, with_tail=True) for child in root)
    return "".join(pieces).strip()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
