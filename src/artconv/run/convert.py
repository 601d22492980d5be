"""`artconv convert` over many files: where output goes (stdout, a mirrored folder, in place,
nowhere), or, for a writer that bundles (EPUB), into one file."""

from __future__ import annotations

import itertools
import os
import sys
import time
from dataclasses import replace
from pathlib import Path
from collections import deque
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, BinaryIO

from artconv.convert import Result, convert_bytes, convert_file, writer_for
from artconv.core.article import MAX_FILE_BYTES
from artconv.core.atomic import sync_tree, write_atomically
from artconv.core.config import ConfigError, config_for
from artconv.core.generator import generator_for
from artconv.core.confined import OutputFolder, OutsideOutput
from artconv.core.errors import ConversionError, UsageError
from artconv.core.names import quote_name
from artconv.run.bundle import bundle_paths
from artconv.run.discovery import NO_EXCLUSIONS, Exclusions, Source, discover, missing
from artconv.run.parallel import OrderedMapper, map_in_order
from artconv.run.progress import progress_bar
from artconv.run.report import EXIT_USAGE, Report
from artconv.run.review import convert_reviewed, new_page, review_bundled, reviewed_over_budget, taken, with_page

if TYPE_CHECKING:
    from artconv.run.budget import Budget

__all__ = ["UsageError", "convert_paths"]

MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkd")


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
    review: Path | None = None,
    exclusions: Exclusions = NO_EXCLUSIONS,
    dask: str | None = None,
) -> int:
    """Convert every article under `arguments`; return the exit code. Errors never stop the run.

    `epub_options` are the options of a writer that bundles (for EPUB: `order`, `title`). With a
    budget, each file is converted in a worker process within its limits (run/budget.py). With
    `review`, the review page of the run is written there (run/review.py). `dask`: the address of
    a dask.distributed scheduler whose workers convert the files (run/cluster.py)."""
    report = report or Report()
    writer = writer_for(to)
    _check_modes(writer, to, output, in_place, check)
    _check_arguments(writer, arguments, review, dask)
    page = new_page(f"convert --to {to}", where=review)
    if getattr(writer, "bundles", False):
        code = bundle_paths(
            arguments, writer, output, check_fidelity=check_fidelity, report=report, jobs=jobs, options=epub_options or {},
            budget=budget, exclusions=exclusions,
        )
        if page is not None:
            review_bundled(arguments, writer.pipeline, output, check_fidelity, page, jobs, budget)
        return with_page(code, page, review, report.stream)
    started = time.perf_counter()
    target = _Target(output, in_place, check, stdout or sys.stdout.buffer, writer.suffix)
    try:
        if arguments == ["-"]:
            data = (stdin or sys.stdin.buffer).read(MAX_FILE_BYTES + 1)  # enough to refuse a bigger one
            target.deliver(_convert_stdin(data, to, check_fidelity, budget), None, report)
            return report.exit_code(check)
        _convert_files(arguments, to, writer, target, check_fidelity, report, jobs, budget, (page, exclusions, dask))
        target.sync()
    except ConfigError as exc:
        print(f"error: {exc}", file=report.stream)
        return EXIT_USAGE
    unwritten = with_page(0, page, review, report.stream)  # before the summary, which stays the last line
    target.summarise(report, time.perf_counter() - started)
    return report.exit_code(check) or unwritten


def _check_arguments(writer, arguments: list[str], review: Path | None, dask: str | None) -> None:
    if review is not None and arguments == ["-"]:
        raise UsageError("--report reviews files: name them (stdin has no page)")
    if dask and (getattr(writer, "bundles", False) or arguments == ["-"] or review is not None):
        raise UsageError("--dask converts files to files: not stdin, nor --to epub, nor with --report")
    absent = missing(arguments)
    if absent:  # before anything is written: exit 2, as lint (a typo in a path is a usage error)
        raise UsageError("; ".join(absent))


def _check_modes(writer, to: str, output: Path | None, in_place: bool, check: bool) -> None:
    if sum(bool(x) for x in (output, in_place, check)) > 1:
        raise UsageError("use only one of --output, --in-place and --check")
    if in_place and not getattr(writer, "in_place", False):
        raise UsageError(f"--in-place writes Markdown only; use --output for --to {to}")
    if getattr(writer, "bundles", False) and (output is None or output.suffix.lower() != writer.suffix or check):
        raise UsageError(f"--to {to} bundles the articles into one book: give --output BOOK{writer.suffix}")


