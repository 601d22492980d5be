"""Converting many files: where output goes (stdout, a mirrored folder, in place, nowhere)."""

from __future__ import annotations

import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from artconv.article import MAX_FILE_BYTES
from artconv.config import ConfigError, config_for
from artconv.convert import ConversionError, Result, convert_bytes, convert_file
from artconv.files import Source, discover, write_atomically
from artconv.parallel import map_in_order
from artconv.progress import progress_bar
from artconv.report import EXIT_USAGE, Report

if TYPE_CHECKING:
    from artconv.budget import Budget

OUTPUT_SUFFIX = {"md": ".md", "json": ".json", "xhtml": ".xhtml"}
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


class UsageError(ValueError):
    pass


def convert_paths(
    arguments: list[str],
    to: str = "md",
    *,
    output: Path | None = None,
    in_place: bool = False,
    check: bool = False,
    check_fidelity: bool = True,
    report: Report | None = None,
    stdin: BinaryIO | None = None,
    stdout: BinaryIO | None = None,
    epub_options: dict | None = None,
    jobs: int | None = None,
    budget: Budget | None = None,
) -> int:
    """Convert every article under `arguments`; return the exit code. Errors never stop the run.

    With a budget, each file is converted in a worker process within its limits (budget.py)."""
    report = report or Report()
    stdout = stdout or sys.stdout.buffer
    modes = sum(bool(x) for x in (output, in_place, check))
    if modes > 1:
        raise UsageError("use only one of --output, --in-place and --check")
    if in_place and to != "md":
        raise UsageError(f"--in-place writes Markdown only; use --output for --to {to}")
    if to == "epub":
        if output is None or output.suffix.lower() != ".epub" or check:
            raise UsageError("--to epub bundles the articles into one book: give --output BOOK.epub")
        from artconv.epub import convert_paths_to_epub

        return convert_paths_to_epub(
            arguments, output, check_fidelity=check_fidelity, report=report, jobs=jobs, budget=budget,
            **(epub_options or {}),
        )
    started = time.perf_counter()
    try:
        if arguments == ["-"]:
            data = (stdin or sys.stdin.buffer).read(MAX_FILE_BYTES + 1)  # enough to refuse a bigger one
            config = config_for(Path.cwd() / "stdin.md")  # stdin takes the settings of the cwd
            if budget is None:
                result = convert_bytes(data, to, config=config, check_fidelity=check_fidelity)
            else:
                (result,) = map_in_order(
                    _convert_data, [(data, to, check_fidelity)], 1, budget, lambda _, message: Result(None, error=ConversionError(message))
                )
            _deliver_stdout(result, stdout, report, check)
            return report.exit_code(check)
        if "-" in arguments:
            raise UsageError("'-' (stdin) cannot be mixed with other paths")
        sources = list(discover(arguments, skip=output))
        # one path that is not a folder goes to stdout, or is named in an error if it cannot be read
        single = len(arguments) == 1 and not Path(arguments[0]).is_dir()
        # JSON Lines: many JSON documents go to stdout one per line, as jq and data tools read them
        if not (output or in_place or check or single or to == "json"):
            raise UsageError(
                "several input files: choose --output DIR, --in-place or --check "
                "(stdout takes one file)"
            )
        for source in sources:
            if isinstance(source, str):
                report.failure(source)
        files = [source for source in sources if isinstance(source, Source)]
        if output is not None and not check:
            files = _without_colliding_targets(files, to, report)
        work = [(str(source.path), to, check_fidelity) for source in files]
        to_terminal = output is None and not (in_place or check) and stdout.isatty()
        with progress_bar(len(files), "Converting", report.quiet or to_terminal) as advance:
            results = map_in_order(_convert_one, work, jobs, budget, _over_budget)
            for source, result in zip(files, results, strict=True):
                if output is None and not in_place and not check:
                    _deliver_stdout(result, stdout, report, check)
                else:
                    _deliver_file(result, source, to, output, in_place, check, report)
                advance()
    except ConfigError as exc:
        print(f"error: {exc}", file=report.stream)
        return EXIT_USAGE
    elapsed = time.perf_counter() - started
    if output is not None:
        report.summary("Converted", f" into {output}/", elapsed)
    elif in_place:
        report.summary("Converted", " in place", elapsed)
    elif check:
        report.summary("Checked", "", elapsed)
    return report.exit_code(check)


def _without_colliding_targets(files: list[Source], to: str, report: Report) -> list[Source]:
    """Inputs that map to one output file (`/a/x.md /b/x.md`, or `x.md` beside `x.html`) would
    overwrite each other's output: the first keeps it, the others are refused."""
    first: dict[Path, Source] = {}
    kept = []
    for source in files:
        target = source.relative.with_suffix(OUTPUT_SUFFIX[to])
        if target in first:
            if first[target].path.resolve() != source.path.resolve():
                earlier = first[target].path
                report.error(str(source.path), f"its output {target} would overwrite that of {earlier}; convert them apart")
            continue  # the same file named twice is converted once
        first[target] = source
        kept.append(source)
    return kept


def _convert_one(work: tuple[str, str, bool]) -> Result:
    path, to, check_fidelity = work
    return convert_file(path, to, check_fidelity=check_fidelity)


def _convert_data(work: tuple[bytes, str, bool]) -> Result:
    data, to, check_fidelity = work
    return convert_bytes(data, to, config=config_for(Path.cwd() / "stdin.md"), check_fidelity=check_fidelity)


def _over_budget(work: tuple[str, str, bool], message: str) -> Result:
    return Result(work[0], error=ConversionError(message))


def _deliver_stdout(result: Result, stdout: BinaryIO, report: Report, check: bool) -> None:
    if not result.ok:
        _report_error(result, report)
        return
    report.converted(result.changed)
    if check:
        if result.changed:
            report.would_change(result.path or "<stdin>")
        return
    stdout.write(result.output.encode("utf-8"))
    stdout.flush()


def _deliver_file(
    result: Result, source: Source, to: str, output: Path | None, in_place: bool, check: bool, report: Report
) -> None:
    if not result.ok:
        _report_error(result, report)
        return
    if check:
        report.converted(result.changed)
        if result.changed:
            report.would_change(str(source.path))
        return
    data = result.output.encode("utf-8")
    if in_place and source.path.suffix.lower() not in MARKDOWN_SUFFIXES:
        report.error(str(source.path), f"--in-place would write Markdown into a {source.path.suffix} file; use --output")
        return
    try:
        if in_place:
            if result.changed:
                write_atomically(source.path, data, mode_from=source.path)
        else:
            target = output / source.relative.with_suffix(OUTPUT_SUFFIX[to])
            write_atomically(target, data)
    except OSError as exc:
        report.error(str(source.path), f"cannot write: {exc.strerror or exc}")
        return
    report.converted(result.changed)


def _report_error(result: Result, report: Report) -> None:
    error = result.error
    report.error(result.path, error.message, error.line, error.column)
