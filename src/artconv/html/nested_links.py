"""Links where Markdown cannot hold them: inside another link, or inside inline code.

HTML forbids an `<a>` inside an `<a>`, yet pasted markup has them (`<a href=x>see <span><a
href=y>this</a></span></a>`), and libxml2 keeps the nesting. Markdown cannot nest links either:
`[see [this](y)](x)` shows its outer brackets and `(x)` as text. So the outer link gives up its
element and lends its target to each run of its own content (text, or an element holding no link)
around the inner links: `[see](x) [this](y)`. Every word stays linked, to the target it had.

A link around blocks (HTML5 allows it) is taken apart the same way, each block's inline content
linked. A code span cannot hold a link either (`<code><a href=x>Program</a></code>` was written as
`` `Program` ``, the link gone), but a link can hold a code span: the code is split around each
link it holds, and the link's content becomes code inside it: `` [`Program`](x) ``.
"""

from __future__ import annotations

from lxml import etree


_BLOCKS = ("a", "p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "table", "blockquote", "pre",
           "section", "article", "figure", "dl", "hr")


def unnest_links(root: etree._Element) -> None:
    """Rewrite every `<a>` that holds another `<a>` or a block, outermost first, in place.

    HTML5 lets a link wrap whole blocks (`<a href=x><h2>Title</h2><p>Text</p></a>`); Markdown
    cannot, and `[## Title…](x)` is neither a heading nor a link. Such a link lends its target
    to the inline content of each block instead: `## [Title](x)`, `[Text](x)`."""
    for link in list(root.iter("a")):
        if next(link.iterdescendants(*_BLOCKS), None) is None:
            continue
        attributes = dict(link.attrib)
        holds_blocks = next((e for e in link.iterdescendants(*_BLOCKS) if e.tag != "a"), None) is not None
        link.tag = "div" if holds_blocks else "span"
        link.attrib.clear()
        _lend_target(link, attributes)


_INLINE_CODE = ("code", "tt", "kbd", "samp")


def lift_links_and_images_from_code(root: etree._Element) -> None:
    """Turn every inline code element holding links inside out, in place (code in <pre> stays),
    and take the images it holds out of it: a code span holds neither in Markdown, where
    `![x](y)` inside one is shown as written (`<code>a<img>b</code>` lost its image)."""
    for code in list(root.iter(*_INLINE_CODE)):
        parent = code.getparent()
        if parent is None or next(code.iterancestors("pre"), None) is not None:
            continue
        if not any(child.tag in ("a", "img") for child in code):
            continue
        pieces: list[etree._Element] = []
        current = _like(code, code.text)
        for child in list(code):
            if child.tag == "img":
                pieces += [current, child]  # the image stands between the code around it
                current = _like(code, child.tail)
                child.tail = None
                continue
            if child.tag != "a":
                current.append(child)  # its tail goes with it
                continue
            pieces.append(current)
            inner = _like(code, child.text)
            inner.extend(list(child))
            link = etree.Element("a", dict(child.attrib))
            link.append(inner)
            pieces.append(link)
            current = _like(code, child.tail)
        pieces.append(current)
        for piece in pieces:
            if piece.tag in ("a", "img") or len(piece) or _shows(piece.text):
                code.addprevious(piece)
            elif piece.text:  # code of only spaces: a space between words, not code
                _text_before(code, piece.text)
        _text_before(code, code.tail or "")
        parent.remove(code)


def _text_before(anchor: etree._Element, text: str) -> None:
    previous = anchor.getprevious()
    if previous is not None:
        previous.tail = (previous.tail or "") + text
    else:
        parent = anchor.getparent()
        parent.text = (parent.text or "") + text


def _like(code: etree._Element, text: str | None) -> etree._Element:
    element = etree.Element(code.tag, dict(code.attrib))
    element.text = text
    return element


def _lend_target(top: etree._Element, attributes: dict[str, str]) -> None:
    """Wrap the element's own text and its link-free children in links to `attributes`;
    children that hold a link are entered, and the links themselves are left as they are."""
    stack = [top]  # a stack, not recursion: the HTML may be nested 2,000 levels deep
    while stack:
        element = stack.pop()
        if _shows(element.text):
            wrapper = etree.Element("a", attributes)
            wrapper.text, element.text = element.text, None
            element.insert(0, wrapper)
        for child in list(element):
            anchor = child if child.tag == "a" else _wrapped(child, attributes)
            if anchor is None:
                anchor = child
                if isinstance(child.tag, str):
                    stack.append(child)
            if _shows(anchor.tail):
                after = etree.Element("a", attributes)
                after.text, anchor.tail = anchor.tail, None
                anchor.addnext(after)


def _wrapped(child: etree._Element, attributes: dict[str, str]) -> etree._Element | None:
    """A link around a child that holds something to show and no link of its own, or None."""
    if not isinstance(child.tag, str) or child.tag in _BLOCKS or next(child.iterdescendants(*_BLOCKS), None) is not None:
        return None
    if not ("".join(child.itertext()).strip() or child.tag == "img" or next(child.iter("img"), None) is not None):
        return None
    tail, child.tail = child.tail, None
    wrapper = etree.Element("a", attributes)
    child.addprevious(wrapper)
    wrapper.append(child)
    wrapper.tail = tail
    return wrapper


def _shows(text: str | None) -> bool:
    return bool(text and text.strip())
