"""The reference HTML → Markdown writer, through markdownify (`[pipelines] writer = "markdownify"`).

The tree writer (writers/md_tree.py) walks lxml's tree itself, five to seven times faster than
markdownify's BeautifulSoup re-parse, and must give the same Markdown: this writer is what it is
checked against (tests/test_markdown.py, bench/compare_writers.py), and a user who meets a
difference can switch to it while the difference is fixed. markdownify and BeautifulSoup are
imported only when it is chosen.
"""

from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree

from artconv.core.body import HtmlPart, parse_html_fragment
from artconv.core.document import Document
from artconv.html.constants import BLOCK_EDGES
from artconv.writers.md_html_table import needs_html, pre_needs_html, table_html
from artconv.writers.md_parts import marked_tree, resolve_emphasis
from artconv.writers.md_text import (
    DEL_CLOSE,
    DEL_OPEN,
    EM_CLOSE,
    EM_OPEN,
    STRONG_CLOSE,
    STRONG_OPEN,
    chomp,
    escape,
    image,
    link,
)


def html_to_markdown(part: HtmlPart, doc: Document) -> str:
    """Convert one HTML part of a document to Markdown (fragments still unresolved)."""
    html = etree.tostring(marked_tree(part, doc), encoding=str, method="html")
    return resolve_emphasis(converter_class()().convert(html))


@lru_cache(maxsize=1)
def converter_class():
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
            return escape(text)

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
            return self._emphasis(el, text, parent_tags, STRONG_OPEN, STRONG_CLOSE, same)

        convert_b = convert_strong

        def convert_em(self, el, text, parent_tags):
            return self._emphasis(el, text, parent_tags, EM_OPEN, EM_CLOSE, {"em", "i"})

        convert_i = convert_em

        def convert_del(self, el, text, parent_tags):
            return self._emphasis(el, text, parent_tags, DEL_OPEN, DEL_CLOSE, {"del", "s", "strike"})

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
            return image(src, el.attrs.get("alt"), el.attrs.get("title"))

        def convert_a(self, el, text, parent_tags):
            href = el.attrs.get("href") or ""
            if "_noformat" in parent_tags or not href or href.startswith("#") and not text:
                return text
            prefix, suffix, text = chomp(text)
            if not text:
                return prefix + suffix
            return prefix + link(href, text, el.attrs.get("title")) + suffix

        def convert_iframe(self, el, text, parent_tags):
            src = el.attrs.get("src") or ""
            if not src or src.startswith("javascript:"):
                return text
            if src.startswith("//"):
                src = "https:" + src
            return f"\n\n<{src}>\n\n" if "_inline" not in parent_tags else f"<{src}>"

        convert_embed = convert_iframe

        def convert_table(self, el, text, parent_tags):
            # what a pipe table cannot hold stays clean HTML, as in the tree writer
            table = parse_html_fragment(str(el)).find("table")
            if table is not None and needs_html(table):
                return "\n\n" + table_html(table) + "\n\n"
            return super().convert_table(el, text, parent_tags)

        def convert_list(self, el, text, parent_tags):
            written = super().convert_list(el, text, parent_tags)
            start = str(el.get("start") or "")
            if "li" in parent_tags and el.name == "ol" and start.isnumeric() and int(start) != 1:
                return "\n" + written  # cannot interrupt a paragraph: a blank line first (md_elements)
            return written

        convert_ol = convert_ul = convert_list

        def convert_li(self, el, text, parent_tags):
            written = super().convert_li(el, text, parent_tags)
            before = el.previous_sibling
            after_text = isinstance(before, str) and bool(before.strip())
            if written.strip() and (getattr(el.parent, "name", None) not in ("ul", "ol") or after_text):
                return "\n" + written  # an item after text, or outside any list, starts a line
            return written

        def convert_pre(self, el, text, parent_tags):
            pre = parse_html_fragment(str(el)).find("pre")
            if pre is not None and pre_needs_html(pre):  # links or images in it: md_html_table
                return "\n\n" + table_html(pre) + "\n\n"
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


def _neighbour(node, direction: str):
    """The next (or previous) sibling that is not whitespace-only text."""
    sibling = getattr(node, direction)
    while sibling is not None and isinstance(sibling, str) and not sibling.strip():
        sibling = getattr(sibling, direction)
    return sibling


def _br_at_block_edge(br, direction: str) -> bool:
    """True when only breaks and whitespace lie between `br` and the edge of its block.

    Every break of a run walks to the same place: the answer is kept on each of them (walked
    from each, a run of n breaks cost n²)."""
    memo = "_artconv_edge_" + direction
    run, answer = [br], None
    sibling = _neighbour(br, direction)
    while getattr(sibling, "name", None) == "br":
        answer = getattr(sibling, memo, None)
        if answer is not None:
            break
        run.append(sibling)
        sibling = _neighbour(sibling, direction)
    if answer is None:
        answer = _edge_from(run[-1], sibling, direction)
    for node in run:
        setattr(node, memo, answer)
    return answer


def _edge_from(node, sibling, direction: str) -> bool:
    """`sibling` is what follows `node` (a break) in `direction`, breaks and blanks passed."""
    while True:
        if sibling is not None:
            return getattr(sibling, "name", None) in BLOCK_EDGES
        parent = node.parent
        if parent is None or parent.name in BLOCK_EDGES:
            return True
        node = parent
        sibling = _neighbour(node, direction)
        while getattr(sibling, "name", None) == "br":
            sibling = _neighbour(sibling, direction)
