"""FM005 ambiguous-number: a bare number that YAML 1.1 reads differently than it looks.

YAML only: TOML and JSON say what a number is (`0123` is an error in both), so their
front matter is skipped.

`0123` is the octal number 83, `1:30` is the sexagesimal number 90. Quote it if it is text
(an ID, a time), or drop the leading zero if it is a number.

Fails:

    ---
    id: 0123
    time: 1:30
    ---

Passes:

    ---
    id: "0123"
    time: "1:30"
    ---
"""

from __future__ import annotations

import re

import yaml

from artconv.frontmatter.yaml_nodes import scalars
from artconv.rules import Rule

_OCTAL = re.compile(r"^[-+]?0[0-7_]+$")
_SEXAGESIMAL = re.compile(r"^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$")


def ambiguous_number_kind(node) -> str | None:
    """"octal" or "base-60" for a bare number YAML 1.1 reads differently than it looks."""
    if node.style or not node.tag.endswith((":int", ":float")):
        return None
    return "octal" if _OCTAL.match(node.value) else "base-60" if _SEXAGESIMAL.match(node.value) else None


class AmbiguousNumber(Rule):
    code = "FM005"
    name = "ambiguous-number"
    summary = "a bare number with a leading zero (octal) or colons (base 60)"
    severity = "error"  # front matter is what the site is built from: a mistake in it is never cosmetic

    def check(self, context):
        if not context.is_yaml:
            return
        for _, node in scalars(context.yaml_root):
            kind = ambiguous_number_kind(node)
            if kind is None:
                continue
            value = yaml.safe_load(node.value)
            line, column = context.yaml_position(node.start_mark)
            yield context.finding(
                self, line, column,
                f"'{node.value}' is read as the {kind} number {value}: quote it (\"{node.value}\") if it is text",
            )
