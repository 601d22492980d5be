"""Two tiny transformers and a lint rule, written the way a user outside the project would write them.

The writer (`--to txt`) and the reporter (`--format tsv`) have a module each: plain_text.py, tsv.py.
"""

from dataclasses import dataclass

from artconv.core.document import Document
from artconv.core.pipeline import BaseTransformer
from artconv.rules import Rule


class ShoutHeadings(BaseTransformer):
    id = "shout-headings"
    summary = "upper-case the text of HTML headings"

    @dataclass(frozen=True)
    class Options:
        suffix: str = ""

    def __call__(self, doc: Document) -> Document:
        for part in doc.html_parts():
            for heading in part.tree().iter("h1", "h2", "h3"):
                heading.text = (heading.text or "").upper() + self.options.suffix
        return doc


class DropLastParagraph(BaseTransformer):
    """Loses text without declaring it: the fidelity guard must refuse its output."""

    id = "drop-last-paragraph"
    summary = "remove the last HTML paragraph (and say nothing about it)"

    def __call__(self, doc: Document) -> Document:
        for part in doc.html_parts():
            paragraphs = list(part.tree().iter("p"))
            if paragraphs:
                paragraphs[-1].getparent().remove(paragraphs[-1])
        return doc


class NoLoremIpsum(Rule):
    """EX001 no-lorem-ipsum: placeholder text left in an article.

    Fails:

        <p>Lorem ipsum dolor sit amet.</p>
    """

    code = "EX001"
    name = "no-lorem-ipsum"
    summary = "placeholder text left in the article"

    def check(self, context):
        if context.article is None:
            return
        for index, line in enumerate(context.article.body.splitlines()):
            column = line.lower().find("lorem ipsum")
            if column != -1:
                yield context.finding(self, context.article.body_line + index, column + 1, "placeholder text 'lorem ipsum'")
