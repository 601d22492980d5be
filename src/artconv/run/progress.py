"""A progress bar on long runs, on a terminal only: silent in pipes, CI logs and with --quiet.

When standard output is the same terminal (lint's findings), lines written to it are printed
above the bar instead of through it; output to a file or a pipe is never touched. A run whose
length is not known yet (discovery streams) gets a bar that counts, once it has passed
MIN_FILES files.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack, contextmanager

MIN_FILES = 200  # shorter runs finish before a bar is worth drawing


@contextmanager
def progress_bar(total: int | None, label: str, quiet: bool = False):
    """Yields a function to call once per file. rich is imported only when a bar is shown; while
    it is, writes to sys.stderr (and to sys.stdout when that is the terminal too) are printed
    above the bar."""
    if quiet or (total is not None and total < MIN_FILES) or not sys.stderr.isatty():
        yield lambda: None
        return
    bar = _Bar(total, label)
    try:
        yield bar.advance
    finally:
        bar.stop()


class _Bar:
    def __init__(self, total: int | None, label: str) -> None:
        self.total, self.label, self.done = total, label, 0
        self.progress = None
        self.task = None
        if total is not None:
            self._start()

    def advance(self) -> None:
        self.done += 1
        if self.progress is None:
            if self.done >= MIN_FILES:
                self._start()
            return
        self.progress.advance(self.task)

    def _start(self) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn, TimeRemainingColumn

        if self.total is None:  # no end known: how many so far, and for how long
            columns = (TextColumn(self.label), BarColumn(), TextColumn("{task.completed} files"), TimeElapsedColumn())
        else:
            columns = (TextColumn(self.label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
        stdout_is_terminal = _isatty(sys.stdout)
        self.progress = Progress(
            *columns, console=Console(stderr=True), transient=True, redirect_stderr=True,
            redirect_stdout=stdout_is_terminal,
        )
        self.progress.start()
        self.task = self.progress.add_task(self.label, total=self.total, completed=self.done)

    def stop(self) -> None:
        if self.progress is not None:
            self.progress.stop()


def _isatty(stream) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):
        return False


class LiveStdout:
    """Standard output as it is at each write: while a bar shows at a terminal, sys.stdout is the
    bar's proxy, so a reporter made before the bar still writes above it."""

    def write(self, text: str) -> int:
        return sys.stdout.write(text)

    def flush(self) -> None:
        sys.stdout.flush()

    def isatty(self) -> bool:
        return _isatty(sys.stdout)
