"""`--output-format gitlab`: a GitLab Code Quality report (one JSON array), written as findings come.

GitLab shows these in merge requests when a CI job saves the output as `artifacts:reports:codequality`.
Each issue needs a fingerprint that stays the same while the problem stays: the path, the rule
and the message, plus how many times the same triple came before in the file (two identical
findings in one file must not share one).
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence

try:
    from _blake2 import blake2b as _digest  # as lint/cache.py: no OpenSSL load for a hash
except ImportError:  # pragma: no cover - another Python implementation
    from hashlib import blake2b as _digest

from artconv.core.names import json_escape_surrogates
from artconv.lint.findings import Finding
from artconv.reporters.base import BaseReporter, severity

# GitLab's severities are info, minor, major, critical and blocker
_SEVERITY = {"error": "major", "warning": "minor"}


class GitlabReporter(BaseReporter):
    format = "gitlab"
    summary = "a GitLab Code Quality report (JSON) for merge requests"

    def __init__(self, out, color: bool = False) -> None:
        super().__init__(out, color)
        self.count = 0
        out.write("[")

    def add(self, findings: Sequence[Finding]) -> None:
        seen: Counter[tuple[str, str, str]] = Counter()
        parts = []
        for finding in findings:
            key = (finding.path, finding.code, finding.message)
            issue = _issue(finding, seen[key])
            seen[key] += 1
            parts.append(("," if self.count else "") + "\n  " + json_escape_surrogates(json.dumps(issue, ensure_ascii=False)))
            self.count += 1
        if parts:
            self.out.write("".join(parts))

    def close(self) -> None:
        self.out.write("\n]\n" if self.count else "]\n")


def _issue(finding: Finding, repeat: int) -> dict:
    identity = "\0".join((finding.path, finding.code, finding.message, str(repeat)))
    return {
        "description": f"{finding.code} {finding.message}",
        "check_name": finding.code,
        "fingerprint": _digest(identity.encode("utf-8", "surrogateescape"), digest_size=16).hexdigest(),
        "severity": _SEVERITY.get(severity(finding), "minor"),
        "location": {"path": finding.path, "positions": {"begin": {"line": finding.line, "column": finding.column}}},
    }
