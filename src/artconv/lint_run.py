"""Linting many files: discovery, fixing in place, diffs, output and the exit code."""

from __future__ import annotations

import difflib
import sys
import time
from typing import TYPE_CHECKING, TextIO

from artconv.config import ConfigError, config_for
from artconv.files import discover, write_atomically
from artconv.findings import Finding
from artconv.input_bounds import InputTooComplex
from artconv.lint_cache import LintCache, content_key
from artconv.lint_output import FindingStream, statistics, summary
from artconv.linting import Selection, lint_bytes
from artconv.parallel import map_in_order
from artconv.progress import progress_bar
from artconv.report import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from artconv.rules import RuleError

if TYPE_CHECKING:
    from artconv.budget import Budget


def lint_paths(
    arguments: list[str],
    *,
    select: tuple[str, ...] | None = None,
    ignore: tuple[str, ...] = (),
    fix: bool = False,
    unsafe_fixes: bool = False,
    diff: bool = False,
    fmt: str = "text",
    show_statistics: bool = False,
    quiet: bool = False,
    color: bool = False,
    jobs: int | None = None,
    use_cache: bool = True,
    out: TextIO | None = None,
    err: TextIO | None = None,
    budget: Budget | None = None,
) -> int:
    """Lint every article under `arguments`; return 0 (clean), 1 (findings) or 2 (usage/config)."""
    out = out or sys.stdout
    started = time.perf_counter()
    stream = FindingStream(fmt if not diff else "none", out, color)
    files = fixed = files_with_findings = 0
    cache = LintCache(repr((select, ignore))) if use_cache and not (fix or diff) else None
    try:
        sources = []
        for source in discover(arguments or ["."]):
            if isinstance(source, str):
                print(f"error: {source}", file=err or sys.stderr)
                return EXIT_USAGE
            sources.append(source)
        work = [(str(s.path), select, ignore, fix or diff, unsafe_fixes, diff) for s in sources]
        with progress_bar(len(sources), "Linting", quiet or out.isatty()) as advance:
            outcomes = _each_advancing(_lint_all(work, cache, jobs, budget), advance)
            files, fixed, files_with_findings, failed = _report_outcomes(sources, outcomes, stream, out, err, diff)
    except (ConfigError, RuleError) as exc:
        print(f"error: {exc}", file=err or sys.stderr)
        return EXIT_USAGE
    if cache is not None:
        cache.save()
    stream.close()
    if show_statistics:
        out.write(statistics(stream.by_rule))
    if not quiet and fmt == "text":
        seconds = time.perf_counter() - started
        print(summary(stream, files_with_findings, files, seconds, fixed, not unsafe_fixes), file=err or sys.stderr)
    return EXIT_FAILED if stream.count or failed else EXIT_OK


def _each_advancing(outcomes, advance):
    for outcome in outcomes:
        yield outcome
        advance()


def _report_outcomes(sources, outcomes, stream: FindingStream, out: TextIO, err: TextIO | None, diff: bool):
    """Write fixes (or diffs) and findings as outcomes arrive; return (files, fixed, with findings)."""
    files = fixed = files_with_findings = failed = 0
    for source, outcome in zip(sources, outcomes, strict=True):
        path = str(source.path)
        if isinstance(outcome, str):
            print(f"error: {path}: {outcome}", file=err or sys.stderr)
            failed += 1
            continue
        files += 1
        shown, fixed_data, original = outcome
        if fixed_data is not None:
            if diff:
                out.write(_unified_diff(path, source.path.read_bytes(), fixed_data))
                shown = original
            else:
                try:
                    write_atomically(source.path, fixed_data, mode_from=source.path)
                    fixed += 1
                except OSError as exc:  # a read-only folder or a full disk: say so, go on
                    print(f"error: {path}: cannot write: {exc.strerror or exc}", file=err or sys.stderr)
                    failed += 1
        stream.add(shown)
        files_with_findings += bool(shown)
    return files, fixed, files_with_findings, failed


def _lint_all(work: list[tuple], cache: LintCache | None, jobs: int | None, budget: Budget | None = None):
    """Outcomes in input order, streamed: cached ones at once, the rest from the worker pool."""
    cached: dict[int, object] = {}
    keys: dict[int, str] = {}
    misses: list[int] = []
    for index, item in enumerate(work):
        if cache is None:
            misses.append(index)
            continue
        path = item[0]
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            cached[index] = f"cannot read: {exc.strerror or exc}"
            continue
        keys[index] = content_key(data, config_for(path))
        hit = cache.get(path, keys[index])
        if hit is None:
            misses.append(index)
        else:
            cached[index] = (hit, None, hit)
    # an error string, as for a file that cannot be read: "error: PATH: stopped after …"
    computed = map_in_order(_lint_one, [work[i] for i in misses], jobs, budget, lambda _, message: message)
    for index in range(len(work)):
        if index in cached:
            yield cached[index]
            continue
        outcome = next(computed)
        if cache is not None and not isinstance(outcome, str) and index in keys:
            cache.put(work[index][0], keys[index], outcome[0])
        yield outcome


def _lint_one(item: tuple) -> tuple[list[Finding], bytes | None, list[Finding]] | str:
    """(findings after fixing, fixed content or None, findings before fixing), or an error."""
    path, select, ignore, fix, unsafe_fixes, want_original = item
    try:
        with open(path, "rb") as handle:
            data = handle.read()
    except OSError as exc:
        return f"cannot read: {exc.strerror or exc}"
    config = config_for(path)
    selection = Selection(select if select is not None else config.lint.select, (*config.lint.ignore, *ignore))
    try:
        result = lint_bytes(data, path, selection, config, fix=fix, unsafe_fixes=unsafe_fixes)
        original = result.findings
        if want_original and result.fixed is not None:
            original = lint_bytes(data, path, selection, config).findings
    except InputTooComplex as exc:  # an element with 100,000 attributes: not parsed, said so
        return exc.message
    return result.findings, result.fixed, original


def _unified_diff(path: str, before: bytes, after: bytes) -> str:
    old = before.decode("utf-8", errors="replace").splitlines(keepends=True)
    new = after.decode("utf-8", errors="replace").splitlines(keepends=True)
    return "".join(difflib.unified_diff(old, new, fromfile=f"a/{path}", tofile=f"b/{path}"))


def describe_rule(code_or_name: str) -> str:
    from artconv.rules import find_rule

    rule = find_rule(code_or_name)
    fix = {"safe": "fixable with --fix", "unsafe": "fixable with --unsafe-fixes", None: "not fixable"}[rule.fix_safety()]
    return f"{rule.code} {rule.name} ({fix})\n\n{rule.documentation()}\n"


def describe_all_rules() -> str:
    from artconv.rules import available_rules

    lines = []
    for code, rule in available_rules().items():
        mark = {"safe": "[*]", "unsafe": "[!]", None: "   "}[rule.fix_safety()]
        lines.append(f"{code}  {mark}  {rule.name:<28} {rule.summary}")
    return "\n".join(lines) + "\n"
