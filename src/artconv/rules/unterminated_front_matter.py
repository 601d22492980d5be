"""FM002 unterminated-front-matter: the opening `---` has no closing `---` (or `+++` no `+++`,
or a JSON front matter's `{` no `}` line).

Everything after it is then front matter to some tools and body to others.

Fails:

    ---
    title: Notes

    The body starts here, but nothing closed the front matter.

Passes:

    ---
    title: Notes
    ---
    The body starts here.
"""

from __future__ import annotations

from artconv.rules import Rule


class UnterminatedFrontMatter(Rule):
    code = "FM002"
    name = "unterminated-front-matter"
    summary = "front matter opened with '---' is never closed"
    severity = "error"  # front matter is what the site is built from: a mistake in it is never cosmetic

    def check(self, context):
        error = context.article.yaml_error if context.article is not None else None
        if error is not None and "never closed" in error.message:
            yield context.finding(self, error.line or 1, 1, error.message.replace("opened with", "opened here with"))
