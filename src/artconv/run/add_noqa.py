"""`artconv lint --add-noqa`: suppression comments for every finding files have now (ruff's
`--add-noqa`), so that a repository with old findings can adopt the hook and fail only on new
ones. Placement and its safety checks: lint/noqa.py."""

from __future__ import annotations

import sys
from typing import TextIO

from artconv.core.atomic import write_atomically
from artconv.core.config import config_for
from artconv.core.errors import ConfigError, PluginError
from artconv.core.input_bounds import InputTooComplex
from artconv.core.names import printable, quote_name
from artconv.lint.engine import Selection, lint_bytes
from artconv.lint.noqa import add_noqa
from artconv.run.discovery import discover
from artconv.run.report import EXIT_FAILED, EXIT_OK, EXIT_USAGE


def add_noqa_paths(arguments: list[str], select: tuple[str, ...] | None = None, ignore: tuple[str, ...] = (),
                   err: TextIO | None = None) -> int:
    """0 when every finding got a comment; 1 when some could not (listed, for a baseline); 2 for
    a usage or configuration error."""
    err = err or sys.stderr
    placed = files = 0
    left = []
    try:
        for source in discover(arguments or ["."]):
            if isinstance(source, str):
                print(f"error: {source}", file=err)
                return EXIT_USAGE
            path = str(source.path)
            try:
                data = source.path.read_bytes()
                config = config_for(path)
                chosen = select if select is not None else (*config.lint.select, *config.lint.extend_select)
                selection = Selection(chosen, (*config.lint.ignore, *ignore))
                findings = lint_bytes(data, path, selection, config).findings
            except (OSError, InputTooComplex) as exc:
                print(f"error: {quote_name(path)}: {printable(str(exc))}", file=err)
                continue
            new, count, not_placed = add_noqa(data, path, findings)
            if new is not None:
                write_atomically(source.path, new, mode_from=source.path)
                placed, files = placed + count, files + 1
            left.extend(not_placed)
    except (ConfigError, PluginError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
    print(f"Added {placed} noqa comment{'s' * (placed != 1)} to {files} file{'s' * (files != 1)}.", file=err)
    for finding in left:
        print(f"not suppressed: {finding.path}:{finding.line}:{finding.column}: {finding.code} {finding.message}",
              file=err)
    if left:
        print(f"{len(left)} finding(s) could not take a comment safely; record them with --write-baseline FILE.",
              file=err)
        return EXIT_FAILED
    return EXIT_OK
