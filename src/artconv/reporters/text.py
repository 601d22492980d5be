"""`--format text`: one line per finding, `path:line:column: CODE [*] message`, as ruff writes them."""

from __future__ import annotations

from collections.abc import Sequence

from artconv.core.names import printable, quote_name
from artconv.lint.findings import Finding
from artconv.reporters.base import BaseReporter

_BOLD, _RED, _CYAN, _RESET = "\x1b[1m", "\x1b[31m", "\x1b[36m", "\x1b[0m"


class TextReporter(BaseReporter):
    format = "text"
    summary = "one line per finding (coloured at a terminal), and a summary line on stderr"
    for_people = True

    def add(self, findings: Sequence[Finding]) -> None:
        if findings:
            self.out.write("".join(line(f, self.color) + "\n" for f in findings))


def line(finding: Finding, color: bool = False) -> str:
    marker = " [*]" if finding.fix == "safe" else ""
    # one finding, one line, whatever the file is called or the article holds
    path, message = quote_name(finding.path), printable(finding.message)
    if not color:
        return f"{path}:{finding.line}:{finding.column}: {finding.code}{marker} {message}"
    return (
        f"{_BOLD}{path}{_RESET}{_CYAN}:{finding.line}:{finding.column}:{_RESET} "
        f"{_BOLD}{_RED}{finding.code}{_RESET}{marker} {message}"
    )
