"""One generic test for every fixtures/rules/<CODE>/: pass.md passes, fail.md gives exactly the
findings in fail.json, and (for fixable rules) --fix of fail.md gives fixed.md, which passes."""

from __future__ import annotations

import json

import pytest

from artconv.lint.engine import Selection, lint_bytes
from artconv.rules import available_rules
from conftest import RULE_FIXTURES

CASES = sorted(path for path in RULE_FIXTURES.iterdir() if path.is_dir())


def _lint(path, code, **options):
    return lint_bytes(path.read_bytes(), str(path), Selection((code,)), **options)


def test_every_rule_has_fixtures():
    assert {case.name for case in CASES} >= set(available_rules())


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_passing_example_has_no_finding(case):
    assert [f for f in _lint(case / "pass.md", case.name).findings] == []


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_failing_example_gives_the_expected_findings(case):
    expected = json.loads((case / "fail.json").read_text("utf-8"))
    found = _lint(case / "fail.md", case.name).findings
    keys = set(expected[0]) if expected else {"line", "column", "code"}  # message is optional in fail.json
    assert [{k: v for k, v in f.as_dict().items() if k in keys} for f in found] == expected
    assert expected and all(item["code"] == case.name for item in expected)


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_fix_gives_the_fixed_example(case):
    rule = available_rules()[case.name]
    fixed_path = case / "fixed.md"
    assert fixed_path.exists() == (rule.fix is not None)
    if rule.fix is None:
        return
    result = _lint(case / "fail.md", case.name, fix=True, unsafe_fixes=True)
    assert result.fixed == fixed_path.read_bytes()
    assert result.findings == []
    again = _lint(fixed_path, case.name, fix=True, unsafe_fixes=True)
    assert again.findings == [] and again.fixed is None  # a second fix changes nothing


@pytest.mark.parametrize("case", CASES, ids=lambda p: p.name)
def test_rule_documentation_has_failing_and_passing_examples(case):
    doc = available_rules()[case.name].documentation()
    assert "Fails" in doc and "Passes" in doc
