"""Text for `artconv transformers`: what is installed, and the order each pipeline runs in."""

from __future__ import annotations

from artconv.core import registry
from artconv.core.config import Config


def describe_transformers(config: Config) -> str:
    lines = ["Installed transformers:"]
    for entry in registry.available().values():
        try:
            summary = registry.load(entry.id).summary
        except registry.RegistryError as exc:
            summary = f"(failed to load: {exc})"
        lines.append(f"  {entry.id:<14} {summary}  [{entry.distribution}]")
    lines.append("")
    lines.append(f"Configuration: {config.source or 'built-in defaults'}")
    for fmt, names in config.pipelines.items():
        lines.append(f"Pipeline for --to {fmt}: {' -> '.join(names)}")
    return "\n".join(lines)
