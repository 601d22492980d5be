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

from artconv.core.body import HtmlPart
from artconv.html.tag_balance import VOID, tag_tokens, unbalanced
from artconv.rules import Rule


class UnbalancedTags(Rule):
    code = "HT111"
    name = "unbalanced-tags"
    summary = "stray closing tag or element never closed"

    def check(self, context):
        if context.doc is None:
            return
        # one stack for the whole body: an element may open in one HTML block and close in a
        # later one with Markdown between them, which CommonMark renderers pass through intact
        for (line, column), message in unbalanced(self._tokens(context)):
            yield context.finding(self, line, column, message)

    @staticmethod
    def _tokens(context):
        for part in context.doc.parts:
            locator = context.locator(part)
            if isinstance(part, HtmlPart):
                for offset, name, closing in tag_tokens(part.source):
                    yield locator.position(offset), name, closing
            else:
                for tag, position in context.markdown_tags_of(part):
                    name = (tag.name or "").lower()
                    if tag.comment is None and not tag.self_closing and name not in VOID:
                        yield position, name, tag.closing
