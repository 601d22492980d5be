"""`[tool.artconv.lint]`: which rules run, where, and which schema front matter must meet.

    [tool.artconv.lint]
    select = ["FM", "HT"]              # codes, prefixes or rule names (default: all)
    ignore = ["HT108"]
    schema = "hexo"                    # default schema: a preset name or a YAML/JSON file
    [tool.artconv.lint.schemas]        # per-glob schemas, globs relative to the config file
    "source/_posts/**" = "schemas/post.yaml"
    [tool.artconv.lint.per-file-ignores]
    "source/_drafts/**" = ["FM103"]
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

LINT_KEYS = ("select", "ignore", "schema", "schemas", "per-file-ignores")


class LintConfigError(ValueError):
    pass


@dataclass(frozen=True)
class LintSettings:
    select: tuple[str, ...] = ("*",)
    ignore: tuple[str, ...] = ()
    schema: str | None = None
    schemas: tuple[tuple[str, str], ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    root: str | None = None  # folder that globs are relative to (the config file's)


def parse_lint_settings(data: Any, where: str, root: str | None) -> LintSettings:
    if not isinstance(data, dict):
        raise LintConfigError(f"'lint'{where} must be a table")
    for key in data:
        if key not in LINT_KEYS:
            raise LintConfigError(f"unknown key 'lint.{key}'{where} (valid: {', '.join(LINT_KEYS)})")
    return LintSettings(
        select=tuple(_strings(data.get("select", ["*"]), "lint.select", where)),
        ignore=tuple(_strings(data.get("ignore", []), "lint.ignore", where)),
        schema=_optional_string(data.get("schema"), "lint.schema", where),
        schemas=tuple(
            (glob, _optional_string(v, f"lint.schemas.{glob}", where))
            for glob, v in _table(data.get("schemas", {}), "lint.schemas", where).items()
        ),
        per_file_ignores=tuple(
            (glob, tuple(_strings(v, f"lint.per-file-ignores.{glob}", where)))
            for glob, v in _table(data.get("per-file-ignores", {}), "lint.per-file-ignores", where).items()
        ),
        root=root,
    )


def _strings(value: Any, key: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LintConfigError(f"'{key}'{where} must be a list of strings")
    return value


def _optional_string(value: Any, key: str, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise LintConfigError(f"'{key}'{where} must be a string")
    return value


def _table(value: Any, key: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LintConfigError(f"'{key}'{where} must be a table")
    return value


DEFAULT_LINT = LintSettings()
