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
    add_completion=True,  # --install-completion / --show-completion SHELL, as ruff offers
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


ConfigOption = Annotated[list[str] | None, typer.Option(
    "--config", metavar="FILE|KEY=VALUE",
    help="A configuration file to use for every file, or a TOML override such as \"lint.select=['HT']\" (repeatable).",
)]
Exclude = Annotated[list[str] | None, typer.Option(
    "--exclude", metavar="PATTERNS", help="Gitignore-style patterns to skip, replacing the configuration's exclude.",
)]
ExtendExclude = Annotated[list[str] | None, typer.Option(
    "--extend-exclude", metavar="PATTERNS", help="Patterns to skip on top of exclude.",
)]
ForceExclude = Annotated[bool, typer.Option(
    "--force-exclude", help="Apply the exclude patterns to paths named on the command line too (for pre-commit).",
)]
RespectGitignore = Annotated[bool | None, typer.Option(
    "--respect-gitignore/--no-respect-gitignore", show_default=False,
    help="Skip files that .gitignore, nested .gitignore files and .git/info/exclude ignore [default: respect].",
)]

LINT_EXAMPLES = """Examples:
  artconv lint .                            # every article below the folder
  artconv lint --fix --show-fixes posts/    # apply safe fixes, list them
  artconv lint --select FM --extend-select HT101 .
  artconv lint --statistics .               # counts per rule, nothing else
  artconv lint --output-format junit . > lint.xml
  artconv lint --config "lint.ignore=['HT104']" --extend-exclude drafts/ .
  cat post.md | artconv lint - --stdin-filename content/post.md
Exit codes: 0 clean; 1 findings (0 with --exit-zero) or a file that
failed; 2 bad usage, configuration or path; 3 internal error."""

CONVERT_EXAMPLES = """Examples:
  artconv convert post.html                 # Markdown on stdout
  artconv convert --output out/ source/_posts
  artconv convert --in-place --exclude drafts/ source
  artconv convert --check source            # exit 1 if a file would change
  artconv convert --to epub --output book.epub source/_posts
Exit codes: 0 done; 1 a file failed or would change (--check); 2 bad
usage, configuration or path; 3 internal error."""


def _choice(group: str):
    """A callback that accepts a registered writer or reporter name. Built-ins are taken without
    looking at entry points, so that plugins cost nothing until one is asked for."""

    def check(value: str) -> str:
        if not plugins.is_builtin(group, value) and value not in plugins.available(group):
            choices = ", ".join(repr(name) for name in plugins.available(group))
            raise typer.BadParameter(f"{value!r} is not one of {choices}.")
        return value

    return check


def _output_format(value: str) -> str:
    from artconv.run.lint_options import FORMAT_ALIASES

    if value == "auto" or value in FORMAT_ALIASES:
        return value
    return _choice(plugins.REPORTERS)(value)


def _color_choice(value: str) -> str:
    if value not in ("auto", "always", "never"):
        raise typer.BadParameter(f"{value!r} is not one of 'auto', 'always', 'never'.")
    return value


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


