"""HT105 tracking-pixel: a tracking pixel, a hidden element or a feed "flare" link.

Images 0 or 1 pixel wide or high, inline 1×1 GIFs, images from tracker hosts (feedburner
`~r/`, stats.wordpress.com, Google Analytics…), elements hidden with `hidden` or
`display:none`, and click-tracking attributes (`referrerpolicy`, `ping`, `data-sudaclick`).
The fix removes them.

Fails:

    <p>Story.<img src="http://feeds.feedburner.com/~r/Example/~4/abc" width="1" height="1"></p>

Passes:

    <p>Story.</p>
"""

from __future__ import annotations

from artconv.rules import Fix, Rule
from artconv.transformers.tracking import TRACKING_ATTRIBUTES, is_hidden, is_pixel, is_tracker_url


class TrackingPixel(Rule):
    code = "HT105"
    name = "tracking-pixel"
    summary = "tracking pixel, hidden element or tracking attribute"
    fix = Fix("tracking", {"pixels": True})

    def check(self, context):
        for part, node in context.html_nodes():
            if not isinstance(node.tag, str):
                continue
            name = node.tag.lower()
            message = None
            if name == "img" and is_pixel(node):
                message = "tracking pixel <img>"
            elif is_hidden(node):
                message = f"hidden <{name}> element"
            elif name == "a" and is_tracker_url(node.get("href") or ""):
                message = "tracking link"
            if message:
                line, column = context.locator(part).element_position(node)
                yield context.finding(self, line, column, message)
                continue
            for attribute in node.attrib:
                if TRACKING_ATTRIBUTES.match(attribute) and not attribute.lower().startswith("on"):
                    line, column = context.locator(part).attribute_position(node, attribute)
                    yield context.finding(self, line, column, f"tracking attribute {attribute} on <{name}>")
