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

from artconv.core.body import parse_html_fragment
from artconv.core.errors import ConversionError
from artconv.html.constants import XML_INVALID
from artconv.html.edits import TreeEdits
from artconv.html.tree import TOO_DEEP, lost_to_depth, unwrap

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
_URL_IGNORED = re.compile("[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
_CODE_CLASS = re.compile(r"^language-[\w+#-]+$")


@lru_cache(maxsize=1)
def _renderer():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def render_markdown(markdown: str) -> str:
    parser = _renderer()
    tokens = parser.parse(markdown)
    # markdown-it stops reading a blockquote or list item nested maxNesting (20) deep and drops
    # its content without a word; refusing is better than losing it (a higher limit costs
    # time on `[[[[…` text)
    deepest = parser.options["maxNesting"] - 1
    if any(t.level >= deepest and t.type in ("blockquote_open", "list_item_open") for t in tokens):
        raise ConversionError("Markdown blockquotes and lists are nested too deeply to convert")
    return parser.renderer.render(tokens, parser.options, {})


def clean_html_tree(markdown: str) -> etree._Element:
    """The sanitised tree (a <body> element) of a Markdown body."""
    root = parse_html_fragment(XML_INVALID.sub("", render_markdown(markdown)))
    if lost_to_depth(root):  # raw tags kept in Markdown text can nest 100,000 deep too
        raise ConversionError(TOO_DEEP)
    sanitize(root)
    return root


def is_safe_url(url: str) -> bool:
    # browsers drop tabs and newlines anywhere in a URL and C0 controls and spaces at its ends
    # (WHATWG URL parsing), so `jav&#x09;ascript:` and `&#1;javascript:` are javascript: URLs
    url = _URL_IGNORED.sub("", url or "").strip(_C0_AND_SPACE)
    scheme = _SCHEME.match(url)
    return scheme is None or (scheme.group(1).lower() + ":") in SAFE_SCHEMES


def sanitize(root: etree._Element) -> None:
    with TreeEdits() as edits:  # applied together: n unwraps in a row cost n, not n²
        for node in list(root.iter()):
            if node is not root:
                _sanitize_node(node, edits)


def _sanitize_node(node: etree._Element, edits: TreeEdits) -> None:
    if not isinstance(node.tag, str):
        edits.remove(node)  # comments and processing instructions
        return
    tag = node.tag.lower()
    if tag in DROPPED_WITH_CONTENT:
        if tag == "svg":
            _keep_foreign_content(node)
        edits.remove(node)
    elif tag not in ALLOWED_ELEMENTS:
        edits.unwrap(node)
    else:
        _sanitize_attributes(node, ALLOWED_ATTRIBUTES.get(tag, set()))
        if tag == "img" and not node.get("src"):
            edits.remove(node)


def _keep_foreign_content(svg: etree._Element) -> None:
    """HTML inside an SVG's <foreignObject> is text a reader sees: it stays, in a <div> where the
    drawing was (the drawing itself goes, as every <svg> does)."""
    for foreign in [e for e in svg.iter() if isinstance(e.tag, str) and e.tag.lower() == "foreignobject"]:
        holder = etree.Element("div")
        holder.text = foreign.text
        for child in list(foreign):
            holder.append(child)
        svg.addprevious(holder)


def _sanitize_attributes(node: etree._Element, allowed: set[str]) -> None:
    for name in list(node.attrib):
        value = node.attrib[name]
        keep = name in allowed
        if keep and name in ("href", "src", "cite") and not is_safe_url(value):
            keep = False
        if keep and name == "class" and not all(_CODE_CLASS.match(c) for c in value.split()):
            keep = False
        if not keep:
            del node.attrib[name]


def serialize_html(root: etree._Element) -> str:
    """Inner HTML of a <body> element."""
    pieces = [_escape(root.text or "")]
    pieces.extend(etree.tostring(child, method="html", encoding=str, with_tail=True) for child in root)
    return "".join(pieces).strip()


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


# Content models of the elements the sanitiser keeps. Raw HTML pasted into articles and
# CommonMark's own HTML blocks nest freely (a <ul> straight in a <ul>, a <figure> in a <p>,
# a <pre> between table cells); browsers cope, but EPUB reading systems and EPUBCheck read the
# XHTML against the HTML content models, so the XHTML writer repairs the tree first.
PHRASING = frozenset("a abbr b br cite code del dfn em i img ins kbd mark q s samp small span strong sub sup u var".split())
TRANSPARENT = frozenset({"a", "ins", "del"})  # content model of the parent
PHRASING_ONLY = (PHRASING - TRANSPARENT) | {"p", "pre", "h1", "h2", "h3", "h4", "h5", "h6"}
HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
PROPER_PARENTS = {
    "li": {"ul", "ol"},
    "dt": {"dl"},
    "dd": {"dl"},
    "tr": {"table", "thead", "tbody", "tfoot"},
    "td": {"tr"},
    "th": {"tr"},
    "thead": {"table"},
    "tbody": {"table"},
    "tfoot": {"table"},
    "caption": {"table"},
    "figcaption": {"figure"},
}
TABLE_PARTS = frozenset({"caption", "thead", "tbody", "tfoot", "tr"})
_NUMBER_LIMITS = {"colspan": (1, 1000), "rowspan": (0, 65534)}


def repair_content_model(root: etree._Element) -> None:
    """Rearrange a sanitised tree until every element sits where HTML allows it; no text is lost."""
    _repair_placement(root)
    for table in list(root.iter("table")):
        for extra in table.findall("caption")[1:]:
            extra.tag = "div"
        _adopt(table, TABLE_PARTS, "tr", first="caption")
        if table.find("tbody") is not None:
            _adopt(table, TABLE_PARTS - {"tr"}, "tbody", into_previous=False)
    for section in [e for tag in ("thead", "tbody", "tfoot") for e in root.iter(tag)]:
        _adopt(section, {"tr"}, "tr")
    for row in list(root.iter("tr")):
        _adopt(row, {"td", "th"}, "td")
    for listing in list(root.iter("ul", "ol")):
        _adopt(listing, {"li"}, "li")
    for definitions in list(root.iter("dl")):
        _adopt(definitions, {"dt", "dd"}, "dd")
        _complete_groups(definitions)
    for figure in list(root.iter("figure")):
        captions = figure.findall("figcaption")
        for caption in captions:
            if len(captions) > 1 or caption not in (figure[0], figure[-1]):
                caption.tag = "div"
    _repair_attribute_values(root)


def _repair_placement(root: etree._Element) -> None:
    """Links out of links, parts out of parents they cannot be in, blocks out of phrasing."""
    for link in list(root.iter("a")):
        if any(ancestor.tag == "a" for ancestor in link.iterancestors()):
            unwrap(link)  # links cannot nest; the outer one keeps its target
    for node in list(root.iter(etree.Element)):
        parents = PROPER_PARENTS.get(node.tag)
        if parents and node.getparent().tag not in parents:
            node.tag = "div"
        elif node.tag in HEADINGS and any(a.tag in ("th", "dt") for a in node.iterancestors()):
            node.tag = "p"
    for node in list(root.iter(etree.Element)):
        if node is not root and node.tag not in PHRASING:
            _leave_phrasing_context(node)


def _leave_phrasing_context(node: etree._Element) -> None:
    """A block inside phrasing content: make the context a block, or let the block go."""
    while node.getparent() is not None:
        context = node.getparent()
        while context.tag in TRANSPARENT and context.getparent() is not None:
            context = context.getparent()
        if context.tag not in PHRASING_ONLY:
            return
        if context.tag == "p":
            context.tag = "div"  # a <div> holds text and blocks alike
        elif context.tag == "span":
            unwrap(context)  # sanitised spans carry no meaning, the block's structure does
        else:
            unwrap(node)
            return


def _adopt(parent: etree._Element, allowed: set | frozenset, wrapper: str, first: str | None = None,
           into_previous: bool = True) -> None:
    """Put whatever `parent` may not hold directly (elements and text) into `wrapper` elements:
    the preceding one when `into_previous`, else a new one per run; `first` goes to the front."""
    items: list[etree._Element | str] = [parent.text or ""]
    for child in parent:
        items += [child, child.tail or ""]
        child.tail = None
    leading = [i for i in items if not isinstance(i, str) and i.tag == first][:1]
    if all(_fits(i, allowed) for i in items) and (not leading or leading[0] is items[1]):
        _restore_tails(parent, items)
        return
    parent.text = None
    for child in list(parent):
        parent.remove(child)
    ordered = leading + [i for i in items if not (leading and i is leading[0])]
    _wrap_misfits(parent, ordered, allowed, wrapper, into_previous)


def _wrap_misfits(parent: etree._Element, items: list, allowed: set | frozenset, wrapper: str, into_previous: bool) -> None:
    current = None
    for item in items:
        if _fits(item, allowed):
            _append(parent, item)
            reusable = into_previous and not isinstance(item, str) and item.tag == wrapper
            current = item if reusable else (current if isinstance(item, str) else None)
            continue
        if current is None:
            current = etree.SubElement(parent, wrapper)
        _append(current, item)


def _fits(item: etree._Element | str, allowed: set | frozenset) -> bool:
    return not item.strip() if isinstance(item, str) else item.tag in allowed


def _restore_tails(parent: etree._Element, items: list) -> None:
    parent.text = items[0] or None
    for child, tail in zip(items[1::2], items[2::2], strict=True):
        child.tail = tail or None


def _append(container: etree._Element, item: etree._Element | str) -> None:
    if not isinstance(item, str):
        container.append(item)
    elif len(container):
        container[-1].tail = (container[-1].tail or "") + item
    else:
        container.text = (container.text or "") + item


def _complete_groups(definitions: etree._Element) -> None:
    """Each group of a <dl> is terms followed by descriptions; an empty one fills a gap."""
    previous = None
    for child in list(definitions):
        if child.tag == "dd" and previous is None:
            child.addprevious(etree.Element("dt"))
        previous = child.tag
    if previous == "dt":
        etree.SubElement(definitions, "dd")


def _repair_attribute_values(root: etree._Element) -> None:
    for node in root.iter("td", "th", "ol"):
        for name, (low, high) in _NUMBER_LIMITS.items():
            value = (node.get(name) or "").strip()
            if name in node.attrib and not (value.isdigit() and low <= int(value) <= high):
                del node.attrib[name]
        if node.get("scope") is not None and node.get("scope") not in ("row", "col", "rowgroup", "colgroup"):
            del node.attrib["scope"]
        if node.get("start") is not None and not re.fullmatch(r"-?\d{1,9}", node.get("start").strip()):
            del node.attrib["start"]
        if node.get("reversed") is not None:
            node.set("reversed", "reversed")
