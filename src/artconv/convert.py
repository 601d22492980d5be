"""The library core of `artconv convert`: read → transform → write, for text, bytes or files.

Usable without the CLI (a notebook, a web service, a Dask/Spark job):

    >>> import artconv
    >>> artconv.convert_text("---\\ntitle: x\\n---\\n<p style='color:red'>Hi</p>\\n")
    '---\\ntitle: x\\n---\\nHi\\n'

Only built-in transformers run unless a Config (or a config file found for `path`) names others.
The writer is the one registered for `to` (`artconv.core.plugins`, group `artconv.writers`).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import cache
from pathlib import Path
from typing import Any

from artconv.core import guard, plugins
from artconv.core.article import MAX_FILE_BYTES, Article, ArticleError, parse_article, read_article
from artconv.core.body import HtmlPart, split_body
from artconv.core.config import FORMATS, Config, ConfigError, config_for
from artconv.core.document import Document
from artconv.core.errors import ConversionError, PluginError
from artconv.core.generator import generator_for
from artconv.core.input_bounds import InputTooComplex, check_tables
from artconv.core.whole_document import read_whole_document
from artconv.html.tree import TOO_DEEP, lost_to_depth

__all__ = ["ConversionError", "Result", "clean_article", "convert_article", "convert_bytes", "convert_file", "convert_text"]

MAX_ROUNDS = 3
_ONLY_MORE = re.compile(r"^(?:\s*<!--\s*more\s*-->)+\s*$", re.IGNORECASE)


@dataclass(frozen=True)
class Result:
    """What converting one file gave: output text, or an error; never both."""

    path: str | None
    output: str | None = None
    changed: bool = False
    error: ConversionError | None = None

    @property
    def ok(self) -> bool:
        return self.error is None


@cache
def writer_for(to: str) -> Any:
    """The writer registered for `--to` (PluginError says why there is none)."""
    return plugins.load(plugins.WRITERS, to)()


def convert_article(
    article: Article, to: str = "md", config: Config | None = None, check_fidelity: bool = True,
    observe: Callable[[Document, str], None] | None = None,
) -> str:
    """Convert a read Article; raise ConversionError when it cannot be done without loss.

    `observe(doc, clean_body)` sees the cleaned Document (its declared removals) and the clean
    Markdown body before the writer runs: the review page (`--report`) shows them."""
    writer = writer_for(to)
    if getattr(writer, "bundles", False):
        raise ValueError(f"--to {to} makes one file of many articles: use convert_paths")
    doc, body = clean_article(article, writer.pipeline, config, check_fidelity)
    if observe is not None:
        observe(doc, body)
    try:
        return writer.write(doc, body)
    except RecursionError:
        raise ConversionError(TOO_DEEP, article.body_line) from None


def bundle_item(path: str, to: str, check_fidelity: bool = True) -> Any:
    """What a bundling writer (EPUB) keeps of one article file, or the ConversionError saying why
    there is nothing: returned, not raised, so that a worker process hands it back with the rest."""
    writer = writer_for(to)
    try:
        with open(path, "rb") as handle:
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return ConversionError(f"cannot read: {exc.strerror or exc}")

    def produce():
        article = read_article(data, path=path)
        doc, body = clean_article(article, writer.pipeline, check_fidelity=check_fidelity)
        try:
            return writer.item(doc, body, Path(path))
        except RecursionError:
            raise ConversionError(TOO_DEEP, article.body_line) from None

    item, error = _outcome(produce)
    return error if error is not None else item


def clean_article(
    article: Article, to: str = "md", config: Config | None = None, check_fidelity: bool = True
) -> tuple[Document, str]:
    """Run the pipeline named `to` and write the clean Markdown body every format starts from."""
    if to not in FORMATS:
        raise ValueError(f"unknown output format '{to}' (formats: {', '.join(FORMATS)})")
    if config is None:
        config = config_for(article.path)
    generator = generator_for(article.path, config.generator)
    pipeline = config.pipeline(to, generator)
    islands = generator if generator != "none" else None
    check_tables(article.body, article.body_line)  # what a renderer would fill in must stay linear
    write = _body_writer(config, to, generator)
    try:
        doc = pipeline.run(_whole_document(article, islands))
        as_html = doc.html
        body, cleaned = write(doc)
        # Cleaning Markdown text can leave a tag alone on its line, which a renderer then reads
        # as an HTML block, and safe Markdown can leave a tag the writer would now write as
        # Markdown; converting again until nothing changes makes the output idempotent.
        for _ in range(MAX_ROUNDS - 1):
            if not cleaned and not _has_html_blocks(body):
                break
            metadata = {**article.metadata, **doc.metadata_updates}
            # the body is Markdown now, whatever the input file was
            again = pipeline.run(
                Document.from_article(replace(article, body=body, metadata=metadata), html=False, islands=islands)
            )
            again_body, cleaned = write(again)
            if again_body == body:
                break
            again.metadata_updates = {**doc.metadata_updates, **again.metadata_updates}
            again.removed[:0] = doc.removed
            doc, body = again, again_body
    except RecursionError:
        raise ConversionError(TOO_DEEP, article.body_line) from None
    if check_fidelity:
        # JSON and XHTML (and EPUB) keep what the sanitiser keeps of the rendered body: their
        # text is checked too, on the tree the guard has already rendered
        sanitize = None if to == "md" else _sanitizer()
        loss = guard.check(doc, article.body, body, sanitize, html=as_html, islands=islands)
        if loss is not None:
            raise ConversionError(loss.describe() + " (not written; --no-guard to force)")
    return doc, body


def _body_writer(config: Config, to: str, generator: str):
    """doc → (Markdown body, whether safe Markdown changed it). For `--to md`, raw HTML and link
    URLs go through the XHTML allow-list and the configured embeds (writers/md_safe.py), since
    renderers pass raw HTML to the browser; before the guard, which then refuses what this would
    lose of the text, as it does for XHTML."""
    from artconv.writers.md import write_body

    writer = config.markdown_writer(to)
    if to != "md" or not config.convert.safe_markdown:
        return lambda doc: (write_body(doc, writer), False)
    from artconv.writers.md_safe import policy_for, safe_markdown
    from artconv.writers.md_safe_islands import clean_outside_code_islands

    policy, hugo = policy_for(config.convert.embeds), generator == "hugo"

    def write(doc: Document) -> tuple[str, bool]:
        body = write_body(doc, writer)
        safe = clean_outside_code_islands(body, lambda text: safe_markdown(text, policy, hugo), generator)
        return safe, safe != body

    return write


def _sanitizer():
    from artconv.writers.html import sanitize

    return sanitize


def _has_html_blocks(body: str) -> bool:
    return any(
        isinstance(part, HtmlPart) and not _ONLY_MORE.match(part.source) for part in split_body(body)
    )


def _whole_document(article: Article, islands: str | None) -> Document:
    """The article's Document, refused when the HTML parser had to drop part of it (no
    transformer, writer or guard could tell: they all see the same shortened tree)."""
    doc = read_whole_document(article, islands) or Document.from_article(article, islands=islands)
    for part in doc.html_parts():
        try:
            part.tree()
        except InputTooComplex as exc:
            raise ConversionError(exc.message, article.body_line + doc.original_line(part)) from None
        if lost_to_depth(part.tree()):
            raise ConversionError(TOO_DEEP, article.body_line + doc.original_line(part))
    return doc


def convert_text(
    text: str,
    to: str = "md",
    *,
    path: str | None = None,
    config: Config | None = None,
    check_fidelity: bool = True,
) -> str:
    """Convert the text of an article file; `path` only locates configuration."""
    try:
        article = parse_article(text, path=path)
    except ArticleError as exc:
        raise ConversionError(exc.message, exc.line, exc.column) from None
    return convert_article(article, to, config, check_fidelity)


def convert_bytes(
    data: bytes,
    to: str = "md",
    *,
    path: str | None = None,
    config: Config | None = None,
    check_fidelity: bool = True,
    observe: Callable[[Document, str], None] | None = None,
) -> Result:
    """Convert the bytes of an article file into a Result (errors are returned, not raised)."""
    output, error = _outcome(lambda: convert_article(read_article(data, path=path), to, config, check_fidelity, observe))
    if error is not None:
        return Result(path, error=error)
    return Result(path, output, changed=output.encode("utf-8") != data)


def _outcome(produce) -> tuple[Any, ConversionError | None]:
    """(what `produce` made, None), or (None, the error as one line with its position)."""
    try:
        return produce(), None
    except ArticleError as exc:
        return None, ConversionError(exc.message, exc.line, exc.column)
    except ConversionError as exc:
        return None, exc
    except InputTooComplex as exc:
        return None, ConversionError(exc.message, exc.line, exc.column)
    except (ConfigError, PluginError):
        raise  # configuration problems stop the run with exit code 2
    except MemoryError:
        raise  # out of memory is not a bug: a worker's memory limit (budget.py) reports it
    except Exception as exc:  # a bug of ours or a plugin's must not become a traceback
        message = f"internal error while converting: {type(exc).__name__}: {exc}".splitlines()[0]
        return None, ConversionError(message + " (please report it)")


def convert_file(
    path: str | os.PathLike[str],
    to: str = "md",
    *,
    config: Config | None = None,
    check_fidelity: bool = True,
    observe: Callable[[Document, str], None] | None = None,
) -> Result:
    """Read and convert one file; nothing is written."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            # one byte past the limit is enough to refuse the file without holding all of it
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return Result(name, error=ConversionError(f"cannot read: {exc.strerror or exc}"))
    return convert_bytes(data, to, path=name, config=config, check_fidelity=check_fidelity, observe=observe)
