"""FM008 tab-indentation: a tab indents a front-matter line; YAML forbids tabs there.

YAML only: TOML and JSON allow tabs wherever they allow spaces, so their front matter is
skipped.

Fails (the list items are indented with a TAB):

    ---
    tags:
    	- R
    ---

Passes:

    ---
    tags:
      - R
    ---
"""

from __future__ import annotations

import re

from artconv.rules import Rule

_TAB_INDENT = re.compile(r"^[ ]*\t", re.MULTILINE)


class TabIndentation(Rule):
    code = "FM008"
    name = "tab-indentation"
    summary = "a tab used for indentation in front matter"
    severity = "error"  # front matter is what the site is built from: a mistake in it is never cosmetic

    def check(self, context):
        article = context.article
        if article is None or not article.has_front_matter or article.form != "yaml":
            return
        text = article.yaml_text
        line = offset = 0
        for match in _TAB_INDENT.finditer(text):
            line += text.count("\n", offset, match.start())  # from the last match on: linear
            offset = match.start()
            yield context.finding(
                self, article.yaml_line + line, match.end() - match.start(), "tab used for indentation (YAML allows only spaces)"
            )
