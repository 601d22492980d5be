"""`artconv lint` from parsed options to an exit code: the option values cli.py hands over are
turned into one LintOptions (format resolved, colour decided), then files or stdin are linted."""

from __future__ import annotations

import sys
from typing import TYPE_CHECKING

from artconv.run.color import use_color
from artconv.run.discovery import Exclusions
from artconv.run.lint_options import LintOptions, resolve_format, split_values
from artconv.run.report import EXIT_USAGE

if TYPE_CHECKING:
    from pathlib import Path

    from artconv.run.budget import Budget


def build_lint_options(
    *, select: list[str] | None, extend_select: list[str] | None, ignore: list[str] | None, fix: bool,
    unsafe_fixes: bool, show_fixes: bool, diff: bool, exit_zero: bool, fmt: str, show_statistics: bool,
    color: str, stdin_filename: str | None, quiet: bool, jobs: int, no_cache: bool, exclusions: Exclusions,
) -> LintOptions:
    fmt = resolve_format(fmt)
    # with --fix on stdin the fixed text is stdout: findings then go to stderr, coloured as that is
    stream = sys.stderr if fix and not diff and stdin_filename is not None else sys.stdout
    return LintOptions(
        select=split_values(select, ", ") if select is not None else None,
        extend_select=split_values(extend_select, ", "),
        ignore=split_values(ignore, ", "),
        fix=fix or unsafe_fixes,
        unsafe_fixes=unsafe_fixes,
        diff=diff,
        fmt=fmt,
        show_statistics=show_statistics,
        show_fixes=show_fixes,
        exit_zero=exit_zero,
        quiet=quiet,
        color=fmt == "text" and use_color(color, stream),
        jobs=jobs or None,
        use_cache=not no_cache,
        exclusions=exclusions,
        stdin_filename=stdin_filename,
    )


def run_lint(
    arguments: list[str], options: LintOptions, budget: Budget,
    baseline: Path | None = None, write_baseline: Path | None = None, review: Path | None = None,
) -> int:
    """Lint the paths, or stdin when the one argument is `-`; the exit code."""
    if "-" in arguments:
        if arguments != ["-"]:
            print("error: '-' (stdin) cannot be mixed with other paths", file=sys.stderr)
            return EXIT_USAGE
        if review is not None or write_baseline is not None:
            print("error: --report and --write-baseline take files: name them (not stdin)", file=sys.stderr)
            return EXIT_USAGE
        from artconv.run.lint_stdin import lint_stdin

        return lint_stdin(options, budget=budget)
    if options.stdin_filename is not None:
        print("error: --stdin-filename names the article read from stdin: give - as the path", file=sys.stderr)
        return EXIT_USAGE
    from artconv.run.lint import lint_paths

    return lint_paths(arguments, options, budget=budget, baseline=baseline, write_baseline=write_baseline, review=review)
