"""A writer, `--to txt`: what a reader of the article sees, as plain text, under its title.

One module and one entry point are all a new output format takes.
"""

from artconv.core.document import Document
from artconv.core.guard import rendered_text
from artconv.writers.base import BaseWriter


class PlainText(BaseWriter):
    format = "txt"
    summary = "the article's title and visible text, without markup"
    suffix = ".txt"
    pipeline = "md"  # starts from the same clean Markdown as --to md

    def write(self, doc: Document, body: str) -> str:
        title = str(doc.article.metadata.get("title") or "").strip()
        paragraphs = [" ".join(block.split()) for block in rendered_text(body).split("\n")]
        text = "\n\n".join(p for p in paragraphs if p)
        return f"{title}\n{'=' * len(title)}\n\n{text}\n" if title else f"{text}\n"
