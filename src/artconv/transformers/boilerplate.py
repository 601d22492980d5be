"""boilerplate: remove site furniture (promo boxes, app slogans) and lift editor/source lines.

Sites are described by declarative profiles — TOML data files bundled in `artconv/profiles/`,
plus `[tool.artconv.profiles.NAME]` tables in configuration — never by code. A profile applies
to an article when one of its `detect` selectors matches the body. It may:

- `remove`: CSS selectors of elements to delete with their content;
- `unwrap`: CSS selectors of elements to replace by their content (auto-inserted links);
- `remove-text`: regular expressions; a paragraph-like element whose whole text matches goes;
- `comments`: regular expressions for marker comments to delete;
- `lift`: `{key, selector, pattern}`; the last element matching `selector` whose text matches
  `pattern` is moved into front matter as `key` (the `value` group, or the whole match), unless
  the front matter already has that key, in which case the line stays in the body.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

from lxml import etree
from lxml.cssselect import CSSSelector

from artconv.core.document import Document
from artconv.core.pipeline import BaseTransformer, OptionsError
from artconv.core.user_patterns import PatternError, compile_user_pattern
from artconv.html.edits import TreeEdits
from artconv.html.tree import remove, visible_text

_PROFILE_KEYS = {"description", "detect", "remove", "unwrap", "remove-text", "comments", "lift"}
_LIFT_KEYS = {"key", "selector", "pattern"}
_TEXT_BLOCKS = "p, div, section, li, span, font, center, h1, h2, h3, h4, h5, h6, blockquote"
_STRIP = " \t\r\n\u3000\u00a0"


class ProfileError(OptionsError):
    """A site profile that cannot be used: a configuration error, reported when it loads."""


@dataclass(frozen=True)
class Lift:
    key: str
    selector: CSSSelector
    pattern: re.Pattern[str]


@dataclass(frozen=True)
class SiteProfile:
    name: str
    description: str
    detect: CSSSelector | None  # one selector group: one tree search per part, not one per selector
    remove: tuple[CSSSelector, ...]
    unwrap: tuple[CSSSelector, ...]
    remove_text: tuple[re.Pattern[str], ...]
    comments: tuple[re.Pattern[str], ...]
    lifts: tuple[Lift, ...]

    def applies_to(self, root: etree._Element) -> bool:
        return self.detect is not None and len(self.detect(root)) > 0

    def promo_elements(self, root: etree._Element) -> list[tuple[etree._Element, str, bool]]:
        """(element, its visible text, matched by text) for what `remove` and `remove-text`
        name, outermost only: the transformer removes exactly what the lint rule reports."""
        chosen: list[tuple[etree._Element, str, bool]] = []
        seen: set[etree._Element] = set()

        def take(element: etree._Element, text: str, by_text: bool) -> None:
            if element in seen or any(ancestor in seen for ancestor in element.iterancestors()):
                return
            seen.add(element)
            chosen.append((element, text, by_text))

        for selector in self.remove:
            for element in selector(root):
                take(element, visible_text(element), False)
        if self.remove_text:
            for element in _TEXT_BLOCK_SELECTOR(root):
                text = visible_text(element).strip(_STRIP)
                if text and any(p.fullmatch(text) for p in self.remove_text):
                    take(element, text, True)
        return chosen


def compile_profile(name: str, data: dict[str, Any], user: bool = False) -> SiteProfile:
    """A profile from its TOML table. A user's profile (`user`) has its patterns compiled by
    RE2, which runs in linear time; artconv's own use `re` (see user_patterns.py)."""

    def pattern(text: Any, key: str) -> Any:
        if user:
            return compile_user_pattern(text, f"site profile '{name}', {key}")
        return re.compile(text)

    unknown = set(data) - _PROFILE_KEYS
    if unknown:
        raise ProfileError(
            f"site profile '{name}': unknown key '{sorted(unknown)[0]}' "
            f"(valid: {', '.join(sorted(_PROFILE_KEYS))})"
        )
    try:
        lifts = []
        for entry in data.get("lift", []):
            if set(entry) != _LIFT_KEYS:
                raise ProfileError(
                    f"site profile '{name}': each lift needs exactly {', '.join(sorted(_LIFT_KEYS))}"
                )
            lifts.append(Lift(entry["key"], _selector(entry["selector"]), pattern(entry["pattern"], "lift")))
        return SiteProfile(
            name=name,
            description=data.get("description", ""),
            detect=_selector(", ".join(data["detect"])) if data.get("detect") else None,
            remove=tuple(_selector(s) for s in data.get("remove", [])),
            unwrap=tuple(_selector(s) for s in data.get("unwrap", [])),
            remove_text=tuple(pattern(p, "remove-text") for p in data.get("remove-text", [])),
            comments=tuple(pattern(p, "comments") for p in data.get("comments", [])),
            lifts=tuple(lifts),
        )
    except re.error as exc:
        raise ProfileError(f"site profile '{name}': bad pattern: {exc}") from None
    except PatternError as exc:
        raise ProfileError(str(exc)) from None


