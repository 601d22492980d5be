"""The library core of `artconv convert`: read → transform → write, for text, bytes or files.

Usable without the CLI (a notebook, a web service, a Dask/Spark job):

    >>> import artconv
    >>> artconv.convert_text("---\\ntitle: x\\n---\\n<p style='color:red'>Hi</p>\\n")
    '---\\ntitle: x\\n---\\nHi\\n'

Only built-in transformers run unless a Config (or a config file found for `path`) names others.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, replace

from artconv import guard
from artconv.article import MAX_FILE_BYTES, Article, ArticleError, parse_article, read_article
from artconv.body import HtmlPart, split_body
from artconv.config import Config, ConfigError, config_for
from artconv.document import Document
from artconv.errors import PositionedError
from artconv.htmltree import TOO_DEEP, lost_to_depth
from artconv.input_bounds import InputTooComplex, check_tables
from artconv.registry import RegistryError

FORMATS = ("md", "json", "xhtml")
MAX_ROUNDS = 3


def _has_html_blocks(body: str) -> bool:
    return any(
        isinstance(part, HtmlPart) and not _ONLY_MORE.match(part.source) for part in split_body(body)
    )


_ONLY_MORE = re.compile(r"^(?:\s*<!--\s*more\s*-->)+\s*$", re.IGNORECASE)


class ConversionError(PositionedError):
    """A file that could not be converted without loss."""


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


def convert_article(
    article: Article, to: str = "md", config: Config | None = None, check_fidelity: bool = True
) -> str:
    """Convert a read Article; raise ConversionError when it cannot be done without loss."""
    doc, body = clean_article(article, to, config, check_fidelity)
    if to == "md":
        from artconv.writers.md import write_front_matter

        if article.newline != "\n":
            body = body.replace("\n", article.newline)
        return write_front_matter(doc) + body
    try:
        if to == "json":
            from artconv.writers.json_doc import write_json

            return write_json(doc, body)
        from artconv.writers.xhtml import write_xhtml

        return write_xhtml(doc, body)
    except RecursionError:
        raise ConversionError(TOO_DEEP, article.body_line) from None


def clean_article(
    article: Article, to: str = "md", config: Config | None = None, check_fidelity: bool = True
) -> tuple[Document, str]:
    """Run the pipeline for `to` and write the clean Markdown body every format starts from."""
    if to not in FORMATS:
        raise ValueError(f"unknown output format '{to}' (formats: {', '.join(FORMATS)})")
    if config is None:
        config = config_for(article.path)
    from artconv.writers.md import write_body

    pipeline = config.pipeline(to)
    check_tables(article.body, article.body_line)  # what a renderer would fill in must stay linear
    try:
        doc = pipeline.run(_whole_document(article))
        body = write_body(doc)
        # Cleaning Markdown text can leave a tag alone on its line, which a renderer then reads
        # as an HTML block; converting again until nothing changes makes the output idempotent.
        for _ in range(MAX_ROUNDS - 1):
            if not _has_html_blocks(body):
                break
            metadata = {**article.metadata, **doc.metadata_updates}
            again = pipeline.run(Document.from_article(replace(article, body=body, metadata=metadata)))
            again_body = write_body(again)
            if again_body == body:
                break
            again.metadata_updates = {**doc.metadata_updates, **again.metadata_updates}
            again.removed[:0] = doc.removed
            doc, body = again, again_body
    except RecursionError:
        raise ConversionError(TOO_DEEP, article.body_line) from None
    if check_fidelity:
        loss = guard.check(doc, article.body, body)
        if loss is not None:
            raise ConversionError(loss.describe() + " (not written; --no-guard to force)")
    return doc, body


def _whole_document(article: Article) -> Document:
    """The article's Document, refused when the HTML parser had to drop part of it (no
    transformer, writer or guard could tell: they all see the same shortened tree)."""
    doc = Document.from_article(article)
    for part in doc.html_parts():
        try:
            part.tree()
        except InputTooComplex as exc:
            raise ConversionError(exc.message, article.body_line + part.line) from None
        if lost_to_depth(part.tree()):
            raise ConversionError(TOO_DEEP, article.body_line + part.line)
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
) -> Result:
    """Convert the bytes of an article file into a Result (errors are returned, not raised)."""
    try:
        article = read_article(data, path=path)
        output = convert_article(article, to, config, check_fidelity)
    except ArticleError as exc:
        return Result(path, error=ConversionError(exc.message, exc.line, exc.column))
    except ConversionError as exc:
        return Result(path, error=exc)
    except InputTooComplex as exc:
        return Result(path, error=ConversionError(exc.message, exc.line, exc.column))
    except (ConfigError, RegistryError):
        raise  # configuration problems stop the run with exit code 2
    except MemoryError:
        raise  # out of memory is not a bug: a worker's memory limit (budget.py) reports it
    except Exception as exc:  # a bug of ours or a plugin's must not become a traceback
        message = f"internal error while converting: {type(exc).__name__}: {exc}".splitlines()[0]
        return Result(path, error=ConversionError(message + " (please report it)"))
    return Result(path, output, changed=output.encode("utf-8") != data)


def convert_file(
    path: str | os.PathLike[str],
    to: str = "md",
    *,
    config: Config | None = None,
    check_fidelity: bool = True,
) -> Result:
    """Read and convert one file; nothing is written."""
    name = os.fspath(path)
    try:
        with open(name, "rb") as handle:
            # one byte past the limit is enough to refuse the file without holding all of it
            data = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        return Result(name, error=ConversionError(f"cannot read: {exc.strerror or exc}"))
    return convert_bytes(data, to, path=name, config=config, check_fidelity=check_fidelity)
