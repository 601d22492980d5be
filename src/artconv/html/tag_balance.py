"""Which tags of an HTML fragment close nothing, and which elements it leaves open.

Shared by the unbalanced-tags rule and by the source writer, which must give back an HTML block
that closes an element opened in an earlier block exactly as it found it.
"""

from __future__ import annotations

import re
from collections import Counter

VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr basefont frame isindex keygen".split()
)
OPTIONAL_END = frozenset(
    "p li dt dd tr td th thead tbody tfoot option optgroup colgroup caption rt rp rb rtc html head body".split()
)
RAW_TEXT = frozenset({"script", "style", "textarea", "title", "xmp"})
_TOKEN = re.compile(
    r"<!--.*?(?:-->|\Z)|<!\[CDATA\[.*?(?:\]\]>|\Z)|<![^>]*>|<\?[^>]*>"
    r"|<(/?)([A-Za-z][A-Za-z0-9:-]*)((?:[^>\"']|\"[^\"]*\"|'[^']*')*?)(/?)>",
    re.DOTALL,
)


def tag_tokens(source: str):
    """(offset, name, closing) for every start and end tag, skipping comments and raw text."""
    position = 0
    # the next end tag of each raw-text element from where it was last looked for: 20,000
    # `<script>` never closed each searched the rest of the source (n²)
    ends: dict[str, tuple[int, re.Match[str] | None]] = {}
    while True:
        match = _TOKEN.search(source, position)
        if match is None:
            return
        position = match.end()
        if not match.group(2):
            continue
        name = match.group(2).lower()
        if match.group(4) or name in VOID:
            continue
        yield match.start(), name, bool(match.group(1))
        if not match.group(1) and name in RAW_TEXT:  # its content is not markup
            searched_from, end = ends.get(name, (-1, None))
            if searched_from < 0 or searched_from > position or (end is not None and end.start() < position):
                end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(source, position)
                ends[name] = (position, end)
            if end is not None:
                yield end.start(), name, True
                position = end.end()


def unbalanced(tokens):
    """(position, message) for every stray end tag and every element left open, in order.

    `tokens` is (position, name, closing); positions are passed through untouched.
    """
    stack: list[tuple[str, object]] = []
    held = Counter()  # how many of each name the stack holds: asked at every end tag, in O(1)
    for position, name, closing in tokens:
        if not closing:
            stack.append((name, position))
            held[name] += 1
            continue
        if not held[name]:
            if name not in OPTIONAL_END:
                yield position, f"stray </{name}> closes nothing"
            continue
        while stack:
            open_name, opened_at = stack.pop()
            held[open_name] -= 1
            if open_name == name:
                break
            if open_name not in OPTIONAL_END:
                yield opened_at, f"<{open_name}> is never closed (</{name}> comes first)"
    for open_name, opened_at in stack:
        if open_name not in OPTIONAL_END:
            yield opened_at, f"<{open_name}> is never closed"




def strays_and_open(source: str) -> tuple[list[str], list[str]]:
    """(end tags closing nothing, in order; elements still open at the end, outermost first)."""
    strays: list[str] = []
    stack: list[str] = []
    held = Counter()
    for _, name, closing in tag_tokens(source):
        if not closing:
            stack.append(name)
            held[name] += 1
        elif held[name]:
            while True:
                popped = stack.pop()
                held[popped] -= 1
                if popped == name:
                    break
        elif name not in OPTIONAL_END:
            strays.append(name)
    return strays, stack
