"""The JSON Schema of the configuration file, for editors (Even Better TOML, SchemaStore).

Generated from the definitions the loader (core/config.py, core/lint_settings.py,
core/pipeline.py) checks against: the table of top-level keys, the lint keys, the output formats
and pipeline edits, the Markdown writers, the generators, the severities, the installed
transformer ids and each transformer's Options dataclass (the same type hints `build_options`
checks values with). A key added to one of those tables appears here with no second edit;
`LINT_KEY_SCHEMAS` is the one place a lint key's shape is spelt for editors, and a test fails
when a lint key has no entry there.
"""

from __future__ import annotations

import dataclasses
import json
import types
import typing
from typing import Any

from artconv.core import plugins
from artconv.core.convert_settings import EMBED_NAMES
from artconv.core.config import _EDITS, _TOP_KEYS, DEFAULT_EXCLUDE, DEFAULT_EXTENSIONS, FORMATS, MARKDOWN_WRITERS
from artconv.core.generator import GENERATORS
from artconv.core.lint_settings import LINT_KEYS, SEVERITIES
from artconv.core.pipeline import load_transformer

_STRINGS = {"type": "array", "items": {"type": "string"}}

LINT_KEY_SCHEMAS: dict[str, dict[str, Any]] = {
    "select": {**_STRINGS, "description": "rules to run: codes, code prefixes or rule names (default: all)"},
    "extend-select": {**_STRINGS, "description": "rules to run on top of select"},
    "ignore": {**_STRINGS, "description": "rules to skip"},
    "schema": {"type": "string", "description": "default front-matter schema: a preset name or a YAML/JSON file"},
    "schemas": {
        "type": "object", "additionalProperties": {"type": "string"},
        "description": "per-glob schemas, globs relative to the configuration file",
    },
    "per-file-ignores": {
        "type": "object", "additionalProperties": _STRINGS,
        "description": "rules skipped for files matching a glob",
    },
    "severity": {
        "type": "object", "additionalProperties": {"enum": list(SEVERITIES)},
        "description": "severity per code, prefix or rule name (the most specific wins)",
    },
}


def config_schema() -> dict[str, Any]:
    """The schema of `.artconv.toml` (and of `[tool.artconv]` in pyproject.toml)."""
    transformer_ids = sorted(plugins.available(plugins.TRANSFORMERS))
    properties = {
        "extensions": {
            "type": "array", "items": {"type": "string", "pattern": r"^\."},
            "default": list(DEFAULT_EXTENSIONS),
        },
        "pipelines": _pipelines(transformer_ids),
        "transformers": {
            "type": "object",
            "properties": {name: _options_schema(name) for name in transformer_ids},
            "additionalProperties": False,
        },
        "profiles": {"type": "object", "additionalProperties": {"type": "object"}},
        "lint": {
            "type": "object",
            "properties": {key: LINT_KEY_SCHEMAS.get(key, {}) for key in LINT_KEYS},
            "additionalProperties": False,
        },
        "generator": {"enum": list(GENERATORS), "default": "auto"},
        "exclude": {**_STRINGS, "default": list(DEFAULT_EXCLUDE)},
        "extend-exclude": {**_STRINGS, "default": []},
        "respect-gitignore": {"type": "boolean", "default": True},
        "convert": {  # spelt from the names core/convert_settings.py accepts
            "type": "object",
            "properties": {
                "embeds": {"type": "array", "items": {"enum": list(EMBED_NAMES)}, "default": list(EMBED_NAMES)},
                "safe-markdown": {"type": "boolean", "default": True},
            },
            "additionalProperties": False,
        },
    }
    for key, description in _TOP_KEYS.items():
        properties.setdefault(key, {})["description"] = description
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "urn:artconv:schema:config",
        "title": "artconv configuration (.artconv.toml, or [tool.artconv] in pyproject.toml)",
        "type": "object",
        "properties": {key: properties[key] for key in _TOP_KEYS},
        "additionalProperties": False,
    }


def _pipelines(transformer_ids: list[str]) -> dict[str, Any]:
    step = {"enum": transformer_ids}
    edits = {
        "disable": {"type": "array", "items": step},
        "insert": {
            "type": "object",
            "propertyNames": step,
            "additionalProperties": {
                "type": "object",
                "properties": {"after": {"type": "string"}, "before": {"type": "string"}},
                "additionalProperties": False, "minProperties": 1, "maxProperties": 1,
            },
        },
        "writer": {"enum": list(MARKDOWN_WRITERS)},
    }
    assert set(edits) == set(_EDITS), "a pipeline edit the loader knows has no schema here"
    per_format = {
        "oneOf": [
            {"type": "array", "items": step, "description": "the whole pipeline, in order"},
            {"type": "object", "properties": edits, "additionalProperties": False},
        ]
    }
    return {
        "type": "object",
        "properties": {**edits, **{fmt: per_format for fmt in FORMATS}},
        "additionalProperties": False,
    }


def _options_schema(transformer_id: str) -> dict[str, Any]:
    options = load_transformer(transformer_id).Options
    hints = typing.get_type_hints(options)
    properties = {}
    for field in dataclasses.fields(options):
        # the loader reads `keep-classes` and `keep_classes` alike
        properties[field.name.replace("_", "-")] = _type_schema(hints[field.name])
        if "_" in field.name:
            properties[field.name] = {"$ref": f"#/properties/transformers/properties/{transformer_id}/properties/"
                                              f"{field.name.replace('_', '-')}"}
    return {"type": "object", "properties": properties, "additionalProperties": False}


def _type_schema(hint: Any) -> dict[str, Any]:
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return {"enum": list(typing.get_args(hint))}
    if origin in (tuple, list):
        args = [a for a in typing.get_args(hint) if a is not Ellipsis]
        return {"type": "array", "items": _type_schema(args[0])} if args else {"type": "array"}
    if origin in (typing.Union, types.UnionType):
        return {"anyOf": [_type_schema(arg) for arg in typing.get_args(hint)]}
    if origin is dict or hint is dict:
        return {"type": "object"}
    simple = {bool: "boolean", int: "integer", float: "number", str: "string", type(None): "null"}
    return {"type": simple[hint]} if hint in simple else {}


def config_schema_text() -> str:
    return json.dumps(config_schema(), indent=2, ensure_ascii=False) + "\n"
