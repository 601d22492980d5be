"""Command line: a few lines per command, each calling the library core."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from artconv.core import plugins
from artconv.run.budget import DEFAULT_MEMORY_MIB, DEFAULT_SECONDS, Budget
from artconv.run.report import EXIT_USAGE

app = typer.Typer(
    help="Keep article files clean: convert front matter + HTML bodies to clean Markdown.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


TimeLimit = Annotated[
    float, typer.Option("--time-limit", min=0, help="CPU seconds one file may take (0: no limit); past it, that file fails.")
]
MemoryLimit = Annotated[
    int, typer.Option("--memory-limit", min=0, help="MiB of memory one file may take (0: no limit); past it, that file fails.")
]


def _choice(group: str):
    """A callback that accepts a registered writer or reporter name. Built-ins are taken without
    looking at entry points, so that plugins cost nothing until one is asked for."""

    def check(value: str) -> str:
        if not plugins.is_builtin(group, value) and value not in plugins.available(group):
            choices = ", ".join(repr(name) for name in plugins.available(group))
            raise typer.BadParameter(f"{value!r} is not one of {choices}.")
        return value

    return check


def _formats(group: str) -> str:
    # the built-ins by name; looking for plugins here would cost every command the entry-point scan
    return f"Output format: {', '.join(plugins.BUILTINS[group])}, or one a plugin adds."


def _version(value: bool) -> None:
    if value:
        from artconv.core.version import version_line

        print(version_line())
        raise typer.Exit()


@app.callback()
def main_options(
    version: Annotated[bool, typer.Option("--version", callback=_version, is_eager=True, help="Show the version.")] = False,
) -> None:
    """artconv: lint and convert article files."""


@app.command()
def convert(
    paths: Annotated[list[str], typer.Argument(help="Files, directories, or - for stdin.")],
    to: Annotated[str, typer.Option(
        "--to", metavar="FORMAT", callback=_choice(plugins.WRITERS), help=_formats(plugins.WRITERS),
    )] = "md",
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Mirror the inputs under this folder.")] = None,
    in_place: Annotated[bool, typer.Option("--in-place", help="Rewrite the files themselves (atomically).")] = False,
    check: Annotated[bool, typer.Option("--check", help="Write nothing; exit 1 if any file would change.")] = False,
    guard: Annotated[bool, typer.Option("--guard/--no-guard", help="Refuse outputs that would lose visible text.")] = True,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line.")] = False,
    order: Annotated[str, typer.Option("--order", help="EPUB chapter order: date, path or title.")] = "date",
    title: Annotated[str | None, typer.Option("--title", help="EPUB book title (default: from the articles).")] = None,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (default: CPU count).")] = 0,
    time_limit: TimeLimit = DEFAULT_SECONDS,
    memory_limit: MemoryLimit = DEFAULT_MEMORY_MIB,
    dask: Annotated[str | None, typer.Option(
        "--dask", metavar="ADDRESS", help="Convert on this dask.distributed scheduler's workers (pip install 'artconv[dask]').",
    )] = None,
) -> None:
    """Convert articles to clean Markdown (front matter kept), JSON, XHTML or one EPUB book."""
    from artconv.core.errors import PluginError, UsageError
    from artconv.run.convert import convert_paths
    from artconv.run.report import Report

    try:
        code = convert_paths(
            paths, to, output=output, in_place=in_place, check=check,
            check_fidelity=guard, report=Report(quiet=quiet),
            epub_options={"order": order, "title": title} if to == "epub" else None, jobs=jobs or None,
            budget=Budget(time_limit, memory_limit), dask=dask,
        )
    except (UsageError, PluginError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = EXIT_USAGE
    raise typer.Exit(code)


def _codes(values: list[str] | None) -> tuple[str, ...] | None:
    if values is None:
        return None
    return tuple(code for value in values for code in value.replace(",", " ").split())


@app.command()
def lint(
    paths: Annotated[list[str] | None, typer.Argument(help="Files or directories (default: .).")] = None,
    select: Annotated[list[str] | None, typer.Option("--select", help="Rules to run: codes, prefixes or names.")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Rules to skip.")] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply safe fixes in place (atomically).")] = False,
    unsafe_fixes: Annotated[bool, typer.Option("--unsafe-fixes", help="Also apply fixes that remove content.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print what --fix would change; write nothing.")] = False,
    output_format: Annotated[str, typer.Option(
        "--format", metavar="FORMAT", callback=_choice(plugins.REPORTERS),
        help=_formats(plugins.REPORTERS),
    )] = "text",
    show_statistics: Annotated[bool, typer.Option("--statistics", help="Count findings per rule.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No summary line.")] = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", help="Worker processes (default: CPU count).")] = 0,
    no_cache: Annotated[bool, typer.Option("--no-cache", help="Ignore and do not update .artconv_cache.")] = False,
    time_limit: TimeLimit = DEFAULT_SECONDS,
    memory_limit: MemoryLimit = DEFAULT_MEMORY_MIB,
) -> None:
    """Check front matter against schemas and bodies against hygiene rules."""
    from artconv.run.lint import lint_paths

    code = lint_paths(
        paths or ["."], select=_codes(select), ignore=_codes(ignore) or (), fix=fix or unsafe_fixes,
        unsafe_fixes=unsafe_fixes, diff=diff, fmt=output_format, show_statistics=show_statistics,
        quiet=quiet, color=sys.stdout.isatty() and output_format == "text", jobs=jobs or None,
        use_cache=not no_cache, budget=Budget(time_limit, memory_limit),
    )
    raise typer.Exit(code)


@app.command()
def rule(
    code: Annotated[str | None, typer.Argument(help="A rule code or name; none lists every rule.")] = None,
) -> None:
    """Show a rule's documentation, with a failing and a passing example."""
    from artconv.rules import RuleError
    from artconv.run.describe import describe_all_rules, describe_rule

    try:
        print(describe_rule(code) if code else describe_all_rules(), end="")
    except RuleError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE) from None


@app.command()
def transformers(
    path: Annotated[Path, typer.Argument(help="Show the pipelines that apply to this file or folder.")] = Path("."),
) -> None:
    """List installed transformers and the resolved pipeline order."""
    from artconv.core.config import ConfigError, config_for
    from artconv.run.describe import describe_transformers

    try:
        where = path / "_" if path.is_dir() else path if path.exists() else Path.cwd() / "_"
        print(describe_transformers(config_for(where), where))
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE) from None


schema_app = typer.Typer(help="Front-matter schemas for artconv lint; schemas of convert's outputs.", no_args_is_help=True)
app.add_typer(schema_app, name="schema")


@schema_app.command("export")
def schema_export(
    name: Annotated[str, typer.Argument(help="A preset: hexo, hugo, jekyll or rss-mirror.")],
) -> None:
    """Print a preset schema as JSON, to start a schema file of your own."""
    from artconv.frontmatter.schemas import SchemaError, export_preset

    try:
        print(export_preset(name))
    except SchemaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE) from None


@schema_app.command("output")
def schema_output(
    name: Annotated[str, typer.Argument(metavar="FORMAT", help="An output format of convert: json.")],
) -> None:
    """Print the JSON Schema of what `artconv convert --to FORMAT` writes."""
    from artconv.writers.json import UnknownOutputFormat, output_schema_text

    try:
        sys.stdout.write(output_schema_text(name))
    except UnknownOutputFormat as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE) from None


def main() -> None:
    from artconv.run.shell import run_command

    run_command(lambda: app(prog_name="artconv"))
