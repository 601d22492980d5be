"""The Rule base class and the Fix a rule may name."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar

if TYPE_CHECKING:
    from artconv.lint.context import LintContext
    from artconv.lint.findings import Finding, Severity


@dataclass(frozen=True)
class Fix:
    """Repair a rule's findings by running `transformer` with `options`."""

    transformer: str
    options: dict[str, Any] = field(default_factory=dict)
    safe: bool = True


class Rule:
    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    fix: ClassVar[Fix | None] = None
    # the default; configuration may change it ([lint.severity]), and the engine decides
    severity: ClassVar[Severity] = "warning"

    def check(self, context: LintContext) -> Iterator[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def documentation(cls) -> str:
        import inspect

        # a rule's own docstring, else its module's (built-ins are one rule to a module)
        own = cls.__dict__.get("__doc__")
        return inspect.cleandoc(own or sys.modules[cls.__module__].__doc__ or cls.summary)

    @classmethod
    def fix_safety(cls) -> str | None:
        if cls.fix is None:
            return None
        return "safe" if cls.fix.safe else "unsafe"
