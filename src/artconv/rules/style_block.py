"""HT102 style-block: a `<style>` element inside the article.

Pasted CSS restyles the whole page it lands on, and in Hexo its braces must be escaped. The fix
removes the block.

Fails:

    <style>.appendQr_wrap{border:1px solid #E6E6E6;}</style>
    <p>Text.</p>

Passes:

    <p>Text.</p>
"""

from __future__ import annotations

from artconv.rules import Fix, Rule
from artconv.rules._html import element_findings


class StyleBlock(Rule):
    code = "HT102"
    name = "style-block"
    summary = "<style> block in the article"
    fix = Fix("style", {"blocks": True})

    def check(self, context):
        yield from element_findings(context, self, lambda name, _: name == "style", lambda _: "<style> block in the article")
