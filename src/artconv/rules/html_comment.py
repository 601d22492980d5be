"""HT104 html-comment: an HTML comment left in the article.

CMS marker comments (`<!-- 正文下iframe -->`), Word's conditional comments and editors' notes
are invisible to readers but travel with every copy. `<!--more-->` (the excerpt marker of Hexo,
Jekyll and Hugo) and artconv's own `<!-- artconv-disable … -->` directives are not reported.
Nor, by default, are comments written in Markdown text or standing alone between Markdown
blocks: those are the author's notes (`<!--# TODO -->` on a Hugo site), not pasted or tracking
markup. Set `[transformers.tracking] markdown_comments = true` to report (and fix) them too.
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
from artconv.transformers.tracking import is_authored_comment_block

KEPT = re.compile(r"^\s*(?:more\s*$|artconv-(?:disable|enable))", re.IGNORECASE)


class HtmlComment(Rule):
    code = "HT104"
    name = "html-comment"
    summary = "HTML comment (other than <!--more-->)"
    fix = Fix("tracking", {"comments": True})

    def check(self, context):
        options = context.config.transformer_options.get("tracking", {})
        authored = bool(options.get("markdown_comments", options.get("markdown-comments", False)))
        for part, node in context.html_nodes():
            if not authored and is_authored_comment_block(part.source):
                continue
            if is_comment(node) and not KEPT.match(node.text or ""):
                line, column = context.locator(part).element_position(node)
                yield context.finding(self, line, column, f"HTML comment {_preview(node.text or '')}")
        if not authored:
            return
        for tag, (line, column) in context.markdown_tags():
            if tag.comment is not None and not KEPT.match(tag.comment):
                yield context.finding(self, line, column, f"HTML comment {_preview(tag.comment)}")


def _preview(text: str) -> str:
    text = " ".join(text.split())
    return f"'<!-- {text[:40]}{'…' if len(text) > 40 else ''} -->'"
