"""`artconv lint` over many files: discovery, the cache, fixing in place, diffs, the reporter,
the summary line and the exit code."""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from artconv.core import plugins
from artconv.core.atomic import write_atomically
from artconv.core.config import config_for
from artconv.core.errors import ConfigError, PluginError
from artconv.core.names import printable, quote_name
from artconv.core.input_bounds import InputTooComplex
from artconv.lint.baseline import Baseline
from artconv.lint.cache import LintCache, content_key, file_stamp, project_root
from artconv.lint.findings import Finding
from artconv.run.discovery import discover, missing
from artconv.run.lint_options import LintOptions
from artconv.run.parallel import OrderedMapper
from artconv.run.progress import LiveStdout, progress_bar
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
    options: LintOptions | None = None,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    budget: Budget | None = None,
    baseline: Path | None = None,
    write_baseline: Path | None = None,
    review: Path | None = None,
) -> int:
    """Lint every article under `arguments`; return 0 (clean), 1 (findings) or 2 (usage/config).

    With `baseline`, findings the baseline file knows are not reported; with `write_baseline`,
    every finding goes into that file instead of the report (lint/baseline.py). With `review`,
    the review page of the run is written there (run/review.py)."""
    options = options or LintOptions()
    page = _review_page(review)
    if page is not None:  # the page shows the findings from before fixing
        options = replace(options, original=True)
    out, err = out or LiveStdout(), err or sys.stderr
    started = time.perf_counter()
    report = LintReport()
    arguments = arguments or ["."]
    if _said_missing(arguments, err):
        return EXIT_USAGE
    cache = _cache_for(options, arguments)
    try:
        reporter = _reporter(options, out)
        known, recorded = _baselines(baseline, write_baseline)
        sources = _sources(arguments, options, err)
        if sources is None:
            return EXIT_USAGE
        work = ((source, (str(source.path), options)) for source in sources)
        with progress_bar(None, "Linting", options.quiet) as advance:
            for source, item, outcome in _lint_all(work, cache, options.jobs, budget, _eager(arguments, cache)):
                outcome = _against_baseline(outcome, known, recorded)
                if page is not None:
                    page.add_linted(source.path, outcome)  # before a fix is written over the file
                _report_outcome(source, item, outcome, reporter, report, out, err, options)
                advance()
    except (ConfigError, PluginError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
    if cache is not None:
        cache.save()
    _write_baseline(recorded, write_baseline, err)
    reporter.close()
    unwritten = page.write(review, err) if page is not None else 0  # before the summary, the last line
    _finish(report, reporter, out, err, options, time.perf_counter() - started)
    return report.exit_code(options.exit_zero) or unwritten


class _Page:
    """The review page of a lint run (run/review.py, imported only with --report: it brings the
    converter, the guard and the page template, a fifth of `lint ONE.md`'s start-up)."""

    def __init__(self, review: Path):
        from artconv.run import review as reviewing

        self.reviewing = reviewing
        self.page = reviewing.new_page("lint", lint=True, where=review)

    def add_linted(self, source: Path, outcome) -> None:
        self.reviewing.add_linted(self.page, source, outcome)

    def write(self, review: Path, err: TextIO) -> int:
        return self.reviewing.with_page(0, self.page, review, err)


def _review_page(review: Path | None) -> _Page | None:
    return _Page(review) if review is not None else None


def _said_missing(arguments: list[str], err: TextIO) -> bool:
    """Whether an argument names nothing (said on err): a typo in a path must not pass as a clean run."""
    absent = missing(arguments)
    for error in absent:
        print(f"error: {error}", file=err)
    return bool(absent)


def _cache_for(options: LintOptions, arguments: list[str]) -> LintCache | None:
    """The lint cache at the project root; none when fixing (the files change under it)."""
    if not options.use_cache or options.fix or options.diff:
        return None
    return LintCache(repr((options.select, options.extend_select, options.ignore)), project_root(arguments))


def _baselines(baseline: Path | None, write_baseline: Path | None) -> tuple[Baseline | None, Baseline | None]:
    """(the baseline to compare with, the one to record into)."""
    known = Baseline.load(baseline) if baseline is not None else None
    return known, Baseline(write_baseline.resolve().parent) if write_baseline is not None else None


def _write_baseline(recorded: Baseline | None, path: Path | None, err: TextIO) -> None:
    if recorded is not None and path is not None:
        recorded.write(path)
        print(f"Wrote {sum(recorded.known.values())} findings to the baseline {quote_name(str(path))}.", file=err)


def _against_baseline(outcome, known: Baseline | None, recorded: Baseline | None):
    """The outcome without the findings the baseline knows; all of them recorded when writing one."""
    if isinstance(outcome, str) or (known is None and recorded is None):
        return outcome
    shown, fixed_data, original = outcome
    if recorded is not None:
        recorded.add(shown)
        return [], fixed_data, []
    return known.new_findings(shown), fixed_data, known.new_findings(original)


def _reporter(options: LintOptions, out: TextIO):
    """The chosen reporter; with --diff or --statistics one that only counts, for those print
    something else in place of the findings."""
    chosen = plugins.load(plugins.REPORTERS, options.fmt)
    if options.diff or options.show_statistics:
        return _Silent(chosen.for_people and not options.show_statistics)
    return chosen(out, options.color)


def _sources(arguments: list[str], options: LintOptions, err: TextIO) -> Iterator | None:
    """The files to lint, found as the run goes (memory stays flat over any number of files);
    None (after saying why) when an argument names something that is not a file or folder (a
    FIFO): as a missing path, a usage error, so arguments are looked at first."""
    for argument in arguments:
        if not (os.path.isfile(argument) or os.path.isdir(argument)):
            for problem in discover([argument], exclusions=options.exclusions):
                if isinstance(problem, str):  # says why, as it would in the walk
                    print(f"error: {problem}", file=err)
                    return None
    # discovery says why only of arguments, all looked at above: the walk yields files alone
    return (source for source in discover(arguments, exclusions=options.exclusions) if not isinstance(source, str))


def _finish(report: LintReport, reporter, out: TextIO, err: TextIO, options: LintOptions, seconds: float) -> None:
    if options.show_statistics:  # the table only, as ruff prints it
        out.write(report.statistics())
    if options.show_fixes and report.fixes and reporter.for_people:
        err.write(report.fixes_table())
    if not options.quiet and reporter.for_people:
        print(report.summary(seconds, not options.unsafe_fixes), file=err)


def _report_outcome(source, item, outcome, reporter, report: LintReport, out: TextIO, err: TextIO, options) -> None:
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
        if options.diff:
            out.write(unified_diff(path, source.path.read_bytes(), fixed_data))
            shown = original
        else:
            try:
                write_atomically(source.path, fixed_data, mode_from=source.path)
                report.fixed_file(path, original, shown)
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
    path, options = item
    outcome = _lint_one((path, replace(options, fix=False, diff=False, unsafe_fixes=False)))
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
    keys: dict[int, tuple[str, str | None]] = {}
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
            key, stamp = keys[index]
            cache.put(item[0], key, outcome[0], stamp)
        yield source, item, outcome


def _cached_outcome(path: str, cache: LintCache) -> tuple[tuple[str, str | None] | None, object]:
    """((the file's cache key, its stamp), its cached outcome or None on a miss); a read error
    is the outcome. A file whose stamp is the one stored is not read at all."""
    config = config_for(path)
    try:
        stamp = file_stamp(path, cache.started)
        hit = cache.get_unchanged(path, stamp, config) if stamp is not None else None
        if hit is not None:
            return None, (hit, None, hit)
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return None, f"cannot read: {exc.strerror or exc}"
    key = content_key(data, config)
    hit = cache.get(path, key, stamp)
    return (key, stamp), None if hit is None else (hit, None, hit)


def _lint_one(item: tuple) -> tuple[list[Finding], bytes | None, list[Finding]] | str:
    """(findings after fixing, fixed content or None, findings before fixing), or an error."""
    path, options = item
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    return lint_data(data, path, options)


def lint_data(data: bytes, path: str, options: LintOptions) -> tuple[list[Finding], bytes | None, list[Finding]] | str:
    """One article's outcome, as _lint_one's; `path` names it (for stdin, --stdin-filename)."""
    # the rules and the parsers they need (lxml, PyYAML…) are imported by the first file that is
    # linted, not by a run that finds every file in its cache
    from artconv.lint.engine import lint_bytes

    config = config_for(path)
    selection = options.selection(config)
    fix = options.fix or options.diff
    try:
        result = lint_bytes(data, path, selection, config, fix=fix, unsafe_fixes=options.unsafe_fixes)
        original = result.findings
        if (options.diff or options.show_fixes or options.original) and result.fixed is not None:
            original = lint_bytes(data, path, selection, config).findings
    except InputTooComplex as exc:  # an element with 100,000 attributes: not parsed, said so
        return exc.message
    return result.findings, result.fixed, original


def unified_diff(path: str, before: bytes, after: bytes) -> str:
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
