"""Front-matter schemas: bundled presets or YAML/JSON files, chosen per article, compiled once.

jsonschema is imported only when an article actually has a schema, so that `import artconv`,
`artconv --version` and a lint run without schemas never pay for it.
"""

from __future__ import annotations

import base64
import json
import os
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from artconv.core.errors import ConfigError
from artconv.core.lint_settings import LintSettings, glob_match

SCHEMA_FILE_SUFFIXES = (".json", ".yaml", ".yml")


class SchemaError(ConfigError):
    pass


@lru_cache(maxsize=1)
def preset_names() -> tuple[str, ...]:
    folder = resources.files("artconv").joinpath("schemas")
    return tuple(sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".json")))


def preset(name: str) -> dict[str, Any]:
    if name not in preset_names():
        raise SchemaError(f"unknown schema preset '{name}' (presets: {', '.join(preset_names())})")
    return json.loads(resources.files("artconv").joinpath("schemas", f"{name}.json").read_text("utf-8"))


def export_preset(name: str) -> str:
    return json.dumps(preset(name), indent=2, ensure_ascii=False)


def schema_ref_for(path: str, settings: LintSettings) -> str | None:
    """The schema that applies to an article: the first matching glob, else the default.

    An empty string in `schemas` means "no schema here", so drafts can opt out of a default.
    """
    if settings.schemas:
        relative = Path(os.path.relpath(os.path.abspath(path), settings.root or os.getcwd())).as_posix()
        for pattern, ref in settings.schemas:
            if glob_match(relative, pattern):
                return ref or None
    return settings.schema or None


def schema_location(ref: str, root: str | None) -> str:
    """A preset name as is, or the absolute path of a schema file."""
    if ref in preset_names():
        return ref
    candidate = Path(ref).expanduser()
    if not candidate.is_absolute():
        candidate = Path(root or os.getcwd()) / candidate
    if candidate.suffix.lower() in SCHEMA_FILE_SUFFIXES or candidate.exists() or "/" in ref or os.sep in ref:
        return str(candidate.resolve())
    raise SchemaError(
        f"unknown schema '{ref}' (presets: {', '.join(preset_names())}; or a path to a .json or .yaml file)"
    )


def load_schema(ref: str, root: str | None = None) -> dict[str, Any] | bool:
    location = schema_location(ref, root)
    if location in preset_names():
        return preset(location)
    try:
        text = Path(location).read_text("utf-8")
    except OSError as exc:
        raise SchemaError(f"cannot read schema {location}: {exc.strerror or exc}") from None
    except UnicodeDecodeError:
        raise SchemaError(f"cannot read schema {location}: not UTF-8") from None
    try:
        schema = json.loads(text) if location.lower().endswith(".json") else yaml.safe_load(text)
    except (ValueError, yaml.YAMLError) as exc:
        problem = str(exc).splitlines()[0]
        form = "JSON" if location.lower().endswith(".json") else "YAML"
        raise SchemaError(f"schema {location} is not valid {form}: {problem}") from None
    if not isinstance(schema, dict | bool):
        raise SchemaError(f"schema {location} must be a mapping (a JSON Schema object)")
    return schema


def validator(ref: str, root: str | None = None):
    """The compiled validator for a schema reference; recompiled only when its file changes."""
    location = schema_location(ref, root)
    stamp = 0 if location in preset_names() else _mtime(location)
    return _compile(location, stamp)


def _mtime(location: str) -> int:
    try:
        return os.stat(location).st_mtime_ns
    except OSError:
        return -1  # load_schema reports the missing file


@lru_cache(maxsize=32)
def _compile(location: str, _stamp: int):
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError as InvalidSchema
    from jsonschema.validators import validator_for

    from artconv.frontmatter.dates import format_checker

    schema = load_schema(location)
    # a schema that names its draft in `$schema` gets that draft; 2020-12 otherwise
    cls = validator_for(schema, default=Draft202012Validator)
    try:
        cls.check_schema(schema)
    except InvalidSchema as exc:
        where = "/".join(str(p) for p in exc.absolute_path) or "top level"
        raise SchemaError(f"schema {location} is not a valid JSON Schema ({where}): {exc.message}") from None
    return cls(schema, format_checker=format_checker())


def to_json(value: Any, path: tuple = (), timestamps: set[tuple] | None = None) -> Any:
    """PyYAML's values as JSON data; dates become ISO 8601 strings, their paths noted in `timestamps`."""
    if isinstance(value, date):  # datetime too
        if timestamps is not None:
            timestamps.add(path)
        return value.isoformat()
    if isinstance(value, dict):
        return {_key(k): to_json(v, (*path, _key(k)), timestamps) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [to_json(v, (*path, i), timestamps) for i, v in enumerate(items)]
    if isinstance(value, bytes):
        return base64.b64encode(value).decode("ascii")
    return value


def _key(key: Any) -> str:
    return key if isinstance(key, str) else json.dumps(to_json(key)).strip('"')


def describe_path(path) -> str:
    """`categories[1]`, `author.name`: how a person would point at the value."""
    text = ""
    for step in path:
        text += f"[{step}]" if isinstance(step, int) else (f".{step}" if text else str(step))
    return text or "front matter"
