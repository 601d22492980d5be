"""What both HTML → Markdown writers do around the conversion of an HTML part: mark the
`<!--more-->` excerpt marker before it, and resolve the emphasis placeholders after it, once
the characters beside each run are known (`中文**“粗”**体` is not bold in CommonMark)."""

from __future__ import annotations

import re
import unicodedata

from lxml import etree

from artconv.core.body import HtmlPart
from artconv.core.document import Document
from artconv.html.nested_links import lift_links_and_images_from_code, unnest_links
from artconv.html.runs import normalise_inline_runs
from artconv.transformers.tracking import is_authored_comment_block
from artconv.core.document import FRAGMENT_CHAR
from artconv.writers.md_text import TEMPLATED_URL_QUOTE, DEL_CLOSE, DEL_OPEN, EM_CLOSE, EM_OPEN, STRONG_CLOSE, STRONG_OPEN

_INNERMOST_EMPHASIS = re.compile("([\ue000\ue002\ue004])([^\ue000-\ue005]*)([\ue001\ue003\ue005])")
_MORE_COMMENT = re.compile(r"^\s*more\s*$", re.IGNORECASE)
_PLACEHOLDERS = (STRONG_OPEN, STRONG_CLOSE, EM_OPEN, EM_CLOSE, DEL_OPEN, DEL_CLOSE)
# per opening mark: its closing mark, its Markdown delimiter and the HTML element it falls back to
_MARKS = {STRONG_OPEN: (STRONG_CLOSE, "**", "strong"), EM_OPEN: (EM_CLOSE, "*", "em"), DEL_OPEN: (DEL_CLOSE, "~~", "del")}


def marked_tree(part: HtmlPart, doc: Document) -> etree._Element:
    """The part's tree, each `<!--more-->` made a paragraph of its own holding a fragment, its
    inline runs as a browser shows them (html/runs.py), and no link inside a link or inline code."""
    root = part.tree()
    if _PLACEHOLDER_CHARS.search(part.source):
        _keep_placeholder_chars(root, doc)
    if doc.islands == "hexo" and doc.fragments:
        _quote_templated_urls(root, doc)
    normalise_inline_runs(root)
    unnest_links(root)
    lift_links_and_images_from_code(root)
    more = doc.fragment("<!--more-->", "")
    # a block of nothing but comments between Markdown blocks holds the author's notes; those
    # the tracking transformer kept are written back as they were, each a block of its own
    authored = is_authored_comment_block(part.source)
    for comment in list(root.iter(etree.Comment)):
        if _MORE_COMMENT.match(comment.text or ""):
            _replace_with_paragraph(comment, more)  # the marker stands alone, as a block
        elif authored and "-->" not in (comment.text or ""):
            _replace_with_paragraph(comment, doc.fragment(f"<!--{comment.text or ''}-->", ""))
    for table in list(root.iter("table")):
        _rows_after_caption_in_tbody(table)
    return root


def _quote_templated_urls(root: etree._Element, doc: Document) -> None:
    """In a Hexo post, a link or image whose URL holds a template island stays HTML
    (md_elements): Hexo puts its tags aside as `<!--swig…-->` before reading Markdown, and a
    destination holding one is no link any more (Jekyll fills Liquid in first, Hugo's
    placeholders fit in a destination). Its quote is one the island does not use."""
    for element in root.iter("a", "img"):
        url = element.get("href" if element.tag == "a" else "src")
        if not url or FRAGMENT_CHAR.search(url) is None:
            continue
        written = doc.resolve_fragments(url, markdown=True)
        if '"' not in written:
            element.set(TEMPLATED_URL_QUOTE, '"')
        elif "'" not in written:
            element.set(TEMPLATED_URL_QUOTE, "'")


def _keep_placeholder_chars(root: etree._Element, doc: Document) -> None:
    """The writer marks emphasis with private-use characters until it knows its neighbours
    (resolve_emphasis); the same characters in an article (Material Icons' glyphs are U+E000…)
    were taken for those marks: made emphasis, or dropped. Each becomes a Document fragment,
    written back as itself after the marks are resolved."""
    def kept(text: str) -> str:
        return _PLACEHOLDER_CHARS.sub(lambda found: doc.fragment(found.group(), found.group()), text)

    for node in root.iter():
        if node.text and _PLACEHOLDER_CHARS.search(node.text):
            node.text = kept(node.text)
        if node.tail and _PLACEHOLDER_CHARS.search(node.tail):
            node.tail = kept(node.tail)
        if isinstance(node.tag, str):
            for name, value in node.attrib.items():
                if _PLACEHOLDER_CHARS.search(value):
                    node.set(name, kept(value))


_PLACEHOLDER_CHARS = re.compile(f"[{''.join(_PLACEHOLDERS)}]")