def _selector(css: str) -> CSSSelector:
    try:
        return CSSSelector(css, translator="html")
    except Exception as exc:  # cssselect raises several parse error types
        raise ProfileError(f"bad CSS selector {css!r}: {exc}") from None


@lru_cache(maxsize=1)
def builtin_profiles() -> dict[str, SiteProfile]:
    profiles = {}
    for resource in sorted(resources.files("artconv.profiles").iterdir(), key=lambda r: r.name):
        if resource.name.endswith(".toml"):
            name = resource.name[: -len(".toml")]
            profiles[name] = compile_profile(name, tomllib.loads(resource.read_text("utf-8")))
    return profiles


_TEXT_BLOCK_SELECTOR = CSSSelector(_TEXT_BLOCKS, translator="html")


class Boilerplate(BaseTransformer):
    id = "boilerplate"
    summary = "remove site promo boxes and slogans; lift editor/source lines into front matter"

    jobs = ("remove", "unwrap", "lift")

    @dataclass(frozen=True)
    class Options:
        profiles: tuple[str, ...] = ("*",)  # names of built-in profiles to use; "*" for all
        extra_profiles: dict[str, Any] = field(default_factory=dict)
        remove: bool = True  # promo elements, promo text, marker comments
        unwrap: bool = True  # auto-inserted links
        lift: bool = True  # editor/source lines into front matter

    def __init__(self, options: Any = None):
        super().__init__(options)
        builtins = builtin_profiles()
        wanted = builtins if "*" in self.options.profiles else {}
        for name in self.options.profiles:
            if name == "*":
                continue
            if name not in builtins:
                raise ProfileError(
                    f"unknown site profile '{name}' (built-in: {', '.join(sorted(builtins))})"
                )
            wanted = {**wanted, name: builtins[name]}
        extra = {
            name: compile_profile(name, data, user=True) for name, data in self.options.extra_profiles.items()
        }
        self.site_profiles = {**wanted, **extra}

    def __call__(self, doc: Document) -> Document:
        for part in doc.html_parts():
            root = part.tree()
            for profile in self.site_profiles.values():
                if profile.applies_to(root):
                    self._apply(profile, root, doc)
        return doc

    def _declare_unwrap(self, element: etree._Element, what: str, doc: Document) -> None:
        """Declare an unwrap to the guard; the caller makes it, with the others of its batch."""
        # the element goes, its content stays: the structural guard is told of the element
        # alone (an auto-link is one link fewer, on purpose)
        shallow = etree.Element(element.tag, {k: v for k, v in element.attrib.items() if k in ("href", "src")})
        shallow.text = "".join(element.itertext()) or "-"  # an empty link is not counted
        doc.remove(self.id, f"{what}: unwrapped", "", shallow)

    def _apply(self, profile: SiteProfile, root: etree._Element, doc: Document) -> None:
        what = f"site profile '{profile.name}'"
        for lift in profile.lifts if self.options.lift else ():
            self._lift(lift, root, doc)
        # each kind of edit in one batch (html/edits.py): a profile that matches 20,000 elements
        # of one paragraph costs 20,000, not 20,000². Every selector and text below is read
        # before its batch changes the tree, as it was when the edits were made one at a time:
        # promo elements are chosen outermost first, an unwrapped link's text is its own, and a
        # selector's matches are all found before the first of them is unwrapped
        if self.options.remove:
            with TreeEdits() as edits:
                for element, text, _ in profile.promo_elements(root):
                    doc.remove(self.id, what, text, element)
                    edits.remove(element)
        for selector in profile.unwrap if self.options.unwrap else ():
            with TreeEdits() as edits:  # one batch per selector: the next one reads its result
                for element in selector(root):
                    self._declare_unwrap(element, what, doc)
                    edits.unwrap(element)
        if profile.comments and self.options.remove:
            with TreeEdits() as edits:
                for comment in root.iter(etree.Comment):
                    if any(p.search(comment.text or "") for p in profile.comments):
                        edits.remove(comment)

    def _lift(self, lift: Lift, root: etree._Element, doc: Document) -> None:
        """The last element the selector finds whose text matches moves into front matter."""
        for element in reversed(lift.selector(root)):
            text = visible_text(element).strip(_STRIP)
            match = lift.pattern.search(text)
            if match is None:
                continue
            value = match.groupdict().get("value") or match.group()
            if doc.lift(self.id, lift.key, value.strip(_STRIP), text):
                remove(element)
            break
