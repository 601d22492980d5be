"""`--format json`: one JSON array of findings, written as they come."""

from __future__ import annotations

import json
from collections.abc import Sequence

from artconv.core.names import json_escape_surrogates
from artconv.lint.findings import Finding
from artconv.reporters.base import BaseReporter


class JsonReporter(BaseReporter):
    format = "json"
    summary = "a JSON array of findings (path, line, column, code, message, name, fix)"

    def __init__(self, out, color: bool = False) -> None:
        super().__init__(out, color)
        self.count = 0
        out.write("[")

    def add(self, findings: Sequence[Finding]) -> None:
        lines = []
        for finding in findings:
            lines.append(("," if self.count else "") + "\n  " + json_escape_surrogates(json.dumps(finding.as_dict(), ensure_ascii=False)))
            self.count += 1
        if lines:
            self.out.write("".join(lines))

    def close(self) -> None:
        self.out.write("\n]\n" if self.count else "]\n")
