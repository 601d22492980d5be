"""HT104 html-comment: an HTML comment left in the article.

CMS marker comments (`<!-- 正文下iframe -->`), Word's conditional comments and editors' notes
are invisible to readers but travel with every copy. `<!--more-->` (the excerpt marker of Hexo,
Jekyll and Hugo) and artconv's own `<!-- artconv-disable … -->` directives are not reported.
The fix removes the comments.

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

KEPT = re.compile(r"^\s*(?:more\s*$|artconv-(?:disable|enable))", re.IGNORECASE)


class HtmlComment(Rule):
    code = "HT104"
    name = "html-comment"
    summary = "HTML comment (other than <!--more-->)"
    fix = Fix("tracking", {"comments": True})

    def check(self, context):
        for part, node in context.html_nodes():
            if is_comment(node) and not KEPT.match(node.text or ""):
                line, column = context.locator(part).element_position(node)
                yield context.finding(self, line, column, f"HTML comment {_preview(node.text or '')}")
        for tag, (line, column) in context.markdown_tags():
            if tag.comment is not None and not KEPT.match(tag.comment):
                yield context.finding(self, line, column, f"HTML comment {_preview(tag.comment)}")


def _preview(text: str) -> str:
    text = " ".join(text.split())
    return f"'<!-- {text[:40]}{'…' if len(text) > 40 else ''} -->'"
