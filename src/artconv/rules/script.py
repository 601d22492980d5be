"""HT107 script: a `<script>`/`<noscript>` element or an event-handler attribute (`onclick`…).

Scripts pasted into an article run on every page that shows it, with the site's privileges.
The fix removes them; it is unsafe because a widget (a tweet embed) stops working, though the
quoted text stays.

Fails:

    <blockquote class="twitter-tweet"><p>A tweet.</p></blockquote>
    <script async src="https://platform.twitter.com/widgets.js"></script>

Passes:

    <blockquote><p>A tweet.</p></blockquote>
"""

from __future__ import annotations

from artconv.rules import Fix, Rule


class Script(Rule):
    code = "HT107"
    name = "script"
    summary = "<script> element or event-handler attribute"
    fix = Fix("tracking", {"scripts": True}, safe=False)

    def check(self, context):
        for part, node in context.html_nodes():
            if not isinstance(node.tag, str):
                continue
            name = node.tag.lower()
            locator = context.locator(part)
            if name in ("script", "noscript"):
                line, column = locator.element_position(node)
                yield context.finding(self, line, column, f"<{name}> element")
                continue
            for attribute in node.attrib:
                if attribute.lower().startswith("on"):
                    line, column = locator.attribute_position(node, attribute)
                    yield context.finding(self, line, column, f"event handler {attribute} on <{name}>")
        for tag, (line, column) in context.markdown_tags():
            if tag.comment is None and not tag.closing and tag.name.lower() in ("script", "noscript"):
                yield context.finding(self, line, column, f"<{tag.name.lower()}> element")
