"""HT101 style-attribute: an inline `style` (or Sina's `cms-style`) attribute.

Inline styles fight the site's theme, break dark mode and e-readers, and hide meaning in
presentation. The fix removes them (and class soup such as `MsoNormal`, `wp-image-12`), keeping
bold and italic that were expressed only through style as `<strong>`/`<em>`.

Fails:

    <p style="text-align: justify;">Text with <span style="color: #ff0000;">red words</span>.</p>

Passes:

    <p>Text with red words.</p>
"""

from __future__ import annotations

from artconv.rules import Fix, Rule

ATTRIBUTES = ("style", "cms-style")


class StyleAttribute(Rule):
    code = "HT101"
    name = "style-attribute"
    summary = "inline style attribute"
    fix = Fix("style", {"attributes": True})

    def check(self, context):
        for part, node in context.html_nodes():
            if not isinstance(node.tag, str):
                continue
            for attribute in ATTRIBUTES:
                if node.get(attribute) is not None:
                    line, column = context.locator(part).attribute_position(node, attribute)
                    yield context.finding(self, line, column, f"inline {attribute} attribute on <{node.tag.lower()}>")
        for tag, (line, column) in context.markdown_tags():
            for attribute in ATTRIBUTES:
                if tag.attributes and attribute in tag.attributes:
                    yield context.finding(self, line, column, f"inline {attribute} attribute on <{tag.name.lower()}>")
