"""Source writer: a Document written back in its own form — HTML stays HTML, Markdown stays Markdown.

Used by `lint --fix`. An HTML part that no transformer changed keeps its original text byte for
byte; a changed one is serialised by lxml. Non-breaking spaces are written back as `&nbsp;` and
braces as `&#123;`/`&#125;` where the part used those entities, so that a fix never makes a
diff noisier than the fix itself, nor breaks a Hexo build.
"""

from __future__ import annotations

from html import escape as escape_html
import re

from lxml import etree

from artconv.core.body import CONTEXT_ATTRIBUTE, HtmlPart, parse_html_fragment
from artconv.core.document import Document
from artconv.html.tag_balance import strays_and_open
from artconv.html.tree import lost_to_depth
from artconv.writers.md import write_front_matter


def prepare(doc: Document) -> list[str | None]:
    """Parse each HTML part so that it can be written back as found, and return the
    serialisation of each part before transformers run (None for Markdown parts)."""
    before: list[str | None] = []
    for part in doc.parts:
        if isinstance(part, HtmlPart):
            part.root = parse_html_fragment(part.source, keep_strays=True)
            before.append(serialize(part))
        else:
            before.append(None)
    return before


def serialize(part: HtmlPart) -> str:
    """The part's tree as HTML, giving back end tags of earlier blocks and leaving open what the
    source left open (lxml would drop the one and close the other)."""
    root = part.tree()
    # the text before the first element is serialised as lxml serialises text: escaped (taken
    # raw, `&lt;b&gt;` came back as a <b> tag once a fix had unwrapped every element around it)
    pieces = [escape_html(root.text or "", quote=False)]
    pieces.extend(etree.tostring(child, method="html", encoding=str, with_tail=True) for child in root)
    html = _CONTEXT_OPENER.sub("", "".join(pieces))
    _, still_open = strays_and_open(part.source)
    for name in still_open:  # outermost first: its end tag is the last one written
        html = re.sub(rf"</{re.escape(name)}>(\s*)\Z", r"\1", html, count=1)
    return html


_CONTEXT_OPENER = re.compile(rf'<[A-Za-z][A-Za-z0-9:-]* {CONTEXT_ATTRIBUTE}="">')


def write_source(doc: Document, before: list[str | None]) -> str:
    body = []
    for part, original in zip(doc.parts, before, strict=True):
        if not isinstance(part, HtmlPart):
            body.append(part.text)
            continue
        after = serialize(part)
        if after == original or lost_to_depth(part.tree()):  # the tree lacks what lay too deep
            body.append(part.source)
            continue
        if "&nbsp;" in part.source:
            after = after.replace("\u00a0", "&nbsp;")
        if "&#123;" in part.source or "&#125;" in part.source:
            after = after.replace("{", "&#123;").replace("}", "&#125;")
        if part.source.endswith("\n") and not after.endswith("\n"):
            after += "\n"
        body.append(after)
    text = doc.resolve_fragments("".join(body), markdown=True)
    if doc.article.newline != "\n":
        text = text.replace("\n", doc.article.newline)
    return write_front_matter(doc) + text
