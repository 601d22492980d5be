"""HT103 font-tag: a presentational `<font>` or `<center>` tag.

They say nothing about the text, only how one old page showed it. The fix unwraps them (and
bare `<span>`s), keeping their text; bold expressed through them becomes `<strong>`.

Fails:

    <p><font cms-style="font-L strong-Bold">一是</font>要落实方案。</p>

Passes:

    <p><strong>一是</strong>要落实方案。</p>
"""

from __future__ import annotations

from artconv.rules import Fix, Rule
from artconv.rules._html import element_findings

TAGS = ("font", "center", "basefont")


class FontTag(Rule):
    code = "HT103"
    name = "font-tag"
    summary = "presentational <font> or <center> tag"
    fix = Fix("style", {"unwrap_tags": True})

    def check(self, context):
        yield from element_findings(context, self, lambda name, _: name in TAGS, lambda name: f"presentational <{name}> tag")
