"""HT111 unbalanced-tags: a closing tag with no opening one, or an element never closed.

Browsers guess; converters, feed readers and EPUB validators guess differently or refuse.
Elements whose end tag HTML lets you leave out (`<p>`, `<li>`, `<td>`…) and void elements
(`<br>`, `<img>`…) are not reported. No automatic fix: only the author knows where it ends.

Fails:

    <div><p>Text <b>bold</p>
    </span>

Passes:

    <div><p>Text <b>bold</b></p></div>
"""

from __future__ import annotations

import re

from artconv.rules import Rule

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


def unbalanced(source: str):
    """(offset, message) for every stray end tag and every element left open, in order."""
    stack: list[tuple[str, int]] = []
    position = 0
    while True:
        match = _TOKEN.search(source, position)
        if match is None:
            break
        position = match.end()
        if not match.group(2):
            continue
        closing, name, self_closing = bool(match.group(1)), match.group(2).lower(), bool(match.group(4))
        if not closing:
            if name in VOID or self_closing:
                continue
            stack.append((name, match.start()))
            if name in RAW_TEXT:  # skip to the end tag: its content is not markup
                end = re.compile(rf"</{name}\s*>", re.IGNORECASE).search(source, position)
                if end is None:
                    continue
                stack.pop()
                position = end.end()
            continue
        if name in VOID:
            continue
        if not any(open_name == name for open_name, _ in stack):
            if name not in OPTIONAL_END:
                yield match.start(), f"stray </{name}> closes nothing"
            continue
        while stack:
            open_name, offset = stack.pop()
            if open_name == name:
                break
            if open_name not in OPTIONAL_END:
                yield offset, f"<{open_name}> is never closed (</{name}> comes first)"
    for open_name, offset in stack:
        if open_name not in OPTIONAL_END:
            yield offset, f"<{open_name}> is never closed"


class UnbalancedTags(Rule):
    code = "HT111"
    name = "unbalanced-tags"
    summary = "stray closing tag or element never closed"

    def check(self, context):
        if context.doc is None:
            return
        for part in context.doc.html_parts():
            locator = context.locator(part)
            for offset, message in unbalanced(part.source):
                line, column = locator.position(offset)
                yield context.finding(self, line, column, message)
