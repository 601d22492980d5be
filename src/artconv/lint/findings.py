"""Finding: one problem in one file, at a 1-based line and column, with its severity."""

from __future__ import annotations

from typing import Literal, NamedTuple

FixSafety = Literal["safe", "unsafe"]
Severity = Literal["error", "warning"]


class Finding(NamedTuple):
    # a tuple, not a frozen dataclass: a large run builds, sorts, pickles (--jobs) and caches
    # hundreds of thousands of them, and tuples do all of that several times faster
    path: str
    line: int
    column: int
    code: str
    message: str
    name: str = ""
    fix: FixSafety | None = None  # whether --fix (safe) or --unsafe-fixes can repair it
    # decided by the engine from the rule's own severity and [lint.severity]; None only for a
    # finding made outside a lint run, which reporters then treat as the rule's own default
    severity: Severity | None = None

    def as_dict(self) -> dict:
        """The finding as `--format json` writes it: its shape predates severity, which the
        GitHub and SARIF formats carry."""
        data = self._asdict()
        del data["severity"]
        return data
