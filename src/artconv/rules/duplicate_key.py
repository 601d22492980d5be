"""FM003 duplicate-key: a key appears twice; YAML readers silently keep only the last one.

YAML and JSON (`json` also keeps the last one); TOML refuses a repeated key itself, and FM001
reports it.

Fails:

    ---
    author: Jeff Leek
    title: One problem
    author: Roger Peng
    ---

Passes:

    ---
    author: [Jeff Leek, Roger Peng]
    title: One problem
    ---
"""

from __future__ import annotations

from artconv.frontmatter.yaml_nodes import duplicate_keys
from artconv.rules import Rule


class DuplicateKey(Rule):
    code = "FM003"
    name = "duplicate-key"
    summary = "a front-matter key appears more than once (only the last one counts)"
    severity = "error"  # front matter is what the site is built from: a mistake in it is never cosmetic

    def check(self, context):
        if context.article is None or context.article.form == "toml":
            return
        for key, first in duplicate_keys(context.yaml_root):
            line, column = context.yaml_position(key.start_mark)
            first_line, _ = context.yaml_position(first.start_mark)
            yield context.finding(
                self, line, column, f"duplicate key '{key.value}' (first on line {first_line}; only this one is kept)"
            )
