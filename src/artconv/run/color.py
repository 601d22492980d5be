"""Whether text output is coloured: `--color auto|always|never`, then the conventions of
no-color.org (`NO_COLOR`) and force-color.org (`FORCE_COLOR`), then whether it is a terminal."""

from __future__ import annotations

import os
from typing import TextIO

CHOICES = ("auto", "always", "never")


def use_color(choice: str, stream: TextIO, environ: dict[str, str] | None = None) -> bool:
    environ = os.environ if environ is None else environ
    if choice == "always":
        return True
    if choice == "never":
        return False
    if environ.get("NO_COLOR"):  # any non-empty value, as no-color.org says
        return False
    if environ.get("FORCE_COLOR"):
        return True
    try:
        return stream.isatty()
    except (AttributeError, ValueError):
        return False
