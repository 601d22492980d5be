"""A progress bar on long runs, on a terminal only: silent in pipes, CI logs and with --quiet."""

from __future__ import annotations

import sys
from contextlib import contextmanager

MIN_FILES = 200  # shorter runs finish before a bar is worth drawing


@contextmanager
def progress_bar(total: int, label: str, quiet: bool = False):
    """Yields a function to call once per file. rich is imported only when a bar is shown; while
    it is, writes to sys.stderr are printed above the bar instead of through it."""
    if quiet or total < MIN_FILES or not sys.stderr.isatty():
        yield lambda: None
        return
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True, redirect_stderr=True) as bar:
        task = bar.add_task(label, total=total)
        yield lambda: bar.advance(task)
