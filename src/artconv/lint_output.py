"""Lint findings as text, JSON, GitHub workflow annotations or SARIF, plus the summary and counts."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from artconv.findings import Finding

FORMATS = ("text", "json", "github", "sarif")

_BOLD, _RED, _CYAN, _DIM, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[36m", "\x1b[2m", "\x1b[0m"


def render_findings(findings: Sequence[Finding], fmt: str, color: bool = False) -> str:
    """The findings in a format; "" when there are none (text and github)."""
    if fmt == "json":
        return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2) + "\n"
    if fmt == "github":
        return "".join(_github(f) + "\n" for f in findings)
    if fmt == "sarif":
        from artconv.sarif import to_sarif

        return json.dumps(to_sarif(findings), ensure_ascii=False, indent=2) + "\n"
    return "".join(_text(f, color) + "\n" for f in findings)


def _text(finding: Finding, color: bool) -> str:
    marker = " [*]" if finding.fix == "safe" else ""
    if not color:
        return f"{finding.path}:{finding.line}:{finding.column}: {finding.code}{marker} {finding.message}"
    return (
        f"{_BOLD}{finding.path}{_RESET}{_CYAN}:{finding.line}:{finding.column}:{_RESET} "
        f"{_BOLD}{_RED}{finding.code}{_RESET}{marker} {finding.message}"
    )


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def _github(finding: Finding) -> str:
    level = "error" if finding.code.endswith(("001", "002")) or finding.code.startswith("FM") else "warning"
    return (
        f"::{level} file={_escape_property(finding.path)},line={finding.line},col={finding.column},"
        f"title={_escape_property(finding.code + ' ' + finding.name)}::{_escape_data(finding.message)}"
    )


def statistics(findings: Sequence[Finding]) -> str:
    """Counts per rule, most frequent first, as ruff's --statistics prints them."""
    counts = Counter((f.code, f.name, f.fix == "safe") for f in findings)
    lines = [
        f"{count:>6}\t{code}\t{name}{' [*]' if fixable else ''}"
        for (code, name, fixable), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def summary(
    findings: Sequence[Finding], files_with_findings: int, files: int, seconds: float, fixed: int, unsafe_hidden: bool
) -> str:
    safe = sum(1 for f in findings if f.fix == "safe")
    unsafe = sum(1 for f in findings if f.fix == "unsafe")
    parts = []
    if fixed:
        parts.append(f"Fixed {fixed} file{'s' if fixed != 1 else ''}.")
    if findings:
        more = f", {unsafe} more with --unsafe-fixes" if unsafe and unsafe_hidden else ""
        fixable = f" ({safe} fixable with --fix{more})"
        parts.append(
            f"Found {len(findings)} problem{'s' if len(findings) != 1 else ''} in {files_with_findings} "
            f"file{'s' if files_with_findings != 1 else ''}{fixable if safe or unsafe else ''}."
        )
    else:
        parts.append("No problems found.")
    parts.append(f"{files} file{'s' if files != 1 else ''} checked in {seconds:.2f} s.")
    return " ".join(parts)
