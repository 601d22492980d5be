"""What a run says at the end: counts, one-line error messages, the summary line and the exit
code, for `convert` (Report) and `lint` (LintReport) alike."""

from __future__ import annotations

import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TextIO

from artconv.core.names import printable, quote_name
from artconv.lint.findings import Finding

EXIT_OK = 0
EXIT_FAILED = 1  # some files failed, or --check found files that would change
EXIT_USAGE = 2  # bad arguments or configuration
EXIT_INTERNAL = 3  # a bug in artconv or a plugin, reported in one line
NAMES_IN_SUMMARY = 5  # a summary line names this many files, then says how many more


def named(names: Sequence[str]) -> str:
    """`a.md, b.md and 3 more`: the files a summary line owes the reader, already quoted."""
    shown = ", ".join(names[:NAMES_IN_SUMMARY])
    more = len(names) - NAMES_IN_SUMMARY
    return f"{shown} and {more} more" if more > 0 else shown


def location(path: str | None, line: int | None = None, column: int | None = None) -> str:
    where = quote_name(path) if path else "<stdin>"
    if line is not None:
        where += f":{line}"
        if column is not None:
            where += f":{column}"
    return where


@dataclass
class Report:
    output: TextIO | None = None  # None: whatever sys.stderr is when a line is printed
    quiet: bool = False
    done: int = 0
    failed: int = 0
    changed: int = 0
    failed_names: list[str] = field(default_factory=list)  # quoted, for the summary line

    @property
    def stream(self) -> TextIO:
        return self.output or sys.stderr

    def error(self, path: str | None, message: str, line: int | None = None, column: int | None = None) -> None:
        self.failure(f"{location(path, line, column)}: {printable(message)}", location(path))

    def failure(self, text: str, name: str | None = None) -> None:
        """A failed file, `text` naming it already (as discovery's "PATH: no such file"), quoted."""
        self.failed += 1
        self.failed_names.append(name if name is not None else text.rsplit(": ", 1)[0])
        print(f"error: {printable(text)}", file=self.stream)

    def converted(self, changed: bool) -> None:
        self.done += 1
        if changed:
            self.changed += 1

    def would_change(self, path: str) -> None:
        print(f"would change: {quote_name(path)}", file=self.stream)

    @property
    def total(self) -> int:
        return self.done + self.failed

    def summary(self, verb: str, where: str, seconds: float) -> None:
        if self.quiet:
            return
        print(
            f"{verb} {self.done} of {self.total} file{'s' if self.total != 1 else ''}{where} "
            f"in {seconds:.2f} s ({self.changed} changed, {self.failed} failed{self._failed_names()}).",
            file=self.stream,
        )

    def _failed_names(self) -> str:
        return f": {named(self.failed_names)}" if self.failed_names else ""

    def exit_code(self, check: bool = False) -> int:
        if self.failed or (check and self.changed):
            return EXIT_FAILED
        return EXIT_OK


class LintReport:
    """Counts of a lint run (per rule too, for --statistics), its summary line and exit code.

    The reporter writes the findings; this keeps what the run says about them."""

    def __init__(self) -> None:
        self.by_rule: Counter[tuple[str, str, bool]] = Counter()
        self.count = self.safe = self.unsafe = 0
        self.files = self.fixed = self.files_with_findings = self.failed = 0
        self.unread: list[str] = []  # quoted names of files that could not be read
        self.unwritten: list[str] = []  # … and of files whose fixes could not be written
        self.unchecked: list[str] = []  # … and of files stopped by the budget or refused as too complex
        self.fixes: dict[str, Counter[tuple[str, str]]] = {}  # per fixed file, (code, name) counts, for --show-fixes

    def could_not_check(self, path: str) -> None:
        self.failed += 1
        self.unchecked.append(quote_name(path))

    def could_not_read(self, path: str) -> None:
        self.failed += 1
        self.unread.append(quote_name(path))

    def could_not_write(self, path: str) -> None:
        self.failed += 1
        self.unwritten.append(quote_name(path))

    def fixed_file(self, path: str, before: Sequence[Finding], after: Sequence[Finding]) -> None:
        """A file whose fixes were written; what they removed is kept for --show-fixes."""
        self.fixed += 1
        removed = Counter((f.code, f.name) for f in before) - Counter((f.code, f.name) for f in after)
        if removed:
            self.fixes[quote_name(path)] = removed

    def fixes_table(self) -> str:
        """What --fix repaired, file by file, as ruff's --show-fixes lists it."""
        total = sum(sum(c.values()) for c in self.fixes.values())
        lines = [f"Fixed {total} problem{'s' if total != 1 else ''}:"]
        for path, counts in self.fixes.items():
            lines.append(f"- {path}:")
            lines.extend(f"    {n} × {code} ({name})" for (code, name), n in sorted(counts.items()))
        return "\n".join(lines) + "\n"

    def add(self, findings: Sequence[Finding]) -> None:
        self.files += 1
        self.files_with_findings += bool(findings)
        for finding in findings:
            self.by_rule[(finding.code, finding.name, finding.fix == "safe")] += 1
            self.safe += finding.fix == "safe"
            self.unsafe += finding.fix == "unsafe"
        self.count += len(findings)

    def statistics(self) -> str:
        """Counts per rule, most frequent first, as ruff's --statistics prints them."""
        lines = [
            f"{count:>6}\t{code}\t{name}{' [*]' if fixable else ''}"
            for (code, name, fixable), count in sorted(self.by_rule.items(), key=lambda item: (-item[1], item[0]))
        ]
        return "\n".join(lines) + ("\n" if lines else "")

    def summary(self, seconds: float, unsafe_hidden: bool) -> str:
        parts = []
        if self.fixed:
            parts.append(f"Fixed {self.fixed} file{'s' if self.fixed != 1 else ''}.")
        if self.count:
            more = f", {self.unsafe} more with --unsafe-fixes" if self.unsafe and unsafe_hidden else ""
            fixable = f" ({self.safe} fixable with --fix{more})"
            parts.append(
                f"Found {self.count} problem{'s' if self.count != 1 else ''} in {self.files_with_findings} "
                f"file{'s' if self.files_with_findings != 1 else ''}{fixable if self.safe or self.unsafe else ''}."
            )
        elif self.failed:  # never a bare "No problems found" over files that were not read or written
            parts.append(f"No problems found in the {self.files} file{'s' if self.files != 1 else ''} read.")
        else:
            parts.append("No problems found.")
        parts.extend(self._failures())
        parts.append(f"{self.files} file{'s' if self.files != 1 else ''} checked in {seconds:.2f} s.")
        return " ".join(parts)

    def _failures(self) -> list[str]:
        """`1 file could not be written: a.md.`, for each way a file can fail."""
        return [
            f"{len(names)} file{'s' if len(names) != 1 else ''} could not be {what}: {named(names)}."
            for names, what in ((self.unread, "read"), (self.unchecked, "checked"), (self.unwritten, "written"))
            if names
        ]

    def exit_code(self, exit_zero: bool = False) -> int:
        """1 for findings (0 with --exit-zero, as ruff) or for a file that failed (even then)."""
        return EXIT_FAILED if (self.count and not exit_zero) or self.failed else EXIT_OK
