"""XHTML writer: one EPUB 3.3 XHTML content document per article.

XML declaration, the XHTML namespace (and the epub namespace, used for `epub:type`), a
`<title>`, `lang` and `xml:lang` from front matter or detected from the text. Only the five
XML-predefined entities appear (everything else is written as characters). No scripts, event
handlers or `javascript:` URLs survive the sanitiser. EPUB forbids remote images in content
documents, so a remote `<img>` becomes a link to the image, labelled with its alt text.

A content document may link out to the web but not to files it does not carry, and an article's
relative links and local images point into a website we do not know: such links become their
text and such images their label. Elements are rearranged where HTML's content models want
(`repair_content_model`), so that EPUBCheck and reading systems accept every document.
"""

from __future__ import annotations

import ipaddress
import re
import unicodedata
from collections import Counter
from pathlib import PurePosixPath
from urllib.parse import urlsplit

from lxml import etree

from artconv.core.document import Document
from artconv.core.errors import ConversionError
from artconv.html.constants import XML_INVALID
from artconv.html.edits import TreeEdits
from artconv.html.tree import visible_text
from artconv.writers.base import BaseWriter
from artconv.writers.html import clean_html_tree, repair_content_model

XHTML = "http://www.w3.org/1999/xhtml"
EPUB = "http://www.idpf.org/2007/ops"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
# libxml2, and so lxml and most XML readers built on it, refuse a document whose elements nest
# deeper than this unless told to read "huge" documents: a deeper one would be XHTML nobody opens
MAX_XML_DEPTH = 256
# what WHATWG URLs forbid in a host name (checked after percent-decoding, so `%` too)
_FORBIDDEN_IN_HOST = re.compile(r"[\s%/\\?#@:<>\[\]^|\x00-\x1f\x7f]")
_WEB_SCHEMES = ("http", "https", "ftp")
_ENGLISH = re.compile(r"\b(?:the|and|of|to|in|is|that|for|with|was|are|this)\b", re.IGNORECASE)


class XhtmlWriter(BaseWriter):
    format = "xhtml"
    summary = "one EPUB 3.3 XHTML content document per article"
    suffix = ".xhtml"
    pipeline = "xhtml"

    def write(self, doc: Document, body: str) -> str:
        return write_xhtml(doc, body)


def write_xhtml(doc: Document, body_markdown: str, stylesheet: str | None = None) -> str:
    html_root = clean_html_tree(body_markdown)
    keep_self_contained_links(html_root)
    remote_images_to_links(html_root)
    repair_content_model(html_root)
    metadata = {**doc.article.metadata, **doc.metadata_updates}
    title = article_title(metadata, html_root, doc.article.path)
    lang = article_language(metadata, visible_text(html_root))
    return xhtml_document(html_root, title, lang, stylesheet)


def article_title(metadata: dict, html_root: etree._Element, path: str | None) -> str:
    title = metadata.get("title")
    if isinstance(title, str) and title.strip():
        return title.strip()
    heading = next(html_root.iter("h1", "h2"), None)
    if heading is not None and visible_text(heading).strip():
        return " ".join(visible_text(heading).split())
    return PurePosixPath(path).stem if path else "Untitled"


def article_language(metadata: dict, text: str) -> str:
    """A BCP 47 tag: the front matter's `lang`/`language`, else a guess from the script used."""
    for key in ("lang", "language", "locale"):
        value = metadata.get(key)
        if isinstance(value, str) and re.fullmatch(r"[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*", value.strip()):
            return value.strip().replace("_", "-")
    return detect_language(text)


def detect_language(text: str) -> str:
    scripts: Counter[str] = Counter()
    for char in text[:20000]:
        if not char.isalpha():
            continue
        name = unicodedata.name(char, "")
        if name.startswith(("HIRAGANA", "KATAKANA")):
            scripts["kana"] += 1
        elif name.startswith("HANGUL"):
            scripts["hangul"] += 1
        elif name.startswith("CJK"):
            scripts["han"] += 1
        elif name.startswith("LATIN"):
            scripts["latin"] += 1
        else:
            scripts["other"] += 1
    letters = sum(scripts.values())
    if not letters:
        return "und"
    if scripts["kana"] > letters * 0.05:
        return "ja"
    if scripts["hangul"] > letters * 0.2:
        return "ko"
    if scripts["han"] > letters * 0.2:
        return "zh"
    if scripts["latin"] > letters * 0.6 and len(_ENGLISH.findall(text[:20000])) >= 3:
        return "en"
    return "und"


