"""What safe Markdown keeps of one raw HTML tag: the XHTML writer's allow-list, plus the embeds
that configuration names (`[convert] embeds`).

A tag is kept byte for byte when nothing in it has to go and no other reader could see another
tag inside it (no `<` after its first character); otherwise it is written anew from the
attributes kept, every value quoted and escaped, so that any HTML or Markdown parser reads the
same tag a browser reads.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from artconv.core.convert_settings import EMBED_NAMES
from artconv.html.browser_tags import RAW_TEXT, Tag
from artconv.writers.html import ALLOWED_ATTRIBUTES, ALLOWED_ELEMENTS, DROPPED_WITH_CONTENT, is_safe_url

KEEP, REWRITE, DROP, DROP_CONTENT = "keep", "rewrite", "drop", "drop-content"

EMBEDS: dict[str, frozenset[str]] = {
    "youtube": frozenset({"iframe"}),
    "vimeo": frozenset({"iframe"}),
    "bilibili": frozenset({"iframe"}),
    "video": frozenset({"video", "source", "track"}),
    "audio": frozenset({"audio", "source", "track"}),
    "details": frozenset({"details", "summary"}),
}
# the hosts whose players an embed names; https only
IFRAME_HOSTS = {
    "youtube": ("www.youtube.com", "youtube.com", "www.youtube-nocookie.com", "youtube-nocookie.com"),
    "vimeo": ("player.vimeo.com",),
    "bilibili": ("player.bilibili.com",),
}
EMBED_ATTRIBUTES = {
    "iframe": {"src", "width", "height", "title", "allowfullscreen", "frameborder", "allow", "loading"},
    "video": {"src", "poster", "controls", "width", "height", "preload", "loop", "muted", "playsinline"},
    "audio": {"src", "controls", "preload", "loop", "muted"},
    "source": {"src", "type"},
    "track": {"src", "kind", "srclang", "label", "default"},
    "details": {"open"},
    "summary": set(),
}
# Elements the XHTML writer unwraps only because EPUB readers do not know them. None can run or
# load anything, and unwrapping them in Markdown would lose what a reader sees: `<tt>` is code
# (the guard refuses to lose it), `<acronym title>` a tooltip.
MARKDOWN_EXTRA = {
    "tt": set(), "strike": set(), "big": set(), "center": set(), "font": set(), "nobr": set(), "wbr": set(),
    "acronym": {"title"}, "ruby": set(), "rt": set(), "rp": set(), "bdi": set(), "bdo": {"dir"},
    "time": {"datetime"}, "address": set(), "section": set(), "article": set(), "aside": set(), "header": set(),
    "footer": set(), "nav": set(), "main": set(), "hgroup": set(), "col": {"span"}, "colgroup": {"span"},
}
_URL_ATTRIBUTES = frozenset({"href", "src", "cite", "poster"})
_CODE_CLASS = re.compile(r"^language-[\w+#-]+$")
# Every element HTML knows (and some it once knew). A tag of any other name (`List<String>` or
# a pasted `<bean>` in prose) does nothing in a browser once its attributes are gone: it is kept
# without them.
KNOWN_ELEMENTS = frozenset(
    """a abbr acronym address applet area article aside audio b base basefont bdi bdo bgsound big blink
    blockquote body br button canvas caption center cite code col colgroup data datalist dd del details
    dfn dialog dir div dl dt em embed fieldset figcaption figure font footer form frame frameset h1 h2 h3
    h4 h5 h6 head header hgroup hr html i iframe image img input ins isindex kbd keygen label legend li
    link listing main map mark marquee math menu menuitem meta meter multicol nav nextid nobr noembed
    noframes noscript object ol optgroup option output p param picture plaintext portal pre progress q
    rb rp rt rtc ruby s samp script search section select slot small source spacer span strike strong
    style sub summary sup svg table tbody td template textarea tfoot th thead time title tr track tt u
    ul var video wbr xmp""".split()
)
_PLAIN_NAME = re.compile(r"^[a-z][a-z0-9-]*$")


@dataclass(frozen=True)
class Decision:
    action: str  # KEEP, REWRITE (with text), DROP (the tag), DROP_CONTENT (the tag and its content)
    text: str = ""


class TagPolicy:
    """The allow-list for one set of embeds."""

    def __init__(self, embeds: tuple[str, ...] | frozenset[str] = EMBED_NAMES):
        self.elements = ALLOWED_ELEMENTS.union(MARKDOWN_EXTRA, *(EMBEDS[name] for name in embeds))
        self.iframe_hosts = frozenset(host for name in embeds for host in IFRAME_HOSTS.get(name, ()))

    def decide(self, tag: Tag, source: str) -> Decision:
        """`source` is the tag as written (text[tag.start:tag.end])."""
        if tag.name not in self.elements:
            return self._disallowed(tag)
        if tag.closing:
            return Decision(KEEP) if not tag.attributes and "<" not in source[1:] else Decision(REWRITE, f"</{tag.name}>")
        kept = self._attributes(tag)
        if kept is None:
            return Decision(DROP_CONTENT if tag.name in RAW_TEXT else DROP)
        if len(kept) == len(tag.attributes) and "<" not in source[1:] and not _CONTROL.search(source):
            return Decision(KEEP)
        return Decision(REWRITE, _start_tag(tag.name, kept, tag.self_closing))

    def _disallowed(self, tag: Tag) -> Decision:
        if tag.name not in KNOWN_ELEMENTS and _PLAIN_NAME.match(tag.name):
            # `<bean id="x">` pasted in prose: a browser shows nothing of it, with or without
            # attributes; without them it can do nothing either
            if not tag.attributes:
                return Decision(KEEP)
            return Decision(REWRITE, f"</{tag.name}>" if tag.closing else _start_tag(tag.name, [], tag.self_closing))
        if not tag.closing and tag.name in RAW_TEXT and tag.name in DROPPED_WITH_CONTENT:
            return Decision(DROP_CONTENT)
        return Decision(DROP)

    def _attributes(self, tag: Tag) -> list[tuple[str, str | None]] | None:
        """The attributes kept, in order; None when the element itself must go."""
        allowed = (
            ALLOWED_ATTRIBUTES.get(tag.name, set()) | EMBED_ATTRIBUTES.get(tag.name, set()) | MARKDOWN_EXTRA.get(tag.name, set())
        )
        kept, seen = [], set()
        for name, raw in tag.attributes:
            if name in seen:
                continue  # a browser keeps the first of two
            seen.add(name)
            value = None if raw is None else html.unescape(raw)
            if name in allowed and self._value_ok(tag.name, name, value):
                kept.append((name, value))
        names = {name for name, _ in kept}
        if tag.name == "iframe" and "src" not in names:
            return None  # a player from a host not allowed, or no player at all
        if tag.name == "img" and "src" not in names:
            return None  # as the XHTML sanitiser does
        return kept

    def _value_ok(self, element: str, name: str, value: str | None) -> bool:
        if name in _URL_ATTRIBUTES:
            if not value or not is_safe_url(value):
                return False
            return element != "iframe" or self._player(value)
        if name == "class":
            return value is not None and all(_CODE_CLASS.match(c) for c in value.split())
        return True

    def _player(self, url: str) -> bool:
        try:
            parts = urlsplit(url.strip())
        except ValueError:
            return False
        return parts.scheme.lower() == "https" and (parts.hostname or "") in self.iframe_hosts


_CONTROL = re.compile("[\x00-\x08\x0b\x0e-\x1f\x7f]")


def _start_tag(name: str, attributes: list[tuple[str, str | None]], self_closing: bool) -> str:
    parts = [f"<{name}"]
    for attribute, value in attributes:
        parts.append(f" {attribute}" if value is None else f' {attribute}="{escape_value(value)}"')
    parts.append(" />" if self_closing else ">")
    return "".join(parts)


def escape_value(value: str) -> str:
    """An attribute value no parser can read two ways: no quote, no angle bracket, no line break."""
    value = _CONTROL.sub("", value)
    return (
        value.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;").replace(">", "&gt;")
        .replace("\n", "&#10;").replace("\r", "&#13;").replace("`", "&#96;")
    )
