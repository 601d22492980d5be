"""`--config`, as ruff spells it: a configuration file to use for every file of the run, or a
`KEY=VALUE` override in TOML (`--config "lint.select=['HT']"`, `--config "generator='hugo'"`).

    artconv lint --config ci.artconv.toml .
    artconv lint --config "lint.extend-select=['FM103']" --config "extend-exclude=['drafts/']" .

The option may be given many times: at most one file, and any number of overrides, applied in
order on top of the file (or of each article's nearest configuration when no file is given).
"""

from __future__ import annotations

import os
import tomllib
from pathlib import Path
from typing import Any

from artconv.core.config import ConfigError, use_overrides


def apply_config_options(values: list[str] | None) -> None:
    """Parse the --config values and make them the run's configuration (core/config.py)."""
    chosen, overrides = parse_config_options(values or [])
    if chosen is not None or overrides:
        use_overrides(chosen, overrides)


def parse_config_options(values: list[str]) -> tuple[Path | None, dict[str, Any]]:
    """(the file to use or None, the merged overrides); ConfigError for a value that is neither."""
    chosen: Path | None = None
    overrides: dict[str, Any] = {}
    for value in values:
        if "=" not in value or os.path.isfile(value):
            if chosen is not None:
                raise ConfigError(f"--config: give one configuration file, not {chosen} and {value}")
            if not os.path.isfile(value):
                raise ConfigError(f"--config: {value}: no such file (or write KEY=VALUE to override one setting)")
            chosen = Path(value)
            continue
        _merge_into(overrides, _parse_override(value))
    return chosen, overrides


def _parse_override(value: str) -> dict[str, Any]:
    try:
        parsed = tomllib.loads(value)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            f"--config {value!r}: not a file, and not a TOML KEY=VALUE ({exc}); quote strings: generator='hugo'"
        ) from None
    return parsed


def _merge_into(into: dict[str, Any], top: dict[str, Any]) -> None:
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(into.get(key), dict):
            _merge_into(into[key], value)
        else:
            into[key] = value
