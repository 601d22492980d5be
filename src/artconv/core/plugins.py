"""The one plugin loader: transformers, lint rules, writers and reporters, built-in or installed.

Every kind of plugin is an entry-point group, and the built-ins are registered in the same shape
(`BUILTINS` below: name → "module:attribute"), so a built-in and a third-party plugin are found,
loaded and checked the same way, in three small steps as flake8 does: find (built-ins first, then
entry points; a plugin may not shadow a built-in), load (a failure names the distribution), check
(the attributes the kind needs, and the name the object gives itself). Loading happens only when
a name is asked for, so that `artconv --version` never imports a plugin.

Installing a plugin changes nothing by itself: a transformer runs only where configuration names
it, a rule only where the selection takes it, a writer or reporter only when `--to`/`--format`
chooses it.
"""

from __future__ import annotations

import importlib
import os
import sys

from artconv.core.errors import PluginError

TRANSFORMERS = "artconv.transformers"
RULES = "artconv.rules"
WRITERS = "artconv.writers"
REPORTERS = "artconv.reporters"
BUILTIN_DISTRIBUTION = "artconv (built-in)"


class Kind:
    """What a group's plugins are: how messages name one, the attribute that must equal the
    registered name, and the attributes a loaded object must have."""

    # a plain class, not a dataclass: `artconv --version` reads this module, and importing
    # dataclasses (with inspect) would cost it more than everything else it does
    __slots__ = ("noun", "key", "required")

    def __init__(self, noun: str, key: str, required: tuple[str, ...]) -> None:
        self.noun, self.key, self.required = noun, key, required


KINDS: dict[str, Kind] = {
    TRANSFORMERS: Kind("transformer", "id", ("id", "summary", "Options")),
    RULES: Kind("rule", "code", ("code", "name", "summary", "check")),
    WRITERS: Kind("writer", "format", ("format", "summary", "suffix", "pipeline")),
    REPORTERS: Kind("reporter", "format", ("format", "summary", "add", "close")),
}

BUILTINS: dict[str, dict[str, str]] = {
    TRANSFORMERS: {
        "boilerplate": "artconv.transformers.boilerplate:Boilerplate",
        "tracking": "artconv.transformers.tracking:Tracking",
        "code-blocks": "artconv.transformers.code_blocks:CodeBlocks",
        "style": "artconv.transformers.style:Style",
        "whitespace": "artconv.transformers.whitespace:Whitespace",
        "hexo-escapes": "artconv.transformers.hexo_escapes:HexoEscapes",
        "liquid-escapes": "artconv.transformers.liquid_escapes:LiquidEscapes",
    },
    RULES: {
        "FM001": "artconv.rules.invalid_yaml:InvalidYaml",
        "FM002": "artconv.rules.unterminated_front_matter:UnterminatedFrontMatter",
        "FM003": "artconv.rules.duplicate_key:DuplicateKey",
        "FM004": "artconv.rules.yaml11_boolean:Yaml11Boolean",
        "FM005": "artconv.rules.ambiguous_number:AmbiguousNumber",
        "FM006": "artconv.rules.impossible_date:ImpossibleDate",
        "FM007": "artconv.rules.byte_order_mark:ByteOrderMark",
        "FM008": "artconv.rules.tab_indentation:TabIndentation",
        "FM101": "artconv.rules.schema_violation:SchemaViolation",
        "FM102": "artconv.rules.unknown_key:UnknownKey",
        "FM103": "artconv.rules.missing_key:MissingKey",
        "HT001": "artconv.rules.undecodable_file:UndecodableFile",
        "HT101": "artconv.rules.style_attribute:StyleAttribute",
        "HT102": "artconv.rules.style_block:StyleBlock",
        "HT103": "artconv.rules.font_tag:FontTag",
        "HT104": "artconv.rules.html_comment:HtmlComment",
        "HT105": "artconv.rules.tracking_pixel:TrackingPixel",
        "HT106": "artconv.rules.tracking_parameter:TrackingParameter",
        "HT107": "artconv.rules.script:Script",
        "HT108": "artconv.rules.iframe:Iframe",
        "HT109": "artconv.rules.promo_boilerplate:PromoBoilerplate",
        "HT110": "artconv.rules.empty_paragraph:EmptyParagraph",
        "HT111": "artconv.rules.unbalanced_tags:UnbalancedTags",
    },
    WRITERS: {
        "md": "artconv.writers.md:MarkdownWriter",
        "json": "artconv.writers.json:JsonWriter",
        "xhtml": "artconv.writers.xhtml:XhtmlWriter",
        "epub": "artconv.writers.epub:EpubWriter",
    },
    REPORTERS: {
        "text": "artconv.reporters.text:TextReporter",
        "json": "artconv.reporters.json:JsonReporter",
        "github": "artconv.reporters.github:GithubReporter",
        "sarif": "artconv.reporters.sarif:SarifReporter",
        "junit": "artconv.reporters.junit:JunitReporter",
        "gitlab": "artconv.reporters.gitlab:GitlabReporter",
    },
}


