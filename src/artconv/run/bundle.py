"""Many articles into one file, for a writer that bundles (`--to epub`): each article becomes an
item in the worker pool, an article that fails is reported and left out, and the file is made of
the rest."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from artconv.convert import bundle_item
from artconv.core.atomic import write_atomically
from artconv.core.errors import ConfigError, ConversionError, PluginError
from artconv.core.names import quote_name
from artconv.run.discovery import NO_EXCLUSIONS, Exclusions, discover
from artconv.run.parallel import map_in_order
from artconv.run.report import EXIT_FAILED, EXIT_USAGE, Report

if TYPE_CHECKING:
    from artconv.run.budget import Budget


def bundle_paths(
    arguments: list[str],
    writer,
    output: Path,
    *,
    check_fidelity: bool = True,
    report: Report | None = None,
    jobs: int | None = None,
    options: dict | None = None,
    budget: Budget | None = None,
    exclusions: Exclusions = NO_EXCLUSIONS,
) -> int:
    """Convert every article under `arguments` into the one file `output`; return the exit code."""
    report = report or Report()
    options = options or {}
    writer.check_options(**options)
    started = time.perf_counter()
    try:
        items = _items(arguments, writer, output, check_fidelity, report, jobs, budget, exclusions)
    except (ConfigError, PluginError) as exc:
        print(f"error: {exc}", file=report.stream)
        return EXIT_USAGE
    if not items:
        report.summary("Converted", "", time.perf_counter() - started)
        print(f"error: {quote_name(str(output))}: no article could be converted; the book was not written", file=report.stream)
        return EXIT_FAILED
    try:
        write_atomically(output, writer.bundle(items, **options))
    except OSError as exc:
        print(f"error: {quote_name(str(output))}: cannot write: {exc.strerror or exc}", file=report.stream)
        return EXIT_FAILED
    report.summary("Converted", f" into {quote_name(str(output))}", time.perf_counter() - started)
    return report.exit_code()


def _items(arguments: list[str], writer, output: Path, check_fidelity: bool, report: Report, jobs, budget,
           exclusions: Exclusions) -> list:
    sources = []
    for source in discover(arguments, skip=output, exclusions=exclusions):
        if isinstance(source, str):
            report.failure(source)
        else:
            sources.append(source)
    work = [(str(source.path), writer.format, check_fidelity) for source in sources]
    items = []
    outcomes = map_in_order(_item_or_error, work, jobs, budget, _over_budget)
    for source, outcome in zip(sources, outcomes, strict=True):
        if isinstance(outcome, ConversionError):
            report.error(str(source.path), outcome.message, outcome.line, outcome.column)
            continue
        items.append(outcome)
        report.converted(True)
    return items


def _item_or_error(work: tuple[str, str, bool]):
    """For the worker pool: the error comes back as a value, so the other articles go on."""
    path, to, check_fidelity = work
    return bundle_item(path, to, check_fidelity)


def _over_budget(work: tuple[str, str, bool], message: str) -> ConversionError:
    return ConversionError(f"{message}; the book is made without this chapter")
