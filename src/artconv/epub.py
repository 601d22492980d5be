"""`artconv convert --to epub`: many articles, one EPUB 3.3 book, one chapter per article.

Each article goes through the same pipeline and XHTML writer as `--to xhtml`; an article that
fails is reported and left out, and the book is made of the rest. The book's metadata comes
from the chapters' front matter, and nothing in it depends on the clock or the machine, so a
rebuild of unchanged articles gives a byte-identical file.
"""

from __future__ import annotations

import email.utils
import hashlib
import re
import time
import uuid
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from lxml import etree

from artconv.article import ArticleError, read_article
from artconv.batch import UsageError
from artconv.config import ConfigError
from artconv.convert import ConversionError, clean_article
from artconv.date_formats import parse_generator_date
from artconv.epub_container import STYLESHEET, XML_LANG, BookMetadata, ChapterDocument, build_epub
from artconv.files import Source, discover, write_atomically
from artconv.input_bounds import InputTooComplex
from artconv.parallel import map_in_order
from artconv.registry import RegistryError
from artconv.report import EXIT_FAILED, EXIT_USAGE, Report
from artconv.writers.xhtml import write_xhtml

if TYPE_CHECKING:
    from artconv.budget import Budget

ORDERS = ("date", "path", "title")
DEFAULT_TITLE = "Articles"
# what a book without any dated chapter says it was modified: fixed, so that builds repeat
UNDATED = datetime(2000, 1, 1, tzinfo=UTC)
_LOOSE_DATE = re.compile(r"(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T\s]+(\d{1,2}):(\d{2})(?::(\d{2}))?)?")


@dataclass(frozen=True)
class Chapter:
    path: Path
    xhtml: str
    title: str
    language: str
    date: datetime | None  # UTC
    authors: tuple[str, ...]
    categories: tuple[str, ...]


def convert_paths_to_epub(
    arguments: list[str],
    output: Path,
    *,
    check_fidelity: bool = True,
    report: Report | None = None,
    order: str = "date",
    title: str | None = None,
    jobs: int | None = None,
    budget: Budget | None = None,
) -> int:
    """Convert every article under `arguments` into the book `output`; return the exit code."""
    report = report or Report()
    if order not in ORDERS:
        raise UsageError(f"unknown --order '{order}' (choose {', '.join(ORDERS)})")
    started = time.perf_counter()
    chapters = []
    try:
        sources = []
        for source in discover(arguments, skip=output):
            if isinstance(source, str):
                report.failure(source)
            else:
                sources.append(source)
        work = [(source, check_fidelity) for source in sources]
        outcomes = map_in_order(_chapter_or_error, work, jobs, budget, _over_budget)
        for source, outcome in zip(sources, outcomes, strict=True):
            if isinstance(outcome, ConversionError):
                report.error(str(source.path), outcome.message, outcome.line, outcome.column)
                continue
            chapters.append(outcome)
            report.converted(True)
    except (ConfigError, RegistryError) as exc:
        print(f"error: {exc}", file=report.stream)
        return EXIT_USAGE
    elapsed = time.perf_counter() - started
    if not chapters:
        report.summary("Converted", "", elapsed)
        print(f"error: {output}: no article could be converted; the book was not written", file=report.stream)
        return EXIT_FAILED
    chapters = order_chapters(chapters, order)
    try:
        write_atomically(output, build_book(chapters, title))
    except OSError as exc:
        print(f"error: {output}: cannot write: {exc.strerror or exc}", file=report.stream)
        return EXIT_FAILED
    report.summary("Converted", f" into {output}", time.perf_counter() - started)
    return report.exit_code()


def _chapter_or_error(work: tuple[Source, bool]) -> Chapter | ConversionError:
    """For the worker pool: the error comes back as a value, so the other articles go on."""
    try:
        return read_chapter(*work)
    except ConversionError as exc:
        return exc


def _over_budget(work: tuple[Source, bool], message: str) -> ConversionError:
    return ConversionError(f"{message}; the book is made without this chapter")


def read_chapter(source: Source, check_fidelity: bool = True) -> Chapter:
    """One article as a chapter; ConversionError says why it cannot be one."""
    name = str(source.path)
    article = None
    try:
        article = read_article(source.path.read_bytes(), path=name)
        doc, body = clean_article(article, "xhtml", check_fidelity=check_fidelity)
        xhtml = write_xhtml(doc, body, stylesheet=STYLESHEET)
    except OSError as exc:
        raise ConversionError(f"cannot read: {exc.strerror or exc}") from None
    except (ArticleError, InputTooComplex) as exc:
        raise ConversionError(exc.message, exc.line, exc.column) from None
    except RecursionError:
        raise ConversionError("HTML is nested too deeply to convert", article and article.body_line) from None
    except (ConversionError, ConfigError, RegistryError, MemoryError):
        raise  # MemoryError: a worker's memory limit (budget.py) reports it
    except Exception as exc:  # one article's bug must not cost the others their book
        message = f"internal error while converting: {type(exc).__name__}: {exc}".splitlines()[0]
        raise ConversionError(message + " (please report it)") from None
    metadata = {**article.metadata, **doc.metadata_updates}
    root = etree.fromstring(xhtml.encode("utf-8"), etree.XMLParser(huge_tree=True))
    return Chapter(
        path=source.path,
        xhtml=xhtml,
        title=root.findtext("{*}head/{*}title") or source.path.stem,
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


def article_date(metadata: dict) -> datetime | None:
    for key in ("date", "updated"):
        parsed = parse_date(metadata.get(key))
        if parsed is not None:
            return parsed
    return None


def parse_date(value: object) -> datetime | None:
    """A front-matter date as an aware UTC datetime; None when it is not a date.

    YAML gives datetimes and dates; strings come as RFC 1123 from feed mirrors, ISO 8601 with
    or without offsets, or looser `2021/7/31 5:06`. A date without a zone is taken as UTC.
    """
    if isinstance(value, str):
        value = _parse_date_text(value.strip())
    if isinstance(value, datetime):
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        try:
            return value.astimezone(UTC)
        except (OverflowError, ValueError):
            return None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day, tzinfo=UTC)
    return None


def _parse_date_text(text: str) -> date | None:
    try:
        return parse_generator_date(text)
    except (ValueError, OverflowError):
        pass
    try:
        return email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        pass
    match = _LOOSE_DATE.match(text)
    if match:
        numbers = [int(part) for part in match.groups(default="0")]
        try:
            return datetime(*numbers)
        except ValueError:
            return None
    return None


def _strings(value: object) -> tuple[str, ...]:
    """Names from a front-matter value: a string, a list (nested in Hexo), or {name: …} maps."""
    if isinstance(value, str):
        return (value.strip(),) if value.strip() else ()
    if isinstance(value, dict):
        return _strings(value.get("name"))
    if isinstance(value, list):
        return tuple(name for item in value for name in _strings(item))
    return ()