def _convert_files(
    arguments: list[str], to: str, writer, target: _Target, check_fidelity: bool, report: Report, jobs,
    budget: Budget | None, extras: tuple = (None, NO_EXCLUSIONS, None),
) -> None:
    """`extras`: (the review page or None, the exclusions, the Dask scheduler's address or None)."""
    page, exclusions, dask = extras
    if "-" in arguments:
        raise UsageError("'-' (stdin) cannot be mixed with other paths")
    sources = discover(arguments, skip=target.output, exclusions=exclusions)
    # one path that is not a folder goes to stdout, or is named in an error if it cannot be read
    single = len(arguments) == 1 and not Path(arguments[0]).is_dir()
    # JSON Lines: many JSON documents go to stdout one per line, as jq and data tools read them
    if target.to_stdout and not (single or getattr(writer, "streams", False)):
        raise UsageError(
            "several input files: choose --output DIR, --in-place or --check "
            "(stdout takes one file)"
        )
    files: Iterable[Source] = _readable(sources, report)
    total = None  # unknown while files stream in: the bar counts without an end
    if target.output is not None and not target.check:
        if not target.fresh:
            # an output folder with files in it may hold (or lead to) inputs: every input is
            # known before anything is written, as the refusal must come first
            files = list(files)
            total = len(files)
            _refuse_overwriting_inputs(files, target.output, target.suffix)
        files = _without_colliding_targets(files, target.suffix, report)
    # a window of files in flight (parallel.py), their outputs written in input order as they come
    pairs = ((source, (str(source.path), to, check_fidelity)) for source in files)
    held: deque[Source] = deque()

    def work():
        for source, item in pairs:
            held.append(source)
            yield item

    with progress_bar(total, "Converting", report.quiet or (target.to_stdout and target.stdout.isatty())) as advance:
        for result in _results(work(), arguments, jobs, budget, dask, page):
            target.deliver(result, held.popleft(), report)
            advance()


def _results(
    work: Iterator[tuple], arguments: list[str], jobs, budget: Budget | None, dask: str | None, page=None,
) -> Iterator[Result]:
    """The Results of the work, in order: from a cluster, from budgeted workers, or here. With a
    review page, each worker also makes the file's entry, added to the page as it arrives."""
    if dask:
        from artconv.run.cluster import map_on_cluster

        yield from map_on_cluster(dask, _convert_sent, (_resolved(item) for item in work))
        return
    convert, over = (_convert_one, _over_budget) if page is None else (convert_reviewed, reviewed_over_budget)
    outcomes = _mapped(convert, over, work, arguments, jobs, budget)
    yield from outcomes if page is None else (taken(outcome, page) for outcome in outcomes)


def _mapped(convert, over, work: Iterator[tuple], arguments: list[str], jobs, budget: Budget | None) -> Iterator:
    if budget is not None and any(os.path.isdir(argument) for argument in arguments):
        # a run over a folder has many files: its workers are forked before the walk, so that
        # none carries a copy of what the parent holds by then
        work = _warmed_up(work)
        mapper = OrderedMapper(convert, jobs, budget, over, path_of=_path_of)
        mapper.start()
        try:
            yield from mapper.map(work)
        finally:
            mapper.close()
    else:
        yield from map_in_order(convert, work, jobs, budget, over, path_of=_path_of)


_WARM_UP = b"---\ntitle: t\n---\n<p style='x'>a <b>b</b></p>\n\nc <span>d</span>\n"


def _warmed_up(work: Iterator[tuple]) -> Iterator[tuple]:
    """The work, after one small article was converted here as its first file would be: every
    worker forked next starts with the transformers and the writer imported and their patterns
    compiled, instead of each paying that again (about 55 ms of CPU a worker)."""
    first = next(work, None)
    if first is None:
        return iter(())
    path, to, check_fidelity = first
    # beside the first file, so that the same configuration (and its generator) is read; what
    # comes of it is thrown away, errors included: the file's own conversion reports them
    convert_bytes(_WARM_UP, to, path=os.path.join(os.path.dirname(path), ".artconv-warm-up.md"), check_fidelity=check_fidelity)
    return itertools.chain([first], work)


def _readable(sources: Iterable[Source | str], report: Report) -> Iterator[Source]:
    """The files found; each argument that named nothing readable is reported as a failure."""
    for source in sources:
        if isinstance(source, str):
            report.failure(source)
        else:
            yield source


