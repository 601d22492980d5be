"""FM103 missing-required-key: a key the schema requires is not in the front matter.

Reported on the closing `---` line, where the key would be added. A key required inside a
nested mapping is reported at that mapping's key. A file without any front matter misses every
required key. Which keys are required comes from the schema's `required` (and
`dependentRequired`); the `rss-mirror` preset requires `title`, `date` and `categories`, the
generator presets require nothing, because Hexo, Jekyll and Hugo fall back to the file name.

Fails (with `schema = "rss-mirror"`):

    ---
    title: 'Weekly report'
    categories: [finance]
    ---

Passes:

    ---
    title: 'Weekly report'
    categories: [finance]
    date: Wed, 18 May 2022 04:07:28 GMT
    ---
"""

from __future__ import annotations

from artconv.frontmatter.schemas import describe_path
from artconv.rules import Rule
from artconv.rules._schema import key_position, validate


class MissingKey(Rule):
    code = "FM103"
    name = "missing-required-key"
    summary = "a key the schema requires is missing from the front matter"
    severity = "error"  # front matter is what the site is built from: a mistake in it is never cosmetic

    def check(self, context):
        result = validate(context)
        if result is None:
            return
        seen = set()
        for error in result.errors:
            if not isinstance(error.instance, dict):
                continue
            path = tuple(error.absolute_path)
            for key, reason in _missing(error):
                if (path, key) in seen:
                    continue
                seen.add((path, key))
                yield self._finding(context, path, key, reason)

    def _finding(self, context, path, key, reason):
        if path:
            line, column = key_position(context, path)
            return context.finding(self, line, column, f"missing required key '{key}' in '{describe_path(path)}'{reason}")
        if not context.article.has_front_matter:
            return context.finding(self, 1, 1, f"missing required key '{key}' (the file has no front matter)")
        return context.finding(self, context.closing_line, 1, f"missing required key '{key}'{reason}")


def _missing(error):
    """(key, explanation) for each key this `required` or `dependentRequired` error is about."""
    present = error.instance
    if error.validator == "required":
        return [(key, "") for key in error.validator_value if key not in present]
    if error.validator == "dependentRequired":
        return [
            (key, f" (required when '{trigger}' is set)")
            for trigger, keys in error.validator_value.items() if trigger in present
            for key in keys if key not in present
        ]
    return []
