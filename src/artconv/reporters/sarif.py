"""Lint findings as a SARIF 2.1.0 log, the format code-scanning services (GitHub and others) read."""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path, PurePath
from urllib.parse import quote

from artconv.core.version import __version__
from artconv.core.names import json_escape_surrogates
from artconv.lint.findings import Finding
from artconv.reporters.base import BaseReporter, rule_class, severity

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SRCROOT = "%SRCROOT%"


class SarifReporter(BaseReporter):
    """SARIF needs the whole run (rule descriptors first), so it is written at the end."""

    format = "sarif"
    summary = "a SARIF 2.1.0 log, for code-scanning services"

    def __init__(self, out, color: bool = False) -> None:
        super().__init__(out, color)
        self.held: list[Finding] = []

    def add(self, findings: Sequence[Finding]) -> None:
        self.held.extend(findings)

    def close(self) -> None:
        self.out.write(json_escape_surrogates(json.dumps(to_sarif(self.held), ensure_ascii=False, indent=2)) + "\n")


def to_sarif(findings: Sequence[Finding]) -> dict:
    """One run of artconv: a rule descriptor per code that occurs, and one result per finding."""
    codes = sorted({f.code for f in findings})
    index = {code: i for i, code in enumerate(codes)}
    first: dict[str, Finding] = {}
    for finding in findings:
        first.setdefault(finding.code, finding)
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [
            {
                "tool": {
                    "driver": {
                        "name": "artconv",
                        "version": __version__,
                        "rules": [_rule(first[code]) for code in codes],
                    }
                },
                # viewers resolve the relative result URIs against this
                "originalUriBaseIds": {SRCROOT: {"uri": _directory_uri(Path.cwd())}},
                "results": [_result(f, index[f.code]) for f in findings],
            }
        ],
    }


def _rule(finding: Finding) -> dict:
    rule = rule_class(finding.code)
    # the rule's own severity; configuration may have changed it, which each result says
    default = getattr(rule, "severity", None) or severity(finding)
    descriptor: dict = {"id": finding.code, "defaultConfiguration": {"level": default}}
    if rule is None:
        # the rule could not be loaded: describe it from what the finding carries
        name, summary, documentation, fix = finding.name, "", "", finding.fix
    else:
        name, summary, documentation, fix = rule.name, rule.summary, rule.documentation(), rule.fix_safety()
    if name:
        descriptor["name"] = name
    if summary:
        descriptor["shortDescription"] = {"text": summary}
    if documentation:
        descriptor["fullDescription"] = {"text": documentation}
        descriptor["help"] = {"text": documentation}
    descriptor["properties"] = {"fix": fix or "none"}
    return descriptor


def _result(finding: Finding, rule_index: int) -> dict:
    region = {}
    # SARIF counts from 1; a 0 means "no position", which SARIF says by leaving the field out
    if finding.line >= 1:
        region["startLine"] = finding.line
        if finding.column >= 1:
            region["startColumn"] = finding.column
    physical: dict = {"artifactLocation": _artifact_location(finding.path)}
    if region:
        physical["region"] = region
    result = {
        "ruleId": finding.code,
        "ruleIndex": rule_index,
        "level": severity(finding),
        "message": {"text": finding.message},
        "locations": [{"physicalLocation": physical}],
    }
    if finding.fix:
        result["properties"] = {"fix": finding.fix}
    return result


def _artifact_location(path: str) -> dict:
    pure = PurePath(path)
    if pure.is_absolute():
        try:
            pure = Path(path).relative_to(Path.cwd())
        except ValueError:
            # outside the working directory a relative URI would need "..": an absolute one is clearer
            return {"uri": Path(path).as_uri()}
    # quote() leaves only unreserved characters and "/", so spaces, "%", ":" and non-ASCII
    # (as UTF-8) are escaped and the result is a valid relative reference
    # of the name's bytes, so that one that is not UTF-8 is escaped byte for byte too
    return {"uri": quote(os.fsencode(pure.as_posix())), "uriBaseId": SRCROOT}


def _directory_uri(directory: Path) -> str:
    uri = directory.as_uri()
    return uri if uri.endswith("/") else uri + "/"