def keep_self_contained_links(root: etree._Element) -> None:
    """Keep links that work from anywhere: web and mail URLs, fragments of this document."""
    ids = {node.get("id") for node in root.iter() if node.get("id")}
    with TreeEdits() as edits:  # applied together: n unwraps in a row cost n, not n²
        for link in list(root.iter("a")):
            href = (link.get("href") or "").strip()
            if href.startswith("#") and href[1:] in ids:
                continue
            target = absolute_url(href)
            if target is None:
                edits.unwrap(link)
            else:
                link.set("href", target)
    for quote in root.iter("q", "blockquote"):
        if quote.get("cite") is not None:
            cite = absolute_url(quote.get("cite"))
            if cite is None:
                del quote.attrib["cite"]
            else:
                quote.set("cite", cite)


def absolute_url(url: str | None) -> str | None:
    """The URL if it reaches the same resource from anywhere, else None."""
    url = (url or "").strip()
    if url.startswith("//"):
        url = "https:" + url  # protocol-relative: the web has moved to https
    try:
        parts = urlsplit(url)
        host, _ = parts.hostname, parts.port
    except ValueError:  # a bracketed host that is no IPv6 address, a port that is no number
        return None
    scheme = parts.scheme.lower()
    if scheme == "mailto":
        return url if len(url) > len("mailto:") else None
    if scheme not in _WEB_SCHEMES:
        return None
    return url if host and _valid_host(host) else None


def _valid_host(host: str) -> bool:
    if ":" in host:
        try:
            ipaddress.IPv6Address(host)
        except ValueError:
            return False
        return True
    if _FORBIDDEN_IN_HOST.search(host):
        return False
    try:
        host.rstrip(".").encode("idna")  # also rejects empty and over-long labels
    except UnicodeError:
        return False
    return True


def remote_images_to_links(root: etree._Element) -> list[str]:
    """Replace each <img> by a link to the image, labelled with its alt text; return the URLs.

    An image the document cannot reach (a local path) or one inside a link (links do not nest)
    becomes its label alone.
    """
    urls = []
    with TreeEdits() as edits:  # applied together: n unwraps in a row cost n, not n²
        for image in list(root.iter("img")):
            _image_to_link(image, urls, edits)
    return urls


def _image_to_link(image: etree._Element, urls: list[str], edits: TreeEdits) -> None:
    """One <img> replaced by its link (or its label alone), its URL added to `urls`."""
    src = image.get("src") or ""
    target = absolute_url(src)
    label = image.get("alt") or f"[image: {_file_name(src) or src}]"
    replacement = etree.Element("span")
    if target is not None:
        urls.append(target)
        if not any(ancestor.tag == "a" for ancestor in image.iterancestors()):
            replacement = etree.Element("a", href=target)
    replacement.text = label
    replacement.tail = image.tail
    image.addprevious(replacement)
    image.getparent().remove(image)
    if replacement.tag == "span":
        edits.unwrap(replacement)


def _file_name(url: str) -> str:
    try:
        return PurePosixPath(urlsplit(url).path).name
    except ValueError:
        return ""


def xhtml_document(html_root: etree._Element, title: str, lang: str, stylesheet: str | None = None) -> str:
    body_xml = "".join(
        [_xml_text(html_root.text or "")]
        + [etree.tostring(child, method="xml", encoding=str, with_tail=True) for child in html_root]
    )
    body_xml = XML_INVALID.sub("", body_xml)
    link = f'<link rel="stylesheet" type="text/css" href="{_attr(stylesheet)}"/>' if stylesheet else ""
    first = next((child for child in html_root if isinstance(child.tag, str)), None)
    repeats_title = first is not None and first.tag in ("h1", "h2") and " ".join(visible_text(first).split()) == title
    heading = "" if repeats_title else f"<h1>{_xml_text(title)}</h1>"
    source = (
        f'<html xmlns="{XHTML}" xmlns:epub="{EPUB}" lang="{_attr(lang)}" xml:lang="{_attr(lang)}">'
        f'<head><meta charset="utf-8"/><title>{_xml_text(title)}</title>{link}</head>'
        f'<body><section epub:type="chapter">{heading}{body_xml}</section></body></html>'
    )
    tree = etree.fromstring(source.encode("utf-8"), etree.XMLParser(huge_tree=True, resolve_entities=False))
    depth = _depth(tree)
    if depth > MAX_XML_DEPTH:
        raise ConversionError(
            f"HTML is nested {depth} levels deep in XHTML; XML readers refuse more than {MAX_XML_DEPTH}"
        )
    out = etree.tostring(tree, encoding=str)
    return f'<?xml version="1.0" encoding="UTF-8"?>\n<!DOCTYPE html>\n{out}\n'


def _depth(tree: etree._Element) -> int:
    """The deepest element's level (the root is 1), in one pass without recursion."""
    deepest = level = 0
    for event, _ in etree.iterwalk(tree, events=("start", "end")):
        level += 1 if event == "start" else -1
        deepest = max(deepest, level)
    return deepest


def _xml_text(text: str) -> str:
    return XML_INVALID.sub("", text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;"))


def _attr(text: str) -> str:
    return _xml_text(text).replace('"', "&quot;")
