"""What `artconv lint` was asked to do, in one value: the command line's options after parsing,
handed from cli.py to run/lint.py (and run/lint_stdin.py) without a twenty-argument call."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import TYPE_CHECKING

from artconv.core.config import Config
from artconv.run.discovery import NO_EXCLUSIONS, Exclusions

if TYPE_CHECKING:
    from artconv.lint.engine import Selection

FORMAT_ALIASES = {"concise": "text", "full": "text"}  # ruff's names for its text formats


@dataclass(frozen=True)
class LintOptions:
    select: tuple[str, ...] | None = None  # --select: replaces the configuration's select and extend-select
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    fmt: str = "text"
    show_statistics: bool = False
    show_fixes: bool = False
    exit_zero: bool = False
    quiet: bool = False
    color: bool = False
    jobs: int | None = None
    use_cache: bool = True
    exclusions: Exclusions = NO_EXCLUSIONS
    stdin_filename: str | None = None
    original: bool = False  # the findings from before fixing too (the review page shows them)

    def selection(self, config: Config) -> Selection:
        """The rules for a file under `config`: ruff's order, select, then extend-select (the
        configuration's unless --select replaced it, then the command line's), minus ignore."""
        from artconv.lint.engine import Selection  # with the rules, when a file is linted

        if self.select is not None:
            chosen = (*self.select, *self.extend_select)
        else:
            chosen = (*config.lint.select, *config.lint.extend_select, *self.extend_select)
        return Selection(chosen, (*config.lint.ignore, *self.ignore))


def resolve_format(name: str, environ: dict[str, str] | None = None) -> str:
    """`auto`: GitHub annotations inside GitHub Actions, text elsewhere (as ruff does)."""
    environ = os.environ if environ is None else environ
    if name == "auto":
        return "github" if environ.get("GITHUB_ACTIONS") == "true" else "text"
    return FORMAT_ALIASES.get(name, name)


def split_values(values: list[str] | None, separators: str = ",") -> tuple[str, ...]:
    """`--ignore HT101,HT104 --ignore FM` → the codes; patterns split on commas only."""
    found: list[str] = []
    for value in values or ():
        for separator in separators[1:]:
            value = value.replace(separator, separators[0])
        found.extend(part.strip() for part in value.split(separators[0]) if part.strip())
    return tuple(found)


def exclusions_from(
    exclude: list[str] | None, extend_exclude: list[str] | None, force: bool, respect_gitignore: bool | None
) -> Exclusions:
    """The command line's exclusion options (`--exclude a/,b.md` or repeated, as ruff takes them)."""
    return Exclusions(
        exclude=split_values(exclude) if exclude is not None else None,
        extend_exclude=split_values(extend_exclude),
        force=force,
        respect_gitignore=respect_gitignore,
    )
