"""FM001 invalid-yaml: the front matter is not valid YAML, or not a mapping of keys.

The site generator stops on it or, worse, reads a different value than the author meant.
The finding points where the YAML parser gave up, in file coordinates.

Hugo's other two forms are checked by the same rule (its name is kept for configurations that
name it): TOML between `+++` lines (tomllib's line and column) and a JSON object at the start
of the file (json's line and column), e.g. `2:9: invalid TOML front matter: Invalid value`.

Fails:

    ---
    title: A solution: Imputation using R
    ---

Passes:

    ---
    title: "A solution: Imputation using R"
    ---
"""

from __future__ import annotations

from artconv.rules import Rule
from artconv.rules.impossible_date import impossible_dates


class InvalidYaml(Rule):
    code = "FM001"
    name = "invalid-yaml"
    summary = "front matter is not valid YAML, TOML or JSON (or not a mapping)"
    severity = "error"  # front matter is what the site is built from: a mistake in it is never cosmetic

    def check(self, context):
        article = context.article
        error = article.yaml_error if article is not None else None
        if error is None or "never closed" in error.message:
            return
        if context.yaml_root is not None and any(True for _ in impossible_dates(context)):
            return  # the YAML is fine; a date in it is not (FM006 says which)
        yield context.finding(self, error.line or 1, error.column or 1, error.message)
