"""Lint findings as text, JSON, GitHub workflow annotations or SARIF, plus the summary and counts."""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

from artconv.lint.findings import Finding

FORMATS = ("text", "json", "github", "sarif")

_BOLD, _RED, _CYAN, _DIM, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[36m", "\x1b[2m", "\x1b[0m"


def render_findings(findings: Sequence[Finding], fmt: str, color: bool = False) -> str:
    """The findings in a format; "" when there are none (text and github)."""
    if fmt == "json":
        return json.dumps([f.as_dict() for f in findings], ensure_ascii=False, indent=2) + "\n"
    if fmt == "github":
        return "".join(_github(f) + "\n" for f in findings)
    if fmt == "sarif":
        from artconv.reporters.sarif import to_sarif

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


class FindingStream:
    """Writes findings as they come (text, github, JSON) so that memory stays flat in the number
    of files; SARIF needs the whole run and is written at the end. Keeps the counts."""

    def __init__(self, fmt: str, out, color: bool = False):
        self.fmt, self.out, self.color = fmt, out, color
        self.by_rule: Counter[tuple[str, str, bool]] = Counter()
        self.count = self.safe = self.unsafe = 0
        self._held: list[Finding] = []
        if fmt == "json":
            out.write("[")

    def add(self, findings: Sequence[Finding]) -> None:
        lines = []
        for finding in findings:
            self.by_rule[(finding.code, finding.name, finding.fix == "safe")] += 1
            self.safe += finding.fix == "safe"
            self.unsafe += finding.fix == "unsafe"
            if self.fmt == "json":
                lines.append(("," if self.count else "") + "\n  " + json.dumps(finding.as_dict(), ensure_ascii=False))
            elif self.fmt == "sarif":
                self._held.append(finding)
            elif self.fmt == "github":
                lines.append(_github(finding) + "\n")
            elif self.fmt == "text":
                lines.append(_text(finding, self.color) + "\n")
            self.count += 1  # "none" (--diff shows the diff instead) only counts
        if lines:
            self.out.write("".join(lines))

    def close(self) -> None:
        if self.fmt == "json":
            self.out.write("\n]\n" if self.count else "]\n")
        elif self.fmt == "sarif":
            self.out.write(render_findings(self._held, "sarif"))


def statistics(counts: Counter) -> str:
    """Counts per rule, most frequent first, as ruff's --statistics prints them."""
    lines = [
        f"{count:>6}\t{code}\t{name}{' [*]' if fixable else ''}"
        for (code, name, fixable), count in sorted(counts.items(), key=lambda item: (-item[1], item[0]))
    ]
    return "\n".join(lines) + ("\n" if lines else "")


def summary(stream: FindingStream, files_with_findings: int, files: int, seconds: float, fixed: int, unsafe_hidden: bool) -> str:
    total, safe, unsafe = stream.count, stream.safe, stream.unsafe
    parts = []
    if fixed:
        parts.append(f"Fixed {fixed} file{'s' if fixed != 1 else ''}.")
    if total:
        more = f", {unsafe} more with --unsafe-fixes" if unsafe and unsafe_hidden else ""
        fixable = f" ({safe} fixable with --fix{more})"
        parts.append(
            f"Found {total} problem{'s' if total != 1 else ''} in {files_with_findings} "
            f"file{'s' if files_with_findings != 1 else ''}{fixable if safe or unsafe else ''}."
        )
    else:
        parts.append("No problems found.")
    parts.append(f"{files} file{'s' if files != 1 else ''} checked in {seconds:.2f} s.")
    return " ".join(parts)
