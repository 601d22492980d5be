"""Template blocks that safe Markdown leaves as written: those whose content the generator shows
as code or not at all, as a fenced code block is left.

Jekyll's `{% highlight %}`, Hexo's `{% codeblock %}`/`{% code %}`, Liquid's `{% comment %}` and
Hugo's `{{< highlight >}}` hand their content to a highlighter (escaped) or drop it: a
`<script>` inside is shown as text, never run, and cleaning it would cut the author's code.
`{% raw %}` is not among them: its content reaches the browser as HTML, so it is cleaned; nor
are blocks of a generator not detected (`unknown`).

Each such block is swapped for one character the body does not hold, the rest is cleaned, and
the blocks are put back; a pass that took a marker out (it stood inside something dropped whole)
cleans the body as it is instead, which may cut code but never keeps markup.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from artconv.core.islands import islands

_CODE_OPENER = re.compile(r"\{%-?\s*(?:highlight|codeblock|code|comment)\b")
_HUGO_OPEN = re.compile(r"\{\{[<%]\s*highlight\b[^{}]{0,2000}[>%]\}\}")
_HUGO_CLOSE = re.compile(r"\{\{[<%]\s*/highlight\s*[>%]\}\}")


def code_islands(body: str, generator: str) -> list[tuple[int, int]]:
    """(start, end) of each code or comment template block in `body`, in order, not overlapping.

    Only for a generator known to read them: with none found ("unknown"), a renderer that reads
    no Liquid would pass a `<script>` in `{% highlight %}` to the browser as raw HTML."""
    if "{" not in body or generator not in ("jekyll", "hexo", "hugo"):
        return []
    spans = [
        (start, end) for start, end in islands(body, generator)
        if (opener := _CODE_OPENER.match(body, start)) is not None and end > body.find("%}", opener.end()) + 2
    ]
    if generator == "hugo":
        spans += _hugo_highlights(body)
    kept: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if not kept or start >= kept[-1][1]:
            kept.append((start, end))
    return kept


def _hugo_highlights(body: str) -> list[tuple[int, int]]:
    spans = []
    position = 0
    while (opener := _HUGO_OPEN.search(body, position)) is not None:
        closer = _HUGO_CLOSE.search(body, opener.end())
        if closer is None:
            break  # no closer after this opener: none after any later one either
        spans.append((opener.start(), closer.end()))
        position = closer.end()
    return spans


def clean_outside_code_islands(body: str, clean: Callable[[str], str], generator: str) -> str:
    """`clean(body)`, with the code template blocks kept as written."""
    spans = code_islands(body, generator)
    if not spans:
        return clean(body)
    marker = _unused_character(body)
    pieces, position = [], 0
    for start, end in spans:
        pieces.append(body[position:start])
        position = end
    pieces.append(body[position:])
    cleaned = clean(marker.join(pieces)).split(marker)
    if len(cleaned) != len(spans) + 1:
        return clean(body)
    out = [cleaned[0]]
    for (start, end), after in zip(spans, cleaned[1:], strict=True):
        out += [body[start:end], after]
    return "".join(out)


_PLANE_15 = re.compile("[\U000F0000-\U000FFFFD]")


def _unused_character(body: str) -> str:
    # a private-use plane: markup rarely holds one, so the first free one is found at once;
    # those the body holds are gathered in one scan, not searched for one by one (a body of
    # thousands of them in a row was quadratic)
    taken = set(_PLANE_15.findall(body))
    for code in range(0xF0000, 0xFFFFE):
        if chr(code) not in taken:
            return chr(code)
    raise ValueError("no free private-use character")  # a body holding all 65,534 of them
