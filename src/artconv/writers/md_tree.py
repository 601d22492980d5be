"""Markdown from an lxml tree, read where it stands: no serialising, no second parser, no recursion.

The output is the one the markdownify-based writer gives (writers/markdownify.py, the reference), so
its rules are the contract here: whitespace-only text at the inner and outer edges of block
elements is not text; other text has its whitespace runs folded (newlines kept, as one); blocks
are separated by at most one blank line; lists indent their content by the width of the bullet;
tables are pipe tables whose first row is the header. That writer saw the tree after a round trip
through libxml2's serialiser and Python's html.parser, and these effects of the trip are part of
its output, so they are reproduced on purpose:

- libxml2 writes `href` and `src` with leading blanks cut, and blanks, DEL and non-ASCII
  percent-encoded: links were always written that way;
- html.parser knows `<embed>`, `<source>`, `<wbr>`… as void elements, which libxml2 does not:
  what libxml2 put inside them follows them instead;
- html.parser's tree builder folds ASCII-blank text outside <pre> to one space or newline, and
  keeps an empty comment inside <pre> as an empty (false) string.

One effect is not reproduced, because it lost structure: libxml2 writes an empty `<li>` without
its end tag, so html.parser nested everything after it, up to the end of the list, in that item
(`<ul><li></li><li>a</li></ul>` became `- - a`).

The tree is walked with an explicit stack, so depth costs memory, not Python stack.
"""


from __future__ import annotations

import re

from lxml import etree

from artconv.writers.md_elements import WRITERS, write_heading
from artconv.writers.md_html_table import needs_html, pre_needs_html
from artconv.writers.md_text import escape

# -- what each element is -------------------------------------------------------------------------

# Whitespace-only text at the inner edges of these, or beside them, is layout, not text.
_TRIM_INSIDE = frozenset({
    "p", "blockquote", "article", "div", "section", "ol", "ul", "li", "dl", "dt", "dd",
    "table", "thead", "tbody", "tfoot", "tr", "td", "th",
})
_HEADING = re.compile(r"h(\d+)")
# Void in html.parser but not in libxml2: libxml2 may have put content inside them.
_HOISTING_VOID = frozenset({
    "bgsound", "command", "embed", "image", "keygen", "menuitem", "nextid", "source", "spacer",
    "track", "wbr",
})
# Void in libxml2: whatever a tree edit put inside them is never written, so never read.
_EMPTY_VOID = frozenset({
    "area", "base", "basefont", "br", "col", "frame", "hr", "img", "input", "isindex", "link",
    "meta", "param",
})
# A <br> with only whitespace and other breaks between it and the edge of one of these shows
# nothing in Markdown but a stray backslash, so it is not written.
class _Kind:
    """Per tag name: how whitespace around it is treated, what children inherit, how it is written."""

    __slots__ = ("trim_inside", "trim_outside", "pseudo", "write", "level")

    def __init__(self, name: str) -> None:
        heading = _HEADING.match(name)
        self.level = max(1, min(6, int(heading.group(1)))) if heading else 0
        self.trim_inside = bool(heading) or name in _TRIM_INSIDE
        self.trim_outside = self.trim_inside or name == "pre"
        pseudo = set()
        if heading or name in ("td", "th"):
            pseudo.add("_inline")
        if name in ("pre", "code", "kbd", "samp"):
            pseudo.add("_noformat")
        self.pseudo = frozenset(pseudo)
        self.write = WRITERS.get(name) or (write_heading if heading else None)


_KINDS: dict[str, _Kind] = {}


def _kind(name: str) -> _Kind:
    kind = _KINDS.get(name)
    if kind is None:
        if len(_KINDS) > _CACHE_LIMIT:  # scraped HTML invents tag names: keep a batch run's memory flat
            _KINDS.clear()
        kind = _KINDS[name] = _Kind(name)
    return kind


_CACHE_LIMIT = 4096


def _trims_outside(node) -> bool:
    tag = getattr(node, "tag", None)
    return type(tag) is str and _kind(tag.lower()).trim_outside


