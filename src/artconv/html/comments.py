r"""Leading whitespace and comments, skipped in one pass.

A regular expression such as `(?:\s|<!--.*?-->)*` backtracks exponentially over a run of
comments when what follows them does not match: its lazy `.*?` may also reach over a `-->`, so
k comments split into 2**k ways. Here each comment ends at its first `-->`, as a browser ends
it, and the scan moves forward only.
"""

from __future__ import annotations

import re

_SPACES = re.compile(r"\s*")


def skip_space_and_comments(text: str, position: int = 0) -> int:
    """The position after the whitespace and complete comments at `position` (an unterminated
    comment is not skipped: the position of its `<!--` is returned)."""
    while True:
        position = _SPACES.match(text, position).end()
        if not text.startswith("<!--", position):
            return position
        end = text.find("-->", position + 4)
        if end < 0:
            return position
        position = end + 3
