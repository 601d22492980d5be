"""Source writer: a Document written back in its own form — HTML stays HTML, Markdown stays Markdown.

Used by `lint --fix`. An HTML part that no transformer changed keeps its original text byte for
byte; a changed one is serialised by lxml. Non-breaking spaces are written back as `&nbsp;` and
braces as `&#123;`/`&#125;` where the part used those entities, so that a fix never makes a
diff noisier than the fix itself, nor breaks a Hexo build.
"""

from __future__ import annotations

from lxml import etree

from artconv.body import HtmlPart
from artconv.document import Document
from artconv.writers.md import write_front_matter


def snapshot(doc: Document) -> list[str | None]:
    """The serialisation of each part before transformers run (None for Markdown parts)."""
    return [serialize(part.tree()) if isinstance(part, HtmlPart) else None for part in doc.parts]


def serialize(root: etree._Element) -> str:
    pieces = [root.text or ""]
    pieces.extend(etree.tostring(child, method="html", encoding=str, with_tail=True) for child in root)
    return "".join(pieces)


def write_source(doc: Document, before: list[str | None]) -> str:
    body = []
    for part, original in zip(doc.parts, before, strict=True):
        if not isinstance(part, HtmlPart):
            body.append(part.text)
            continue
        after = serialize(part.tree())
        if after == original:
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
