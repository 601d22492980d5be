"""Markdown writer.

Markdown parts of the body are written exactly as they were; HTML parts are converted to
CommonMark/GFM (ATX headings, `-` bullets, fenced code, pipe tables, links and images kept) by
writers/md_tree.py, straight from their lxml trees. The front matter is written back as its
original text, with lifted keys appended before the closing delimiter.

The markdownify-based converter this writer used before is kept, importable but never imported by
the pipeline, as `html_to_markdown_via_markdownify`: bench/compare_writers.py checks the tree
writer against it.
"""

from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache

import yaml
from lxml import etree

from artconv.core.body import HtmlPart, MarkdownPart
from artconv.core.document import Document
from artconv.html.inline import SIMPLE_ELEMENT, attributes_of, rewrite_matches
from artconv.writers.md_tree import EM_CLOSE as _EM_CLOSE
from artconv.writers.md_tree import EM_OPEN as _EM_OPEN
from artconv.writers.md_tree import STRONG_CLOSE as _STRONG_CLOSE
from artconv.writers.md_tree import STRONG_OPEN as _STRONG_OPEN
from artconv.writers.md_tree import chomp, escape, tree_to_markdown
from artconv.writers.md_tree import destination as _destination

_INNERMOST_EMPHASIS = re.compile("([\ue000\ue002])([^\ue000-\ue003]*)([\ue001\ue003])")
_MORE_COMMENT = re.compile(r"^\s*more\s*$", re.IGNORECASE)
_LEADING_BLANK_LINES = re.compile(r"\A(?:[ \t]*\n)+")
_TRAILING_BLANK_LINES = re.compile(r"(?:\n[ \t]*)+\Z")
_BLANK_RUNS = re.compile(r"\n{3,}")
_TRAILING_SPACE = re.compile(r"[ \t]+$", re.MULTILINE)


