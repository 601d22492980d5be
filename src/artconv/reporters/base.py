"""The Reporter protocol: how `artconv lint --output-format NAME` writes findings.

A reporter is registered like every plugin (`artconv.core.plugins.BUILTINS`, or the entry-point
group `artconv.reporters`), is made with the output stream, gets each file's findings as they
come (so that memory stays flat in the number of files) and is closed once at the end. It only
writes: counting, the summary line and the exit code belong to the run.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar, Protocol, TextIO, runtime_checkable

from artconv.lint.findings import Finding


@runtime_checkable
class Reporter(Protocol):
    format: ClassVar[str]  # the --output-format choice it is registered under
    summary: ClassVar[str]  # one line for the help text
    for_people: ClassVar[bool]  # the run prints its summary line (on stderr) only beside these

    def __init__(self, out: TextIO, color: bool = False) -> None: ...

    def add(self, findings: Sequence[Finding]) -> None: ...

    def close(self) -> None: ...


class BaseReporter:
    """Convenience base: keeps the stream and the colour flag; nothing to do at the end."""

    format: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    for_people: ClassVar[bool] = False

    def __init__(self, out: TextIO, color: bool = False) -> None:
        self.out = out
        self.color = color

    def add(self, findings: Sequence[Finding]) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def close(self) -> None:
        pass


def severity(finding: Finding) -> str:
    """The finding's severity; for one made outside a lint run (which has none), its rule's own."""
    return finding.severity or _rule_severity(finding.code)


def _rule_severity(code: str) -> str:
    rule = rule_class(code)
    return getattr(rule, "severity", "warning") if rule is not None else "warning"


def rule_class(code: str):
    """The rule registered under a code, or None: a broken plugin or a rule module gone missing
    must not cost the user the whole report."""
    try:
        import artconv.rules as rules  # the module attribute, so that tests can replace the registry
    except ImportError:
        return None
    try:
        return rules.available_rules().get(code)
    except (rules.RuleError, ImportError):
        return None
