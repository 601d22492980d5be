"""whitespace: paragraph indents, empty paragraphs and runs of blank lines.

Chinese text pasted from news sites indents every paragraph with two U+3000 IDEOGRAPHIC SPACEs.
markdown-it trims a leading U+3000 and cmark keeps it, so the indent is removed by default; with
`ideographic-indent = "keep"` it is written as `&#x3000;`, which every renderer keeps.
Paragraphs holding only spaces, `&nbsp;` or U+3000 are removed, and runs of three or more blank
lines in Markdown text (outside code) become one blank line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from lxml import etree

from artconv.core.document import Document
from artconv.core.pipeline import BaseTransformer
from artconv.html.edits import TreeEdits

_BLOCKS = frozenset({"p", "div", "li", "td", "th", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "section", "dd", "dt"})
_LEADING = re.compile(r"^[ \t\r\n\u00a0]*([\u3000]+)[ \u3000\u00a0]*")
_BLANKISH = re.compile(r"^[\s\u00a0\u3000\u200b]*$")
_CONTENT_TAGS = frozenset({"img", "hr", "iframe", "video", "audio", "object", "embed", "input", "svg", "math", "table"})
_FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")


class Whitespace(BaseTransformer):
    id = "whitespace"
    summary = "remove U+3000 paragraph indents, &nbsp;-only paragraphs and runs of blank lines"

    jobs = ("indents", "empty_paragraphs", "blank_lines")

    @dataclass(frozen=True)
    class Options:
        indents: bool = True  # U+3000 paragraph indents
        ideographic_indent: Literal["remove", "keep"] = "remove"  # what happens to them
        empty_paragraphs: bool = True
        blank_lines: bool = True  # runs of blank lines in Markdown text

    def __call__(self, doc: Document) -> Document:
        options = self.options
        indent = doc.fragment("&#x3000;", "\u3000") if options.ideographic_indent == "keep" else ""
        for part in doc.html_parts():
            root = part.tree()
            with TreeEdits() as edits:  # applied together: n removals in a row cost n, not n²
                for element in [el for el in root.iter() if isinstance(el.tag, str) and el is not root]:
                    tag = element.tag.lower()
                    if tag not in _BLOCKS:
                        continue
                    if options.empty_paragraphs and tag == "p" and is_empty_paragraph(element):
                        edits.remove(element)
                    elif options.indents:
                        self._strip_indent(element, indent)
        if options.blank_lines:
            for part in doc.markdown_parts():
                part.text = collapse_blank_lines(part.text)
        return doc

    @staticmethod
    def _strip_indent(element: etree._Element, indent: str) -> None:
        text = element.text
        if not text:
            return
        match = _LEADING.match(text)
        if match:
            element.text = indent * len(match.group(1)) + text[match.end():]


def is_empty_paragraph(element: etree._Element) -> bool:
    for node in element.iter():
        if isinstance(node.tag, str) and node.tag.lower() in _CONTENT_TAGS:
            return False
    text = "".join(element.itertext())
    return _BLANKISH.match(text) is not None


def _blank(line: str) -> bool:
    # CommonMark's blank line holds only spaces and tabs: a line of NBSP or U+3000 is a
    # paragraph's text, and the blank line after it is what ends that paragraph
    return not line.strip(" \t\r")


def collapse_blank_lines(text: str) -> str:
    """Collapse 3+ blank lines to one outside fenced code, unless indented code follows."""
    lines = text.split("\n")
    # the first line that is not blank after each line, found in one pass from the end (looking
    # ahead from every blank line made 80,000 blank lines cost 157 s)
    following_text = [""] * (len(lines) + 1)
    for index in range(len(lines) - 1, -1, -1):
        line = lines[index]
        following_text[index] = following_text[index + 1] if _blank(line) else line
    out: list[str] = []
    fence: str | None = None
    blanks = 0
    for index, line in enumerate(lines):
        marker = _FENCE.match(line)
        if fence is None and marker:
            fence = marker.group(1)[0] * 3
        elif fence is not None and line.strip().startswith(fence):
            fence = None
        if fence is None and _blank(line):
            blanks += 1
            following = following_text[index + 1]
            if blanks > 1 and not following.startswith("    ") and index + 1 < len(lines):
                continue
        else:
            blanks = 0
        out.append(line)
    return "\n".join(out)
