"""Element sets and character classes that the tree helpers, the writers and the guard share:
defined once, so that what "starts a new line" or "cannot be in XML" means never drifts apart."""

from __future__ import annotations

import re

# Elements that start a new line of text: their edges separate words.
BREAKING = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# Elements whose content is not text a reader sees.
INVISIBLE = frozenset({"script", "style", "template", "noscript", "head", "title", "meta", "link"})
# Blocks at whose edge a Markdown line break shows nothing but a stray backslash: the breaking
# elements that are blocks of their own in Markdown (a <br> is none, table sections are not
# written), and the document itself ("[document]" is BeautifulSoup's name for it).
BLOCK_EDGES = (BREAKING - {"br", "thead", "tbody", "tfoot"}) | {"body", "[document]"}

# Characters XML 1.0 cannot hold. C0 controls survive lxml's HTML parser, but lxml refuses them
# as soon as a tree edit sets text, and no reader sees them anyway.
XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
