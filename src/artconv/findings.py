"""Finding: one problem in one file, at a 1-based line and column."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Literal

FixSafety = Literal["safe", "unsafe"]


@dataclass(frozen=True, order=True)
class Finding:
    path: str
    line: int
    column: int
    code: str
    message: str
    name: str = ""
    fix: FixSafety | None = None  # whether --fix (safe) or --unsafe-fixes can repair it

    def as_dict(self) -> dict:
        return asdict(self)
