"""hexo-escapes: keep `{` and `}` from HTML escaped as `&#123;`/`&#125;` in Markdown output.

Hexo passes post bodies through Nunjucks, so `{{` or `{%` in Markdown breaks the site build. HTML
bodies escape braces as entities; once parsed they are plain braces, so this transformer marks
the braces in HTML text (outside code, where entities would show literally) to be written back
as an entity in Markdown, and as a plain brace in every other format.

Only what Nunjucks reads is escaped: the braces of `{{`, `{%`, `{#` and of their closers `}}`,
`%}`, `#}`, plus a `{` that ends a text when the next text would complete such a pair.
A lone brace (`X{n}` in a table cell) is text to Nunjucks and stays a brace. The step runs for
Hexo only (Config.pipeline leaves it out for other generators, core/generator.py).
"""

from __future__ import annotations

import re

from dataclasses import dataclass

from artconv.core.document import Document
from artconv.core.pipeline import BaseTransformer

# a zero-width match before every pair Nunjucks reads, so that overlapping pairs ({{{) all count
_PAIRS = re.compile(r"(?=\{[{%#]|[}%#]\})")
_LITERAL = frozenset({"pre", "code", "script", "style", "kbd", "samp"})


class HexoEscapes(BaseTransformer):
    id = "hexo-escapes"
    summary = "write braces from HTML as &#123;/&#125; so that Nunjucks (Hexo) leaves them alone"

    @dataclass(frozen=True)
    class Options:
        pass

    def __call__(self, doc: Document) -> Document:
        table = {"{": doc.fragment("&#123;", "{"), "}": doc.fragment("&#125;", "}")}
        for part in doc.html_parts():
            if "{" not in part.source and "}" not in part.source and "&#12" not in part.source:
                continue
            # every text and tail in document order (comments excluded), so that a brace ending
            # one text is escaped only when the next text would complete a pair with it
            segments = part.tree().xpath(".//text()")
            for index, segment in enumerate(segments):
                owner = segment.getparent()
                holder = owner.getparent() if segment.is_tail else owner
                if holder is None or _literal(holder):
                    continue
                following = segments[index + 1][:1] if index + 1 < len(segments) else ""
                escaped = _escaped(str(segment), table, following)
                if escaped != segment:
                    if segment.is_tail:
                        owner.tail = escaped
                    else:
                        owner.text = escaped
        return doc


def _literal(element) -> bool:
    """Inside code, where an entity would show literally."""
    return any(isinstance(e.tag, str) and e.tag.lower() in _LITERAL for e in (element, *element.iterancestors()))


def _escaped(text: str, table: dict[str, str], following: str) -> str:
    """`text` with the braces Nunjucks would read replaced by their stand-ins."""
    if "{" not in text and "}" not in text:
        return text
    marked = {m.start() + i for m in _PAIRS.finditer(text) for i in (0, 1) if text[m.start() + i] in table}
    if text.endswith("{") and following in ("{", "%", "#"):
        marked.add(len(text) - 1)
    if not marked:
        return text
    return "".join(table[c] if i in marked else c for i, c in enumerate(text))
