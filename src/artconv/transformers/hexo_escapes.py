"""hexo-escapes: keep `{` and `}` from HTML escaped as `&#123;`/`&#125;` in Markdown output.

Hexo passes post bodies through Nunjucks, so `{{` or `{%` in Markdown breaks the site build. HTML
bodies escape braces as entities; once parsed they are plain braces, so this transformer marks
every brace in HTML text (outside code, where entities would show literally) to be written back
as an entity in Markdown, and as a plain brace in every other format.
"""

from __future__ import annotations

from dataclasses import dataclass

from artconv.core.document import Document
from artconv.core.pipeline import BaseTransformer

_LITERAL = frozenset({"pre", "code", "script", "style", "kbd", "samp"})


class HexoEscapes(BaseTransformer):
    id = "hexo-escapes"
    summary = "write braces from HTML as &#123;/&#125; so that Nunjucks (Hexo) leaves them alone"

    @dataclass(frozen=True)
    class Options:
        pass

    def __call__(self, doc: Document) -> Document:
        table = {ord("{"): doc.fragment("&#123;", "{"), ord("}"): doc.fragment("&#125;", "}")}
        for part in doc.html_parts():
            root = part.tree()
            if "{" not in part.source and "}" not in part.source and "&#12" not in part.source:
                continue
            for node in root.iter():
                if not isinstance(node.tag, str):
                    continue
                inside_literal = any(
                    isinstance(a.tag, str) and a.tag.lower() in _LITERAL for a in node.iterancestors()
                )
                if node.text and not inside_literal and node.tag.lower() not in _LITERAL:
                    node.text = node.text.translate(table)
                if node.tail and not inside_literal and node is not root:
                    node.tail = node.tail.translate(table)
        return doc
