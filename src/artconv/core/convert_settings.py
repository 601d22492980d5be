"""`[convert]` (`[tool.artconv.convert]`): how safe `--to md` output is.

    [convert]
    embeds = ["youtube", "vimeo", "bilibili", "video", "audio", "details"]   # the default
    safe-markdown = true                                                    # the default

Raw HTML left in Markdown output passes the XHTML writer's allow-list (writers/md_safe.py);
`embeds` adds what a reader of the site wants to keep: players from YouTube, Vimeo or Bilibili
(`<iframe>` over https from their hosts only), `<video>`, `<audio>` (with `<source>` and
`<track>`) and `<details>`/`<summary>`. `safe-markdown = false` writes raw HTML as the
transformers left it, for a repository whose every author is trusted.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from artconv.core.errors import ConfigError

EMBED_NAMES = ("youtube", "vimeo", "bilibili", "video", "audio", "details")
CONVERT_KEYS = ("embeds", "safe-markdown")


@dataclass(frozen=True)
class ConvertSettings:
    embeds: tuple[str, ...] = EMBED_NAMES
    safe_markdown: bool = True


DEFAULT_CONVERT = ConvertSettings()


def parse_convert_settings(data: Any, where: str) -> ConvertSettings:
    if not isinstance(data, dict):
        raise ConfigError(f"'convert'{where} must be a table")
    for key in data:
        if key not in CONVERT_KEYS:
            raise ConfigError(f"unknown key 'convert.{key}'{where} (valid: {', '.join(CONVERT_KEYS)})")
    embeds = data.get("embeds", list(EMBED_NAMES))
    if not isinstance(embeds, list) or not all(isinstance(name, str) for name in embeds):
        raise ConfigError(f"'convert.embeds'{where} must be a list of names like [\"youtube\", \"video\"]")
    for name in embeds:
        if name not in EMBED_NAMES:
            raise ConfigError(f"unknown embed '{name}' in convert.embeds{where} (valid: {', '.join(EMBED_NAMES)})")
    safe = data.get("safe-markdown", True)
    if not isinstance(safe, bool):
        raise ConfigError(f"'convert.safe-markdown'{where} must be true or false")
    return ConvertSettings(tuple(dict.fromkeys(embeds)), safe)
