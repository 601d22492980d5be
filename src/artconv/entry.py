"""The `artconv` console script: answers `--version`, and the common `artconv lint FILE…` of a
pre-commit hook or an editor, before importing the CLI framework.

A pre-commit hook or an editor integration may run artconv thousands of times a day; Typer and
its dependencies cost tens of milliseconds to import, which neither needs. Anything the quick
path does not know (another option, help, an option value) goes to the full command line, so
both always agree.
"""

from __future__ import annotations

import sys

# lint's flags that take no value, as cli.py names them, and the lint_paths argument each sets
_LINT_FLAGS = {
    "--fix": "fix",
    "--unsafe-fixes": "unsafe_fixes",
    "--diff": "diff",
    "--statistics": "show_statistics",
    "--quiet": "quiet",
    "-q": "quiet",
    "--no-cache": "no_cache",
    "--exit-zero": "exit_zero",
    "--show-fixes": "show_fixes",
}


def main() -> None:
    arguments = sys.argv[1:]
    if arguments in (["--version"], ["-V"]):
        from artconv.core.version import version_line

        print(version_line())
        return
    quick = _quick_lint(arguments)
    if quick is not None:
        from artconv.run.shell import run_command

        run_command(lambda: _lint(*quick))
        return
    from artconv.cli import main as cli_main

    cli_main()


def _quick_lint(arguments: list[str]) -> tuple[list[str], set[str]] | None:
    """(paths, flags) of `lint` with only value-less flags and paths; None for anything else."""
    if not arguments or arguments[0] != "lint":
        return None
    paths, flags = [], set()
    for argument in arguments[1:]:
        if argument in _LINT_FLAGS:
            flags.add(_LINT_FLAGS[argument])
        elif argument.startswith("-"):
            return None  # an option with a value, --help, `--`, or a typo: Typer says what it means
        else:
            paths.append(argument)
    return paths, flags


def _lint(paths: list[str], flags: set[str]) -> None:
    """What cli.lint does with its defaults (format and colour auto, default jobs and budget)."""
    from artconv.run.budget import Budget
    from artconv.run.lint_command import build_lint_options, run_lint
    from artconv.run.lint_options import exclusions_from

    options = build_lint_options(
        select=None, extend_select=None, ignore=None, fix="fix" in flags, unsafe_fixes="unsafe_fixes" in flags,
        show_fixes="show_fixes" in flags, diff="diff" in flags, exit_zero="exit_zero" in flags, fmt="auto",
        show_statistics="show_statistics" in flags, color="auto", stdin_filename=None, quiet="quiet" in flags,
        jobs=0, no_cache="no_cache" in flags, exclusions=exclusions_from(None, None, False, None),
    )
    sys.exit(run_lint(paths or ["."], options, Budget()))
