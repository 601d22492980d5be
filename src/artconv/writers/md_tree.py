"""Markdown from an lxml tree, read where it stands: no serialising, no second parser, no recursion.

The output is the one the markdownify-based writer gave (kept in writers/md.py for comparison), so
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
from urllib.parse import quote

from lxml import etree

# Emphasis is first written with placeholders and resolved once the neighbouring characters are
# known (writers/md.py resolve_emphasis): `中文**“粗”**体` is not bold in CommonMark.
STRONG_OPEN, STRONG_CLOSE, EM_OPEN, EM_CLOSE = "\ue000", "\ue001", "\ue002", "\ue003"

_ESCAPE_ANY = re.compile(r"[\\`*_<&\[\]~#>+=|.)-]")
_ESCAPE_ALWAYS = re.compile(r"([\\`*])")
_ESCAPE_UNDERSCORE = re.compile(r"(?<![^\W_])_|_(?![^\W_])")
_ESCAPE_HTML_START = re.compile(r"<(?=[A-Za-z/!?])")
_ESCAPE_ENTITY = re.compile(r"&(?=#?\w+;)")
_ESCAPE_BRACKET = re.compile(r"\[(?=[^\]]*\])|(?<=\])\(")
_ESCAPE_TILDES = re.compile(r"~(?=~)")
_ESCAPE_LINE_START = re.compile(
    r"(^|\n)([ \t]*)([#>+=|-])(?=[ \t]|$|\n)|(^|\n)([ \t]*\d{1,9})([.)])(?=[ \t]|$|\n)"
)
_ESCAPE_PIPE = re.compile(r"\|")


def escape(text: str, in_cell: bool = False) -> str:
    """Backslash what CommonMark would read as markup in this text (and `|` in a table cell)."""
    if not _ESCAPE_ANY.search(text):
        return text  # most text, and all CJK prose without punctuation of this kind
    text = _ESCAPE_ALWAYS.sub(r"\\\1", text)
    text = _ESCAPE_UNDERSCORE.sub(r"\\_", text)
    text = _ESCAPE_HTML_START.sub(r"\\<", text)
    text = _ESCAPE_ENTITY.sub(r"\\&", text)
    text = _ESCAPE_BRACKET.sub(lambda m: "\\" + m.group(), text)
    text = _ESCAPE_TILDES.sub(r"\\~", text)
    text = _ESCAPE_LINE_START.sub(_escape_line_start, text)
    if in_cell:
        text = text.replace("\\|", "|")
        text = _ESCAPE_PIPE.sub(r"\\|", text)
    return text


def _escape_line_start(match: re.Match[str]) -> str:
    if match.group(3):
        return f"{match.group(1)}{match.group(2)}\\{match.group(3)}"
    return f"{match.group(4)}{match.group(5)}\\{match.group(6)}"


def chomp(text: str) -> tuple[str, str, str]:
    """Move edge whitespace (NBSP included) out of inline markup, where it must not be."""
    stripped = text.strip()
    if not stripped:
        return ("", "", "")
    prefix = " " if text[0].isspace() else ""
    suffix = " " if text[-1].isspace() else ""
    # a line break at the edge of inline markup goes outside it, or `\` would escape the `*`
    if stripped.endswith("\\") and text.rstrip(" \t").endswith("\\\n"):
        stripped, suffix = stripped[:-1].rstrip(), "\\\n"
    if stripped.startswith("\\\n") or text.lstrip(" \t").startswith("\\\n"):
        stripped, prefix = stripped[1:].lstrip(), "\\\n"
    return prefix, suffix, stripped


def destination(url: str) -> str:
    url = url.strip()
    if not url or re.search(r"[\s()<>]", url):
        return "<" + url.replace("<", "%3C").replace(">", "%3E") + ">"
    return url


def _title_part(element: etree._Element) -> str:
    title = element.get("title") or ""
    return ' "%s"' % title.replace('"', '\\"') if title else ""


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
    return quote(value, safe=_URI_SAFE)


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
_BREAK_BLOCKS = frozenset({
    "address", "article", "aside", "blockquote", "body", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul", "[document]",
})


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
        self.write = _WRITERS.get(name) or (_write_heading if heading else None)


_KINDS: dict[str, _Kind] = {}


def _kind(name: str) -> _Kind:
    kind = _KINDS.get(name)
    if kind is None:
        if len(_KINDS) > _CACHE_LIMIT:  # scraped HTML invents tag names: keep a batch run's memory flat
            _KINDS.clear()
        kind = _KINDS[name] = _Kind(name)
    return kind


_CACHE_LIMIT = 4096


def _name(node) -> str | None:
    """The lower-case tag of an element; None for text and comments."""
    tag = getattr(node, "tag", None)
    return tag.lower() if type(tag) is str else None


def _trims_outside(node) -> bool:
    tag = getattr(node, "tag", None)
    return type(tag) is str and _kind(tag.lower()).trim_outside


def _is_blank(node) -> bool:
    """Whitespace-only text, or a comment holding nothing else."""
    if type(node) is str:
        return not node.strip()
    tag = getattr(node, "tag", None)
    return tag is not None and type(tag) is not str and not (node.text or "").strip()


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

    __slots__ = ("element", "name", "kind", "kids", "pos", "tags", "child_tags", "out", "parent", "index", "items", "ordinal")

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


_CHILD_TAGS: dict[tuple[frozenset, str], frozenset] = {}
_NEWLINE_RUN = re.compile(r"[\t \r\n]*[\r\n][\t \r\n]*")
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
                continue
            tag = node.tag
            if type(tag) is not str:
                continue  # comments and processing instructions are not written
            name = tag.lower()
            if name in _EMPTY_VOID or name in _HOISTING_VOID:
                child = _Frame(node, name, [], frame.child_tags, frame, pos)
            else:
                child = _Frame(node, name, _children(node), frame.child_tags, frame, pos)
            if name == "li":
                child.ordinal = frame.items
                frame.items += 1
            stack.append(child)
            continue
        stack.pop()
        pieces = frame.out
        if not pieces:
            text = ""
        elif len(pieces) == 1 or frame.name == "pre" or "pre" in frame.tags:
            text = "".join(pieces)
        else:
            text = _join_blocks(pieces)
        write = frame.kind.write
        if write is not None:
            text = write(frame, text)
        if not stack:
            return text
        if text:
            stack[-1].out.append(text)


def _text(frame: _Frame, text: str, pos: int) -> str:
    """One run of text, as it reads in Markdown at this place."""
    kids = frame.kids
    previous = kids[pos - 1] if pos else None
    following = kids[pos + 1] if pos + 1 < len(kids) else None
    trim_inside = frame.kind.trim_inside
    tags = frame.child_tags
    if "pre" in tags or "textarea" in tags:
        # html.parser's tree had an empty comment here as an empty string, which counts as none
        if _is_empty_comment(previous):
            previous = None
        if _is_empty_comment(following):
            following = None
    if not text.strip():
        if trim_inside and (previous is None or following is None):
            return ""
        if _trims_outside(previous) or _trims_outside(following):
            return ""
        if "\r" in text and "\n" not in text and "pre" not in tags and "textarea" not in tags and not text.strip(_ASCII_SPACE):
            text = " "  # html.parser's tree builder folds ASCII-blank text to one space or newline
    if "pre" not in tags:
        if "\n" in text or "\r" in text:
            text = _NEWLINE_RUN.sub("\n", text)
        if "\t" in text or "  " in text:
            text = _BLANK_RUN.sub(" ", text)
    if "_noformat" not in tags:
        text = escape(text, "td" in tags or "th" in tags)
    if _trims_outside(previous) or (trim_inside and previous is None):
        text = text.lstrip(" \t\r\n")
    if _trims_outside(following) or (trim_inside and following is None):
        text = text.rstrip()
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


# -- neighbours ---------------------------------------------------------------------------------

def _neighbour(frame: _Frame, index: int, step: int):
    """The sibling of kids[index] in direction `step`, past whitespace text and blank comments."""
    kids = frame.kids
    index += step
    while 0 <= index < len(kids):
        node = kids[index]
        if not _is_blank(node):
            return node, index
        index += step
    return None, index


def _br_at_block_edge(frame: _Frame, step: int) -> bool:
    """True when only breaks and whitespace lie between this <br> and the edge of its block."""
    parent, index = frame.parent, frame.index
    while True:
        node, index = _neighbour(parent, index, step)
        while node is not None and _name(node) == "br":
            node, index = _neighbour(parent, index, step)
        if node is not None:
            return _name(node) in _BREAK_BLOCKS
        if parent.name in _BREAK_BLOCKS or parent.parent is None:
            return True
        parent, index = parent.parent, parent.index


def _previous_element(frame: _Frame) -> bool:
    """Whether an element (not text, not a comment) comes before this one among its siblings."""
    parent = frame.parent
    if parent is None:
        return False
    kids = parent.kids
    return any(type(getattr(kids[i], "tag", None)) is str for i in range(frame.index - 1, -1, -1))


def _descendants(frame: _Frame | None, *names: str):
    if frame is None:
        return iter(())
    if frame.element is None:  # the document: its one child and everything in it
        root = frame.kids[0]
        return root.iter(*names)
    return frame.element.iterdescendants(*names)


def _number(value: str | None, default: int, low: int | None = None, high: int | None = None) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return default  # "²" is a digit to str.isdigit and nothing to int
    if low is not None:
        number = max(low, min(high, number))
    return number


# -- writers per element ------------------------------------------------------------------------

def _emphasis(frame: _Frame, text: str, opening: str, closing: str, same: frozenset) -> str:
    tags = frame.tags
    if "_noformat" in tags or not tags.isdisjoint(same):
        return text
    prefix, suffix, text = chomp(text)
    if not text:
        return prefix + suffix
    return f"{prefix}{opening}{text}{closing}{suffix}"


# headings are bold already: `## **Title**` says nothing `## Title` does not
_SAME_STRONG = frozenset({"strong", "b", "h1", "h2", "h3", "h4", "h5", "h6"})
_SAME_EM = frozenset({"em", "i"})
_SAME_DEL = frozenset({"del", "s", "strike"})
_NOTHING = frozenset()


def _write_strong(frame, text):
    return _emphasis(frame, text, STRONG_OPEN, STRONG_CLOSE, _SAME_STRONG)


def _write_em(frame, text):
    return _emphasis(frame, text, EM_OPEN, EM_CLOSE, _SAME_EM)


def _write_del(frame, text):
    return _emphasis(frame, text, "~~", "~~", _SAME_DEL)


def _write_plain_inline(frame, text):  # <sub>, <sup>: no Markdown for them, but spaces go outside
    if text.startswith("\n\n") or text.endswith("\n\n"):
        return text  # a block (a kept <!--more-->) stands in it: folding its blank line into a space moves it
    return _emphasis(frame, text, "", "", _NOTHING)


_BACKTICKS = re.compile(r"`+")


def _write_code(frame, text):
    if "_noformat" in frame.tags:
        return text
    prefix, suffix, text = chomp(text)
    if not text:
        return prefix + suffix
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    delimiter = "`" * (longest + 1)
    if longest or text.startswith("`") or text.endswith("`"):
        text = f" {text} "
    return f"{prefix}{delimiter}{text}{delimiter}{suffix}"


def _write_br(frame, text):
    tags = frame.tags
    if "pre" in tags or "_noformat" in tags:
        return "\n"
    if _br_at_block_edge(frame, 1) or _br_at_block_edge(frame, -1):
        return ""  # a break at the edge of a block shows nothing but a stray backslash
    following, _ = _neighbour(frame.parent, frame.index, 1)
    if _name(following) == "br":
        return ""  # a run of breaks is written once, by its last one
    preceding, _ = _neighbour(frame.parent, frame.index, -1)
    if _name(preceding) == "br":
        return "\n\n"  # two or more breaks in a row separate paragraphs
    return "\\\n"


def _write_img(frame, text):
    element = frame.element
    src = uri_attribute(element, "src") or ""
    if not src:
        return element.get("alt") or ""
    alt = (element.get("alt") or "").replace("[", "\\[").replace("]", "\\]")
    return f"![{alt}]({destination(src)}{_title_part(element)})"


def _write_a(frame, text):
    href = uri_attribute(frame.element, "href") or ""
    if "_noformat" in frame.tags or not href or href.startswith("#") and not text:
        return text
    prefix, suffix, text = chomp(text)
    if not text:
        return prefix + suffix
    return f"{prefix}[{text}]({destination(href)}{_title_part(frame.element)}){suffix}"


def _write_iframe(frame, text):
    src = uri_attribute(frame.element, "src") or ""
    if not src or src.startswith("javascript:"):
        return text
    if src.startswith("//"):
        src = "https:" + src
    return f"\n\n<{src}>\n\n" if "_inline" not in frame.tags else f"<{src}>"


def _write_pre(frame, text):
    if not text:
        return ""
    language = ""
    element = frame.element
    code = next(element.iterdescendants("code"), None)
    for candidate in (element, code):
        classes = candidate.get("class") if candidate is not None else None
        for cls in (classes or "").split():
            if cls.startswith("language-"):
                language = cls[len("language-"):]
    text = text.strip("\n")
    longest = max((len(run) for run in _BACKTICKS.findall(text)), default=0)
    fence = "`" * max(3, longest + 1)
    return f"\n\n{fence}{language}\n{text}\n{fence}\n\n"


def _prefix_lines(text: str, first: str, others: str, empty: str = "") -> str:
    """Every line (of \\n-separated lines) after `others`, empty ones as `empty`; the first after `first`."""
    lines = text.split("\n")
    out = [others + line if line else empty for line in lines]
    out[0] = first + lines[0] if lines[0] else empty
    return "\n".join(out)


def _write_blockquote(frame, text):
    text = text.strip(" \t\r\n")
    if "_inline" in frame.tags:
        return " " + text + " "
    if not text:
        return "\n"
    return "\n" + _prefix_lines(text, "> ", "> ", ">") + "\n\n"


def _write_div(frame, text):
    if "_inline" in frame.tags:
        return " " + text.strip() + " "
    text = text.strip()
    return f"\n\n{text}\n\n" if text else ""


def _write_dd(frame, text):
    text = text.strip()
    if "_inline" in frame.tags:
        return " " + text + " "
    if not text:
        return "\n"
    # four spaces of indent, the first of which becomes the ':' of the definition
    text = _prefix_lines(text, "    ", "    ")
    return ":" + text[1:] + "\n"


_ALL_WHITESPACE = re.compile(r"[\t \r\n]+")


def _write_dt(frame, text):
    text = _ALL_WHITESPACE.sub(" ", text.strip())
    if "_inline" in frame.tags:
        return " " + text + " "
    if not text:
        return "\n"
    return f"\n\n{text}\n"


def _write_heading(frame, text):
    if "_inline" in frame.tags:
        return text
    text = _ALL_WHITESPACE.sub(" ", text.strip())
    return "\n\n%s %s\n\n" % ("#" * frame.kind.level, text)


def _write_hr(frame, text):
    return "\n\n---\n\n"


def _write_video(frame, text):
    if "_inline" in frame.tags:
        return text
    element = frame.element
    src = uri_attribute(element, "src") or ""
    if not src:
        source = next((s for s in element.iterdescendants("source") if s.get("src") is not None), None)
        if source is not None:
            src = uri_attribute(source, "src") or ""
    poster = element.get("poster") or ""
    if src and poster:
        return f"[![{text}]({poster})]({src})"
    if src:
        return f"[{text}]({src})"
    if poster:
        return f"![{text}]({poster})"
    return text


def _write_list(frame, text):
    following, _ = _neighbour_content(frame)
    before_paragraph = following is not None and _name(following) not in ("ul", "ol")
    if "li" in frame.tags:
        return "\n" + text.rstrip()  # a nested list: its item adds the line end
    return "\n\n" + text + ("\n" if before_paragraph else "")


def _neighbour_content(frame: _Frame):
    """The next sibling that is an element or text with more than whitespace (comments skipped)."""
    kids = frame.parent.kids
    for index in range(frame.index + 1, len(kids)):
        node = kids[index]
        if type(node) is str:
            if node.strip():
                return node, index
        elif type(node.tag) is str:
            return node, index
    return None, len(kids)


def _write_li(frame, text):
    text = text.strip()
    if not text:
        return "\n"
    parent = frame.parent
    if parent.name == "ol":
        start = parent.element.get("start")
        number = _number(start, 1) if start and start.isnumeric() else 1
        bullet = "%d. " % (number + frame.ordinal)
    else:
        bullet = "- "
    return _prefix_lines(text, bullet, " " * len(bullet)) + "\n"


def _write_p(frame, text):
    text = text.strip(" \t\r\n")
    if "_inline" in frame.tags:
        return " " + text + " "
    return f"\n\n{text}\n\n" if text else ""


def _write_q(frame, text):
    return '"' + text + '"'


def _write_nothing(frame, text):
    return ""


def _write_table(frame, text):
    return "\n\n" + text.strip() + "\n\n"


def _write_caption(frame, text):
    return text.strip() + "\n\n"


def _write_figcaption(frame, text):
    return "\n\n" + text.strip() + "\n\n"


def _colspan(cell: etree._Element) -> int:
    value = cell.get("colspan")
    if value is None or not value.isdigit():
        return 1
    return _number(value, 1, 1, 1000)


def _write_cell(frame, text):
    return " " + text.strip().replace("\n", " ") + " |" * _colspan(frame.element)


def _write_tr(frame, text):
    element, parent = frame.element, frame.parent
    cells = list(element.iterdescendants("td", "th"))
    first_row = not _previous_element(frame)
    head_row = all(cell.tag.lower() == "th" for cell in cells) or (
        parent.name == "thead" and sum(1 for _ in _descendants(parent, "tr")) == 1
    )
    no_head_row = first_row and (
        parent.name != "tbody" or next(_descendants(parent.parent, "thead"), None) is None
    )
    width = sum(_colspan(cell) for cell in cells)
    overline = underline = ""
    if first_row and (head_row or no_head_row):
        underline = "| " + " | ".join(["---"] * width) + " |\n"
    elif first_row and (parent.name == "table" or parent.name == "tbody" and not _previous_element(parent)):
        overline = "| " + " | ".join([""] * width) + " |\n" + "| " + " | ".join(["---"] * width) + " |\n"
    return overline + "|" + text + "\n" + underline


def _write_document(frame, text):
    return text.strip("\n")


_WRITERS = {
    "strong": _write_strong, "b": _write_strong,
    "em": _write_em, "i": _write_em,
    "del": _write_del, "s": _write_del, "strike": _write_del,
    "sub": _write_plain_inline, "sup": _write_plain_inline,
    "code": _write_code, "kbd": _write_code, "samp": _write_code,
    "br": _write_br,
    "img": _write_img,
    "a": _write_a,
    "iframe": _write_iframe, "embed": _write_iframe,
    "pre": _write_pre,
    "blockquote": _write_blockquote,
    "div": _write_div, "article": _write_div, "section": _write_div, "dl": _write_div,
    "dd": _write_dd,
    "dt": _write_dt,
    "hr": _write_hr,
    "video": _write_video,
    "ul": _write_list, "ol": _write_list, "list": _write_list,
    "li": _write_li,
    "p": _write_p,
    "q": _write_q,
    "script": _write_nothing, "style": _write_nothing,
    "table": _write_table,
    "caption": _write_caption,
    "figcaption": _write_figcaption,
    "td": _write_cell, "th": _write_cell,
    "tr": _write_tr,
    "[document]": _write_document,
}
