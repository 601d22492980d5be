"""`artconv schema export config`: the configuration's JSON Schema accepts every example
configuration of the repository and rejects what the loader rejects."""

from __future__ import annotations

import json
import re
import tomllib

import pytest
from jsonschema import Draft202012Validator

from conftest import REPO, run_artconv


@pytest.fixture(scope="module")
def schema():
    result = run_artconv("schema", "export", "config")
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout)
    Draft202012Validator.check_schema(loaded)
    return Draft202012Validator(loaded)


def _example_configs():
    """Every .artconv.toml of the repository and every TOML example in the README that is a
    configuration (`[tool.artconv…]` tables, with `tool.artconv` stripped)."""
    found = {str(p.relative_to(REPO)): tomllib.loads(p.read_text("utf-8"))
             for p in REPO.glob("fixtures/**/.artconv.toml")}
    readme = (REPO / "README.md").read_text("utf-8")
    for index, block in enumerate(re.findall(r"```toml\n(.*?)```", readme, re.DOTALL)):
        if "[tool.artconv" not in block:
            continue
        try:
            data = tomllib.loads(block)
        except tomllib.TOMLDecodeError:
            continue  # an excerpt with placeholders
        found[f"README.md toml block {index}"] = data["tool"]["artconv"]
    return found


def test_the_schema_accepts_every_example_configuration(schema):
    from artconv.core.config import ConfigError, parse_config

    accepted = 0
    for name, data in _example_configs().items():
        errors = [e.message for e in schema.iter_errors(data)]
        try:
            parse_config(data, source=name)
        except ConfigError as exc:
            # a README example naming a plugin's transformer: neither the loader nor the schema
            # of this environment (which lists the installed transformers) accepts it
            assert "unknown transformer" in str(exc), (name, exc)
            assert errors, name
            continue
        assert errors == [], name
        accepted += 1
    assert accepted >= 8


BAD = [
    {"extensoins": [".md"]},
    {"lint": {"selct": ["FM"]}},
    {"lint": {"severity": {"HT": "fatal"}}},
    {"generator": "gatsby"},
    {"pipelines": {"pdf": ["style"]}},
    {"pipelines": {"md": ["no-such-step"]}},
    {"pipelines": {"writer": "pandoc"}},
    {"transformers": {"style": {"colour": True}}},
    {"transformers": {"style": {"blocks": "yes"}}},
    {"extensions": "md"},
    {"convert": {"embeds": ["flash"]}},
    {"convert": {"safe-markdown": "no"}},
    {"convert": {"embed": ["youtube"]}},
]


@pytest.mark.parametrize("data", BAD, ids=[json.dumps(b) for b in BAD])
def test_the_schema_rejects_what_the_loader_rejects(schema, data):
    from artconv.core.config import ConfigError, parse_config

    assert list(schema.iter_errors(data)), data
    with pytest.raises(ConfigError):
        parse_config(data)


def test_every_convert_key_has_a_shape_in_the_schema(schema):
    from artconv.core.convert_settings import CONVERT_KEYS

    assert set(schema.schema["properties"]["convert"]["properties"]) == set(CONVERT_KEYS)
    assert not list(schema.iter_errors({"convert": {"embeds": ["youtube", "details"], "safe-markdown": False}}))


def test_every_lint_key_has_a_shape_in_the_schema():
    from artconv.core.config_schema import LINT_KEY_SCHEMAS
    from artconv.core.lint_settings import LINT_KEYS

    assert set(LINT_KEYS) <= set(LINT_KEY_SCHEMAS), "describe the new lint key in LINT_KEY_SCHEMAS"
