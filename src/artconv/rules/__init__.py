"""Lint rules: one module per rule, the module docstring is the rule's documentation.

A rule has a stable `code` (FM… for front matter, HT… for the body), a kebab-case `name`, a
one-line `summary`, a default `severity`, an optional `fix` naming the transformer (and options)
that repairs it, and `check(context)` yielding findings. Rules reuse the transformers' detection;
fixes run the very transformers `convert` uses, restricted by options to the rule's job.

Built-in rules are registered in `artconv.core.plugins.BUILTINS`, third-party ones under the
entry-point group `artconv.rules`; both load through the same loader.
"""

from __future__ import annotations

from artconv.core import plugins
from artconv.core.errors import PluginError
from artconv.rules.base import Fix, Rule

__all__ = ["Fix", "Rule", "RuleError", "available_rules", "find_rule"]

ENTRY_POINT_GROUP = plugins.RULES
RuleError = PluginError  # the name this module has always raised


def available_rules() -> dict[str, type[Rule]]:
    """All rules by code: built-ins first, then plugins (which may not reuse a built-in code)."""
    return plugins.load_all(plugins.RULES)


def find_rule(code_or_name: str) -> type[Rule]:
    rules = available_rules()
    wanted = code_or_name.strip()
    for code, rule in rules.items():
        if wanted.upper() == code or wanted.lower() == rule.name:
            return rule
    raise RuleError(f"unknown rule '{code_or_name}' (rules: {', '.join(rules)})")
