"""URLs written in Markdown syntax (links, images, autolinks, reference definitions) that no
safe output keeps: `javascript:`, `vbscript:`, `livescript:` and `data:`, except images in PNG,
GIF, JPEG or WebP.

The scheme is judged as the last reader sees it (html/url_schemes.py). Only a bounded prefix of
a destination is read to judge it.
"""

from __future__ import annotations

import re

from artconv.html.url_schemes import dangerous

_PREFIX = 512  # `&#0000106;` for each letter of `javascript:` is 110 characters
_BARE_STOP = re.compile(r"[\x00-\x20]")
_ANGLE_STOP = re.compile(r"[>\n]")
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9+.\-]{1,31}):[^<>\x00-\x20]*>")
_EMAIL = re.compile(
    r"<[a-zA-Z0-9.!#$%&'*+/=?^_`{|}~-]+@[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?"
    r"(?:\.[a-zA-Z0-9](?:[a-zA-Z0-9-]{0,61}[a-zA-Z0-9])?)*>"
)
_DESTINATION_PARTS = re.compile(r"[\x00-\x20()\\]")


def autolink_end(text: str, pos: int) -> tuple[int, bool] | None:
    """(end, dangerous) of the CommonMark autolink at text[pos] == '<', or None."""
    found = _AUTOLINK.match(text, pos)
    if found:
        return found.end(), dangerous(found.group()[1:-1], image=False)
    found = _EMAIL.match(text, pos)
    return (found.end(), False) if found else None


def unsafe_destination(text: str, pos: int, image: bool | None) -> bool:
    """Whether the link destination starting at pos is one to drop. `image` None: find out
    from the brackets before `](` (pos - 2 or earlier)."""
    if pos >= len(text):
        return False
    angle = text[pos] == "<"
    start = pos + 1 if angle else pos
    prefix = text[start : start + _PREFIX]
    stop = (_ANGLE_STOP if angle else _BARE_STOP).search(prefix)
    raw = prefix[: stop.start()] if stop else prefix
    if ":" not in raw and "&" not in raw and "%" not in raw:
        return False  # no scheme however it is read: the common case, decided at once
    if image is None:
        image = _is_image(text, pos)
    return dangerous(raw, image)


def _is_image(text: str, pos: int) -> bool:
    bracket = text.rfind("](", max(0, pos - 64), pos)
    opening = text.rfind("[", max(0, bracket - 1000), bracket) if bracket >= 0 else -1
    return opening > 0 and text[opening - 1] == "!"


def destination_end(text: str, pos: int) -> int:
    """Where the destination at pos ends: after `<…>`, or at the first space or control, or at
    the `)` that closes the link (parentheses inside are balanced)."""
    if text.startswith("<", pos):
        stop = _ANGLE_STOP.search(text, pos + 1)
        return stop.end() if stop and stop.group() == ">" else pos
    depth, cursor = 0, pos
    while True:
        found = _DESTINATION_PARTS.search(text, cursor)
        if found is None:
            return len(text)
        mark = found.group()
        if mark == "\\":
            cursor = found.end() + 1
        elif mark == "(":
            depth, cursor = depth + 1, found.end()
        elif mark == ")" and depth:
            depth, cursor = depth - 1, found.end()
        else:
            return found.start()
