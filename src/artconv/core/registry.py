"""Which transformers exist: the built-ins, plus third-party ones from entry points.

Loading happens in three small steps (find, load, check), only when a name is asked for, so that
`artconv --version` never imports a plugin. A plugin that fails to load is reported with the
distribution that provides it. Installing a plugin never changes a pipeline by itself: it runs
only where configuration names it.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass
from functools import lru_cache

ENTRY_POINT_GROUP = "artconv.transformers"

BUILTINS: dict[str, str] = {
    "boilerplate": "artconv.transformers.boilerplate:Boilerplate",
    "tracking": "artconv.transformers.tracking:Tracking",
    "style": "artconv.transformers.style:Style",
    "whitespace": "artconv.transformers.whitespace:Whitespace",
    "hexo-escapes": "artconv.transformers.hexo_escapes:HexoEscapes",
}

# The order matters: boilerplate selectors need the classes that `style` strips, and tracking
# must see comments before anything else drops them.
_CLEANING = ("boilerplate", "tracking", "style", "whitespace", "hexo-escapes")
# Every format starts from the clean Markdown; JSON and XHTML decode hexo-escapes' entities again
# when they render it, so one order serves them all.
DEFAULT_PIPELINES: dict[str, tuple[str, ...]] = {"md": _CLEANING, "json": _CLEANING, "xhtml": _CLEANING}


class RegistryError(ValueError):
    pass


@dataclass(frozen=True)
class Entry:
    id: str
    target: str  # "module:attribute"
    distribution: str  # "artconv (built-in)" or the plugin's distribution name


@lru_cache(maxsize=1)
def available() -> dict[str, Entry]:
    """All transformer names, built-ins first; a plugin may not shadow a built-in."""
    from artconv.core.plugins import entry_points

    found = {name: Entry(name, target, "artconv (built-in)") for name, target in BUILTINS.items()}
    for ep in entry_points(ENTRY_POINT_GROUP):
        if ep.name in found:
            continue  # our own entry points repeat the built-ins; plugins may not replace them
        dist = ep.dist.name if ep.dist is not None else "unknown distribution"
        found[ep.name] = Entry(ep.name, ep.value, dist)
    return found


def load(name: str) -> type:
    # built-ins load without scanning entry points: that scan costs ~20 ms a run
    entries = {name: Entry(name, BUILTINS[name], "artconv (built-in)")} if name in BUILTINS else available()
    if name not in entries:
        raise RegistryError(
            f"unknown transformer '{name}' (available: {', '.join(sorted(entries))})"
        )
    entry = entries[name]
    module_name, _, attribute = entry.target.partition(":")
    try:
        obj = importlib.import_module(module_name)
        for part in attribute.split("."):
            obj = getattr(obj, part)
    except Exception as exc:  # a broken plugin must not take the run down with a traceback
        raise RegistryError(
            f"transformer '{name}' from {entry.distribution} failed to load: "
            f"{type(exc).__name__}: {exc}"
        ) from None
    for required in ("id", "summary", "Options"):
        if not hasattr(obj, required):
            raise RegistryError(
                f"transformer '{name}' from {entry.distribution} has no '{required}' attribute"
            )
    if obj.id != name:
        raise RegistryError(
            f"transformer registered as '{name}' by {entry.distribution} calls itself '{obj.id}'"
        )
    return obj
