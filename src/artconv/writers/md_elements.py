"""How each HTML element is written in Markdown, for the tree writer (writers/md_tree.py).

A writer gets the element's frame (the element, its ancestors' tags, its place among its
siblings) and the Markdown of its content, and returns the element's Markdown.
"""

from __future__ import annotations

import re

from lxml import etree

from artconv.html.constants import BLOCK_EDGES
from artconv.writers.md_html_table import needs_html, pre_needs_html, table_html
from artconv.writers.md_text import (
    DEL_CLOSE,
    DEL_OPEN,
    EM_CLOSE,
    EM_OPEN,
    STRONG_CLOSE,
    STRONG_OPEN,
    TEMPLATED_URL_QUOTE,
    cell_text,
    chomp,
    image,
    link,
    uri_attribute,
)


def name(node) -> str | None:
    """The lower-case tag of an element; None for text and comments."""
    tag = getattr(node, "tag", None)
    return tag.lower() if type(tag) is str else None


def is_blank(node) -> bool:
    """Whitespace-only text, or a comment holding nothing else."""
    if type(node) is str:
        return not node.strip()
    tag = getattr(node, "tag", None)
    return tag is not None and type(tag) is not str and not (node.text or "").strip()


# -- neighbours ---------------------------------------------------------------------------------

def _neighbour(frame, index: int, step: int):
    """The sibling of kids[index] in direction `step`, past whitespace text and blank comments."""
    kids = frame.kids
    index += step
    while 0 <= index < len(kids):
        node = kids[index]
        if not is_blank(node):
            return node, index
        index += step
    return None, index


def _br_at_block_edge(frame, step: int) -> bool:
    """True when only breaks and whitespace lie between this <br> and the edge of its block.

    Every break of a run walks to the same place: the answer is kept for all of them in their
    parent's frame (walked from each, a run of n breaks cost n², 3,750 <br> took 4 s)."""
    parent, index = frame.parent, frame.index
    edges = parent.edges
    if edges is None:
        edges = parent.edges = {}
    known = edges.get((step, index))
    if known is not None:
        return known
    run, answer = [index], None
    node, index = _neighbour(parent, index, step)
    while node is not None and name(node) == "br":
        answer = edges.get((step, index))
        if answer is not None:
            break  # a break of this run walked this way before: same place, same answer
        run.append(index)
        node, index = _neighbour(parent, index, step)
    if answer is None:
        answer = name(node) in BLOCK_EDGES if node is not None else _block_edge_above(parent, step)
    for position in run:
        edges[(step, position)] = answer
    return answer


def _block_edge_above(parent, step: int) -> bool:
    """Past the last of `parent`'s children in direction `step`: whether only breaks and
    whitespace lie between there and the edge of the block."""
    while parent.name not in BLOCK_EDGES and parent.parent is not None:
        parent, index = parent.parent, parent.index
        node, index = _neighbour(parent, index, step)
        while node is not None and name(node) == "br":
            node, index = _neighbour(parent, index, step)
        if node is not None:
            return name(node) in BLOCK_EDGES
    return True


def _previous_element(frame) -> bool:
    """Whether an element (not text, not a comment) comes before this one among its siblings."""
    parent = frame.parent
    if parent is None:
        return False
    kids = parent.kids
    return any(type(getattr(kids[i], "tag", None)) is str for i in range(frame.index - 1, -1, -1))


def _descendants(frame, *names: str):
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

def _emphasis(frame, text: str, opening: str, closing: str, same: frozenset) -> str:
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
    if not frame.tags.isdisjoint(_HEADINGS):
        # Hugo 0.111's goldmark fails the whole build on `# *~~x~~*` (index out of range in
        # the heading's strikethrough inside emphasis): in a heading it stays HTML
        return _emphasis(frame, text, "<del>", "</del>", _SAME_DEL)
    return _emphasis(frame, text, DEL_OPEN, DEL_CLOSE, _SAME_DEL)


