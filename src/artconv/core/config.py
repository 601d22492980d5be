"""Configuration: `[tool.artconv]` in pyproject.toml or the top level of `.artconv.toml`.

Found by walking up from each article's folder (the nearest file wins; a pyproject.toml without a
`[tool.artconv]` table does not count). Validated strictly: an unknown key, transformer id or
option is an error that lists the valid ones, because a typo that silently does nothing is worse
than a failed run.

A pipeline is given whole (`md = [...]`), or edited: `disable = [...]` takes steps out, then
`insert = {id = {after = "style"}}` puts one in (disabling a step and inserting it moves it), for
every pipeline at the `[pipelines]` level or for one format in its own table (`[pipelines.json]`).
`writer` chooses how HTML parts become Markdown: "tree" (the default) or "markdownify" (the
reference writer the tree writer is checked against).
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from artconv.core import plugins
from artconv.core.convert_settings import DEFAULT_CONVERT, ConvertSettings, parse_convert_settings
from artconv.core.errors import ConfigError, PluginError
from artconv.core.generator import GENERATORS
from artconv.core.lint_settings import DEFAULT_LINT, LintConfigError, LintSettings, parse_lint_settings
from artconv.core.pipeline import (
    BUILTIN_TRANSFORMERS,
    DEFAULT_PIPELINES,
    Insertion,
    OptionsError,
    Pipeline,
    PipelineEditError,
    build_options,
    edit_pipeline,
    load_transformer,
)

__all__ = ["Config", "ConfigError", "DEFAULT", "config_for", "load_config", "parse_config"]

DEFAULT_EXTENSIONS = (".md", ".markdown", ".html")
FORMATS = tuple(DEFAULT_PIPELINES)  # the pipelines there are; each writer names the one it starts from
MARKDOWN_WRITERS = ("tree", "markdownify")
HEXO_ONLY = frozenset({"hexo-escapes"})  # steps that would break a site another generator builds
_EDITS = ("disable", "insert", "writer")  # keys of [pipelines] (every pipeline) and [pipelines.FORMAT]

_TOP_KEYS = {
    "extensions": "file name endings searched for in directories",
    "pipelines": "transformer order per output format, given whole or edited",
    "transformers": "options per transformer id",
    "profiles": "site profiles for the boilerplate transformer",
    "lint": "rule selection, severity and front-matter schemas for artconv lint",
    "generator": "the site generator: auto (read the repository's markers), hexo, jekyll, hugo or none",
    "convert": "safe Markdown output: the embeds kept, or safe-markdown = false",
    "exclude": "gitignore-style patterns of files and folders discovery skips (replaces the default)",
    "extend-exclude": "more patterns to skip, on top of exclude",
    "respect-gitignore": "skip what .gitignore, nested .gitignore files and .git/info/exclude ignore (default true)",
}
DEFAULT_EXCLUDE = (".*/", "node_modules/", "__pycache__/")  # hidden folders (.git, .venv), as before


@dataclass(frozen=True)
class Config:
    source: str | None = None  # file the settings came from; None for the defaults
    extensions: tuple[str, ...] = DEFAULT_EXTENSIONS
    pipelines: dict[str, tuple[str, ...]] = field(default_factory=lambda: dict(DEFAULT_PIPELINES))
    transformer_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    profiles: dict[str, dict[str, Any]] = field(default_factory=dict)
    lint: LintSettings = DEFAULT_LINT
    markdown_writers: dict[str, str] = field(default_factory=dict)  # pipeline -> "markdownify" where chosen
    generator: str = "auto"
    convert: ConvertSettings = DEFAULT_CONVERT
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    _built: dict[Any, Pipeline] = field(default_factory=dict, compare=False, repr=False)

    def pipeline(self, fmt: str, generator: str | None = None) -> Pipeline:
        """The pipeline for `fmt`; for an article built by `generator` (core/generator.py), without
        the steps that belong to another generator (hexo-escapes runs for Hexo only)."""
        if fmt not in self._built:
            self._built[fmt] = _build_pipeline(self, fmt)
        if generator is None or generator == "hexo":
            return self._built[fmt]
        # Jekyll's Markdown gets the same job spelt for Liquid; JSON and XHTML show plain braces
        liquid = generator == "jekyll" and fmt == "md"
        key = (fmt, "liquid" if liquid else "plain")
        if key not in self._built:
            steps = []
            for step in self._built[fmt].steps:
                if step.id not in HEXO_ONLY:
                    steps.append(step)
                elif liquid:
                    steps.append(load_transformer("liquid-escapes")())
            self._built[key] = Pipeline(fmt, tuple(steps))
        return self._built[key]

    def markdown_writer(self, fmt: str) -> str:
        """How the HTML parts of articles converted with this pipeline become Markdown."""
        return self.markdown_writers.get(fmt, "tree")

    def __reduce__(self):
        # sent to a cluster's workers (convert --dask) as settings: the pipelines built from them
        # hold compiled selectors that do not pickle, and each worker builds its own once
        settings = {name: getattr(self, name) for name in self.__dataclass_fields__ if name != "_built"}
        return (_config_from_settings, (settings,))


def _config_from_settings(settings: dict[str, Any]) -> Config:
    return Config(**settings)


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
            cls = load_transformer(name)
            values = dict(config.transformer_options.get(name, {}))
            if name == "boilerplate" and config.profiles:
                values.setdefault("extra_profiles", config.profiles)
            steps.append(cls(build_options(cls, values)))
        except (PluginError, OptionsError) as exc:
            raise ConfigError(f"{exc}{where}") from None
    return Pipeline(fmt, tuple(steps))


_nearest: dict[str, Path | None] = {}  # folder → the nearest configuration file at or above it
_MAX_NEAREST = 4096


def _config_file_for_folder(folder: str) -> Path | None:
    """The nearest configuration file at or above `folder`. A loop up to the first folder
    already answered, not recursion: a repository may nest folders deeper than Python's stack
    (1,500 levels fit in PATH_MAX), and a walk down them asks once per level."""
    climbed = []
    while folder not in _nearest:
        climbed.append(folder)
        found = _config_file_in(folder)
        parent = os.path.dirname(folder)
        if found is not None or parent == folder:
            break
        folder = parent
    else:
        found = _nearest[folder]
    if len(_nearest) + len(climbed) > _MAX_NEAREST:
        _nearest.clear()
    _nearest.update(dict.fromkeys(climbed, found))
    return found


@lru_cache(maxsize=4096)
def _config_file_in(folder: str) -> Path | None:
    # one lookup per folder and run: a repository of 10,000 articles has a few dozen folders
    for name in (".artconv.toml", "pyproject.toml"):
        candidate = Path(folder, name)
        if candidate.is_file() and (name == ".artconv.toml" or _has_tool_table(candidate)):
            return candidate
    return None


@lru_cache(maxsize=256)
def _has_tool_table(pyproject: Path) -> bool:
    try:
        return "artconv" in _read_toml(pyproject).get("tool", {})
    except ConfigError:
        return True  # report the broken file rather than skip it silently


# `--config FILE` and `--config KEY=VALUE` of this run (set once by the command, before any
# file is read; worker processes are forked, so they inherit it)
_chosen_file: Path | None = None
_overrides: dict[str, Any] = {}


def use_overrides(config_file: Path | None, overrides: dict[str, Any]) -> None:
    """Make every file of this run take `config_file` (instead of the nearest one), then the
    `overrides` on top, as ruff's `--config`. The overrides are checked alone first, so that a
    typo in one is reported as such."""
    global _chosen_file, _overrides
    if overrides:
        try:
            parse_config(overrides)
        except ConfigError as exc:
            raise ConfigError(f"--config: {exc}") from None
    if config_file is not None:
        load_config(config_file)  # a missing or broken file fails here, once
    _chosen_file, _overrides = config_file, overrides
    _with_overrides.cache_clear()


def config_for(path: str | os.PathLike[str] | None) -> Config:
    """The configuration that applies to an article file at `path` (defaults when none is found).

    `path` names a file (it need not exist); for a folder's own configuration, pass a name in it.
    """
    if path is None:
        return DEFAULT if not (_chosen_file or _overrides) else _with_overrides(_chosen_file)
    # no stat and no Path object: this runs once for every file of a run
    found = _chosen_file or _config_file_for_folder(os.path.dirname(os.path.abspath(path)))
    if _overrides:
        return _with_overrides(found)
    return load_config(found) if found else DEFAULT


@lru_cache(maxsize=64)
def _with_overrides(config_file: Path | None) -> Config:
    data = _table_of(config_file) if config_file is not None else {}
    return parse_config(_merged(data, _overrides), source=str(config_file) if config_file else None)


def _merged(base: dict[str, Any], top: dict[str, Any]) -> dict[str, Any]:
    """`top` over `base`, table by table: `lint.select` replaces only that key of [lint]."""
    merged = dict(base)
    for key, value in top.items():
        if isinstance(value, dict) and isinstance(merged.get(key), dict):
            merged[key] = _merged(merged[key], value)
        else:
            merged[key] = value
    return merged


@lru_cache(maxsize=64)
def load_config(config_file: Path) -> Config:
    return parse_config(_table_of(config_file), source=str(config_file))


def _table_of(config_file: Path) -> dict[str, Any]:
    """The artconv settings a file holds: all of an .artconv.toml (or any other name given to
    --config), [tool.artconv] of a pyproject.toml."""
    data = _read_toml(config_file)
    if config_file.name == "pyproject.toml":
        data = data.get("tool", {}).get("artconv", {})
    return data


def forget_cached_configs() -> None:
    """Read configuration files again from now on: a long-running process (`artconv server`)
    calls this when one of them changes."""
    _config_file_in.cache_clear()
    _nearest.clear()
    _has_tool_table.cache_clear()
    load_config.cache_clear()
    _with_overrides.cache_clear()


def parse_config(data: dict[str, Any], source: str | None = None) -> Config:
    where = f" in {source}" if source else ""
    for key in data:
        if key not in _TOP_KEYS:
            raise ConfigError(
                f"unknown key '{key}'{where} (valid: {', '.join(sorted(_TOP_KEYS))})"
            )
    # checked in this order, so that the first of several mistakes is the one reported
    extensions = _extensions(data.get("extensions", DEFAULT_EXTENSIONS), where)
    pipelines, writers = _pipelines(data.get("pipelines", {}), where)
    options = _transformer_options(data.get("transformers", {}), where)
    profiles = _profiles(data.get("profiles", {}), where)
    lint = _lint(data.get("lint", {}), where, source)
    generator = data.get("generator", "auto")
    if generator not in GENERATORS:
        raise ConfigError(f"'generator'{where} must be one of: {', '.join(GENERATORS)}")
    convert = parse_convert_settings(data.get("convert", {}), where)
    respect_gitignore = data.get("respect-gitignore", True)
    if not isinstance(respect_gitignore, bool):
        raise ConfigError(f"'respect-gitignore'{where} must be true or false")
    config = Config(
        exclude=_patterns(data.get("exclude", DEFAULT_EXCLUDE), "exclude", where),
        extend_exclude=_patterns(data.get("extend-exclude", ()), "extend-exclude", where),
        respect_gitignore=respect_gitignore,
        generator=generator,
        source=source,
        lint=lint,
        extensions=extensions,
        pipelines=pipelines,
        transformer_options=options,
        profiles=profiles,
        markdown_writers=writers,
        convert=convert,
    )
    for fmt in config.pipelines:  # fail at load time, not on the first article
        config.pipeline(fmt)
    return config


def _extensions(extensions: Any, where: str) -> tuple[str, ...]:
    if not isinstance(extensions, list | tuple) or not all(
        isinstance(e, str) and e.startswith(".") for e in extensions
    ):
        raise ConfigError(f"'extensions'{where} must be a list like [\".md\", \".html\"]")
    return tuple(extensions)


def _patterns(value: Any, key: str, where: str) -> tuple[str, ...]:
    if not isinstance(value, list | tuple) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"'{key}'{where} must be a list of patterns like [\"public/\", \"drafts/*.md\"]")
    return tuple(value)


def _pipelines(data: Any, where: str) -> tuple[dict[str, tuple[str, ...]], dict[str, str]]:
    """The resolved pipelines, and the Markdown writer each chose where it is not the default."""
    if not isinstance(data, dict):
        raise ConfigError(f"'pipelines'{where} must be a table")
    for key in data:
        if key not in FORMATS and key not in _EDITS:
            valid = f"{', '.join(FORMATS)}; or {', '.join(_EDITS)} for every pipeline"
            raise ConfigError(f"unknown format '{key}' in pipelines{where} (valid: {valid})")
    everywhere = _edits(data, "pipelines", where)
    pipelines, writers = {}, {}
    for fmt, default in DEFAULT_PIPELINES.items():
        value = data.get(fmt, {})
        if isinstance(value, list):
            if not all(isinstance(n, str) for n in value):
                raise ConfigError(f"pipelines.{fmt}{where} must be a list of transformer ids")
            steps, own = tuple(value), _edits({}, f"pipelines.{fmt}", where)
        elif isinstance(value, dict):
            steps, own = default, _edits(value, f"pipelines.{fmt}", where, only_edits=True)
        else:
            raise ConfigError(f"pipelines.{fmt}{where} must be a list of transformer ids or a table of edits")
        try:
            pipelines[fmt] = edit_pipeline(steps, everywhere[1] + own[1], everywhere[0] | own[0])
        except PipelineEditError as exc:
            raise ConfigError(f"pipelines.{fmt}{where}: {exc}") from None
        writer = own[2] or everywhere[2]
        if writer and writer != "tree":
            writers[fmt] = writer
    return pipelines, writers


def _edits(
    table: dict[str, Any], key: str, where: str, only_edits: bool = False
) -> tuple[frozenset[str], tuple[Insertion, ...], str | None]:
    """(steps to disable, steps to insert, Markdown writer) from a table of pipeline edits."""
    if only_edits:
        for name in table:
            if name not in _EDITS:
                raise ConfigError(f"unknown key '{key}.{name}'{where} (valid: {', '.join(_EDITS)})")
    disable = table.get("disable", [])
    if not isinstance(disable, list) or not all(isinstance(n, str) for n in disable):
        raise ConfigError(f"'{key}.disable'{where} must be a list of transformer ids")
    insert = table.get("insert", {})
    if not isinstance(insert, dict):
        raise ConfigError(f"'{key}.insert'{where} must be a table like {{my-step = {{after = \"style\"}}}}")
    writer = table.get("writer")
    if writer is not None and writer not in MARKDOWN_WRITERS:
        raise ConfigError(f"'{key}.writer'{where} must be one of: {', '.join(MARKDOWN_WRITERS)}")
    _known_transformers([*disable, *insert], f"{key}", where)
    return frozenset(disable), tuple(_insertion(name, spec, key, where) for name, spec in insert.items()), writer


def _insertion(name: str, spec: Any, key: str, where: str) -> Insertion:
    if not isinstance(spec, dict) or len(spec) != 1 or not set(spec) <= {"after", "before"} or not isinstance(
        next(iter(spec.values())), str
    ):
        raise ConfigError(f"'{key}.insert.{name}'{where} must be {{after = \"STEP\"}} or {{before = \"STEP\"}}")
    (position, anchor), = spec.items()
    return Insertion(name, anchor, after=position == "after")


def _known_transformers(names: list[str], key: str, where: str) -> None:
    known = plugins.available(plugins.TRANSFORMERS) if set(names) - set(BUILTIN_TRANSFORMERS) else BUILTIN_TRANSFORMERS
    for name in names:
        if name not in known:
            raise ConfigError(
                f"unknown transformer '{name}' in [{key}]{where} (available: {', '.join(sorted(known))})"
            )


def _transformer_options(options: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(options, dict):
        raise ConfigError(f"'transformers'{where} must hold one table per transformer id")
    _known_transformers(list(options), "transformers", where)
    for name, values in options.items():
        if not isinstance(values, dict):
            raise ConfigError(f"transformers.{name}{where} must be a table of options")
    return {k: dict(v) for k, v in options.items()}


def _profiles(profiles: Any, where: str) -> dict[str, dict[str, Any]]:
    if not isinstance(profiles, dict) or not all(isinstance(v, dict) for v in profiles.values()):
        raise ConfigError(f"'profiles'{where} must hold one table per site profile")
    return {k: dict(v) for k, v in profiles.items()}


def _lint(data: Any, where: str, source: str | None) -> LintSettings:
    try:
        return parse_lint_settings(data, where, str(Path(source).parent) if source else None)
    except LintConfigError as exc:
        raise ConfigError(str(exc)) from None


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only where a configuration file is found (5 ms at start-up otherwise)

    try:
        with open(path, "rb") as handle:
            return tomllib.load(handle)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror}") from None