def _hoists(node) -> bool:
    tag = node.tag
    return type(tag) is str and tag.lower() in _HOISTING_VOID and bool(node.text or len(node))


def _children(element: etree._Element) -> list:
    """Text, comments and elements inside `element`, in order, the way html.parser had them."""
    if element.text:
        kids: list = [element.text]
    else:
        kids = []
    hoisted = False
    for child in element:
        kids.append(child)
        if _hoists(child):
            kids.extend(_hoisted(child))
            hoisted = True
        if child.tail:
            kids.append(child.tail)
    if hoisted:
        _merge_adjacent_text(kids)
    return kids


def _hoisted(element: etree._Element) -> list:
    """What follows a void-for-html.parser element in html.parser's tree: its own content."""
    out: list = [element.text] if element.text else []
    stack = [iter(element)]
    tails: list[str | None] = []  # of the hoisting elements inside, due when their content ends
    while stack:
        child = next(stack[-1], None)
        if child is None:
            stack.pop()
            if tails:
                tail = tails.pop()
                if tail:
                    out.append(tail)
            continue
        out.append(child)
        if _hoists(child):
            if child.text:
                out.append(child.text)
            stack.append(iter(child))
            tails.append(child.tail)
        elif child.tail:
            out.append(child.tail)
    return out


def _merge_adjacent_text(kids: list) -> None:
    # html.parser swallows the end tag of a void element without ending the text run it is in
    index = 1
    while index < len(kids):
        if type(kids[index]) is str and type(kids[index - 1]) is str:
            kids[index - 1] += kids.pop(index)
        else:
            index += 1


# -- the walk -----------------------------------------------------------------------------------

class _Frame:
    """An element being written: its children so far, and where it stands among its siblings."""

    __slots__ = (
        "element", "name", "kind", "kids", "pos", "tags", "child_tags", "out", "parent", "index", "items", "ordinal", "edges"
    )

    def __init__(self, element, name: str, kids: list, tags: frozenset, parent, index: int) -> None:
        self.element = element
        self.name = name
        self.kind = _kind(name)
        self.kids = kids
        self.pos = 0
        self.tags = tags  # names of the ancestors (and the pseudo-tags they add)
        key = (tags, name)
        child_tags = _CHILD_TAGS.get(key)
        if child_tags is None:
            if len(_CHILD_TAGS) > _CACHE_LIMIT:
                _CHILD_TAGS.clear()
            child_tags = _CHILD_TAGS[key] = tags | {name} | self.kind.pseudo
        self.child_tags = child_tags
        self.out: list[str] = []
        self.parent = parent
        self.index = index  # in parent.kids
        self.items = 0  # <li> children seen so far
        self.ordinal = 0  # of an <li>: the <li> before it among its siblings
        self.edges: dict[tuple[int, int], bool] | None = None  # md_elements._br_at_block_edge's answers


_CHILD_TAGS: dict[tuple[frozenset, str], frozenset] = {}
# a run is tried from its first character only (the lookbehind): tried from each one, a long run
# of spaces with no line break in it cost its length at every start, n² (40,000 spaces: 8 s)
_NEWLINE_RUN = re.compile(r"(?<![\t \r\n])[\t \r\n]*[\r\n][\t \r\n]*")
_BLANK_RUN = re.compile(r"[\t ]+")


def tree_to_markdown(root: etree._Element) -> str:
    """Markdown for `root` (a <body>) with its children; emphasis still as placeholders."""
    document = _Frame(None, "[document]", [root], frozenset(), None, 0)
    stack = [document]
    while True:
        frame = stack[-1]
        kids = frame.kids
        pos = frame.pos
        if pos < len(kids):
            frame.pos = pos + 1
            node = kids[pos]
            if type(node) is str:
                text = _text(frame, node, pos)
                if text:
                    frame.out.append(text)
            elif type(node.tag) is str:  # comments and processing instructions are not written
                stack.append(_enter(frame, node, pos))
            continue
        stack.pop()
        text = _leave(frame)
        if not stack:
            return text
        if text:
            stack[-1].out.append(text)


