"""Shapes of input whose cost is not linear in their size in a dependency, refused up front.

Everything artconv does itself is linear in the size of a file, but two dependencies are not:
- libxml2's HTML parser compares each attribute of an element with all the ones before it, so
  one element with 30,000 attributes takes half a minute (120,000: eight minutes);
- a GFM table fills every short row up to the header's width, so a header of 2,000 cells over
  2,000 one-character rows (12 KB) renders 4,000,000 cells, and took a minute and 1.3 GB.

Both are bounded here, by a scan that is itself linear: an element may have at most
MAX_ATTRIBUTES attributes (HTML defines fewer than 150, and a parser keeps only the first of a
repeated one), and a table may fill in at most MAX_FILLED_CELLS cells more than it writes
(markdown-it 14.1 stops filling at the same number). A file past either is a per-file error.
"""

from __future__ import annotations

import re

from artconv.core.errors import PositionedError

MAX_ATTRIBUTES = 1000
MAX_FILLED_CELLS = 65_536


class InputTooComplex(PositionedError):
    """A shape of input that would cost more than linear time or memory to convert."""


_TAG_START = re.compile(r"<[A-Za-z]")
# inside a start tag, as HTML tokenizers read it: separators, `=` with a quoted value (which may
# hold spaces and `>`), names and unquoted values, or the `>` that ends the tag
_IN_TAG = re.compile(r"""([\t\n\f\r /]+)|=[\t\n\f\r ]*(?:"[^"]*"?|'[^']*'?)?|[^\t\n\f\r />=]+|(>)""")


# The same tokens, a whole tag's worth in one match (possessive: it never backtracks). Each
# separator is followed by a token of at least one character, so only a tag longer than
# 2 × MAX_ATTRIBUTES can hold too many: the others are skipped at C speed.
_TAG_REST = re.compile(r"""(?:[\t\n\f\r /]++|=[\t\n\f\r ]*+(?:"[^"]*+"?|'[^']*+'?)?|[^\t\n\f\r />=]++)*+>?""")


def check_attributes(source: str) -> int | None:
    """Offset of the first start tag with more than MAX_ATTRIBUTES attributes, or None."""
    if len(source) < 2 * MAX_ATTRIBUTES:  # each attribute takes a name and a separator
        return None
    position = 0
    end = len(source)
    while True:
        tag = _TAG_START.search(source, position)
        if tag is None:
            return None
        rest = _TAG_REST.match(source, tag.end())
        if rest.end() - tag.end() <= 2 * MAX_ATTRIBUTES:
            position = rest.end()
            continue
        separators = 0
        position = tag.end()
        while position < end:
            token = _IN_TAG.match(source, position)
            position = token.end()
            if token.group(2):
                break
            if token.group(1):
                separators += 1
                if separators > MAX_ATTRIBUTES:
                    return tag.start()


TOO_MANY_ATTRIBUTES = f"an element has more than {MAX_ATTRIBUTES:,} attributes, which the HTML parser reads in quadratic time"


_DELIMITER_ROW = re.compile(r"^ {0,3}\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$")


def check_tables(body: str, first_line: int) -> None:
    """Raise InputTooComplex for a GFM table that would fill in more than MAX_FILLED_CELLS
    cells beyond the ones it writes: its header width times its rows, less its bytes (a cell
    takes at least one). Generous by design: a line that only looks like a table counts too."""
    if "|" not in body or "-" not in body:
        return
    lines = body.split("\n")
    index = 1
    while index < len(lines):
        line = lines[index]
        if "-" not in line or "|" not in line or "|" not in lines[index - 1] or not _DELIMITER_ROW.match(line):
            index += 1
            continue
        columns = line.strip().strip("|").count("|") + 1
        rows = written = 0
        start = index
        index += 1
        while index < len(lines) and lines[index].strip():
            rows += 1
            written += len(lines[index]) + 1
            index += 1
        if columns * rows - written > MAX_FILLED_CELLS:
            raise InputTooComplex(
                f"a Markdown table of {columns:,} columns and {rows:,} rows would render {columns * rows:,} cells "
                f"from {written:,} bytes (over {MAX_FILLED_CELLS:,} filled in)",
                first_line + start - 1,
            )