@lru_cache(maxsize=1)
def _converter_class():
    from markdownify import ATX, BACKSLASH, MarkdownConverter

    class ArticleConverter(MarkdownConverter):
        class Options(MarkdownConverter.DefaultOptions):
            heading_style = ATX
            bullets = "-"
            newline_style = BACKSLASH
            table_infer_header = True
            escape_asterisks = False  # escaping is done by `escape` below, once
            escape_underscores = False

        def escape(self, text, parent_tags):
            return escape(text, "td" in parent_tags or "th" in parent_tags)

        def _emphasis(self, el, text, parent_tags, opening, closing, same):
            if "_noformat" in parent_tags or parent_tags & same:
                return text
            prefix, suffix, text = chomp(text)
            if not text:
                return prefix + suffix
            return f"{prefix}{opening}{text}{closing}{suffix}"

        def convert_strong(self, el, text, parent_tags):
            # headings are bold already: `## **Title**` says nothing `## Title` does not
            same = {"strong", "b", "h1", "h2", "h3", "h4", "h5", "h6"}
            return self._emphasis(el, text, parent_tags, _STRONG_OPEN, _STRONG_CLOSE, same)

        convert_b = convert_strong

        def convert_em(self, el, text, parent_tags):
            return self._emphasis(el, text, parent_tags, _EM_OPEN, _EM_CLOSE, {"em", "i"})

        convert_i = convert_em

        def convert_del(self, el, text, parent_tags):
            return self._emphasis(el, text, parent_tags, "~~", "~~", {"del", "s", "strike"})

        convert_s = convert_strike = convert_del

        def convert_sub(self, el, text, parent_tags):
            return self._emphasis(el, text, parent_tags, "", "", set())

        convert_sup = convert_sub

        def convert_code(self, el, text, parent_tags):
            if "_noformat" in parent_tags:
                return text
            prefix, suffix, text = chomp(text)
            if not text:
                return prefix + suffix
            longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
            delimiter = "`" * (longest + 1)
            if longest or text.startswith("`") or text.endswith("`"):
                text = f" {text} "
            return f"{prefix}{delimiter}{text}{delimiter}{suffix}"

        convert_kbd = convert_samp = convert_code

        def convert_br(self, el, text, parent_tags):
            if "pre" in parent_tags or "_noformat" in parent_tags:
                return "\n"
            if _br_at_block_edge(el, "next_sibling") or _br_at_block_edge(el, "previous_sibling"):
                return ""  # a break at the edge of a block shows nothing but a stray backslash
            following = _neighbour(el, "next_sibling")
            if getattr(following, "name", None) == "br":
                return ""  # a run of breaks is written once, by its last one
            preceding = _neighbour(el, "previous_sibling")
            if getattr(preceding, "name", None) == "br":
                return "\n\n"  # two or more breaks in a row separate paragraphs
            return "\\\n"

        def convert_img(self, el, text, parent_tags):
            src = el.attrs.get("src") or ""
            if not src:
                return el.attrs.get("alt") or ""
            alt = (el.attrs.get("alt") or "").replace("[", "\\[").replace("]", "\\]")
            title = el.attrs.get("title") or ""
            title_part = ' "%s"' % title.replace('"', '\\"') if title else ""
            return f"![{alt}]({_destination(src)}{title_part})"

        def convert_a(self, el, text, parent_tags):
            href = el.attrs.get("href") or ""
            if "_noformat" in parent_tags or not href or href.startswith("#") and not text:
                return text
            prefix, suffix, text = chomp(text)
            if not text:
                return prefix + suffix
            title = el.attrs.get("title") or ""
            title_part = ' "%s"' % title.replace('"', '\\"') if title else ""
            return f"{prefix}[{text}]({_destination(href)}{title_part}){suffix}"

        def convert_iframe(self, el, text, parent_tags):
            src = el.attrs.get("src") or ""
            if not src or src.startswith("javascript:"):
                return text
            if src.startswith("//"):
                src = "https:" + src
            return f"\n\n<{src}>\n\n" if "_inline" not in parent_tags else f"<{src}>"

        convert_embed = convert_iframe

        def convert_pre(self, el, text, parent_tags):
            if not text:
                return ""
            language = ""
            code = el.find("code")
            for candidate in (el, code):
                classes = candidate.get("class") if candidate is not None else None
                for cls in classes or []:
                    if cls.startswith("language-"):
                        language = cls[len("language-"):]
            text = text.strip("\n")
            longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
            fence = "`" * max(3, longest + 1)
            return f"\n\n{fence}{language}\n{text}\n{fence}\n\n"

    return ArticleConverter


_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "body", "dd", "div", "dl", "dt", "figcaption",
    "figure", "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "main", "nav",
    "ol", "p", "pre", "section", "table", "td", "th", "tr", "ul", "[document]",
})


def _neighbour(node, direction: str):
    """The next (or previous) sibling that is not whitespace-only text."""
    sibling = getattr(node, direction)
    while sibling is not None and isinstance(sibling, str) and not sibling.strip():
        sibling = getattr(sibling, direction)
    return sibling


def _br_at_block_edge(br, direction: str) -> bool:
    """True when only breaks and whitespace lie between `br` and the edge of its block."""
    node = br
    while True:
        sibling = _neighbour(node, direction)
        while getattr(sibling, "name", None) == "br":
            sibling = _neighbour(sibling, direction)
        if sibling is not None:
            return getattr(sibling, "name", None) in _BLOCK_TAGS
        parent = node.parent
        if parent is None or parent.name in _BLOCK_TAGS:
            return True
        node = parent


def html_to_markdown(part: HtmlPart, doc: Document) -> str:
    """Convert one HTML part of a document to Markdown (fragments and emphasis still unresolved)."""
    return resolve_emphasis(tree_to_markdown(_marked_tree(part, doc)))


def html_to_markdown_via_markdownify(part: HtmlPart, doc: Document) -> str:
    """The former conversion, through markdownify: for bench/compare_writers.py only."""
    html = etree.tostring(_marked_tree(part, doc), encoding=str, method="html")
    return resolve_emphasis(_converter_class()().convert(html))


def _marked_tree(part: HtmlPart, doc: Document) -> etree._Element:
    root = part.tree()
    more = doc.fragment("<!--more-->", "")
    for comment in list(root.iter(etree.Comment)):
        if _MORE_COMMENT.match(comment.text or ""):
            _replace_with_paragraph(comment, more)  # the marker stands alone, as a block
    return root