def _enter(frame: _Frame, node: etree._Element, pos: int) -> _Frame:
    """The frame of a child element about to be written."""
    name = node.tag.lower()
    if name in _EMPTY_VOID or name in _HOISTING_VOID or name == "table" and needs_html(node) or name == "pre" and pre_needs_html(node):
        # (a table a pipe table cannot hold is written as HTML from its element: md_html_table)
        child = _Frame(node, name, [], frame.child_tags, frame, pos)
    else:
        child = _Frame(node, name, _children(node), frame.child_tags, frame, pos)
    if name == "li":
        child.ordinal = frame.items
        frame.items += 1
    return child


def _leave(frame: _Frame) -> str:
    """The Markdown of an element whose content is all written."""
    pieces = frame.out
    if not pieces:
        text = ""
    elif len(pieces) == 1 or frame.name == "pre" or "pre" in frame.tags:
        text = "".join(pieces)
    else:
        text = _join_blocks(pieces)
    write = frame.kind.write
    return write(frame, text) if write is not None else text


def _text(frame: _Frame, text: str, pos: int) -> str:
    """One run of text, as it reads in Markdown at this place."""
    previous, following = _text_neighbours(frame, pos)
    trim_inside = frame.kind.trim_inside
    tags = frame.child_tags
    if not text.strip():
        if _blank_is_layout(trim_inside, previous, following):
            return ""
        text = _blank_text(text, tags)
    if "pre" not in tags:
        text = _folded_whitespace(text)
    if "_noformat" not in tags:
        text = escape(text)
    if _trims_outside(previous) or (trim_inside and previous is None):
        text = text.lstrip(" \t\r\n")
    if _trims_outside(following) or (trim_inside and following is None):
        text = text.rstrip()
    return text


def _text_neighbours(frame: _Frame, pos: int) -> tuple:
    kids = frame.kids
    previous = kids[pos - 1] if pos else None
    following = kids[pos + 1] if pos + 1 < len(kids) else None
    tags = frame.child_tags
    if "pre" in tags or "textarea" in tags:
        # html.parser's tree had an empty comment here as an empty string, which counts as none
        if _is_empty_comment(previous):
            previous = None
        if _is_empty_comment(following):
            following = None
    return previous, following


def _blank_is_layout(trim_inside: bool, previous, following) -> bool:
    """Whitespace-only text at the inner edge of a trimming element, or beside one."""
    if trim_inside and (previous is None or following is None):
        return True
    return _trims_outside(previous) or _trims_outside(following)


def _blank_text(text: str, tags: frozenset) -> str:
    if "\r" in text and "\n" not in text and "pre" not in tags and "textarea" not in tags and not text.strip(_ASCII_SPACE):
        return " "  # html.parser's tree builder folds ASCII-blank text to one space or newline
    return text


def _folded_whitespace(text: str) -> str:
    if "\n" in text or "\r" in text:
        text = _NEWLINE_RUN.sub("\n", text)
    if "\t" in text or "  " in text:
        text = _BLANK_RUN.sub(" ", text)
    return text


_ASCII_SPACE = " \t\n\r\f"


def _is_empty_comment(node) -> bool:
    return node is not None and type(node) is not str and type(node.tag) is not str and not node.text


def _join_blocks(pieces: list[str]) -> str:
    """Join child outputs; where newlines meet newlines, keep the longer run, at most two."""
    out: list[str] = []
    trailing = 0
    for piece in pieces:
        if piece[0] != "\n" and piece[-1] != "\n":
            out.append(piece)
            trailing = 0
            continue
        body = piece.lstrip("\n")
        leading = len(piece) - len(body)
        content = body.rstrip("\n")
        if trailing and leading:
            out.pop()
            leading = min(2, max(trailing, leading))
        trailing = len(body) - len(content)
        out.append("\n" * leading)
        out.append(content)
        out.append("\n" * trailing)
    return "".join(out)
