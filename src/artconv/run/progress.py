"""A progress bar on long runs, on a terminal only: silent in pipes, CI logs and with --quiet."""

from __future__ import annotations

import sys
from contextlib import ExitStack, contextmanager

MIN_FILES = 200  # shorter runs finish before a bar is worth drawing


@contextmanager
def progress_bar(total: int | None, label: str, quiet: bool = False):
    """Yields a function to call once per file. rich is imported only when a bar is shown; while
    it is, writes to sys.stderr are printed above the bar instead of through it. `total` None:
    the files are still being found (a streamed run); the bar appears once MIN_FILES are done."""
    if quiet or (total is not None and total < MIN_FILES) or not sys.stderr.isatty():
        yield lambda: None
        return
    with ExitStack() as stack:
        done = 0
        advance = stack.enter_context(_bar(total, label, 0)) if total is not None else None

        def step() -> None:
            nonlocal done, advance
            done += 1
            if advance is not None:
                advance()
            elif done >= MIN_FILES:
                advance = stack.enter_context(_bar(total, label, done))

        yield step


@contextmanager
def _bar(total: int | None, label: str, done: int):
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

    columns = (TextColumn(label), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn())
    with Progress(*columns, console=Console(stderr=True), transient=True, redirect_stderr=True) as bar:
        task = bar.add_task(label, total=total, completed=done)
        yield lambda: bar.advance(task)