def _replace_with_paragraph(node: etree._Element, text: str) -> None:
    paragraph = etree.Element("p")
    paragraph.text = text
    paragraph.tail = node.tail
    node.addprevious(paragraph)
    node.getparent().remove(node)


def resolve_emphasis(markdown: str) -> str:
    while _STRONG_OPEN in markdown or _EM_OPEN in markdown:
        resolved = _INNERMOST_EMPHASIS.sub(_render_emphasis, markdown)
        if resolved == markdown:
            break
        markdown = resolved
    for placeholder in _PLACEHOLDERS:  # str.translate with a dict is ten times slower
        if placeholder in markdown:
            markdown = markdown.replace(placeholder, "")
    return markdown


_PLACEHOLDERS = (_STRONG_OPEN, _STRONG_CLOSE, _EM_OPEN, _EM_CLOSE)


def _render_emphasis(match: re.Match[str]) -> str:
    opening, inner, closing = match.groups()
    if (opening == _STRONG_OPEN) != (closing == _STRONG_CLOSE):
        return inner  # mismatched placeholders: keep the text, drop the markers
    delimiter = "**" if opening == _STRONG_OPEN else "*"
    source = match.string
    before = source[match.start() - 1] if match.start() else None
    after = source[match.end()] if match.end() < len(source) else None
    if not inner.strip():
        return inner
    if _flanks(before, inner, after):
        return f"{delimiter}{inner}{delimiter}"
    core = inner.strip()
    # move punctuation at the edges outside the delimiters, where it no longer blocks them
    lead = ""
    while core and _is_punctuation(core[0]):
        lead, core = lead + core[0], core[1:]
    trail = ""
    while core and _is_punctuation(core[-1]):
        trail, core = core[-1] + trail, core[:-1]
    if core and _flanks(lead[-1:] or before, core, trail[:1] or after):
        return f"{lead}{delimiter}{core}{delimiter}{trail}"
    tag = "strong" if delimiter == "**" else "em"
    return f"<{tag}>{inner}</{tag}>" if core else inner


def _is_punctuation(char: str | None) -> bool:
    if char is None:
        return False
    return unicodedata.category(char)[0] in "PS" or char in "\ue000\ue001\ue002\ue003"


def _flanks(before: str | None, inner: str, after: str | None) -> bool:
    """True when `**inner**` between these neighbours opens and closes emphasis in CommonMark."""
    first, last = inner[0], inner[-1]
    if first.isspace() or last.isspace():
        return False
    open_ok = not _is_punctuation(first) or before is None or before.isspace() or _is_punctuation(before)
    close_ok = not _is_punctuation(last) or after is None or after.isspace() or _is_punctuation(after)
    return open_ok and close_ok


def write_body(doc: Document) -> str:
    """The body as Markdown: Markdown parts verbatim, each HTML part replaced by its conversion,
    with exactly one blank line wherever an HTML part stood."""
    # pieces joined once at the end: re-scanning the whole output at every HTML part was
    # quadratic (a 1 MB body of alternating parts took a minute)
    pieces: list[str] = []
    at_boundary = False
    for part in doc.parts:
        if isinstance(part, HtmlPart):
            converted = _tidy(html_to_markdown(part, doc))
            _strip_trailing_blank_lines(pieces)
            if converted.strip():  # a part of only NBSP or U+3000 is an empty paragraph, as in Markdown text
                pieces.append(f"\n\n{converted}" if pieces else converted)
            at_boundary = True
            continue
        text = markdown_inline_elements(part.text)
        if at_boundary:
            if not text.strip():
                continue  # blank lines after an HTML part: the boundary (and the final newline) stays
            text = _LEADING_BLANK_LINES.sub("", text)
            text = "\n\n" + text if pieces else text
            at_boundary = False
        if text:
            pieces.append(text)
    if at_boundary and pieces:
        pieces.append("\n")
    out = "".join(pieces)
    if doc.html_parts() and out.strip():
        # the blank lines the body opened with, as the transformers left them (a second run must
        # not find more to collapse)
        first = doc.parts[0]
        out = (re.match(r"\n*", first.text).group() if isinstance(first, MarkdownPart) else "") + out.lstrip("\n")
    elif doc.html_parts():
        out = ""  # nothing but blank lines is left: an empty body, which stays empty
    if not doc.article.has_front_matter:
        # a thematic break written as `---` on the first line would open front matter when read back
        out = _LEADING_DASH_RULE.sub(r"\1***", out, count=1)
    return doc.resolve_fragments(out, markdown=True)