class Plugin:
    """One registered plugin: `target` is "module:attribute", `distribution` is
    BUILTIN_DISTRIBUTION or the name of the package that provides it."""

    __slots__ = ("group", "name", "target", "distribution", "version")

    def __init__(self, group: str, name: str, target: str, distribution: str, version: str = "") -> None:
        self.group, self.name, self.target, self.distribution, self.version = group, name, target, distribution, version

    def __repr__(self) -> str:
        return f"Plugin({self.group!r}, {self.name!r}, {self.target!r}, {self.distribution!r})"


# -- find --------------------------------------------------------------------------------------


# caches for the life of the process, as plain dicts: `artconv --version` reads this module, and
# importing functools (with collections) for lru_cache would add milliseconds to it
_available: dict[str, dict[str, Plugin]] = {}
_entry_points: dict[str, tuple] = {}
_headers: list[frozenset[str]] = []


def available(group: str) -> dict[str, Plugin]:
    """Every plugin of a group by name, built-ins first, in registration order."""
    if group not in _available:
        _available[group] = _find(group)
    return _available[group]


def _find(group: str) -> dict[str, Plugin]:
    found = {name: Plugin(group, name, target, BUILTIN_DISTRIBUTION) for name, target in BUILTINS[group].items()}
    for ep in entry_points(group):
        if ep.name in found:
            continue  # a plugin may not replace a built-in, nor an earlier plugin of the same name
        dist = ep.dist
        found[ep.name] = Plugin(
            group, ep.name, ep.value, dist.name if dist is not None else "unknown distribution",
            dist.version if dist is not None else "",
        )
    return found


def is_builtin(group: str, name: str) -> bool:
    return name in BUILTINS[group]


def plugin_distributions() -> list[tuple[str, str]]:
    """(distribution, version) of every installed plugin package, for `artconv --version`."""
    found = {}
    for group in KINDS:
        for plugin in available(group).values():
            if plugin.distribution != BUILTIN_DISTRIBUTION:
                found[plugin.distribution] = plugin.version
    return sorted(found.items())


# -- load and check ----------------------------------------------------------------------------


def load(group: str, name: str) -> object:
    """The plugin object registered as `name`; PluginError says why there is none."""
    kind = KINDS[group]
    # a built-in loads without scanning entry points: that scan costs ~20 ms a run
    if is_builtin(group, name):
        plugin = Plugin(group, name, BUILTINS[group][name], BUILTIN_DISTRIBUTION)
    else:
        plugin = available(group).get(name)
    if plugin is None:
        raise PluginError(f"unknown {kind.noun} '{name}' (available: {', '.join(sorted(available(group)))})")
    return _checked(_import(plugin, kind), plugin, kind)


def load_all(group: str) -> dict[str, object]:
    """Every plugin object of a group by name, built-ins first."""
    return {name: load(group, name) for name in available(group)}


def _import(plugin: Plugin, kind: Kind) -> object:
    module_name, _, attribute = plugin.target.partition(":")
    try:
        obj = importlib.import_module(module_name)
        for part in attribute.split("."):
            obj = getattr(obj, part)
    except Exception as exc:  # a broken plugin must not take the run down with a traceback
        raise PluginError(
            f"{kind.noun} '{plugin.name}' from {plugin.distribution} failed to load: {type(exc).__name__}: {exc}"
        ) from None
    return obj


def _checked(obj: object, plugin: Plugin, kind: Kind) -> object:
    for required in kind.required:
        if not hasattr(obj, required):
            raise PluginError(f"{kind.noun} '{plugin.name}' from {plugin.distribution} has no '{required}' attribute")
    if getattr(obj, kind.key) != plugin.name:
        raise PluginError(
            f"{kind.noun} registered as '{plugin.name}' by {plugin.distribution} calls itself '{getattr(obj, kind.key)}'"
        )
    return obj


# -- entry points, without paying for importlib.metadata when there are none --------------------
#
# Importing importlib.metadata and scanning every installed distribution costs 15-20 ms, a tenth
# of `artconv lint ONE.md`. Most installations have no plugin, so the distributions' own
# entry_points.txt files are searched for artconv's group headers first, once per process; only
# when one names the group does importlib.metadata load the entry points.


def entry_points(group: str) -> tuple:
    if group not in _entry_points:
        if f"[{group}]" in _declared_headers():
            from importlib.metadata import entry_points as installed

            _entry_points[group] = tuple(installed(group=group))
        else:
            _entry_points[group] = ()
    return _entry_points[group]


def _declared_headers() -> frozenset[str]:
    if not _headers:
        _headers.append(_scan_headers())
    return _headers[0]


def _scan_headers() -> frozenset[str]:
    headers = {f"[{group}]" for group in KINDS}
    found: set[str] = set()
    for folder in dict.fromkeys(sys.path):  # keeps order, drops repeats
        try:
            entries = os.scandir(folder or ".")
        except OSError:
            continue
        with entries:
            for entry in entries:
                if entry.name.endswith((".dist-info", ".egg-info")):
                    found |= _headers_in(os.path.join(entry.path, "entry_points.txt"), headers)
    return frozenset(found)


def _headers_in(path: str, headers: set[str]) -> set[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            text = handle.read()
    except OSError:
        return set()
    return {header for header in headers if header in text}
