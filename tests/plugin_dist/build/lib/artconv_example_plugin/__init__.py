"""Two tiny transformers written the way a user outside the project would write them."""

from dataclasses import dataclass

from artconv.document import Document
from artconv.pipeline import BaseTransformer


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
