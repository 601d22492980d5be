"""The text of highlighted code, as the highlighter showed it: helpers that know nothing of articles.

Highlighters split code into token elements and lines into elements of their own, and put line
numbers beside it. A reader sees the code text only. The helpers here read that text exactly:
`<br>` and line elements end lines, a non-breaking space (how highlighters keep indentation in
HTML) is a space, entities were decoded once by the parser and are not decoded again, and the
elements named as gutters or chrome are left out.

Importers that pretty-print HTML (WordPress to Hugo/Jekyll exports) indent each line element on
its own line: `<div class="line">⏎␣␣␣␣␣␣<code>x</code>⏎␣␣␣␣</div>`. Whitespace at the edge of a
line element that holds a line break is such layout, not code; the indent all those lines share
is layout too, and only what lies beyond it is the code's own indentation.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from lxml import etree

Predicate = Callable[[etree._Element], bool]

_LAYOUT_START = re.compile(r"\A[ \t]*\n[ \t\r\n]*")
_HIDDEN = frozenset({"script", "style", "textarea", "noscript"})


def classes(element) -> set[str]:
    """The element's class tokens, lower-cased (none for comments)."""
    if not isinstance(element.tag, str):
        return set()
    return set((element.get("class") or "").lower().split())


def tag(element) -> str:
    return element.tag.lower() if isinstance(element.tag, str) else ""


def flat_text(element: etree._Element, skip: Predicate) -> str:
    """The code text inside `element`: `<br>` as a line break, elements `skip` accepts left out
    (with their content, not with the text after them), comments and scripts too. No recursion."""
    pieces: list[str] = [element.text or ""]
    stack: list[tuple] = [(iter(element), None)]
    while stack:
        iterator, owner = stack[-1]
        node = next(iterator, None)
        if node is None:
            stack.pop()
            if owner is not None and owner.tail:
                pieces.append(owner.tail)
            continue
        name = tag(node)
        if name and name not in _HIDDEN and not skip(node):
            pieces.append("\n" if name == "br" else "")
            pieces.append(node.text or "")
            stack.append((iter(node), node))
        elif node.tail:
            pieces.append(node.tail)
    return "".join(pieces)


def _without_layout_end(text: str) -> str:
    """`text` less the pretty-printing after its last line: from the spaces and tabs before the
    first line break of its trailing white space. By string methods: the regex
    `[ \t]*\n[ \t\r\n]*\Z` tried every position of a blank run as a start (n² for a run
    followed by text)."""
    end = len(text.rstrip(" \t\r\n"))
    first_break = text.find("\n", end)
    if first_break == -1:
        return text
    start = first_break
    while start > end and text[start - 1] in " \t":
        start -= 1
    return text[:start]


def lines_text(lines: list[etree._Element], skip: Predicate) -> str:
    """The code of line elements, one line each, pretty-printing layout taken away."""
    split = []
    for line in lines:
        text = flat_text(line, skip)
        start = _LAYOUT_START.match(text)
        indent = text[text.rfind("\n", 0, start.end()) + 1:start.end()] if start else None
        body = text[start.end():] if start else text
        split.append((indent, _without_layout_end(body)))
    common = min((len(indent) for indent, body in split if indent is not None and body), default=0)
    out = [(indent[common:] if indent is not None and body else "") + body for indent, body in split]
    return plain("\n".join(out))


def plain(text: str) -> str:
    """Code text with the spaces a browser shows as spaces: NBSP (indentation) is a space."""
    return text.replace("\u00a0", " ").replace("\r\n", "\n")


def declared(elements: list[etree._Element]) -> str:
    """The text of elements about to go, for the fidelity guard's list of deliberate removals."""
    return " ".join(" ".join(el.itertext()).strip() for el in elements if isinstance(el.tag, str)).strip()
