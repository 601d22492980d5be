"""Linting many files: discovery, fixing in place, diffs, output and the exit code."""

from __future__ import annotations

import difflib
import sys
import time
from typing import TextIO

from artconv.config import ConfigError, config_for
from artconv.files import discover, write_atomically
from artconv.findings import Finding
from artconv.lint_output import render_findings, statistics, summary
from artconv.linting import Selection, lint_bytes
from artconv.report import EXIT_FAILED, EXIT_OK, EXIT_USAGE
from artconv.rules import RuleError


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
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    """Lint every article under `arguments`; return 0 (clean), 1 (findings) or 2 (usage/config)."""
    out = out or sys.stdout
    err = err or sys.stderr
    started = time.perf_counter()
    findings: list[Finding] = []
    files = fixed = 0
    files_with_findings = set()
    try:
        for source in discover(arguments or ["."]):
            if isinstance(source, str):
                print(f"error: {source}", file=err)
                return EXIT_USAGE
            path = str(source.path)
            try:
                data = source.path.read_bytes()
            except OSError as exc:
                print(f"error: {path}: cannot read: {exc.strerror or exc}", file=err)
                continue
            config = config_for(source.path)
            selection = Selection(select if select is not None else config.lint.select, (*config.lint.ignore, *ignore))
            result = lint_bytes(data, path, selection, config, fix=fix or diff, unsafe_fixes=unsafe_fixes)
            files += 1
            if result.fixed is not None:
                if diff:
                    out.write(_unified_diff(path, data, result.fixed))
                else:
                    write_atomically(source.path, result.fixed, mode_from=source.path)
                    fixed += 1
            shown = result.findings if not diff else lint_bytes(data, path, selection, config).findings
            findings.extend(shown)
            if shown:
                files_with_findings.add(path)
    except (ConfigError, RuleError) as exc:
        print(f"error: {exc}", file=err)
        return EXIT_USAGE
    if not diff:
        out.write(render_findings(findings, fmt, color=color))
    if show_statistics:
        out.write(statistics(findings))
    if not quiet and fmt == "text":
        seconds = time.perf_counter() - started
        print(summary(findings, len(files_with_findings), files, seconds, fixed, not unsafe_fixes), file=err)
    return EXIT_FAILED if findings else EXIT_OK


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
