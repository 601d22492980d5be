"""Small, safe edits on lxml trees that transformers share: remove, unwrap, wrap, read text."""

from __future__ import annotations

from collections.abc import Iterator

from lxml import etree

# Elements that start a new line of text: their edges separate words.
BREAKING = frozenset({
    "address", "article", "aside", "blockquote", "br", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
})
# Elements whose content is not text a reader sees.
INVISIBLE = frozenset({"script", "style", "template", "noscript", "head", "title", "meta", "link"})


def remove(element: etree._Element) -> None:
    """Remove an element (or comment) with its content, keeping the text that follows it."""
    parent = element.getparent()
    if parent is None:
        return
    _give_tail_to_previous(element, parent)
    parent.remove(element)


def unwrap(element: etree._Element) -> None:
    """Replace an element by its content (text and children), keeping the order of everything."""
    parent = element.getparent()
    if parent is None:
        return
    index = parent.index(element)
    children = list(element)
    text = element.text or ""
    tail = element.tail or ""
    # the element's leading text joins whatever comes before it
    if index == 0:
        parent.text = (parent.text or "") + text
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + text
    for offset, child in enumerate(children):
        parent.insert(index + offset, child)
    if children:
        last = children[-1]
        last.tail = (last.tail or "") + tail
    elif index == 0:
        parent.text = (parent.text or "") + tail
    else:
        previous = parent[index - 1]
        previous.tail = (previous.tail or "") + tail
    element.tail = None
    parent.remove(element)


def wrap_content(element: etree._Element, tag: str) -> None:
    """Move an element's content into a new child `tag` (e.g. to make it <strong>)."""
    wrapper = etree.Element(tag)
    wrapper.text = element.text
    element.text = None
    for child in list(element):
        wrapper.append(child)  # append moves the child with its tail
    element.insert(0, wrapper)


def _give_tail_to_previous(element: etree._Element, parent: etree._Element) -> None:
    tail = element.tail
    if not tail:
        return
    previous = element.getprevious()
    if previous is None:
        parent.text = (parent.text or "") + tail
    else:
        previous.tail = (previous.tail or "") + tail
    element.tail = None


def visible_text(element: etree._Element) -> str:
    """The text a reader sees inside an element: no comments, scripts or styles.

    Iterative, so that 100,000 nested levels cost no Python stack.
    """
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


def elements(root: etree._Element) -> Iterator[etree._Element]:
    """All element descendants (not comments), in document order, safe to edit while iterating
    as long as only the current element or its descendants are removed."""
    return iter([el for el in root.iter() if isinstance(el.tag, str) and el is not root])


def tag_of(element: etree._Element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""
