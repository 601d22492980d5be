"""`--output-format junit`: JUnit XML, which CI systems (GitLab, Jenkins, Azure) show as test results.

One `<testsuite>` per file with findings, one failed `<testcase>` per finding, written as files
come (the totals of `<testsuites>` are optional in the format, so nothing waits for the end). A
run without findings writes one passing test case, so that a CI page shows that linting ran.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from xml.sax.saxutils import escape, quoteattr

from artconv.core.names import printable
from artconv.lint.findings import Finding
from artconv.reporters.base import BaseReporter

# XML 1.0 cannot hold C0 controls (except tab and newlines) or lone surrogates, even escaped
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _text(value: str) -> str:
    return _NOT_XML.sub("\ufffd", printable(value))


class JunitReporter(BaseReporter):
    format = "junit"
    summary = "JUnit XML: a test suite per file, a failed test case per finding"

    def __init__(self, out, color: bool = False) -> None:
        super().__init__(out, color)
        self.count = 0
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="artconv">\n')

    def add(self, findings: Sequence[Finding]) -> None:
        if not findings:
            return
        path = _text(findings[0].path)
        cases = "".join(_case(finding, path) for finding in findings)
        self.out.write(
            f'  <testsuite name={quoteattr(path)} tests="{len(findings)}" failures="{len(findings)}" errors="0">\n'
            f"{cases}  </testsuite>\n"
        )
        self.count += len(findings)

    def close(self) -> None:
        if not self.count:
            self.out.write(
                '  <testsuite name="artconv" tests="1" failures="0" errors="0">\n'
                '    <testcase name="no problems found" classname="artconv"/>\n  </testsuite>\n'
            )
        self.out.write("</testsuites>\n")


def _case(finding: Finding, path: str) -> str:
    message = _text(finding.message)
    where = f"line {finding.line}, col {finding.column}, {message}"
    return (
        f'    <testcase name={quoteattr(f"artconv.{finding.code}")} classname={quoteattr(path)} '
        f'file={quoteattr(path)} line="{finding.line}">\n'
        f"      <failure message={quoteattr(message)}>{escape(where)}</failure>\n    </testcase>\n"
    )
