"""`artconv lint -`: one article read from standard input, as editors and ruff's users pipe it.

    cat post.md | artconv lint - --stdin-filename content/post.md
    artconv lint --fix - --stdin-filename content/post.md < post.md > fixed.md

`--stdin-filename` names the article in findings and chooses its configuration (and per-file
ignores, and schema globs). With `--fix` the fixed text (or the text unchanged) is written to
standard output and the findings that remain to standard error, so that an editor can replace
its buffer with the output; with `--diff`, the diff is the output. With `--force-exclude`, an
excluded file name gives no findings, and with `--fix` the text back unchanged.
"""

from __future__ import annotations

import sys
import time
from typing import TYPE_CHECKING, BinaryIO, TextIO

from artconv.core import plugins
from artconv.core.article import MAX_FILE_BYTES
from artconv.core.errors import ConfigError, PluginError
from artconv.core.names import quote_name
from artconv.run.discovery import is_excluded
from artconv.run.lint import lint_data, unified_diff
from artconv.run.lint_options import LintOptions
from artconv.run.parallel import map_in_order
from artconv.run.report import EXIT_USAGE, LintReport

if TYPE_CHECKING:
    from artconv.run.budget import Budget

STDIN_NAME = "-"  # the name findings carry without --stdin-filename, as ruff's


def lint_stdin(
    options: LintOptions,
    *,
    stdin: BinaryIO | None = None,
    out: TextIO | None = None,
    err: TextIO | None = None,
    budget: Budget | None = None,
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    started = time.perf_counter()
    data = (stdin or sys.stdin.buffer).read(MAX_FILE_BYTES + 1)  # the article reader refuses a bigger one
    name = options.stdin_filename or STDIN_NAME
    writes_text = options.fix and not options.diff
    # with --fix the text is the output: the findings go to stderr, where an editor shows them
    reporter_out = err if writes_text else out
    try:
        if _excluded(options):
            if writes_text:
                _write_bytes(out, data)
            return 0
        outcome = _lint(data, name, options, budget)
        reporter = plugins.load(plugins.REPORTERS, options.fmt)(reporter_out, options.color)
    except (ConfigError, PluginError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
    report = LintReport()
    if isinstance(outcome, str):
        print(f"error: {quote_name(name)}: {outcome}", file=err)
        report.could_not_check(name)
        if writes_text:
            _write_bytes(out, data)
    else:
        _deliver(outcome, data, name, options, reporter, report, out)
    reporter.close()
    _finish(report, reporter, reporter_out, err, options, time.perf_counter() - started)
    return report.exit_code(options.exit_zero)


def _excluded(options: LintOptions) -> bool:
    """--force-exclude with a --stdin-filename the exclude patterns match."""
    name = options.stdin_filename
    return bool(name) and options.exclusions.force and is_excluded(name, options.exclusions)


def _finish(report: LintReport, reporter, reporter_out: TextIO, err: TextIO, options: LintOptions, seconds: float) -> None:
    if options.show_statistics:
        reporter_out.write(report.statistics())
    elif options.show_fixes and report.fixes and reporter.for_people:
        err.write(report.fixes_table())
    if not options.quiet and not options.show_statistics and reporter.for_people:
        print(report.summary(seconds, not options.unsafe_fixes), file=err)


def _deliver(outcome: tuple, data: bytes, name: str, options: LintOptions, reporter, report: LintReport, out: TextIO) -> None:
    shown, fixed, original = outcome
    if options.diff:
        if fixed is not None:
            out.write(unified_diff(name, data, fixed))
        shown = original
    elif options.fix:
        _write_bytes(out, fixed if fixed is not None else data)
        if fixed is not None:
            report.fixed_file(name, original, shown)
    if not options.show_statistics:
        reporter.add(shown)
    report.add(shown)


def _lint(data: bytes, name: str, options: LintOptions, budget: Budget | None):
    if budget is None:
        return _lint_item((data, name, options))
    (outcome,) = map_in_order(_lint_item, [(data, name, options)], 1, budget, lambda _, message: message)
    return outcome


def _lint_item(item: tuple[bytes, str, LintOptions]):
    data, name, options = item
    return lint_data(data, name, options)


def _write_bytes(out: TextIO, data: bytes) -> None:
    """The article's bytes as they are (a TextIO's buffer when it has one: no re-encoding)."""
    out.flush()
    buffer = getattr(out, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:
        out.write(data.decode("utf-8", errors="replace"))
