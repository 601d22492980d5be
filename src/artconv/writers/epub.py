"""`artconv convert --to epub`: many articles, one EPUB 3.3 book, one chapter per article.

Each article goes through the same pipeline and XHTML writer as `--to xhtml`; an article that
fails is reported and left out (by the run), and the book is made of the rest. The book's
metadata comes from the chapters' front matter, and nothing in it depends on the clock or the
machine, so a rebuild of unchanged articles gives a byte-identical file.
"""

from __future__ import annotations

import hashlib
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from lxml import etree

from artconv.core.document import Document
from artconv.core.errors import UsageError
from artconv.frontmatter.dates import article_date
from artconv.writers.base import BaseWriter
from artconv.writers.epub_container import STYLESHEET, XML_LANG, BookMetadata, ChapterDocument, build_epub
from artconv.writers.xhtml import write_xhtml

ORDERS = ("date", "path", "title")
DEFAULT_TITLE = "Articles"
# what a book without any dated chapter says it was modified: fixed, so that builds repeat
UNDATED = datetime(2000, 1, 1, tzinfo=UTC)


@dataclass(frozen=True)
class Chapter:
    path: Path
    xhtml: str
    title: str
    language: str
    date: datetime | None  # UTC
    authors: tuple[str, ...]
    categories: tuple[str, ...]


class EpubWriter(BaseWriter):
    format = "epub"
    summary = "one EPUB 3.3 book of all the articles, a chapter each (--output BOOK.epub)"
    suffix = ".epub"
    pipeline = "xhtml"
    bundles = True

    def check_options(self, order: str = "date", title: str | None = None) -> None:
        if order not in ORDERS:
            raise UsageError(f"unknown --order '{order}' (choose {', '.join(ORDERS)})")

    def item(self, doc: Document, body: str, path: Path) -> Chapter:
        return make_chapter(doc, body, path)

    def bundle(self, items: list[Chapter], order: str = "date", title: str | None = None) -> bytes:
        return build_book(order_chapters(items, order), title)


def make_chapter(doc: Document, body: str, path: Path) -> Chapter:
    """One converted article as a chapter."""
    xhtml = write_xhtml(doc, body, stylesheet=STYLESHEET)
    metadata = {**doc.article.metadata, **doc.metadata_updates}
    root = etree.fromstring(xhtml.encode("utf-8"), etree.XMLParser(huge_tree=True))
    return Chapter(
        path=path,
        xhtml=xhtml,
        title=root.findtext("{*}head/{*}title") or path.stem,
        language=root.get(XML_LANG) or "und",
        date=article_date(metadata),
        authors=_strings(metadata.get("author")) + _strings(metadata.get("authors")),
        categories=_strings(metadata.get("categories")) + _strings(metadata.get("category")),
    )


def order_chapters(chapters: list[Chapter], order: str) -> list[Chapter]:
    if order == "path":
        return sorted(chapters, key=lambda c: c.path)
    if order == "title":
        return sorted(chapters, key=lambda c: (c.title.casefold(), c.path))
    # oldest first, as the articles were written; undated ones after them, in path order
    return sorted(chapters, key=lambda c: (c.date is None, c.date or UNDATED, c.path))


def build_book(chapters: list[Chapter], title: str | None = None) -> bytes:
    documents = [
        ChapterDocument(f"chapter-{number:03d}.xhtml", c.title, c.language, c.xhtml)
        for number, c in enumerate(chapters, 1)
    ]
    dates = [c.date for c in chapters if c.date is not None]
    newest = max(dates) if dates else None
    metadata = BookMetadata(
        identifier=book_identifier(chapters),
        title=(title or "").strip() or book_title(chapters),
        language=book_language(chapters),
        creators=tuple(dict.fromkeys(a for c in chapters for a in c.authors)),
        date=newest.date().isoformat() if newest else None,
        modified=newest or UNDATED,
    )
    return build_epub(metadata, documents)


def book_identifier(chapters: list[Chapter]) -> str:
    digest = hashlib.sha256()
    for chapter in chapters:
        digest.update(hashlib.sha256(chapter.xhtml.encode("utf-8")).digest())
    return f"urn:uuid:{uuid.uuid5(uuid.NAMESPACE_URL, 'urn:sha256:' + digest.hexdigest())}"


def book_title(chapters: list[Chapter]) -> str:
    if len(chapters) == 1:
        return chapters[0].title
    # categories run from general to specific (Hexo's 金融 / 新浪财经 / 新浪财经－国內):
    # the most specific one that every chapter shares names the collection best
    first, *rest = [c.categories for c in chapters]
    shared = [category for category in first if all(category in other for other in rest)]
    return shared[-1] if shared else DEFAULT_TITLE


def book_language(chapters: list[Chapter]) -> str:
    """The most common chapter language; 'und' only when no chapter's language is known."""
    known = Counter(c.language for c in chapters if c.language.lower() != "und")
    return known.most_common(1)[0][0] if known else "und"


def _strings(value: object) -> tuple[str, ...]:
    """Names from a front-matter value: a string, a list (nested in Hexo), or {name: …} maps."""
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, dict):
        return _strings(value.get("name"))
    if isinstance(value, list):
        return tuple(name for item in value for name in _strings(item))
    return ()
