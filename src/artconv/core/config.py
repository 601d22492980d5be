"""Configuration: `[tool.artconv]` in pyproject.toml or the top level of `.artconv.toml`.

Found by walking up from each article's folder (the nearest file wins; a pyproject.toml without a
`[tool.artconv]` table does not count). Validated strictly: an unknown key, transformer id or
option is an error that lists the valid ones, because a typo that silently does nothing is worse
than a failed run.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from artconv.core import registry
from artconv.core.lint_settings import DEFAULT_LINT, LintConfigError, LintSettings, parse_lint_settings
from artconv.core.pipeline import OptionsError, Pipeline, build_options

DEFAULT_EXTENSIONS = (".md", ".markdown", ".html")
FORMATS = ("md", "json", "xhtml")

_TOP_KEYS = {
    "extensions": "file name endings searched for in directories",
    "pipelines": "transformer order per output format",
    "transformers": "options per transformer id",
    "profiles": "site profiles for the boilerplate transformer",
    "lint": "rule selection and front-matter schemas for artconv lint",
}


class ConfigError(ValueError):
    pass


@dataclass(frozen=True)
class Config:
    source: str | None = None  # file the settings came from; None for the defaults
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    pipelines: dict[str, tuple[str, ...]] = field(
        default_factory=lambda: dict(registry.DEFAULT_PIPELINES)
    )
    transformer_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    lint: LintSettings = DEFAULT_LINT
    _built: dict[str, Pipeline] = field(default_factory=dict, compare=False, repr=False)

    def pipeline(self, fmt: str) -> Pipeline:
        if fmt not in self._built:
            self._built[fmt] = _build_pipeline(self, fmt)
        return self._built[fmt]


DEFAULT = Config()


def _build_pipeline(config: Config, fmt: str) -> Pipeline:
    if fmt not in config.pipelines:
        raise ConfigError(
            f"no pipeline for format '{fmt}' (formats: {', '.join(sorted(config.pipelines))})"
        )
    steps = []
    where = f" in {config.source}" if config.source else ""
    for name in config.pipelines[fmt]:
        try:
            cls = registry.load(name)
            values = dict(config.transformer_options.get(name, {}))
            if name == "boilerplate" and config.profiles:
                values.setdefault("extra_profiles", config.profiles)
            steps.append(cls(build_options(cls, values)))
        except (registry.RegistryError, OptionsError) as exc:
            raise ConfigError(f"{exc}{where}") from None
    return Pipeline(fmt, tuple(steps))


def find_config_file(start: Path) -> Path | None:
    path = os.path.abspath(start)
    return _config_file_for_folder(path if os.path.isdir(path) else os.path.dirname(path))


@lru_cache(maxsize=4096)
def _config_file_for_folder(folder: str) -> Path | None:
    # one lookup per folder and run: a repository of 10,000 articles has a few dozen folders
    for name in (".artconv.toml", "pyproject.toml"):
        candidate = Path(folder, name)
        if candidate.is_file() and (name == ".artconv.toml" or _has_tool_table(candidate)):
            return candidate
    parent = os.path.dirname(folder)
    return None if parent == folder else _config_file_for_folder(parent)


@lru_cache(maxsize=256)
def _has_tool_table(pyproject: Path) -> bool:
    try:
        return "artconv" in _read_toml(pyproject).get("tool", {})
    except ConfigError:
        return True  # report the broken file rather than skip it silently


def config_for(path: str | os.PathLike[str] | None) -> Config:
    """The configuration that applies to an article file at `path` (defaults when none is found).

    `path` names a file (it need not exist); for a folder's own configuration, pass a name in it.
    """
    if path is None:
        return DEFAULT
    # no stat and no Path object: this runs once for every file of a run
    found = _config_file_for_folder(os.path.dirname(os.path.abspath(path)))
    return load_config(found) if found else DEFAULT


@lru_cache(maxsize=64)
def load_config(config_file: Path) -> Config:
    data = _read_toml(config_file)
    if config_file.name == "pyproject.toml":
        data = data.get("tool", {}).get("artconv", {})
    return parse_config(data, source=str(config_file))


def parse_config(data: dict[str, Any], source: str | None = None) -> Config:
    where = f" in {source}" if source else ""
    for key in data:
        if key not in _TOP_KEYS:
            raise ConfigError(
                f"unknown key '{key}'{where} (valid: {', '.join(sorted(_TOP_KEYS))})"
            )
    extensions = data.get("extensions", DEFAULT_EXTENSIONS)
    if not isinstance(extensions, list | tuple) or not all(
        isinstance(e, str) and e.startswith(".") for e in extensions
    ):
        raise ConfigError(f"'extensions'{where} must be a list like [\".md\", \".html\"]")
    pipelines = dict(registry.DEFAULT_PIPELINES)
    for fmt, names in data.get("pipelines", {}).items():
        if fmt not in FORMATS:
            raise ConfigError(
                f"unknown format '{fmt}' in pipelines{where} (valid: {', '.join(FORMATS)})"
            )
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ConfigError(f"pipelines.{fmt}{where} must be a list of transformer ids")
        pipelines[fmt] = tuple(names)
    options = data.get("transformers", {})
    known = registry.available() if set(options) - set(registry.BUILTINS) else registry.BUILTINS
    for name, values in options.items():
        if name not in known:
            raise ConfigError(
                f"unknown transformer '{name}' in [transformers]{where} "
                f"(available: {', '.join(sorted(known))})"
            )
        if not isinstance(values, dict):
            raise ConfigError(f"transformers.{name}{where} must be a table of options")
    profiles = data.get("profiles", {})
    if not isinstance(profiles, dict) or not all(isinstance(v, dict) for v in profiles.values()):
        raise ConfigError(f"'profiles'{where} must hold one table per site profile")
    try:
        lint = parse_lint_settings(data.get("lint", {}), where, str(Path(source).parent) if source else None)
    except LintConfigError as exc:
        raise ConfigError(str(exc)) from None
    config = Config(
        source=source,
        lint=lint,
        extensions=tuple(extensions),
        pipelines=pipelines,
        transformer_options={k: dict(v) for k, v in options.items()},
        profiles={k: dict(v) for k, v in profiles.items()},
    )
    for fmt in config.pipelines:  # fail at load time, not on the first article
        config.pipeline(fmt)
    return config


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
