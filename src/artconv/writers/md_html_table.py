"""Tables a pipe table cannot hold (and preformatted text holding links or images that a code
block cannot show), kept as clean HTML in the Markdown output.

A GFM pipe table is one line per row and inline content per cell. A table inside a cell, a
list, code block, quote or heading in a cell, or a cell spanning rows or columns cannot be
written as one without losing the structure (the inner table became `| --- |` text inside a
cell). Such a table is written as HTML, which every CommonMark renderer passes through: the
elements kept, styles, classes and layout attributes gone, on as few lines as it takes and
never a blank one (a blank line would end the HTML block).
"""

from __future__ import annotations

import re
from copy import deepcopy

from lxml import etree

_BLOCKS_IN_CELLS = ("table", "ul", "ol", "pre", "blockquote", "h1", "h2", "h3", "h4", "h5", "h6", "dl")
_KEPT_ATTRIBUTES = {
    "a": ("href", "title"),
    "img": ("src", "alt", "title"),
    "td": ("colspan", "rowspan"),
    "th": ("colspan", "rowspan", "scope"),
    "ol": ("start",),
    "code": ("class",),
}
_STRUCTURE = ("table", "thead", "tbody", "tfoot", "tr", "caption")
_SPACE_RUN = re.compile(r"\s+")
_BLANK_LINE = re.compile(r"\n[ \t]*(?=\n)")
_LANGUAGE = re.compile(r"^language-[\w+#-]+$")


def needs_html(table: etree._Element) -> bool:
    """True when a pipe table would lose this table's structure."""
    for part in table.iter(*_STRUCTURE):
        # text between rows or cells: template syntax that makes the rows (`{% for %}` in a
        # Jekyll table, an island here) cannot stand between the lines of a pipe table
        if part.tag != "caption" and any(((node.text if node is part else node.tail) or "").strip() for node in [part, *part]):
            return True
    return any(_cell_needs_html(cell) for cell in table.iter("td", "th"))


def _cell_needs_html(cell: etree._Element) -> bool:
    for name in ("rowspan", "colspan"):
        value = (cell.get(name) or "").strip()
        if value.isascii() and value.isdigit() and int(value) > 1:
            return True
    if next(cell.iterdescendants(*_BLOCKS_IN_CELLS), None) is not None:
        return True
    # GFM splits a row at a `|` in code unless it is backslashed, kramdown shows the backslash:
    # no pipe table reads the same on every generator
    return any("|" in "".join(code.itertext()) for code in cell.iter(*_CODE_IN_CELLS))


_CODE_IN_CELLS = ("code", "kbd", "samp", "tt")


def pre_needs_html(pre: etree._Element) -> bool:
    """True when a fenced code block would lose what this <pre> shows: a link or an image in
    preformatted text (pasted screenshots with captions, HTML samples left unescaped) is written
    as Markdown's literal `![…](…)` inside code, so the <pre> is kept as clean HTML instead."""
    return any(node.get("href") for node in pre.iter("a")) or any(node.get("src") for node in pre.iter("img"))


def table_html(table: etree._Element) -> str:
    """The table (or <pre>) as clean HTML with no blank line."""
    clean = deepcopy(table)
    clean.tail = None
    for node in list(clean.iter()):
        if not isinstance(node.tag, str):
            _drop_keeping_tail(node)  # comments and processing instructions
            continue
        node.tag = node.tag.lower()
        kept = _KEPT_ATTRIBUTES.get(node.tag, ())
        values = {name.lower(): value for name, value in node.attrib.items() if name.lower() in kept}
        node.attrib.clear()
        # in one order, whatever the parser kept: both writers then write the same HTML
        node.attrib.update({name: values[name] for name in kept if name in values})
        if node.tag == "code" and node.get("class") and not _LANGUAGE.match(node.get("class")):
            del node.attrib["class"]
    for node in clean.iter():
        if not isinstance(node.tag, str) or node.tag == "pre" or any(a.tag == "pre" for a in node.iterancestors()):
            continue  # inside <pre> the line breaks are the code's
        node.text = _fold(node.text)
        node.tail = _fold(node.tail)
    _layout(clean)
    # a blank line would end the HTML block: an empty line of a <pre> holds `&#32;`, a space
    # that shows as nothing and that no trailing-space trimming or list indentation removes
    return _BLANK_LINE.sub("\n&#32;", etree.tostring(clean, method="html", encoding=str).strip())


def _layout(clean: etree._Element) -> None:
    """Whitespace between rows and cells is layout: one row a line, cells trimmed."""
    for node in clean.iter(*_STRUCTURE):
        _layout_structure(node)
    for cell in clean.iter("td", "th"):
        _trim_cell(cell)


def _layout_structure(node: etree._Element) -> None:
    if not (node.text or "").strip():
        node.text = "\n" if node.tag not in ("tr", "caption") and len(node) else None
    for child in node:
        if not (child.tail or "").strip():
            child.tail = "\n" if child.tag in _STRUCTURE and node.tag != "caption" else None


def _trim_cell(cell: etree._Element) -> None:
    if cell.text:
        cell.text = cell.text.lstrip() or None
    if len(cell):
        last = cell[-1]
        if last.tail:
            last.tail = last.tail.rstrip() or None
    elif cell.text:
        cell.text = cell.text.rstrip() or None


def _fold(text: str | None) -> str | None:
    return _SPACE_RUN.sub(" ", text) if text else text


def _drop_keeping_tail(node: etree._Element) -> None:
    parent = node.getparent()
    if parent is None:
        return
    if node.tail:
        previous = node.getprevious()
        if previous is not None:
            previous.tail = (previous.tail or "") + node.tail
        else:
            parent.text = (parent.text or "") + node.tail
    parent.remove(node)
