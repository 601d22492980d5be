"""`--report review.html`: the per-file work of convert and lint that feeds the review page
(artconv/review), and writing the page at the end of the run."""

from __future__ import annotations

import shlex
import sys
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from artconv.convert import Result, convert_file
from artconv.core.config import config_for
from artconv.core.errors import ConfigError, ConversionError
from artconv.core.generator import generator_for
from artconv.core.names import quote_name
from artconv.review.entry import REFUSED, Entry, convert_entry, lint_entry, status_of
from artconv.review.page import LINT_STATUSES, ReviewPage
from artconv.run.discovery import Source, discover
from artconv.run.parallel import map_in_order
from artconv.run.report import EXIT_FAILED, location

if TYPE_CHECKING:
    from artconv.run.budget import Budget


def new_page(verb: str, lint: bool = False, where: Path | None = None) -> ReviewPage | None:
    """The page of this run, named after the command line that made it; None without `--report`."""
    if where is None:
        return None
    command = "artconv " + shlex.join(sys.argv[1:]) if len(sys.argv) > 1 else f"artconv {verb}"
    title = f"artconv {verb}: review"
    return ReviewPage(title, command, LINT_STATUSES) if lint else ReviewPage(title, command)


def _message(path: str, error: ConversionError | None) -> str:
    """The error line the run prints for the file, without "error: "."""
    return "" if error is None else f"{location(path, error.line, error.column)}: {error.message}"


def convert_reviewed(work: tuple[str, str, bool]) -> tuple[Result, Entry]:
    """Convert one file as `_convert_one` does, and make its entry on the page (in the worker,
    where the cleaned Document still is). A refused file is converted once more without the
    guard, only to show what the guard refused."""
    path, to, check_fidelity = work
    seen: dict = {}

    def observe(doc, body: str) -> None:
        seen["doc"], seen["body"] = doc, body

    result = convert_file(path, to, check_fidelity=check_fidelity, observe=observe)
    status = status_of(result.error, result.changed)
    if status == REFUSED:
        convert_file(path, to, check_fidelity=False, observe=observe)
    message = _message(path, result.error)
    try:
        entry = convert_entry(path, status, message, seen.get("doc"), seen.get("body"), _generator(path))
    except Exception as exc:  # noqa: BLE001 - a bug of the page must not cost the conversion
        entry = convert_entry(path, status, _unshown(message, exc), None, None)
    return result, entry


def _unshown(message: str, exc: Exception) -> str:
    note = f"(the review page could not show this file: {type(exc).__name__}: {exc}; please report it)"
    return f"{message}\n{note}" if message else note


def _generator(path: str) -> str:
    """The site generator of the file (its template syntax is shown as written)."""
    try:
        return generator_for(path, config_for(path).generator)
    except ConfigError:  # the run has said so already
        return "none"


def reviewed_over_budget(work: tuple[str, str, bool], message: str) -> tuple[Result, Entry]:
    error = ConversionError(message)
    return Result(work[0], error=error), convert_entry(work[0], status_of(error, False), message, None, None)


def taken(outcome: tuple[Result, Entry], page: ReviewPage) -> Result:
    """The Result of a reviewed conversion, its entry added to the page."""
    result, entry = outcome
    page.add(entry)
    return result


def review_bundled(arguments: list[str], pipeline: str, skip: Path | None, check_fidelity: bool, page: ReviewPage,
                   jobs: int | None, budget: Budget | None) -> None:
    """The entries of a bundled run (EPUB): each article as its pipeline (XHTML) leaves it, in a
    pass of its own, since the bundling writer keeps no per-file results."""
    sources = [source for source in discover(arguments, skip=skip) if isinstance(source, Source)]
    work = [(str(source.path), pipeline, check_fidelity) for source in sources]
    for outcome in map_in_order(convert_reviewed, work, jobs, budget, reviewed_over_budget):
        taken(outcome, page)


def add_linted(page: ReviewPage | None, source: Path, outcome) -> None:
    """A linted file's entry (with a page): `outcome` is lint's (findings, fixed bytes, findings
    before) or an error string. Called before any fix is written over the file."""
    if page is None:
        return
    path, data = str(source), _read(source)
    if isinstance(outcome, str):
        page.add(lint_entry(path, [], data, None, outcome, _generator(path)))
        return
    shown, fixed, original = outcome
    findings = original if fixed is not None else shown
    try:
        page.add(lint_entry(path, findings, data, fixed, generator=_generator(path)))
    except Exception as exc:  # noqa: BLE001 - a bug of the page must not cost the lint run
        page.add(lint_entry(path, findings, None, fixed, note=_unshown("", exc)))


def _read(path: Path) -> bytes | None:
    try:
        return path.read_bytes()
    except OSError:
        return None


def with_page(code: int, page: ReviewPage | None, path: Path | None, err: TextIO) -> int:
    """The run's exit code, once its page is written: a page that cannot be written (said in
    one line on `err`) fails the run."""
    if page is None or path is None:
        return code
    try:
        page.write(path)
    except OSError as exc:
        print(f"error: {quote_name(str(path))}: cannot write the review page: {exc.strerror or exc}", file=err)
        return code or EXIT_FAILED
    return code
