"""`artconv lint` over many files: discovery, the cache, fixing in place, diffs, the reporter,
the summary line and the exit code."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TYPE_CHECKING, TextIO

from artconv.core import plugins
from artconv.core.atomic import write_atomically
from artconv.core.config import config_for
from artconv.core.errors import ConfigError, PluginError
from artconv.core.names import printable, quote_name
from artconv.core.input_bounds import InputTooComplex
from artconv.lint.cache import LintCache, content_key
from artconv.lint.engine import Selection, lint_bytes
from artconv.lint.findings import Finding
from artconv.run.discovery import discover
from artconv.run.parallel import OrderedMapper
from artconv.run.progress import progress_bar
from artconv.run.report import EXIT_USAGE, LintReport

if TYPE_CHECKING:
    from artconv.run.budget import Budget


class _Silent:
    """What --diff reports through: the diff is the output, the findings are only counted (and
    summed up on stderr if the chosen format is one for people)."""

    def __init__(self, for_people: bool) -> None:
        self.for_people = for_people

    def add(self, findings) -> None:
        pass

    def close(self) -> None:
        pass


def lint_paths(
    arguments: list[str],
    *,
    select: tuple[str, ...] | None = None,
    ignore: tuple[str, ...] = (),
    fix: bool = False,
    unsafe_fixes: bool = False,
    diff: bool = False,
    fmt: str = "text",
    show_statistics: bool = False,
    quiet: bool = False,
    color: bool = False,
    jobs: int | None = None,
    use_cache: bool = True,
    out: TextIO | None = None,
    err: TextIO | None = None,
    budget: Budget | None = None,
) -> int:
    """Lint every article under `arguments`; return 0 (clean), 1 (findings) or 2 (usage/config)."""
    out, err = out or sys.stdout, err or sys.stderr
    started = time.perf_counter()
    report = LintReport()
    cache = LintCache(repr((select, ignore))) if use_cache and not (fix or diff) else None
    try:
        chosen = plugins.load(plugins.REPORTERS, fmt)
        reporter = _Silent(chosen.for_people) if diff else chosen(out, color)
        sources = _sources(arguments or ["."], err)
        if sources is None:
            return EXIT_USAGE
        work = ((s, (str(s.path), select, ignore, fix or diff, unsafe_fixes, diff)) for s in sources)
        with progress_bar(None, "Linting", quiet or out.isatty()) as advance:
            for source, item, outcome in _lint_all(work, cache, jobs, budget, _eager(arguments, cache)):
                _report_outcome(source, item, outcome, reporter, report, out, err, diff)
                advance()
    except (ConfigError, PluginError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
    if cache is not None:
        cache.save()
    reporter.close()
    _finish(report, reporter, out, err, show_statistics, quiet, time.perf_counter() - started, not unsafe_fixes)
    return report.exit_code()


def _sources(arguments: list[str], err: TextIO) -> Iterator | None:
    """The files to lint, found as the run goes; None (after saying why) when an argument names
    nothing: a typo in a path must not pass as a clean run, so arguments are looked at first."""
    for argument in arguments:
        if not (os.path.isfile(argument) or os.path.isdir(argument)):
            for problem in discover([argument]):  # says why, as it would in the walk
                print(f"error: {problem}", file=err)
                return None
    return (source for source in discover(arguments) if not isinstance(source, str))


def _finish(report: LintReport, reporter, out: TextIO, err: TextIO, show_statistics: bool, quiet: bool,
            seconds: float, unsafe_hidden: bool) -> None:
    if show_statistics:
        out.write(report.statistics())
    if not quiet and reporter.for_people:
        print(report.summary(seconds, unsafe_hidden), file=err)


def _report_outcome(source, item, outcome, reporter, report: LintReport, out: TextIO, err: TextIO, diff: bool) -> None:
    """Write one file's fix (or diff) and findings as its outcome arrives."""
    path = str(source.path)
    if isinstance(outcome, str):
        print(f"error: {quote_name(path)}: {printable(outcome)}", file=err)
        if outcome.startswith("cannot read"):
            report.could_not_read(path)
        else:  # past the budget, or a shape refused before parsing
            report.could_not_check(path)
        return
    shown, fixed_data, original = outcome
    if fixed_data is not None:
        if diff:
            out.write(_unified_diff(path, source.path.read_bytes(), fixed_data))
            shown = original
        else:
            try:
                write_atomically(source.path, fixed_data, mode_from=source.path)
                report.fixed += 1
            except OSError as exc:  # a read-only folder or a full disk: say so, go on
                print(f"error: {quote_name(path)}: cannot write: {exc.strerror or exc}", file=err)
                report.could_not_write(path)
                # the file keeps every finding the fixes would have removed: report those
                shown = _findings_unfixed(item, original)
    reporter.add(shown)
    report.add(shown)


