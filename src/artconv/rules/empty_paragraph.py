"""HT110 empty-paragraph: a paragraph holding only spaces, `&nbsp;`, U+3000 or `<br>`.

Editors leave them to make vertical space; themes already space paragraphs. The fix removes them.

Fails:

    <p>First.</p>
    <p>&nbsp;</p>
    <p>Second.</p>

Passes:

    <p>First.</p>
    <p>Second.</p>
"""

from __future__ import annotations

from artconv.rules import Fix, Rule
from artconv.transformers.whitespace import is_empty_paragraph


class EmptyParagraph(Rule):
    code = "HT110"
    name = "empty-paragraph"
    summary = "paragraph with nothing but whitespace"
    fix = Fix("whitespace", {"empty_paragraphs": True})

    def check(self, context):
        for part, node in context.html_nodes():
            if isinstance(node.tag, str) and node.tag.lower() == "p" and is_empty_paragraph(node):
                line, column = context.locator(part).element_position(node)
                yield context.finding(self, line, column, "empty paragraph")
