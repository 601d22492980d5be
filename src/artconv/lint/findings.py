"""Finding: one problem in one file, at a 1-based line and column."""

from __future__ import annotations

from typing import Literal, NamedTuple

FixSafety = Literal["safe", "unsafe"]


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

    def as_dict(self) -> dict:
        return self._asdict()
