"""`artconv schema infer PATH…`: read every article's front matter (any of Hugo's three forms),
infer a JSON Schema from them, write it (atomically) or print it, and warn about near-duplicate
keys on stderr."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TextIO

from artconv.core.article import ArticleError, read_article
from artconv.core.atomic import write_atomically
from artconv.core.errors import ConfigError
from artconv.core.names import quote_name
from artconv.frontmatter.infer import InferOptions, infer_schema
from artconv.frontmatter.schemas import to_json
from artconv.run.discovery import discover
from artconv.run.report import EXIT_FAILED, EXIT_OK, EXIT_USAGE


def infer_paths(arguments: list[str], options: InferOptions, output: Path | None = None,
                out: TextIO | None = None, err: TextIO | None = None) -> int:
    """0 when the schema was written; 1 when some articles could not be read (the schema is still
    written from the rest); 2 for a missing path or no front matter at all."""
    out, err = out or sys.stdout, err or sys.stderr
    documents, unreadable = [], 0
    try:
        for source in discover(arguments or ["."]):
            if isinstance(source, str):
                print(f"error: {source}", file=err)
                return EXIT_USAGE
            document = _front_matter(source.path, err)
            if document is None:
                unreadable += 1
            elif document:
                documents.append(document)
    except ConfigError as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
    if not documents:
        print("error: no article with front matter found", file=err)
        return EXIT_USAGE
    schema = infer_schema(documents, options)
    for group in schema.get("x-near-duplicates", []):
        spelled = ", ".join(f"'{key}' ({count}×)" for key, count in zip(group["keys"], group["counts"], strict=True))
        print(f"warning: near-duplicate keys: {spelled}; settle on one", file=err)
    text = json.dumps(schema, indent=2, ensure_ascii=False) + "\n"
    if output is None:
        out.write(text)
    else:
        write_atomically(output, text.encode("utf-8"))
        print(f"Wrote {quote_name(str(output))} from {len(documents)} articles.", file=err)
    return EXIT_FAILED if unreadable else EXIT_OK


def _front_matter(path: Path, err: TextIO) -> dict | None:
    """The article's front matter as JSON data ({} without front matter); None when unreadable."""
    try:
        article = read_article(path.read_bytes(), str(path))
    except ArticleError as exc:
        where = f"{exc.line}:{exc.column or 1}:" if exc.line else ""
        print(f"error: {quote_name(str(path))}:{where} {exc.message} (left out)", file=err)
        return None
    except OSError as exc:
        print(f"error: {quote_name(str(path))}: cannot read: {exc.strerror or exc} (left out)", file=err)
        return None
    return to_json(article.metadata) if article.has_front_matter else {}