@app.command(epilog=CONVERT_EXAMPLES)
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
    config: ConfigOption = None,
    exclude: Exclude = None,
    extend_exclude: ExtendExclude = None,
    force_exclude: ForceExclude = False,
    respect_gitignore: RespectGitignore = None,
    time_limit: TimeLimit = DEFAULT_SECONDS,
    memory_limit: MemoryLimit = DEFAULT_MEMORY_MIB,
    review: ReviewPage = None,
    dask: Annotated[str | None, typer.Option(
        "--dask", metavar="ADDRESS", help="Convert on this dask.distributed scheduler's workers (pip install 'artconv[dask]').",
    )] = None,
) -> None:
    """Convert articles to clean Markdown (front matter kept), JSON, XHTML or one EPUB book."""
    from artconv.core.config_overrides import apply_config_options
    from artconv.core.errors import ConfigError, PluginError, UsageError
    from artconv.run.convert import convert_paths
    from artconv.run.lint_options import exclusions_from
    from artconv.run.report import Report

    try:
        apply_config_options(config)
        code = convert_paths(
            paths, to, output=output, in_place=in_place, check=check,
            check_fidelity=guard, report=Report(quiet=quiet),
            epub_options={"order": order, "title": title} if to == "epub" else None, jobs=jobs or None,
            budget=Budget(time_limit, memory_limit), review=review, dask=dask,
            exclusions=exclusions_from(exclude, extend_exclude, force_exclude, respect_gitignore),
        )
    except (UsageError, PluginError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        code = EXIT_USAGE
    raise typer.Exit(code)


@app.command(epilog=LINT_EXAMPLES)
def lint(
    paths: Annotated[list[str] | None, typer.Argument(help="Files or directories (default: .), or - for stdin.")] = None,
    select: Annotated[list[str] | None, typer.Option("--select", help="Rules to run: codes, prefixes or names.")] = None,
    extend_select: Annotated[list[str] | None, typer.Option("--extend-select", help="Rules to run on top of select.")] = None,
    ignore: Annotated[list[str] | None, typer.Option("--ignore", help="Rules to skip.")] = None,
    fix: Annotated[bool, typer.Option("--fix", help="Apply safe fixes in place (atomically).")] = False,
    unsafe_fixes: Annotated[bool, typer.Option("--unsafe-fixes", help="Also apply fixes that remove content.")] = False,
    show_fixes: Annotated[bool, typer.Option("--show-fixes", help="With --fix, list what was fixed, file by file.")] = False,
    diff: Annotated[bool, typer.Option("--diff", help="Print what --fix would change; write nothing.")] = False,
    exit_zero: Annotated[bool, typer.Option("--exit-zero", help="Exit 0 even when there are findings.")] = False,
    output_format: Annotated[str, typer.Option(
        "--output-format", "--format", metavar="FORMAT", callback=_output_format,
        help="text, json, github, sarif, junit, gitlab, a plugin's, or auto (github inside GitHub Actions, else text).",
    )] = "auto",
    show_statistics: Annotated[bool, typer.Option("--statistics", help="Print only a table of counts per rule.")] = False,
    color: Annotated[str, typer.Option(
        "--color", metavar="WHEN", callback=_color_choice, help="auto (a terminal, unless NO_COLOR; FORCE_COLOR forces), always or never.",
    )] = "auto",
    stdin_filename: Annotated[str | None, typer.Option(
        "--stdin-filename", metavar="PATH", help="With -: the name (and configuration) of the article read from stdin.",
    )] = None,
    config: ConfigOption = None,
    exclude: Exclude = None,
    extend_exclude: ExtendExclude = None,
    force_exclude: ForceExclude = False,
    respect_gitignore: RespectGitignore = None,
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
    from artconv.core.config_overrides import apply_config_options
    from artconv.core.errors import ConfigError
    from artconv.run.lint_command import build_lint_options, run_lint
    from artconv.run.lint_options import exclusions_from

    try:
        apply_config_options(config)
    except ConfigError as exc:
        print(f"error: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_USAGE) from None
    options = build_lint_options(
        select=select, extend_select=extend_select, ignore=ignore, fix=fix, unsafe_fixes=unsafe_fixes,
        show_fixes=show_fixes, diff=diff, exit_zero=exit_zero, fmt=output_format, show_statistics=show_statistics,
        color=color, stdin_filename=stdin_filename, quiet=quiet, jobs=jobs, no_cache=no_cache,
        exclusions=exclusions_from(exclude, extend_exclude, force_exclude, respect_gitignore),
    )
    if add_noqa:
        from artconv.run.add_noqa import add_noqa_paths

        raise typer.Exit(add_noqa_paths(paths or ["."], select=options.select, ignore=options.ignore))
    raise typer.Exit(run_lint(
        paths or ["."], options, Budget(time_limit, memory_limit),
        baseline=baseline, write_baseline=write_baseline, review=review,
    ))


@app.command(epilog="""Examples:
  artconv rule                   # every rule, one line each
  artconv rule HT101             # one rule, failing and passing examples
  artconv rule style-attribute   # the same, by name""")
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


@app.command(epilog="""Examples:
  artconv transformers                      # pipelines for this folder
  artconv transformers source/_posts/a.md   # those for one article""")
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


@schema_app.command("export", epilog="""Examples:
  artconv schema export hugo > schemas/post.json     # a preset, to edit
  artconv schema export config > artconv.schema.json # for Even Better TOML / SchemaStore""")
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


@schema_app.command("infer", epilog="""Examples:
  artconv schema infer content/posts -o schemas/post.json
  artconv schema infer --required 0.9 --max-enum 5 source/_posts""")
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


@schema_app.command("output", epilog="""Examples:
  artconv schema output json > article.schema.json   # validate convert --to json output with it""")
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
