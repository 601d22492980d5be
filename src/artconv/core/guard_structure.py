"""The structural half of the fidelity guard: beyond words, the shape a reader relies on.

Words can all survive while the structure goes: code turned into prose (`x * 5` losing its code
formatting, highlighter markup turned into a table of broken inline code), a table cell merged
into its neighbour, a list item or heading flattened into a paragraph, a link or image dropped
with its text kept. Both bodies are rendered once by the guard; this module reads those trees.

- code: every code unit of the input (a code block, a code span) keeps its exact text, blanks
  aside, as code of the output, in the same order (adjacent spans may merge: `a` `b` → `ab`);
- table cells, list items, headings, link targets and image sources are counted per kind, and
  the output may not have fewer, except what transformers declared they removed on purpose.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass
from urllib.parse import unquote

from lxml import etree

from artconv.html.url_schemes import script_or_data

CODE_TAGS = ("pre", "code", "kbd", "samp", "tt")
_BLOCKS = ("p", "div", "ul", "ol", "table", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "hr")
_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
_HTML_IN_CODE = re.compile(r"<(?:[A-Za-z][\w-]*|!--|/[A-Za-z])")
_UNSAFE_SCHEME = re.compile(r"(?:javascript|vbscript|data|livescript):", re.IGNORECASE)
_URL_IGNORED = re.compile("[\t\n\r]")
_C0_AND_SPACE = "".join(map(chr, range(0x21)))
KINDS = ("table cells", "list items", "headings", "links", "images")


@dataclass
class Shape:
    """What the structural check compares of one rendered body."""

    code: list[str]  # each code unit's text without blanks, in document order
    counts: Counter
    links: list[str]
    images: list[str]


def _code_text(node: etree._Element) -> str:
    """A code element's own text. A block inside it is not code: an HTML block that leaves a
    <pre> open (CommonMark ends it at a blank line) gets the Markdown blocks after it nested
    inside by the HTML parser, and those were never written as code."""
    if next(node.iterdescendants(*_BLOCKS), None) is None:
        return "".join(node.itertext())
    pieces = [node.text or ""]
    for child in node:
        if not isinstance(child.tag, str) or child.tag.lower() not in _BLOCKS:
            pieces.append(_code_text(child) if isinstance(child.tag, str) else "")
            pieces.append(child.tail or "")
            continue
        break  # what follows the first block came after the code block ended
    return "".join(pieces)


def _squeeze(text: str) -> str:
    return "".join(text.split())


def shape(root: etree._Element, skip_html_code: bool = False) -> Shape:
    """Read a rendered body. `skip_html_code` leaves out code blocks holding HTML source, which
    the guard reads as the HTML they are (scraped HTML indented into a code block)."""
    code: list[str] = []
    for node in root.iter(*CODE_TAGS):
        if any(isinstance(a.tag, str) and a.tag.lower() in CODE_TAGS for a in node.iterancestors()):
            continue  # the outermost code element holds the unit
        text = _code_text(node)
        if skip_html_code and node.tag.lower() == "pre" and _HTML_IN_CODE.search(text):
            continue
        squeezed = _squeeze(text)
        if squeezed:
            code.append(squeezed)
    # a link with nothing inside shows nothing (a browser empties the outer of nested links)
    links = [a.get("href") for a in root.iter("a") if _counted_url(a.get("href")) and _link_shows_something(a)]
    images = [img.get("src") for img in root.iter("img") if _counted_url(img.get("src"))]
    return Shape(code, _counts(root, len(links), len(images)), links, images)


def _counts(root: etree._Element, links: int, images: int) -> Counter:
    counts: Counter = Counter()
    # an empty item, cell or heading shows nothing, and writers may drop it
    # (a stray <td> outside any table is no cell to a reader)
    counts["table cells"] = sum(
        1 for e in root.iter("td", "th") if _holds_something(e) and next(e.iterancestors("table"), None) is not None
    )
    counts["list items"] = sum(1 for e in root.iter("li") if _holds_something(e))
    # a heading inside a <pre> (`## [48] rmse` of code output cut from its <pre> by a blank line,
    # which the browser still shows inside the unclosed block) is the code's text, not a heading
    counts["headings"] = sum(
        1 for e in root.iter(*_HEADINGS) if _holds_something(e) and next(e.iterancestors("pre"), None) is None
    )
    counts["links"] = links
    counts["images"] = images
    return counts


def _counted_url(url: str | None) -> bool:
    """A link or image that goes somewhere; script and data URLs are dropped on purpose."""
    url = _URL_IGNORED.sub("", url or "").strip(_C0_AND_SPACE)
    # as read after escapes too: `%20data:…` is a data URL to safe Markdown, which drops it
    return bool(url) and not _UNSAFE_SCHEME.match(url) and not script_or_data(url)


def _holds_something(element: etree._Element) -> bool:
    # the first piece of text that is not white space answers (a joined text is white space
    # only when every piece is): no copy of a whole list's or table's text per item or cell
    return any(not text.isspace() for text in element.itertext() if text) or next(element.iter("img"), None) is not None


def _link_shows_something(link: etree._Element) -> bool:
    """A link holds something of its own: what lies inside a link nested in it belongs to that
    one (a browser closes the outer link where the inner one opens)."""
    if next(link.iterdescendants("a"), None) is None:
        return _holds_something(link)
    return _holds_own(link)


def _holds_own(link: etree._Element) -> bool:
    stack = [link]  # a stack, not recursion: the HTML may be nested 2,000 levels deep
    while stack:
        element = stack.pop()
        if (element.text or "").strip():
            return True
        for child in element:
            if (child.tail or "").strip() or child.tag == "img":
                return True
            if isinstance(child.tag, str) and child.tag != "a":
                stack.append(child)
    return False


def structure_counts(element: etree._Element) -> Counter:
    """What of the counted kinds an element removed by a transformer takes with it."""
    if not isinstance(element.tag, str):
        return Counter()
    links = sum(1 for a in element.iter("a") if _counted_url(a.get("href")) and _link_shows_something(a))
    images = sum(1 for img in element.iter("img") if _counted_url(img.get("src")))
    return +_counts(element, links, images)


def code_change(before: Shape, after: Shape, removed_text: str) -> str | None:
    """How the code changed, or None: each input unit must be found, in order, in the output's
    code (merged units and re-wrapped lines are fine), or in what was removed on purpose."""
    if before.code == after.code:
        return None
    # liquid-escapes wraps template syntax it decoded in {% raw %}: markers of its own, not code
    joined = "".join(after.code).replace("{%raw%}", "").replace("{%endraw%}", "")
    removed = _squeeze(removed_text)
    position = 0
    for number, unit in enumerate(before.code, 1):
        found = joined.find(unit, position)
        if found >= 0:
            position = found + len(unit)
            continue
        if unit in joined or unit in removed:  # moved (a caption, a footnote) or removed on purpose
            continue
        if _glued_gutter(unit, joined, removed):
            continue
        near = _nearest(unit, after.code)
        kind = "code block" if len(unit) > 80 or number > len(before.code) else "code"
        return f'{kind} {number} changed: "{_short(unit)}" → "{_short(near)}"'
    return None


def _glued_gutter(unit: str, joined: str, removed: str) -> bool:
    """A line-number gutter declared removed (code-blocks) whose numbers the input's rendering
    glued to the code (`1package main`): the unit is the output's code once digits are left out.
    Only where a removal holds digits, so that a lost digit in code elsewhere is still caught."""
    if not any(ch.isdigit() for ch in removed):
        return False
    return _DIGITS.sub("", unit) in _DIGITS.sub("", joined)


_DIGITS = re.compile(r"\d+")


def _nearest(unit: str, candidates: list[str]) -> str:
    """The output code unit most like `unit` (sharing its start), or "(no code)"."""
    if not candidates:
        return "(no code)"
    best = max(candidates, key=lambda c: _common_prefix(unit, c))
    return best if _common_prefix(unit, best) else "(not code any more)"


def _common_prefix(a: str, b: str) -> int:
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n


def _short(text: str, width: int = 40) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def count_change(before: Shape, after: Shape, allowance: Counter) -> str | None:
    """The first kind the output has fewer of than the input (less what was removed on purpose).
    A link the output still spells out but no longer renders as one is lost: it no longer takes
    the reader anywhere (a footnote link left empty by emphasis pairing across it)."""
    for kind in KINDS:
        deficit = before.counts[kind] - after.counts[kind] - allowance[kind]
        if deficit <= 0:
            continue
        message = f"{kind}: {before.counts[kind]} → {after.counts[kind]}"
        lost = _lost_targets(before, after, kind)
        if lost:
            message += f" (lost {_short(lost, 60)})"
        return message
    return None


def target_change(before: Shape, after: Shape, allowance: Counter, retargeted: Counter) -> str | None:
    """A link target or image source of the input that the output does not have, where the
    counts alone hold: a URL changed on its way (`[x](<a b c>)` written as `[x](<a>)`, an island
    in an `href` left as its placeholder). Targets removed on purpose (`allowance`, per kind)
    and targets declared changed (`retargeted`: tracking parameters taken off, by the URL as it
    was) are no change. URLs are compared as a browser follows them: references and percent
    escapes decoded, white space dropped (renderers encode what raw HTML leaves as written)."""
    for kind in ("links", "images"):
        old, new = (before.links, after.links) if kind == "links" else (before.images, after.images)
        if old == new:
            continue
        missing = Counter(map(followed, old)) - Counter(map(followed, new))
        if not missing:
            continue
        declared = missing & retargeted
        missing -= declared
        retargeted -= declared  # each declared change excuses one target, of either kind
        if sum(missing.values()) <= allowance[kind]:
            continue
        lost = next(iter(missing))
        into = next(iter(Counter(map(followed, new)) - Counter(map(followed, old))), None)
        if into is None:
            return f"{kind}: lost {_short(lost, 60)}"
        return f"{kind}: target changed: {_short(lost, 60)} → {_short(into, 60)}"
    return None


def followed(url: str) -> str:
    """A URL as a browser follows it, for comparing: the same for every spelling of it."""
    if "&" in url:
        url = html.unescape(url)
    if "%" in url:
        url = unquote(url)
    return "".join(url.split())


def _lost_targets(before: Shape, after: Shape, kind: str) -> str:
    if kind not in ("links", "images"):
        return ""
    old, new = (before.links, after.links) if kind == "links" else (before.images, after.images)
    missing = Counter(old) - Counter(new)
    return next(iter(missing), "")