def _strip_trailing_blank_lines(pieces: list[str]) -> None:
    """What _TRAILING_BLANK_LINES.sub does to the joined pieces, touching only the last ones."""
    tail = []
    while pieces:
        tail.insert(0, pieces.pop())
        if tail[0].strip():
            break
    stripped = _TRAILING_BLANK_LINES.sub("", "".join(tail))
    if stripped:
        pieces.append(stripped)


_LEADING_DASH_RULE = re.compile(r"\A((?:[ \t]*\n)*)---(?=[ \t]*(?:\n|\Z))")


def markdown_inline_elements(text: str) -> str:
    """Write simple HTML elements standing in Markdown text (links, images, emphasis around
    plain text) as Markdown; anything more complex stays as the HTML it is."""
    for _ in range(8):  # inner elements first: <a><b>x</b></a> takes two rounds
        if "<" not in text:
            break
        rewritten = rewrite_matches(text, SIMPLE_ELEMENT, _inline_element_as_markdown)
        if rewritten == text:
            break
        text = rewritten
    return text


def _inline_element_as_markdown(match: re.Match[str]) -> str | None:
    if match.group(4):  # <img>
        attributes = attributes_of(match.group(5))
        src = html.unescape(attributes.get("src") or "")
        if not src or src.lower().startswith("javascript:"):
            return None
        alt = html.unescape(attributes.get("alt") or "").replace("[", "\\[").replace("]", "\\]")
        return f"![{alt}]({_destination(src)}{_title(attributes)})"
    name, text = match.group(1).lower(), match.group(3)
    attributes = attributes_of(match.group(2))
    if not text.strip() or "\n\n" in text:
        return None
    if name == "a":
        href = html.unescape(attributes.get("href") or "")
        if not href or href.lower().startswith("javascript:") or "[" in text or "]" in text:
            return None
        return f"[{text}]({_destination(href)}{_title(attributes)})"
    if attributes or "*" in text:
        return None
    delimiter = "**" if name in ("strong", "b") else "*"
    before = match.string[match.start() - 1] if match.start() else None
    after = match.string[match.end()] if match.end() < len(match.string) else None
    core = text.strip()
    lead = " " if text[0].isspace() else ""
    trail = " " if text[-1].isspace() else ""
    if not _flanks(lead or before, core, trail or after):
        return None
    return f"{lead}{delimiter}{core}{delimiter}{trail}"


def _title(attributes: dict[str, str | None]) -> str:
    title = html.unescape(attributes.get("title") or "")
    return ' "%s"' % title.replace('"', '\\"') if title else ""


def _tidy(markdown: str) -> str:
    markdown = _TRAILING_SPACE.sub("", markdown)
    markdown = _BLANK_RUNS.sub("\n\n", markdown)
    return markdown.strip("\n")


def write_front_matter(doc: Document) -> str:
    article = doc.article
    if not doc.metadata_updates:
        return article.head + article.closing
    added = yaml.safe_dump(
        doc.metadata_updates, allow_unicode=True, default_flow_style=False, sort_keys=False, width=10**9
    )
    if article.newline != "\n":
        added = added.replace("\n", article.newline)
    if not article.has_front_matter:
        nl = article.newline
        return f"---{nl}{added}---{nl}{nl}"
    head = article.head
    if head and not head.endswith("\n"):
        head += article.newline
    return head + added + article.closing


def write_markdown(doc: Document) -> str:
    """The whole file: front matter (original text plus lifted keys), then the body."""
    body = write_body(doc)
    if doc.article.newline != "\n":
        body = body.replace("\n", doc.article.newline)
    return write_front_matter(doc) + body
