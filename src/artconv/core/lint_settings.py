"""`[tool.artconv.lint]`: which rules run, where, how severe their findings are, and which schema
front matter must meet.

    [tool.artconv.lint]
    select = ["FM", "HT"]              # codes, prefixes or rule names (default: all)
    extend-select = ["HT1"]            # added to select (here or from --select)
    ignore = ["HT108"]
    schema = "hexo"                    # default schema: a preset name or a YAML/JSON file
    [tool.artconv.lint.schemas]        # per-glob schemas, globs relative to the config file
    "source/_posts/**" = "schemas/post.yaml"
    [tool.artconv.lint.per-file-ignores]
    "source/_drafts/**" = ["FM103"]
    [tool.artconv.lint.severity]       # codes, prefixes or rule names: "error" or "warning"
    HT = "error"
    HT108 = "warning"                  # the most specific selector wins
"""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass
from typing import Any

LINT_KEYS = ("select", "extend-select", "ignore", "schema", "schemas", "per-file-ignores", "severity")
SEVERITIES = ("error", "warning")
ALL = "*"


class LintConfigError(ValueError):
    pass


@dataclass(frozen=True)
class LintSettings:
    select: tuple[str, ...] = ("*",)
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    schema: str | None = None
    schemas: tuple[tuple[str, str], ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    root: str | None = None  # folder that globs are relative to (the config file's)
    severity: tuple[tuple[str, str], ...] = ()  # (selector, "error" or "warning")

    def severity_of(self, code: str, name: str, default: str) -> str:
        """The severity of a rule's findings: the most specific matching selector of
        `[lint.severity]` (a rule name or a full code, then the longest prefix), else the rule's own."""
        chosen, rank = default, -1
        for selector, level in self.severity:
            specificity = _specificity(selector, code, name)
            if specificity > rank:
                chosen, rank = level, specificity
        return chosen


def selects(selector: str, code: str, name: str) -> bool:
    """True when a selector (code, code prefix, rule name or `*`) covers a rule."""
    return selector == ALL or code.startswith(selector.upper()) or selector.lower() == name


def _specificity(selector: str, code: str, name: str) -> int:
    if not selects(selector, code, name):
        return -1
    if selector == ALL:
        return 0
    return len(code) + 1 if selector.lower() == name else len(selector)


def parse_lint_settings(data: Any, where: str, root: str | None) -> LintSettings:
    if not isinstance(data, dict):
        raise LintConfigError(f"'lint'{where} must be a table")
    for key in data:
        if key not in LINT_KEYS:
            raise LintConfigError(f"unknown key 'lint.{key}'{where} (valid: {', '.join(LINT_KEYS)})")
    return LintSettings(
        select=tuple(_strings(data.get("select", ["*"]), "lint.select", where)),
        extend_select=tuple(_strings(data.get("extend-select", []), "lint.extend-select", where)),
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
        severity=tuple(
            (selector, _severity(v, f"lint.severity.{selector}", where))
            for selector, v in _table(data.get("severity", {}), "lint.severity", where).items()
        ),
    )


def _strings(value: Any, key: str, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LintConfigError(f"'{key}'{where} must be a list of strings")
    return value


def _optional_string(value: Any, key: str, where: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise LintConfigError(f"'{key}'{where} must be a string")
    return value


def _severity(value: Any, key: str, where: str) -> str:
    if value not in SEVERITIES:
        raise LintConfigError(f"'{key}'{where} must be one of: {', '.join(SEVERITIES)}")
    return value


def _table(value: Any, key: str, where: str) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise LintConfigError(f"'{key}'{where} must be a table")
    return value


def glob_match(relative: str, pattern: str) -> bool:
    """Glob with `**` spanning folders, as in ruff and .gitignore."""
    if fnmatch.fnmatchcase(relative, pattern):
        return True
    if pattern.endswith("/**"):
        return relative.startswith(pattern[:-3] + "/")
    return "**/" in pattern and fnmatch.fnmatchcase(relative, pattern.replace("**/", ""))


DEFAULT_LINT = LintSettings()