_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})


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
    if "td" in tags or "th" in tags:
        return "<br>"  # a table row is one line: a backslash break there showed as a backslash
    if _br_at_block_edge(frame, 1) or _br_at_block_edge(frame, -1):
        return ""  # a break at the edge of a block shows nothing but a stray backslash
    following, _ = _neighbour(frame.parent, frame.index, 1)
    if name(following) == "br":
        return ""  # a run of breaks is written once, by its last one
    preceding, _ = _neighbour(frame.parent, frame.index, -1)
    if name(preceding) == "br":
        return "\n\n"  # two or more breaks in a row separate paragraphs
    return "\\\n"


def _write_img(frame, text):
    element = frame.element
    src = uri_attribute(element, "src") or ""
    if not src:
        return element.get("alt") or ""
    return image(src, element.get("alt"), element.get("title"), element.get(TEMPLATED_URL_QUOTE))


def _write_a(frame, text):
    href = uri_attribute(frame.element, "href") or ""
    if "_noformat" in frame.tags or not href or href.startswith("#") and not text:
        return text
    prefix, suffix, text = chomp(text)
    if not text:
        return prefix + suffix
    element = frame.element
    return prefix + link(href, text, element.get("title"), element.get(TEMPLATED_URL_QUOTE)) + suffix


def _write_iframe(frame, text):
    src = uri_attribute(frame.element, "src") or ""
    if not src or src.startswith("javascript:"):
        return text
    if src.startswith("//"):
        src = "https:" + src
    return f"\n\n<{src}>\n\n" if "_inline" not in frame.tags else f"<{src}>"


def _write_pre(frame, text):
    element = frame.element
    if element is not None and pre_needs_html(element):
        return "\n\n" + table_html(element) + "\n\n"  # links or images in it: md_html_table.py
    if not text:
        return ""
    language = ""
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
    first, _, rest = text.partition("\n\n")
    if rest and "```" not in first and "~~~" not in first:
        # the blocks after the first go unindented: kramdown and goldmark keep an indented one in
        # the definition, but CommonMark (Hexo, and the guard) has no definition lists and reads
        # four spaces as a code block, so a paragraph came out as code. Unindented, it follows the
        # list as a paragraph everywhere.
        return ":   " + first.replace("\n", "\n    ") + "\n\n" + rest + "\n"
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


def write_heading(frame, text):
    if "_inline" in frame.tags:
        return text
    text = _ALL_WHITESPACE.sub(" ", text.strip())
    if text.endswith("#"):
        # a closing sequence of its own: every reader strips one, which took the text's last `#`
        # (`Heading with # hash #` showed without it on Hugo, Jekyll and Hexo alike)
        text += " #"
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
    before_paragraph = following is not None and name(following) not in ("ul", "ol")
    if "li" in frame.tags:
        # a nested list: its item adds the line end. An ordered list that does not start at 1
        # cannot interrupt a paragraph (CommonMark): after the item's text it needs a blank line
        gap = "\n\n" if frame.name == "ol" and _first_number(frame.element) != 1 else "\n"
        return gap + text.rstrip()
    return "\n\n" + text + ("\n" if before_paragraph else "")


def _neighbour_content(frame):
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


def _first_number(ordered: etree._Element | None) -> int:
    start = ordered.get("start") if ordered is not None else None
    return _number(start, 1) if start and start.isnumeric() else 1


def _write_li(frame, text):
    text = text.strip()
    if not text:
        return "\n"
    parent = frame.parent
    if parent.name == "ol":
        bullet = "%d. " % (_first_number(parent.element) + frame.ordinal)
    else:
        bullet = "- "
    item = _prefix_lines(text, bullet, " " * len(bullet)) + "\n"
    # an item outside any list (libxml2 nests the items after an unclosed <div> in an item
    # inside that <div>), or after text standing in the list itself, still starts a line of its
    # own, or it is glued to the text before it
    return item if parent.name in ("ul", "ol", "list") and not _text_before(frame.element) else "\n" + item


def _text_before(element: etree._Element) -> bool:
    previous = element.getprevious()
    text = previous.tail if previous is not None else element.getparent().text
    return bool(text and text.strip())


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
    if frame.element is not None and needs_html(frame.element):
        return "\n\n" + table_html(frame.element) + "\n\n"  # md_html_table.py
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
    return " " + cell_text(text.strip().replace("\n", " ")) + " |" * _colspan(frame.element)


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


WRITERS = {
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
