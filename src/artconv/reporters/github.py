"""`--format github`: GitHub Actions workflow commands, shown as annotations on the changed lines."""

from __future__ import annotations

import re
from collections.abc import Sequence

from artconv.lint.findings import Finding
from artconv.reporters.base import BaseReporter, severity


class GithubReporter(BaseReporter):
    format = "github"
    summary = "GitHub Actions annotations (::error / ::warning)"

    def add(self, findings: Sequence[Finding]) -> None:
        if findings:
            self.out.write("".join(annotation(f) + "\n" for f in findings))


def annotation(finding: Finding) -> str:
    return (
        f"::{severity(finding)} file={_escape_property(finding.path)},line={finding.line},col={finding.column},"
        f"title={_escape_property(finding.code + ' ' + finding.name)}::{_escape_data(finding.message)}"
    )


def _escape_data(text: str) -> str:
    text = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    # a byte of a name that is not UTF-8 is written as %XX, as the runner decodes it (never as a
    # lone surrogate, which no UTF-8 stream can hold)
    return _SURROGATE.sub(lambda m: f"%{ord(m[0]) - 0xDC00:02X}", text)


_SURROGATE = re.compile("[\udc80-\udcff]")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")
