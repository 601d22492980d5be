"""FM006 impossible-date: a bare date that does not exist, such as 2016-06-31.

YAML only: TOML refuses an impossible date itself (FM001 reports it where it stands) and
JSON has no bare dates, so their front matter is skipped.

PyYAML fails on it with an error that names no line, and generators stop building the site.

Fails:

    ---
    date: 2016-06-31
    ---

Passes:

    ---
    date: 2016-06-30
    ---
"""

from __future__ import annotations

import yaml

from artconv.frontmatter.yaml_nodes import scalars
from artconv.rules import Rule


def impossible_dates(context):
    """(node, reason) for every bare timestamp that cannot be constructed (YAML only)."""
    if not context.is_yaml:
        return
    for _, node in scalars(context.yaml_root):
        if node.tag.endswith(":timestamp") and not node.style:
            try:
                yaml.safe_load(node.value)
            except (ValueError, OverflowError, yaml.YAMLError) as exc:
                yield node, str(exc)


class ImpossibleDate(Rule):
    code = "FM006"
    name = "impossible-date"
    summary = "a date that does not exist (e.g. 2016-06-31)"
    severity = "error"  # front matter is what the site is built from: a mistake in it is never cosmetic

    def check(self, context):
        for node, reason in impossible_dates(context):
            line, column = context.yaml_position(node.start_mark)
            yield context.finding(self, line, column, f"'{node.value}' is not a real date ({reason})")
