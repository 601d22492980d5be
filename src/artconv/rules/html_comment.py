"""HT104 html-comment: an HTML comment left in the article.

CMS marker comments (`<!-- 正文下iframe -->`), Word's conditional comments and editors' notes
are invisible to readers but travel with every copy. `<!--more-->` (the excerpt marker of Hexo,
Jekyll and Hugo) and artconv's own `<!-- artconv-disable … -->` directives are not reported.
Nor, by default, are comments written in Markdown text or standing alone between Markdown
blocks: those are the author's notes (`<!--# TODO -->` on a Hugo site), not pasted or tracking
markup, except the comments no author writes (conditional comments, `StartFragment`/`EndFragment`,
tex4ht's `<!--l. 60-->`, empty ones). Set `[transformers.tracking] markdown_comments = true` to
report (and fix) them all.
The fix removes the reported comments, and only those.

Fails:

    <p>Text.</p><!-- news_keyword_pub,stock, -->

Passes:

    <p>Text.</p>
    <!--more-->
"""

from __future__ import annotations

import re

from artconv.rules import Fix, Rule
from artconv.rules._html import is_comment
from artconv.transformers.tracking import is_authored_comment_block, is_pasted_comment

KEPT = re.compile(r"^\s*(?:more\s*$|artconv-(?:disable|enable))", re.IGNORECASE)


class HtmlComment(Rule):
    code = "HT104"
    name = "html-comment"
    summary = "HTML comment (other than <!--more-->)"
    fix = Fix("tracking", {"comments": True})

    def check(self, context):
        options = context.config.transformer_options.get("tracking", {})
        everywhere = bool(options.get("markdown_comments", options.get("markdown-comments", False)))
        authored: dict[int, bool] = {}  # per part, not per comment: a part may hold thousands
        for part, node in context.html_nodes():
            if not is_comment(node):
                continue
            if id(part) not in authored:
                authored[id(part)] = is_authored_comment_block(part.source)
            if not _reported(node.text or "", everywhere or not authored[id(part)]):
                continue
            line, column = context.locator(part).element_position(node)
            yield context.finding(self, line, column, f"HTML comment {_preview(node.text or '')}")
        for tag, (line, column) in context.markdown_tags():
            if tag.comment is not None and _reported(tag.comment, everywhere):
                yield context.finding(self, line, column, f"HTML comment {_preview(tag.comment)}")


def _reported(text: str, pasted_html: bool) -> bool:
    """A comment in pasted HTML, or one no author writes; never the excerpt marker or a directive."""
    return (pasted_html or is_pasted_comment(text)) and not KEPT.match(text)


def _preview(text: str) -> str:
    text = " ".join(text.split())
    return f"'<!-- {text[:40]}{'…' if len(text) > 40 else ''} -->'"
