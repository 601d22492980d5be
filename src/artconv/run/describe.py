"""What the informational commands print: `artconv transformers` (what is installed, and the
order each pipeline runs in) and `artconv rule` (a rule's documentation, or all rules)."""

from __future__ import annotations

from pathlib import Path

from artconv.core import plugins
from artconv.core.config import Config
from artconv.core.errors import PluginError
from artconv.core.generator import UNKNOWN, generator_for
from artconv.rules import available_rules, find_rule


def describe_transformers(config: Config, where: Path | None = None) -> str:
    """`where` names a file (or a name in a folder) whose generator decides the pipelines shown."""
    lines = ["Installed transformers:"]
    for entry in plugins.available(plugins.TRANSFORMERS).values():
        try:
            summary = plugins.load(plugins.TRANSFORMERS, entry.name).summary
        except PluginError as exc:
            summary = f"(failed to load: {exc})"
        lines.append(f"  {entry.name:<14} {summary}  [{entry.distribution}]")
    lines.append("")
    lines.append(f"Configuration: {config.source or 'built-in defaults'}")
    generator = generator_for(where, config.generator)
    lines.append(f"Site generator: {generator} ({_how(config, generator)})")
    for fmt in config.pipelines:
        lines.append(f"Pipeline for --to {fmt}: {' -> '.join(config.pipeline(fmt, generator).ids)}")
    return "\n".join(lines)


def _how(config: Config, generator: str) -> str:
    if config.generator != "auto":
        return f"generator = \"{config.generator}\" in {config.source}"
    if generator == UNKNOWN:
        return "auto: no Hexo, Jekyll or Hugo markers found; template syntax is kept, braces are not escaped"
    return "auto: found by the repository's markers"


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
