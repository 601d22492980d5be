"""Whole HTML documents as article bodies: read the `<body>`, lift the head's metadata, drop the rest.

pandoc, R Markdown and simulators pasted into blog folders write `<!DOCTYPE html><html><head>…`
after (or instead of) front matter. The head holds no text a reader sees: its `<script>` and
`<style>` (often hundreds of kilobytes of jQuery or base64) must not become paragraphs of the
Markdown, and its `<title>` and `<meta name="author"|"date">` belong in front matter. Front
matter that exists stays byte for byte: a key already there is never replaced, and lifted keys
are appended the way transformers lift keys (Document.lift).

The body is sliced out of the source text, not re-serialised, so the HTML part holds exactly
the bytes the author wrote between `<body>` and `</body>`.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import replace

from lxml import etree

from artconv.core.article import Article
from artconv.core.document import Document
from artconv.html.comments import skip_space_and_comments

_DOCUMENT_START = re.compile(r"<(?:!doctype\s+html\b|html\b)", re.IGNORECASE)
_BODY_OPEN = re.compile(r"<body\b[^>]*>", re.IGNORECASE)
_BODY_CLOSE = re.compile(r"</body\s*>", re.IGNORECASE)
_HEAD_CLOSE = re.compile(r"</head\s*>", re.IGNORECASE)
_HTML_END = re.compile(r"</html\s*>", re.IGNORECASE)
_WORD = re.compile(r"\w")
_HTML_CLOSE = re.compile(r"</html\s*>\s*\Z", re.IGNORECASE)
_DATE_NAMES = ("date", "dcterms.date", "dc.date", "citation_publication_date")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}\Z")
ID = "whole-document"  # who lifted the keys, as Removal.transformer


def is_whole_document(body: str) -> bool:
    """`<!DOCTYPE html` or `<html` first, after whitespace and comments (skipped in one pass)."""
    return _DOCUMENT_START.match(body, skip_space_and_comments(body)) is not None


def read_whole_document(article: Article, islands: str | None) -> Document | None:
    """The Document of the article's `<body>`, with the head's title, authors and date lifted;
    None when the body is not a whole HTML document."""
    if not is_whole_document(article.body):
        return None
    source = article.body
    ends = list(_HTML_END.finditer(source))
    if not ends or _WORD.search(source, ends[-1].end()):
        # text after </html> (an article *about* HTML that pastes an example first) is no
        # document's body; a fence or rule left after it (```, ---) holds no words
        return None
    opening = _BODY_OPEN.search(source)
    if opening is not None:
        head, start = source[: opening.start()], opening.end()
    else:  # <body> may be left out: what follows the head is the body
        closing_head = _HEAD_CLOSE.search(source)
        head, start = (source[: closing_head.start()], closing_head.end()) if closing_head else ("", 0)
    closers = list(_BODY_CLOSE.finditer(source, start))
    end = closers[-1].start() if closers else _end_without_body_close(source, start)
    doc = Document.from_article(replace(article, body=source[start:end]), html=True, islands=islands)
    _lift_head(doc, head)
    return doc


def _end_without_body_close(source: str, start: int) -> int:
    closing_html = _HTML_CLOSE.search(source, start)
    return closing_html.start() if closing_html else len(source)


def _lift_head(doc: Document, head: str) -> None:
    if "<" not in head:
        return
    root = etree.fromstring(head + "</head></html>", etree.HTMLParser(huge_tree=True))
    if root is None:
        return
    title = " ".join("".join(root.xpath("//title//text()")).split())
    if title and not doc.lift(ID, "title", title, title):
        doc.remove(ID, "the document's <title> (the front matter has a title)", title)
    metas = {}
    for meta in root.iter("meta"):
        name, content = (meta.get("name") or "").strip().lower(), " ".join((meta.get("content") or "").split())
        if name and content:
            metas.setdefault(name, []).append(content)
    authors = metas.get("author", [])
    if authors:
        doc.lift(ID, "author", authors[0] if len(authors) == 1 else authors, " ".join(authors))
    date = next((metas[name][0] for name in _DATE_NAMES if name in metas), None)
    if date:
        doc.lift(ID, "date", _date(date), date)


def _date(text: str) -> datetime.date | str:
    """A bare ISO date as a date (written unquoted, as a generator expects); anything else as written."""
    if _ISO_DATE.match(text):
        try:
            return datetime.date.fromisoformat(text)
        except ValueError:
            return text
    return text
