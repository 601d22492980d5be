"""HT108 iframe: an embedded frame (`<iframe>`, `<embed>`, `<object>`).

Embeds load third-party pages that track readers and break in feeds, e-books and archives.
There is no automatic fix: `artconv convert` turns each embed into a plain link, or replace it
with a link yourself.

Fails:

    <iframe src="https://www.youtube.com/embed/abc123" allowfullscreen></iframe>

Passes:

    <https://www.youtube.com/watch?v=abc123>
"""

from __future__ import annotations

from artconv.rules import Rule
from artconv.rules._html import element_findings

TAGS = ("iframe", "embed", "object")


class Iframe(Rule):
    code = "HT108"
    name = "iframe"
    summary = "embedded <iframe>, <embed> or <object>"

    def check(self, context):
        yield from element_findings(context, self, lambda name, _: name in TAGS, lambda name: f"embedded <{name}>")
