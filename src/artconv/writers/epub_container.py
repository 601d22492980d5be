"""The EPUB 3.3 container: package document, navigation document, stylesheet and the ZIP.

Knows nothing about articles: it is given finished chapter documents and the book's metadata.
Every byte depends only on those, so building the same book twice gives the same file.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from lxml import etree

from artconv.html.constants import XML_INVALID

XHTML = "http://www.w3.org/1999/xhtml"
OPS = "http://www.idpf.org/2007/ops"
OPF = "http://www.idpf.org/2007/opf"
DC = "http://purl.org/dc/elements/1.1/"
CONTAINER = "urn:oasis:names:tc:opendocument:xmlns:container"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"
FOLDER = "EPUB"
PACKAGE = f"{FOLDER}/package.opf"
NAV = "nav.xhtml"
STYLESHEET = "style.css"

# Reading systems bring their own fonts, margins and night modes; this only sets defaults
# that still read well where they do not, and never fights the reader's font size.
STYLESHEET_TEXT = """\
body {
  margin: 0 3%;
  line-height: 1.6;
  font-family: Georgia, "Noto Serif", "Noto Serif CJK SC", "Source Han Serif SC", "Songti SC", "SimSun", serif;
  overflow-wrap: break-word;
}
/* Han, kana and Hangul are denser than Latin text and want more leading */
:lang(zh), :lang(ja), :lang(ko) { line-height: 1.8; }
h1, h2, h3, h4, h5, h6 { line-height: 1.3; page-break-after: avoid; break-after: avoid; }
p { margin: 0.6em 0; }
img { max-width: 100%; height: auto; }
pre { white-space: pre-wrap; overflow-wrap: break-word; font-size: 0.85em; }
code, kbd, samp, pre { font-family: "DejaVu Sans Mono", "Noto Sans Mono CJK SC", monospace; }
blockquote { margin: 1em 1.5em; }
table { border-collapse: collapse; max-width: 100%; }
th, td { border: 1px solid #999; padding: 0.2em 0.4em; vertical-align: top; }
nav ol { list-style: none; padding-left: 0; }
nav li { margin: 0.4em 0; }
"""


@dataclass(frozen=True)
class BookMetadata:
    identifier: str  # a URN; also the package's unique-identifier
    title: str
    language: str
    creators: tuple[str, ...]
    date: str | None  # W3CDTF, the publication date
    modified: datetime  # UTC; dcterms:modified and the ZIP entries' timestamps


@dataclass(frozen=True)
class ChapterDocument:
    name: str  # file name beside the package document, e.g. chapter-001.xhtml
    title: str
    language: str
    xhtml: str


def build_epub(metadata: BookMetadata, chapters: list[ChapterDocument]) -> bytes:
    files = [
        ("META-INF/container.xml", container_xml()),
        (PACKAGE, package_document(metadata, chapters)),
        (f"{FOLDER}/{NAV}", navigation_document(metadata, chapters)),
        (f"{FOLDER}/{STYLESHEET}", STYLESHEET_TEXT.encode("utf-8")),
    ]
    files += [(f"{FOLDER}/{chapter.name}", chapter.xhtml.encode("utf-8")) for chapter in chapters]
    return zip_container(files, metadata.modified)


def zip_container(files: list[tuple[str, bytes]], timestamp: datetime) -> bytes:
    """The OCF ZIP: `mimetype` first, stored and without an extra field, so that tools can
    recognise an EPUB from its first bytes; every entry with the same fixed metadata."""
    # ZIP (DOS) times cover 1980-2107 only
    stamp = max(min(timestamp.timetuple()[:6], (2107, 12, 31, 23, 59, 58)), (1980, 1, 1, 0, 0, 0))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data, method in [("mimetype", b"application/epub+zip", zipfile.ZIP_STORED)] + [
            (name, data, zipfile.ZIP_DEFLATED) for name, data in files
        ]:
            info = zipfile.ZipInfo(name, date_time=stamp)
            info.compress_type = method
            info.create_system = 3  # the platform we run on must not show in the bytes
            info.external_attr = 0o100644 << 16
            archive.writestr(info, data, compresslevel=9 if method == zipfile.ZIP_DEFLATED else None)
    return buffer.getvalue()


def container_xml() -> bytes:
    root = etree.Element(f"{{{CONTAINER}}}container", nsmap={None: CONTAINER}, version="1.0")
    rootfiles = etree.SubElement(root, f"{{{CONTAINER}}}rootfiles")
    etree.SubElement(
        rootfiles, f"{{{CONTAINER}}}rootfile", {"full-path": PACKAGE, "media-type": "application/oebps-package+xml"}
    )
    return _xml_bytes(root)


def package_document(metadata: BookMetadata, chapters: list[ChapterDocument]) -> bytes:
    root = etree.Element(f"{{{OPF}}}package", {"version": "3.0", "unique-identifier": "book-id"}, nsmap={None: OPF})
    root.set(XML_LANG, metadata.language)
    meta = etree.SubElement(root, f"{{{OPF}}}metadata", nsmap={"dc": DC})
    _text(meta, f"{{{DC}}}identifier", metadata.identifier).set("id", "book-id")
    _text(meta, f"{{{DC}}}title", metadata.title)
    _text(meta, f"{{{DC}}}language", metadata.language)
    for creator in metadata.creators:
        _text(meta, f"{{{DC}}}creator", creator)
    if metadata.date:
        _text(meta, f"{{{DC}}}date", metadata.date)
    modified = metadata.modified.replace(tzinfo=None, microsecond=0).isoformat() + "Z"  # CCYY-MM-DDThh:mm:ssZ
    _text(meta, f"{{{OPF}}}meta", modified).set("property", "dcterms:modified")

    manifest = etree.SubElement(root, f"{{{OPF}}}manifest")
    item = f"{{{OPF}}}item"
    etree.SubElement(manifest, item, {"id": "nav", "href": NAV, "media-type": "application/xhtml+xml", "properties": "nav"})
    etree.SubElement(manifest, item, {"id": "style", "href": STYLESHEET, "media-type": "text/css"})
    for chapter in chapters:
        etree.SubElement(manifest, item, {"id": _id(chapter), "href": chapter.name, "media-type": "application/xhtml+xml"})
    spine = etree.SubElement(root, f"{{{OPF}}}spine")
    for chapter in chapters:
        etree.SubElement(spine, f"{{{OPF}}}itemref", idref=_id(chapter))
    return _xml_bytes(root)


def navigation_document(metadata: BookMetadata, chapters: list[ChapterDocument]) -> bytes:
    html = etree.Element(f"{{{XHTML}}}html", nsmap={None: XHTML, "epub": OPS}, lang=metadata.language)
    html.set(XML_LANG, metadata.language)
    head = etree.SubElement(html, f"{{{XHTML}}}head")
    etree.SubElement(head, f"{{{XHTML}}}meta", charset="utf-8")
    _text(head, f"{{{XHTML}}}title", metadata.title)
    etree.SubElement(head, f"{{{XHTML}}}link", rel="stylesheet", type="text/css", href=STYLESHEET)
    body = etree.SubElement(html, f"{{{XHTML}}}body")
    nav = etree.SubElement(body, f"{{{XHTML}}}nav", {f"{{{OPS}}}type": "toc", "id": "toc"})
    _text(nav, f"{{{XHTML}}}h1", metadata.title)
    entries = etree.SubElement(nav, f"{{{XHTML}}}ol")
    for chapter in chapters:
        entry = etree.SubElement(entries, f"{{{XHTML}}}li")
        if chapter.language != metadata.language:
            # a Japanese title in a Chinese book must be shaped and spoken as Japanese
            entry.set("lang", chapter.language)
            entry.set(XML_LANG, chapter.language)
        _text(entry, f"{{{XHTML}}}a", chapter.title).set("href", chapter.name)
    return b"<?xml version='1.0' encoding='UTF-8'?>\n<!DOCTYPE html>\n" + etree.tostring(
        html, encoding="UTF-8", pretty_print=True
    )


def _id(chapter: ChapterDocument) -> str:
    return chapter.name.rsplit(".", 1)[0]


def _text(parent: etree._Element, tag: str, text: str) -> etree._Element:
    element = etree.SubElement(parent, tag)
    element.text = XML_INVALID.sub("", text)
    return element


def _xml_bytes(root: etree._Element) -> bytes:
    return etree.tostring(root, encoding="UTF-8", xml_declaration=True, pretty_print=True)
