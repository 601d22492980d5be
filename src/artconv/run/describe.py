"""What the informational commands print: `artconv transformers` (what is installed, and the
order each pipeline runs in) and `artconv rule` (a rule's documentation, or all rules)."""

from __future__ import annotations

from artconv.core import plugins
from artconv.core.config import Config
from artconv.core.errors import PluginError
from artconv.rules import available_rules, find_rule


def describe_transformers(config: Config) -> str:
    lines = ["Installed transformers:"]
    for entry in plugins.available(plugins.TRANSFORMERS).values():
        try:
            summary = plugins.load(plugins.TRANSFORMERS, entry.name).summary
        except PluginError as exc:
            summary = f"(failed to load: {exc})"
        lines.append(f"  {entry.name:<14} {summary}  [{entry.distribution}]")
    lines.append("")
    lines.append(f"Configuration: {config.source or 'built-in defaults'}")
    for fmt, names in config.pipelines.items():
        lines.append(f"Pipeline for --to {fmt}: {' -> '.join(names)}")
    return "\n".join(lines)


def describe_rule(code_or_name: str) -> str:
    rule = find_rule(code_or_name)
    fix = {"safe": "fixable with --fix", "unsafe": "fixable with --unsafe-fixes", None: "not fixable"}[rule.fix_safety()]
    return f"{rule.code} {rule.name} ({fix})\n\n{rule.documentation()}\n"


def describe_all_rules() -> str:
    lines = []
    for code, rule in available_rules().items():
        mark = {"safe": "[*]", "unsafe": "[!]", None: "   "}[rule.fix_safety()]
        lines.append(f"{code}  {mark}  {rule.name:<28} {rule.summary}")
    return "\n".join(lines) + "\n"
