"""Report: counts, one-line error messages, the summary line and the exit code of a run."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from typing import TextIO

EXIT_OK = 0
EXIT_FAILED = 1  # some files failed, or --check found files that would change
EXIT_USAGE = 2  # bad arguments or configuration
EXIT_INTERNAL = 3  # a bug in artconv or a plugin, reported in one line


def location(path: str | None, line: int | None = None, column: int | None = None) -> str:
    where = path or "<stdin>"
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

    @property
    def stream(self) -> TextIO:
        return self.output or sys.stderr

    def error(self, path: str | None, message: str, line: int | None = None, column: int | None = None) -> None:
        self.failure(f"{location(path, line, column)}: {message}")

    def failure(self, text: str) -> None:
        """A failed file, `text` naming it already (as discovery's "PATH: no such file")."""
        self.failed += 1
        print(f"error: {text}", file=self.stream)

    def converted(self, changed: bool) -> None:
        self.done += 1
        if changed:
            self.changed += 1

    def would_change(self, path: str) -> None:
        print(f"would change: {path}", file=self.stream)

    @property
    def total(self) -> int:
        return self.done + self.failed

    def summary(self, verb: str, where: str, seconds: float) -> None:
        if self.quiet:
            return
        print(
            f"{verb} {self.done} of {self.total} file{'s' if self.total != 1 else ''}{where} "
            f"in {seconds:.2f} s ({self.changed} changed, {self.failed} failed).",
            file=self.stream,
        )

    def exit_code(self, check: bool = False) -> int:
        if self.failed or (check and self.changed):
            return EXIT_FAILED
        return EXIT_OK
