"""The `artconv` console script: answers `--version` before importing the CLI framework.

A pre-commit hook or an editor integration may run artconv thousands of times a day; Typer and
its dependencies cost tens of milliseconds to import, which `--version` does not need.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:] in (["--version"], ["-V"]):
        from artconv.core.version import version_line

        print(version_line())
        return
    from artconv.cli import main as cli_main

    cli_main()
