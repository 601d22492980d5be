"""Command line: a few lines per command, each calling the library core."""

from __future__ import annotations

import signal
import sys
from pathlib import Path
from typing import Annotated

import typer

from artconv.core import plugins
from artconv.run import stdout
from artconv.run.budget import DEFAULT_MEMORY_MIB, DEFAULT_SECONDS, Budget
from artconv.run.report import EXIT_FAILED, EXIT_INTERNAL, EXIT_USAGE

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
ReviewPage = Annotated[Path | None, typer.Option(
    "--report", metavar="PAGE.html", help="Also write a review page: every file before and after (README, Review page).")]


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
    review: ReviewPage = None,
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
            budget=Budget(time_limit, memory_limit), review=review,
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
    add_noqa: Annotated[bool, typer.Option(
        "--add-noqa", "--add-suppressions", help="Add suppression comments for every finding now present.")] = False,
    baseline: Annotated[Path | None, typer.Option(
        "--baseline", metavar="FILE", help="Report only findings this baseline file does not hold.")] = None,
    write_baseline: Annotated[Path | None, typer.Option(
        "--write-baseline", metavar="FILE", help="Record every finding now present in a baseline file.")] = None,
    review: ReviewPage = None,
) -> None:
    """Check front matter against schemas and bodies against hygiene rules."""
    from artconv.run.lint import lint_paths

    if add_noqa:
        from artconv.run.add_noqa import add_noqa_paths

        raise typer.Exit(add_noqa_paths(paths or ["."], select=_codes(select), ignore=_codes(ignore) or ()))
    code = lint_paths(
        paths or ["."], select=_codes(select), ignore=_codes(ignore) or (), fix=fix or unsafe_fixes,
        unsafe_fixes=unsafe_fixes, diff=diff, fmt=output_format, show_statistics=show_statistics,
        quiet=quiet, color=sys.stdout.isatty() and output_format == "text", jobs=jobs or None,
        use_cache=not no_cache, budget=Budget(time_limit, memory_limit),
        baseline=baseline, write_baseline=write_baseline, review=review,
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


@app.command()
def server() -> None:
    """Run the language server over stdin/stdout: lint findings as diagnostics, fixes as code actions."""
    from artconv.server.protocol import serve

    raise typer.Exit(serve())


schema_app = typer.Typer(help="Front-matter schemas for artconv lint; schemas of convert's outputs.", no_args_is_help=True)
app.add_typer(schema_app, name="schema")


@schema_app.command("export")
def schema_export(
    name: Annotated[str, typer.Argument(help="A preset (hexo, hugo, jekyll, rss-mirror), or config.")],
) -> None:
    """Print a preset schema as JSON, to start a schema file of your own; `config`: the schema of
    the configuration file, for editors."""
    from artconv.frontmatter.schemas import SchemaError, export_preset

    if name == "config":
        from artconv.core.config_schema import config_schema_text

        sys.stdout.write(config_schema_text())
        return
    try:
        print(export_preset(name))
    except SchemaError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE) from None


@schema_app.command("infer")
def schema_infer(
    paths: Annotated[list[str], typer.Argument(help="Files or directories whose front matter to learn from.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write the schema here (default: stdout).")] = None,
    required: Annotated[float, typer.Option(
        "--required", min=0.0, max=1.0, help="A key present in at least this share of articles is required.",
    )] = 1.0,
    max_enum: Annotated[int, typer.Option("--max-enum", min=0, help="Up to this many distinct values make an enum.")] = 8,
) -> None:
    """Write a JSON Schema of the front matter the articles already have, for `[lint] schema =`."""
    from artconv.frontmatter.infer import InferOptions
    from artconv.run.schema_infer import infer_paths

    raise typer.Exit(infer_paths(paths, InferOptions(required_ratio=required, max_enum=max_enum), output))


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


_interrupted = False


def _note_interrupt(signum, frame) -> None:
    global _interrupted
    _interrupted = True
    signal.default_int_handler(signum, frame)


def main() -> None:
    # Typer turns Ctrl-C into a silent exit 130 before we see the KeyboardInterrupt; the handler
    # remembers it, so that the user still gets the one line. A SIGINT ignored by whoever
    # started us (nohup) stays ignored.
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _note_interrupt)
    stdout.install()
    try:
        try:
            app(prog_name="artconv")
        finally:
            stdout.finish()  # inside the handlers below: a failed last flush is an error too
    except KeyboardInterrupt:
        _exit_interrupted()
    except SystemExit:
        if _interrupted:
            _exit_interrupted()
        raise
    except stdout.OutputClosed:  # `| head -1`: the reader has what it wanted; say nothing
        stdout.abandon()
        sys.exit(EXIT_FAILED)
    except stdout.OutputFailed as exc:  # a full disk, `ulimit -f`: never a truncated exit 0
        stdout.abandon()
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(EXIT_FAILED)
    except Exception as exc:  # a bug must still read as one line, never as a traceback
        message = f"{type(exc).__name__}: {exc}".splitlines()[0]
        print(f"error: internal error: {message} (please report it)", file=sys.stderr)
        sys.exit(EXIT_INTERNAL)


def _exit_interrupted() -> None:
    print("interrupted", file=sys.stderr)
    sys.exit(130)
