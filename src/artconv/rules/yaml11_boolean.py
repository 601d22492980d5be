"""FM004 yaml11-boolean: `yes`, `no`, `on`, `off`, `y`, `n` written bare.

YAML only: TOML and JSON have just `true` and `false`, so their front matter is skipped.

YAML 1.1 (PyYAML, Jekyll, Hexo) reads them as booleans, YAML 1.2 (Hugo) as strings, so the
same file means different things to different tools; a title or a country code `no` silently
becomes `false`. Write `true`/`false`, or quote the word.

Fails:

    ---
    title: no
    comments: off
    ---

Passes:

    ---
    title: "no"
    comments: false
    ---
"""

from __future__ import annotations

from artconv.frontmatter.yaml_nodes import scalars
from artconv.rules import Rule

YAML11_BOOLEANS = {"yes": True, "no": False, "on": True, "off": False, "y": True, "n": False}


def is_yaml11_boolean(node) -> bool:
    """A bare scalar that YAML 1.1 reads as a boolean and YAML 1.2 as a string."""
    return node.tag.endswith(":bool") and not node.style and node.value.lower() in YAML11_BOOLEANS


class Yaml11Boolean(Rule):
    code = "FM004"
    name = "yaml11-boolean"
    summary = "a bare yes/no/on/off is a boolean in YAML 1.1 but a string in YAML 1.2"
    severity = "error"  # front matter is what the site is built from: a mistake in it is never cosmetic

    def check(self, context):
        if not context.is_yaml:
            return
        for _, node in scalars(context.yaml_root):
            if is_yaml11_boolean(node):
                value = str(YAML11_BOOLEANS[node.value.lower()]).lower()
                line, column = context.yaml_position(node.start_mark)
                yield context.finding(
                    self, line, column,
                    f"'{node.value}' is read as {value} by YAML 1.1 but as a string by YAML 1.2: "
                    f"write {value}, or \"{node.value}\" if you mean the word",
                )
