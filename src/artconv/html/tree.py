"""Small, safe edits on lxml trees that transformers share: remove, unwrap, wrap, read text."""

from __future__ import annotations

from lxml import etree

from artconv.html.constants import BREAKING, INVISIBLE
from artconv.html.edits import TreeEdits


def remove(element: etree._Element) -> None:
    """Remove an element (or comment) with its content, keeping the text that follows it.

    An element that stood alone on its line takes the line with it, so that a fixed file has no
    blank line where a comment was. (Many edits in one walk: gather them in a TreeEdits.)
    """
    with TreeEdits() as edits:
        edits.remove(element)


def unwrap(element: etree._Element) -> None:
    """Replace an element by its content (text and children), keeping the order of everything."""
    with TreeEdits() as edits:
        edits.unwrap(element)


def wrap_content(element: etree._Element, tag: str) -> None:
    """Move an element's content into a new child `tag` (e.g. to make it <strong>)."""
    wrapper = etree.Element(tag)
    wrapper.text = element.text
    element.text = None
    for child in list(element):
        wrapper.append(child)  # append moves the child with its tail
    element.insert(0, wrapper)


def visible_text(element: etree._Element) -> str:
    """The text a reader sees inside an element: no comments, scripts or styles.

    Iterative, so that 100,000 nested levels cost no Python stack.
    """
    if isinstance(element.tag, str) and element.tag not in INVISIBLE:
        # fast paths (lint and the guard ask this of every text block): with no descendant that
        # hides text or breaks a line, the text is lxml's own C-level itertext
        edge = "\n" if element.tag in BREAKING else ""
        if len(element) == 0:
            return edge + (element.text or "") + edge
        if next(element.iterdescendants(*_SPECIAL), None) is None:
            return edge + "".join(element.itertext()) + edge
    return _visible_text_walk(element)


_SPECIAL = tuple(sorted(BREAKING | INVISIBLE))


def _visible_text_walk(element: etree._Element) -> str:
    pieces: list[str] = []
    walker = etree.iterwalk(element, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event == "start":
            tag = node.tag.lower()
            if tag in BREAKING:
                pieces.append("\n")
            if tag in INVISIBLE:
                walker.skip_subtree()
            elif node.text:
                pieces.append(node.text)
            continue
        if event == "end" and node.tag.lower() in BREAKING:
            pieces.append("\n")
        if node is not element and node.tail:  # "end", or a comment (which has no "end")
            pieces.append(node.tail)
    return "".join(pieces)


# libxml2 opens at most 2048 elements at once (with huge_tree), and silently drops what lies
# deeper; parse_html_fragment's <html><body> wrapper takes two of them.
PARSER_MAX_DEPTH = 2048 - 2
TOO_DEEP = "HTML is nested too deeply to convert"


def lost_to_depth(body: etree._Element) -> bool:
    """True when the parser reached its nesting limit under the <body> that parse_html_fragment
    returned, so that text below that depth is missing from the tree."""
    return bool(body.xpath(f"boolean(.//*[ancestor::*[{PARSER_MAX_DEPTH + 1}]])"))