def _rows_after_caption_in_tbody(table: etree._Element) -> None:
    """`<table><caption>…</caption><tr>…`: both writers took the caption for a row before the
    first one, so the header row lost its `| --- |` line and the table was no table. The rows
    go into a <tbody> of their own, where the first row is first."""
    rows = [child for child in table if isinstance(child.tag, str) and child.tag.lower() == "tr"]
    if not rows or rows[0].getprevious() is None:
        return
    if not any(isinstance(e.tag, str) for e in rows[0].itersiblings(preceding=True)):
        return
    body = etree.Element("tbody")
    rows[0].addprevious(body)
    for row in rows:
        tail = row.tail
        body.append(row)
        row.tail = tail


def _replace_with_paragraph(node: etree._Element, text: str) -> None:
    paragraph = etree.Element("p")
    paragraph.text = text
    paragraph.tail = node.tail
    node.addprevious(paragraph)
    node.getparent().remove(node)


def resolve_emphasis(markdown: str) -> str:
    while STRONG_OPEN in markdown or EM_OPEN in markdown or DEL_OPEN in markdown:
        resolved = _INNERMOST_EMPHASIS.sub(_render_emphasis, markdown)
        if resolved == markdown:
            break
        markdown = resolved
    for placeholder in _PLACEHOLDERS:  # str.translate with a dict is ten times slower
        if placeholder in markdown:
            markdown = markdown.replace(placeholder, "")
    return markdown


def _render_emphasis(match: re.Match[str]) -> str:
    opening, inner, closing = match.groups()
    expected, delimiter, tag = _MARKS[opening]
    if closing != expected:
        return inner  # mismatched placeholders: keep the text, drop the markers
    source = match.string
    before = source[match.start() - 1] if match.start() else None
    after = source[match.end()] if match.end() < len(source) else None
    if not inner.strip() or "\n\n" in inner:
        # a run around a block (a <pre> a stray tag pulled into <strong>) cannot be emphasis in
        # Markdown: its delimiters would show on both sides of the blank line; the text stays
        return inner
    if _merged_run_fails(source, match.start(), match.end(), inner, delimiter):
        return f"<{tag}>{inner}</{tag}>"
    if flanks(before, inner, after):
        return f"{delimiter}{inner}{delimiter}"
    return _emphasis_moved_inside(inner, delimiter, tag, before, after)


def _emphasis_moved_inside(inner: str, delimiter: str, tag: str, before: str | None, after: str | None) -> str:
    """Punctuation at the edges moved outside the delimiters, where it no longer blocks them;
    `<strong>`/`<em>` when even that does not make CommonMark read emphasis."""
    core = inner.strip()
    lead = ""
    while core and _is_punctuation(core[0]):
        lead, core = lead + core[0], core[1:]
    trail = ""
    while core and _is_punctuation(core[-1]):
        trail, core = core[-1] + trail, core[:-1]
    if core and flanks(lead[-1:] or before, core, trail[:1] or after):
        return f"{lead}{delimiter}{core}{delimiter}{trail}"
    return f"<{tag}>{inner}</{tag}>" if core else inner


_ASTERISKS = "*" + STRONG_OPEN + STRONG_CLOSE + EM_OPEN + EM_CLOSE
_TILDES = "~" + DEL_OPEN + DEL_CLOSE
_PLACEHOLDER_SET = frozenset(_PLACEHOLDERS)


def _merged_run_fails(source: str, start: int, end: int, inner: str, delimiter: str) -> bool:
    """True when the run's delimiters touch a neighbour's and the merged run would show."""
    if delimiter == "~~":
        # beside another tilde, `~~` makes a run of three or more, which strikes nothing
        return bool(start and source[start - 1] in _TILDES) or (end < len(source) and source[end] in _TILDES)
    return _merged_asterisks_fail(source, start, end, inner)


def _merged_asterisks_fail(source: str, start: int, end: int, inner: str) -> bool:
    """`<strong><i>A：</i></strong><i>B</i>` → `***A：****B*`: the merged run, judged on the
    characters around all of it, could not close after punctuation: CommonMark shows it."""
    if start and source[start - 1] in _ASTERISKS and _is_letter(inner[0]):
        index = start - 1
        while index >= 0 and source[index] in _ASTERISKS:
            index -= 1
        if index >= 0 and source[index] != "*" and _is_punctuation(source[index]):
            return True
    if end < len(source) and source[end] in _ASTERISKS and _is_punctuation(inner[-1]):
        index = end
        while index < len(source) and source[index] in _ASTERISKS:
            index += 1
        return index < len(source) and _is_letter(source[index])
    return False


def _is_letter(char: str) -> bool:
    """Neither whitespace nor punctuation: what makes a delimiter run beside it one-sided."""
    return not char.isspace() and not _is_punctuation(char)


def _is_punctuation(char: str | None) -> bool:
    if char is None:
        return False
    return unicodedata.category(char)[0] in "PS" or char in _PLACEHOLDER_SET


def flanks(before: str | None, inner: str, after: str | None) -> bool:
    """True when `**inner**` between these neighbours opens and closes emphasis in CommonMark."""
    first, last = inner[0], inner[-1]
    if first.isspace() or last.isspace():
        return False
    open_ok = not _is_punctuation(first) or before is None or before.isspace() or _is_punctuation(before)
    close_ok = not _is_punctuation(last) or after is None or after.isspace() or _is_punctuation(after)
    return open_ok and close_ok