def _findings_unfixed(item: tuple, fallback: list[Finding]) -> list[Finding]:
    """The findings of the file as it stays on disk, linted again without fixing (in this
    process: the file was just linted within its budget)."""
    path, select, ignore = item[:3]
    outcome = _lint_one((path, select, ignore, False, False, False))
    return fallback if isinstance(outcome, str) else outcome[0]


BLOCK_FILES = 1024  # files looked up in the cache, then linted, at a time


def _lint_all(
    work: Iterable[tuple], cache: LintCache | None, jobs: int | None, budget: Budget | None = None, eager: bool = False
):
    """(source, item, outcome) in input order, a block of files at a time (memory stays flat
    over any number of files): cached outcomes at once, the rest from the worker pool."""
    work = iter(work)
    # past the budget, an error string, as for a file that cannot be read: "error: PATH: stopped after …"
    mapper = OrderedMapper(_lint_one, jobs, budget, lambda _, message: message, path_of=_first)
    if eager:
        mapper.start()
    try:
        while block := list(islice(work, BLOCK_FILES)):
            yield from _lint_block(block, cache, mapper)
    finally:
        mapper.close()


def _lint_block(block: list[tuple], cache: LintCache | None, mapper: OrderedMapper):
    cached: dict[int, object] = {}
    keys: dict[int, str] = {}
    misses: list[int] = []
    for index, (_, item) in enumerate(block):
        if cache is None:
            misses.append(index)
            continue
        key, outcome = _cached_outcome(item[0], cache)
        if outcome is None:
            keys[index] = key
            misses.append(index)
        else:
            cached[index] = outcome
    computed = mapper.map(block[i][1] for i in misses)
    for index, (source, item) in enumerate(block):
        if index in cached:
            yield source, item, cached[index]
            continue
        outcome = next(computed)
        if cache is not None and not isinstance(outcome, str) and index in keys:
            cache.put(item[0], keys[index], outcome[0])
        yield source, item, outcome


def _cached_outcome(path: str, cache: LintCache) -> tuple[str | None, object]:
    """(the file's cache key, its cached outcome or None on a miss); a read error is the outcome."""
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    key = content_key(data, config_for(path))
    hit = cache.get(path, key)
    return key, None if hit is None else (hit, None, hit)


def _lint_one(item: tuple) -> tuple[list[Finding], bytes | None, list[Finding]] | str:
    """(findings after fixing, fixed content or None, findings before fixing), or an error."""
    path, select, ignore, fix, unsafe_fixes, want_original = item
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    config = config_for(path)
    selection = Selection(select if select is not None else config.lint.select, (*config.lint.ignore, *ignore))
    try:
        result = lint_bytes(data, path, selection, config, fix=fix, unsafe_fixes=unsafe_fixes)
        original = result.findings
        if want_original and result.fixed is not None:
            original = lint_bytes(data, path, selection, config).findings
    except InputTooComplex as exc:  # an element with 100,000 attributes: not parsed, said so
        return exc.message
    return result.findings, result.fixed, original


def _unified_diff(path: str, before: bytes, after: bytes) -> str:
    import difflib  # only --diff needs it

    old = before.decode("utf-8", errors="replace").splitlines(keepends=True)
    new = after.decode("utf-8", errors="replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, fromfile=f"a/{path}", tofile=f"b/{path}"))


def _first(item: tuple) -> str:
    return item[0]


def _eager(arguments: list[str], cache: LintCache | None) -> bool:
    """A run over a folder has many files: its workers are forked before the walk. A run with
    a cache to read may need no worker at all (a warm run): its workers start when needed."""
    return (cache is None or not cache.old) and any(os.path.isdir(argument) for argument in arguments or ["."])
