"""tracking: remove what watches the reader — comments, scripts, pixels, tracking parameters.

- HTML comments, conditional comments included, except `<!--more-->` (the excerpt marker of
  Hexo, Jekyll and Hugo);
- `<script>` and `<noscript>`, event-handler attributes (`onclick`…), `ping`, `referrerpolicy`
  and click-tracking `data-*` attributes;
- tracking pixels: images 0 or 1 pixel wide or high, images served by known tracker hosts,
  hidden elements (`hidden`, `display:none`, `visibility:hidden`), feed "flare" links;
- tracking query parameters (`utm_*`, `fbclid`, `gclid`…) from links and images, in HTML and in
  Markdown link destinations alike.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass
from urllib.parse import unquote_plus, urlsplit, urlunsplit

from lxml import etree

from artconv.core.document import Document
from artconv.core.pipeline import BaseTransformer
from artconv.html.inline import Tag, rewrite_matches, rewrite_outside_code, rewrite_tags
from artconv.html.edits import TreeEdits
from artconv.html.tree import visible_text
from artconv.html.tag_scan import ScriptPattern

TRACKING_PARAMETERS = re.compile(
    r"^(?:utm_[a-z_]+|fbclid|gclid|dclid|gclsrc|msclkid|yclid|mc_cid|mc_eid|igshid|_hsenc|_hsmi"
    r"|mkt_tok|oly_anon_id|oly_enc_id|vero_id|wickedid|__s|ref_src|spm|scm)$",
    re.IGNORECASE,
)
# Parameters that only track on particular hosts (zhimg.com images carry ?source=<feed id>).
HOST_TRACKING_PARAMETERS = {"zhimg.com": {"source"}}

TRACKER_HOSTS = re.compile(
    r"(?:^|\.)(?:feedburner\.com|feedsportal\.com|stats\.wordpress\.com|pixel\.wp\.com"
    r"|google-analytics\.com|googletagmanager\.com|doubleclick\.net|scorecardresearch\.com"
    r"|quantserve\.com|statcounter\.com|hm\.baidu\.com|cnzz\.com|pixel\.facebook\.com"
    r"|analytics\.twitter\.com|bat\.bing\.com|sinaimg\.cn/cj/ad)$",
    re.IGNORECASE,
)
# feedburner "~r/" redirect pixels and "~ff/" flare links, wherever they are hosted
TRACKER_PATHS = re.compile(r"/~(?:r|ff|a|f)/", re.IGNORECASE)

TRACKING_ATTRIBUTES = re.compile(
    r"^(?:on[a-z]+|ping|referrerpolicy|data-sudaclick|data-(?:track|spm|analytics|ga)[a-z_-]*)$",
    re.IGNORECASE,
)
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)
_MORE = re.compile(r"^\s*more\s*$", re.IGNORECASE)
_DIRECTIVE = re.compile(r"^\s*artconv-(?:disable|enable)", re.IGNORECASE)  # lint suppressions stay
# `<script\b[^>]*>(.*?)</script\s*>`, found in linear time: as a regex, every unclosed `<script`
# searched the rest of the text for its end tag
_INLINE_SCRIPT = ScriptPattern()
# link destinations and autolinks; a URL in prose is text, and `\](` is escaped text, not a link
MARKDOWN_URL = re.compile(r"((?<!\\)\]\(\s*<?|<(?=https?://))([^\s)>\]]*\?[^\s)>\]]*)")
_XML_NAME = re.compile(r"^[A-Za-z_][\w.-]*$")
_URL_TEXT = re.compile(r"^(?:https?://|www\.)\S+$")
_URL_ATTRIBUTES = ("href", "src", "data-src", "poster")


def clean_url(url: str) -> str:
    """Drop tracking query parameters, keeping everything else of the URL as written."""
    return split_tracking(url)[0]


def split_tracking(url: str) -> tuple[str, str]:
    """(URL without tracking parameters, the removed parameters as text)."""
    if "?" not in url:
        return url, ""
    try:
        parts = urlsplit(url)
    except ValueError:
        return url, ""
    host = (parts.hostname or "").lower()
    host_params = {
        name for suffix, names in HOST_TRACKING_PARAMETERS.items() if host.endswith(suffix) for name in names
    }
    # split the raw query, so that kept parameters keep their exact spelling and encoding
    pairs = parts.query.split("&")
    kept, dropped = [], []
    for pair in pairs:
        name = unquote_plus(pair.partition("=")[0])
        (dropped if TRACKING_PARAMETERS.match(name) or name in host_params else kept).append(pair)
    if not dropped:
        return url, ""
    return urlunsplit(parts._replace(query="&".join(kept))), " ".join(dropped)


# Character references as written in an attribute value or a Markdown link destination. Only the
# ones closed by ";" are decoded: a browser reads `&not=1` in an attribute as text, not as `¬=1`.
_CHARACTER_REFERENCE = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


def decode_references(text: str) -> str:
    return _CHARACTER_REFERENCE.sub(lambda m: html.unescape(m.group()), text) if "&" in text else text


def split_tracking_encoded(raw: str) -> tuple[str, str]:
    """split_tracking for a URL as written in a raw attribute or a Markdown link destination,
    where `&amp;` separates parameters: the URL is decoded once and edited as a URL (split on the
    raw text, `amp;utm_medium` was a parameter nobody knew, and the link broke); when anything
    goes, the rest is written back encoded as it was. Unchanged URLs stay byte for byte."""
    decoded = decode_references(raw)
    cleaned, dropped = split_tracking(decoded)
    if not dropped:
        return raw, ""
    if decoded != raw:
        cleaned = cleaned.replace("&", "&amp;").replace('"', "&quot;")
    return cleaned, dropped


# Comments no author writes, wherever they stand: Word's and IE's conditional comments, the
# clipboard's fragment markers, tex4ht's line markers, and empty ones.
_PASTED_COMMENT = re.compile(
    r"^\s*(?:$|\[if\b|<?!?\[endif\]|(?:Start|End)Fragm|l\.\s*\d+\s*$)", re.IGNORECASE
)


def is_pasted_comment(text: str) -> bool:
    return _PASTED_COMMENT.match(text) is not None


def is_authored_comment_block(source: str) -> bool:
    """An HTML block that opens and ends with a comment: written between Markdown blocks by the
    author (as `\\s*(?:<!--.*?-->\\s*)+` reads it under fullmatch: its lazy `.*?` may reach over
    anything between the first comment and the last; said here in one pass, since that regex
    backtracks quadratically over a line of thousands of comments)."""
    text = source.strip()
    return len(text) >= 7 and text.startswith("<!--") and text.endswith("-->")


def is_tracker_url(url: str) -> bool:
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return False
    host = (parts.hostname or "").lower()
    return bool(TRACKER_HOSTS.search(host) or TRACKER_PATHS.search(parts.path))


def is_pixel(img: etree._Element) -> bool:
    for dimension in ("width", "height"):
        value = (img.get(dimension) or "").strip().lower().removesuffix("px")
        if value in ("0", "1"):
            return True
    src = img.get("src") or ""
    if src.startswith("data:image/gif;base64,") and len(src) < 200:
        return True  # an inline 1x1 GIF: nothing to show, only something to count
    return is_tracker_url(src)


def is_hidden(element: etree._Element) -> bool:
    if element.get("hidden") is not None:
        return True
    style = element.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


class Tracking(BaseTransformer):
    id = "tracking"
    summary = "remove comments, scripts, tracking pixels, hidden elements and utm_* parameters"

    jobs = ("comments", "scripts", "pixels", "parameters")

    @dataclass(frozen=True)
    class Options:
        comments: bool = True  # HTML comments
        scripts: bool = True  # <script>, <noscript>, event handlers
        pixels: bool = True  # tracking pixels, hidden elements, tracker links, tracking attributes
        parameters: bool = True  # utm_* and similar query parameters
        keep_more: bool = True  # keep <!--more--> excerpt markers
        # Comments written in Markdown text, or standing alone between Markdown blocks, are the
        # author's notes (`<!--# TODO -->` on a Hugo site), not pasted or tracking markup: they
        # go only when asked. Comments inside pasted HTML go with `comments`.
        markdown_comments: bool = False

    def __call__(self, doc: Document) -> Document:
        for part in doc.html_parts():
            self._clean_tree(part.tree(), doc, authored=is_authored_comment_block(part.source))
        for part in doc.markdown_parts():
            if self.options.scripts and "<" in part.text:
                # tag by tag, the script's code would stay behind as text no browser shows
                part.text = rewrite_matches(part.text, _INLINE_SCRIPT, lambda m: self._drop_script(m, doc), blocks=doc.blocks)
            part.text = rewrite_tags(part.text, lambda tag: self._clean_tag(tag, doc), doc.blocks)
            if self.options.parameters and "?" in part.text:
                part.text = rewrite_outside_code(
                    part.text, MARKDOWN_URL, lambda m: m.group(1) + self._clean(m.group(2), doc, encoded=True), doc.blocks
                )
        return doc

    def _drop_script(self, match: re.Match[str], doc: Document) -> str:
        doc.remove(self.id, "<script>", match.group(1))
        return ""

    def _clean_tag(self, tag: Tag, doc: Document) -> str | None:
        if tag.comment is not None:
            return self._clean_markdown_comment(tag.comment)
        name = tag.name.lower()
        if name in ("script", "noscript") and self.options.scripts:
            doc.remove(self.id, f"<{name}>")
            return ""
        attributes = tag.attributes or {}
        if name == "img" and not tag.closing and self.options.pixels:
            probe = etree.Element("img", {k: v or "" for k, v in attributes.items() if _XML_NAME.match(k)})
            if is_pixel(probe):
                doc.remove(self.id, "tracking pixel", element=probe)
                return ""
        return tag.render() if self._clean_tag_attributes(attributes, doc) else None

    def _clean_markdown_comment(self, comment: str) -> str | None:
        wanted = self.options.comments and (self.options.markdown_comments or is_pasted_comment(comment))
        return None if not wanted or self._kept_comment(comment) else ""

    def _clean_tag_attributes(self, attributes: dict[str, str | None], doc: Document) -> bool:
        """Drop tracking attributes and tracking parameters from URLs; True when any changed."""
        changed = False
        for key in list(attributes):
            if TRACKING_ATTRIBUTES.match(key) and (self.options.scripts if key.lower().startswith("on") else self.options.pixels):
                del attributes[key]
                changed = True
            elif self.options.parameters and key.lower() in _URL_ATTRIBUTES and attributes[key] and "?" in attributes[key]:
                cleaned = self._clean(attributes[key], doc, encoded=True)
                changed = changed or cleaned != attributes[key]
                attributes[key] = cleaned
        return changed

    def _clean(self, url: str, doc: Document, encoded: bool = False) -> str:
        cleaned, dropped = (split_tracking_encoded if encoded else split_tracking)(url)
        if dropped:
            doc.remove(self.id, "tracking parameters", dropped, retargeted=(url, cleaned))
        return cleaned

    def _clean_tree(self, root: etree._Element, doc: Document, authored: bool = False) -> None:
        doomed: list[etree._Element] = []
        comments = self.options.comments and (self.options.markdown_comments or not authored)
        walker = etree.iterwalk(root, events=("start", "comment", "pi"))
        for event, node in walker:
            if event != "start":
                pasted = self.options.comments and is_pasted_comment(node.text or "")
                if (comments or pasted) and not self._kept_comment(node.text or ""):
                    doomed.append(node)
                continue
            if node is root:
                continue
            reason = self._removal_reason(node)
            if reason is not None:
                what, text = reason
                doc.remove(self.id, what, text, node)
                doomed.append(node)
                walker.skip_subtree()
                continue
            self._clean_attributes(node, doc)
            if self.options.parameters:
                self._clean_link_text(node, doc)
        with TreeEdits() as edits:  # together: n removals in a row cost n, not n²
            for node in doomed:
                edits.remove(node)

    def _clean_link_text(self, node: etree._Element, doc: Document) -> None:
        if node.tag.lower() == "a" and node.text and "?" in node.text and len(node) == 0:
            if _URL_TEXT.match(node.text.strip()):  # link text that is the URL itself
                node.text = self._clean(node.text, doc)

    def _kept_comment(self, text: str) -> bool:
        return bool((self.options.keep_more and _MORE.match(text)) or _DIRECTIVE.match(text))

    def _removal_reason(self, node: etree._Element) -> tuple[str, str] | None:
        tag = node.tag.lower()
        if self.options.scripts and tag == "script":
            return "<script>", "".join(node.itertext())
        if self.options.scripts and tag == "noscript":
            return "<noscript>", visible_text(node)
        if not self.options.pixels:
            return None
        if is_hidden(node):
            return "hidden element", visible_text(node)
        if tag == "img" and is_pixel(node):
            return "tracking pixel", ""
        if tag == "a" and is_tracker_url(node.get("href") or ""):
            return "tracking link", visible_text(node)
        return None

    def _clean_attributes(self, node: etree._Element, doc: Document) -> None:
        for name in list(node.attrib):
            job = self.options.scripts if name.lower().startswith("on") else self.options.pixels
            if job and TRACKING_ATTRIBUTES.match(name):
                del node.attrib[name]
        if not self.options.parameters:
            return
        for name in _URL_ATTRIBUTES:
            value = node.get(name)
            if value and "?" in value:
                node.set(name, self._clean(value, doc))
        srcset = node.get("srcset")
        if srcset and "?" in srcset:
            candidates = []
            for candidate in srcset.split(","):
                url, _, descriptor = candidate.strip().partition(" ")
                candidates.append(f"{clean_url(url)} {descriptor}".strip())
            node.set("srcset", ", ".join(candidates))
