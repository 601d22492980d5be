"""The version, and the line `artconv --version` prints (with the plugins installed, as mdformat
does), kept apart from the package's `__init__` so that modules can name it without importing
the public facade."""

from __future__ import annotations

__version__ = "0.1.0"


def version_line() -> str:
    """`artconv 0.1.0`, or `artconv 0.1.0 (some-plugin: 1.2, other-plugin: 0.3)`."""
    from artconv.core.plugins import plugin_distributions

    plugins = ", ".join(f"{name}: {version}" for name, version in plugin_distributions())
    return f"artconv {__version__}" + (f" ({plugins})" if plugins else "")