def _refuse_overwriting_inputs(files: list[Source], output: Path, suffix: str) -> None:
    """`--output` that is the input folder (or one that maps outputs onto inputs) would rewrite
    the inputs without the atomic, only-if-changed care of --in-place: refused before anything
    is written."""
    inputs = {os.path.realpath(source.path): source for source in files}
    hits = [
        inputs[real] for source in files
        if (real := os.path.realpath(output / source.relative.with_suffix(suffix))) in inputs
    ]
    if hits:
        more = f" (and {len(hits) - 1} more)" if len(hits) > 1 else ""
        raise UsageError(
            f"--output {quote_name(str(output))} would overwrite the input {quote_name(str(hits[0].path))}{more}; "
            "to rewrite the inputs use --in-place, or choose another --output folder"
        )


def _without_colliding_targets(files: Iterable[Source], suffix: str, report: Report) -> Iterator[Source]:
    """Inputs that map to one output file (`/a/x.md /b/x.md`, or `x.md` beside `x.html`) would
    overwrite each other's output: the first keeps it, the others are refused."""
    seen = _Targets()
    for source in files:
        target = source.relative.with_suffix(suffix)
        earlier = seen.first(source, target)
        if earlier is not None:
            if Path(earlier).resolve() != source.path.resolve():
                report.error(str(source.path), f"its output {quote_name(str(target))} would overwrite that of {quote_name(earlier)}; convert them apart")
            continue  # the same file named twice is converted once
        yield source


class _Targets:
    """The output files of a run so far, in a few dozen bytes each (a run may have millions of
    files). A target is remembered by its hash and by how to spell its input again: a file found
    under a folder is that folder, its relative path (the target's, with the input's own suffix)
    and that suffix, so a small number stands for the (folder, suffix) pair. A file named on the
    command line keeps its path and target as strings. A hash shared by two targets is told
    apart by the spelled input, which exists only for a real earlier input."""

    def __init__(self) -> None:
        self._seen: dict[int, object] = {}  # an entry, or a list of them where hashes meet
        self._kinds: list[tuple[Path, str]] = []
        self._kind_numbers: dict[tuple[Path, str], int] = {}

    def first(self, source: Source, target: Path) -> str | None:
        """The input that already has `target`, or None (and this one is remembered)."""
        spelled = str(target)
        key = hash(spelled)
        found = self._seen.get(key)
        entries = found if isinstance(found, list) else [] if found is None else [found]
        for entry in entries:
            earlier = self._earlier(entry, target, spelled)
            if earlier is not None:
                return earlier
        entry = self._entry(source, target, spelled)
        self._seen[key] = entry if found is None else [*entries, entry]
        return None

    def _earlier(self, entry, target: Path, spelled: str) -> str | None:
        if isinstance(entry, tuple):
            path, its_target = entry
            return path if its_target == spelled else None
        root, suffix = self._kinds[entry]
        path = root / target.with_suffix(suffix)
        return str(path) if os.path.lexists(path) else None

    def _entry(self, source: Source, target: Path, spelled: str):
        suffix = source.path.suffix
        if source.root is None or not suffix or source.root / target.with_suffix(suffix) != source.path:
            return (str(source.path), spelled)
        kind = (source.root, suffix)
        number = self._kind_numbers.get(kind)
        if number is None:
            number = self._kind_numbers[kind] = len(self._kinds)
            self._kinds.append(kind)
        return number


def _convert_one(work: tuple[str, str, bool]) -> Result:
    path, to, check_fidelity = work
    return convert_file(path, to, check_fidelity=check_fidelity)


def _resolved(work: tuple[str, str, bool]) -> tuple:
    """What a cluster's worker needs to convert a file that it cannot see: its bytes (or why
    they cannot be read), and the configuration and site generator that apply to it, resolved
    here, where the file and the repository around it are."""
    path, to, check_fidelity = work
    config = config_for(path)
    config = _with_generator(config, generator_for(path, config.generator))
    try:
        with open(path, "rb") as handle:
            data: bytes | str = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        data = f"cannot read: {exc.strerror or exc}"
    return path, data, to, config, check_fidelity


_resolved_configs: dict[tuple[int, str], tuple] = {}


def _with_generator(config, generator: str):
    """One object per configuration and generator: a batch sent to a worker carries it once.
    (Configurations are few and live for the run: config_for caches them, so ids stay unique.)"""
    key = (id(config), generator)
    if key not in _resolved_configs:
        _resolved_configs[key] = (config, replace(config, generator=generator))
    return _resolved_configs[key][1]


