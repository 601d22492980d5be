"""HT106 tracking-parameter: a link or image URL carrying tracking parameters.

`utm_source`, `utm_medium`, `fbclid`, `gclid`, `mc_eid`… tell the linked site where each reader
came from. The fix removes those parameters and keeps the rest of the URL exactly as written.

Fails:

    Read [the post](https://example.org/post?id=7&utm_source=feedburner&utm_medium=feed).

Passes:

    Read [the post](https://example.org/post?id=7).
"""

from __future__ import annotations

from artconv.html.inline import outside_code
from artconv.rules import Fix, Rule
from artconv.transformers.tracking import MARKDOWN_URL, split_tracking, split_tracking_encoded

URL_ATTRIBUTES = ("href", "src", "data-src", "poster")


class TrackingParameter(Rule):
    code = "HT106"
    name = "tracking-parameter"
    summary = "tracking query parameters (utm_*, fbclid…) in a URL"
    fix = Fix("tracking", {"parameters": True})

    def check(self, context):
        for part, node in context.html_nodes():
            if not isinstance(node.tag, str):
                continue
            for attribute in URL_ATTRIBUTES:
                dropped = split_tracking(node.get(attribute) or "")[1]
                if dropped:
                    line, column = context.locator(part).attribute_position(node, attribute)
                    yield context.finding(self, line, column, f"tracking parameters in {attribute}: {dropped}")
        if context.doc is None:
            return
        for part in context.doc.markdown_parts():
            yield from self._in_markdown(context, part)

    def _in_markdown(self, context, part):
        locator = context.locator(part)
        for tag, (line, column) in context.markdown_tags_of(part):
            for attribute in URL_ATTRIBUTES:
                dropped = split_tracking_encoded((tag.attributes or {}).get(attribute) or "")[1]
                if dropped:
                    yield context.finding(self, line, column, f"tracking parameters in {attribute}: {dropped}")
        if "?" not in part.text:
            return
        for start, end in outside_code(part.text, context.doc.blocks):  # the fix leaves code alone, and so does the rule
            for match in MARKDOWN_URL.finditer(part.text, start, end):
                dropped = split_tracking_encoded(match.group(2))[1]
                if dropped:
                    line, column = locator.position(match.start(2))
                    yield context.finding(self, line, column, f"tracking parameters in link: {dropped}")
