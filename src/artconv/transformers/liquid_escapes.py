"""liquid-escapes: the Jekyll spelling of hexo-escapes, for `--to md` of a Jekyll site.

Jekyll runs Liquid over the whole Markdown file, code included. HTML bodies escape template
syntax as entities (`&#123;&#123; x &#125;&#125;` shows `{{ x }}`); once parsed those are plain
braces, and written into Markdown they would be evaluated (`{{ x }}` shows nothing). Entities
are no escape for Liquid inside code, where kramdown shows them literally, so what Liquid would
read is wrapped in `{% raw %}…{% endraw %}` instead, which works in text and code alike and
never shows. Only `{{` and `{%` (what Liquid reads) are wrapped: a lone brace stays a brace.

Literal template syntax in the source is an island (core/islands.py) and never reaches this
step: it is the author's Liquid, and stays live. Config.pipeline puts this step in place of
hexo-escapes for Jekyll's Markdown only; JSON and XHTML show the braces as they are.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from artconv.core.document import Document
from artconv.core.pipeline import BaseTransformer

# an opener with its closer in the same text when there is one, else the opener alone
_LIQUID = re.compile(r"\{\{[^{}]{0,2000}\}\}|\{%[^%]{0,2000}%\}|\{[{%]")


class LiquidEscapes(BaseTransformer):
    id = "liquid-escapes"
    summary = "wrap template syntax decoded from HTML entities in {% raw %} so that Liquid (Jekyll) leaves it alone"

    @dataclass(frozen=True)
    class Options:
        pass

    def __call__(self, doc: Document) -> Document:
        opening, closing = doc.fragment("{% raw %}", ""), doc.fragment("{% endraw %}", "")

        def wrapped(match: re.Match[str]) -> str:
            return opening + match.group() + closing

        for part in doc.html_parts():
            if "{" not in part.source and "&#" not in part.source and "&lbrace" not in part.source:
                continue
            segments = part.tree().xpath(".//text()")
            for index, segment in enumerate(segments):
                text = str(segment)
                if "{" not in text:
                    continue
                escaped = _LIQUID.sub(wrapped, text)
                following = segments[index + 1][:1] if index + 1 < len(segments) else ""
                if escaped.endswith("{") and following in ("{", "%"):  # the next text completes a pair
                    escaped = escaped[:-1] + opening + "{" + closing
                if escaped != text:
                    owner = segment.getparent()
                    if segment.is_tail:
                        owner.tail = escaped
                    else:
                        owner.text = escaped
        return doc