_built_configs: dict[str, object] = {}  # on a worker: each configuration's pipelines built once


def _convert_sent(sent: tuple) -> Result:
    """On a cluster's worker: the pure conversion of what _resolved sent."""
    path, data, to, config, check_fidelity = sent
    if isinstance(data, str):
        return Result(path, error=ConversionError(data))
    config = _built_configs.setdefault(repr(config), config)
    return convert_bytes(data, to, path=path, config=config, check_fidelity=check_fidelity)


def _convert_stdin(data: bytes, to: str, check_fidelity: bool, budget: Budget | None) -> Result:
    if budget is None:
        return _convert_data((data, to, check_fidelity))
    (result,) = map_in_order(_convert_data, [(data, to, check_fidelity)], 1, budget, _stdin_over_budget)
    return result


def _convert_data(work: tuple[bytes, str, bool]) -> Result:
    data, to, check_fidelity = work
    # stdin takes the settings of the current folder
    return convert_bytes(data, to, config=config_for(Path.cwd() / "stdin.md"), check_fidelity=check_fidelity)


def _over_budget(work: tuple[str, str, bool], message: str) -> Result:
    return Result(work[0], error=ConversionError(message))


def _stdin_over_budget(work: tuple[bytes, str, bool], message: str) -> Result:
    return Result(None, error=ConversionError(message))


class _Target:
    """Where the results of a run go: stdout, a mirrored folder, the files themselves, or nowhere
    (--check); and how its summary line reads."""

    def __init__(self, output: Path | None, in_place: bool, check: bool, stdout: BinaryIO, suffix: str) -> None:
        self.output, self.in_place, self.check, self.stdout, self.suffix = output, in_place, check, stdout, suffix
        # A fresh output tree (missing or empty) holds no old version a power cut could cost: its
        # files are written without an fsync each, and the tree is synced once at the end (an
        # fsync per file was 30% of a run's wall time). Killed mid-run, every file is still whole.
        self.fresh = output is not None and not check and _missing_or_empty(output)
        self.folder = OutputFolder(output) if output is not None else None
        self.wrote = False

    @property
    def to_stdout(self) -> bool:
        return self.output is None and not self.in_place and not self.check

    def deliver(self, result: Result, source: Source | None, report: Report) -> None:
        if not result.ok:
            error = result.error
            report.error(result.path, error.message, error.line, error.column)
        elif self.check:
            report.converted(result.changed)
            if result.changed:
                report.would_change(str(source.path) if source is not None else result.path or "<stdin>")
        elif self.to_stdout or source is None:
            report.converted(result.changed)
            self.stdout.write(result.output.encode("utf-8"))
            self.stdout.flush()
        else:
            self._write(result, source, report)

    def _write(self, result: Result, source: Source, report: Report) -> None:
        if self.in_place and source.path.suffix.lower() not in MARKDOWN_SUFFIXES:
            report.error(str(source.path), f"--in-place would write Markdown into a {source.path.suffix} file; use --output")
            return
        written = source.path if self.in_place else self.output / source.relative.with_suffix(self.suffix)
        # an error names the file that could not be written, and the input it came from
        origin = "" if self.in_place else f" (from {quote_name(str(source.path))})"
        try:
            if self.in_place:
                if result.changed:
                    write_atomically(source.path, result.output.encode("utf-8"), mode_from=source.path)
            else:
                self.folder.write(source.relative.with_suffix(self.suffix), result.output.encode("utf-8"), durable=not self.fresh)
                self.wrote = True
        except OutsideOutput as exc:
            report.error(str(written), exc.message + origin)
            return
        except OSError as exc:
            report.error(str(written), f"cannot write: {exc.strerror or exc}{origin}")
            return
        report.converted(result.changed)

    def sync(self) -> None:
        if self.fresh and self.wrote:
            sync_tree(self.output)

    def summarise(self, report: Report, elapsed: float) -> None:
        if self.output is not None:
            report.summary("Converted", f" into {quote_name(str(self.output))}/", elapsed)
        elif self.in_place:
            report.summary("Converted", " in place", elapsed)
        elif self.check:
            report.summary("Checked", "", elapsed)


def _missing_or_empty(folder: Path) -> bool:
    try:
        with os.scandir(folder) as entries:
            return next(entries, None) is None
    except FileNotFoundError:
        return True
    except OSError:
        return False  # not a folder, or unreadable: written as before, file by file


def _path_of(work: tuple[str, str, bool]) -> str:
    return work[0]
