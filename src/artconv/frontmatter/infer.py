"""A JSON Schema (draft 2020-12) inferred from the front matter a repository already has.

For each key: the JSON types its values take, how often it appears (keys in at least
`required_ratio` of the articles become `required`; 1.0 by default, so the schema passes every
article it was inferred from), a small `enum` where few distinct values repeat, and for dates the
narrowest named format every value meets (`date-time`, `iso-date`, `rfc1123-date`,
`generator-date`; frontmatter/dates.py) with the shapes actually written. Keys that look like
spellings of one key (`tags`/`tag`, `Title`/`title`, `cover_image`/`cover-image`,
`catagories`/`categories`) are listed
under `x-near-duplicates`: the repository should settle on one.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Any

from artconv.frontmatter.dates import FORMATS

# narrowest first: the first one every value meets is the key's format
DATE_FORMATS = ("date-time", "iso-date", "rfc1123-date", "generator-date")
MAX_DEPTH = 4  # nested mappings deeper than this are just "object"


@dataclass(frozen=True)
class InferOptions:
    required_ratio: float = 1.0  # share of articles a key must appear in to be required
    max_enum: int = 8  # at most this many distinct values make an enum…
    min_repeats: int = 3  # …and only when values repeat this many times on average


@dataclass
class _KeyStats:
    count: int = 0
    types: Counter = field(default_factory=Counter)
    values: Counter = field(default_factory=Counter)  # hashable scalar values (strings, numbers)
    strings: list = field(default_factory=list)
    children: list = field(default_factory=list)  # mappings under this key, for nested schemas
    items: list = field(default_factory=list)  # list items


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object"


def infer_schema(documents: list[dict[str, Any]], options: InferOptions | None = None) -> dict[str, Any]:
    """The schema of a list of front matters (JSON data: frontmatter/schemas.py `to_json`)."""
    options = options or InferOptions()
    schema = {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "Front matter inferred by artconv schema infer",
        "description": f"Inferred from {len(documents)} articles; edit it to say what the site needs.",
        **_object_schema(documents, options, 0),
    }
    duplicates = near_duplicates(_all_keys(documents))
    if duplicates:
        schema["x-near-duplicates"] = duplicates
    return schema


def _object_schema(documents: list[dict], options: InferOptions, depth: int) -> dict[str, Any]:
    stats: dict[str, _KeyStats] = defaultdict(_KeyStats)
    for document in documents:
        for key, value in document.items():
            _observe(stats[key], value)
    required = [key for key, s in stats.items() if documents and s.count / len(documents) >= options.required_ratio]
    result: dict[str, Any] = {"type": "object"}
    result["properties"] = {key: _value_schema(s, options, depth, len(documents)) for key, s in sorted(stats.items())}
    if required:
        result["required"] = sorted(required)
    return result


def _observe(stats: _KeyStats, value: Any) -> None:
    stats.count += 1
    kind = json_type(value)
    stats.types[kind] += 1
    if kind in ("string", "integer", "number", "boolean"):
        stats.values[value] += 1
    if kind == "string":
        stats.strings.append(value)
    elif kind == "object":
        stats.children.append(value)
    elif kind == "array":
        stats.items.extend(value)


def _value_schema(stats: _KeyStats, options: InferOptions, depth: int, total: int) -> dict[str, Any]:
    types = sorted(stats.types)
    if "integer" in types and "number" in types:
        types.remove("integer")  # every integer is a number
    schema: dict[str, Any] = {"type": types[0] if len(types) == 1 else types}
    schema["x-seen-in"] = f"{stats.count}/{total}"
    if types == ["string"]:
        date_format = _date_format(stats.strings)
        if date_format:
            schema["format"] = date_format
            schema["x-date-shapes"] = sorted({_shape(text) for text in stats.strings})[:12]
            return schema
    enum = _enum(stats, types, options)
    if enum:
        schema["enum"] = enum
    if "object" in types and stats.children and depth < MAX_DEPTH:
        nested = _object_schema(stats.children, options, depth + 1)
        nested.pop("required", None)  # absent in some parents' mappings is not a finding worth having
        schema.update({k: v for k, v in nested.items() if k != "type"})
    if "array" in types and stats.items:
        schema["items"] = _items_schema(stats.items, options, depth)
    return schema


def _enum(stats: _KeyStats, types: list[str], options: InferOptions) -> list | None:
    """The values, when a few distinct ones repeat (`layout: post`), not when each is its own."""
    distinct = len(stats.values)
    if not set(types) <= {"string", "integer", "number"} or not 0 < distinct <= options.max_enum:
        return None
    if sum(stats.values.values()) < options.min_repeats * distinct:
        return None
    return sorted(stats.values, key=lambda v: (str(type(v)), v))


def _items_schema(items: list, options: InferOptions, depth: int) -> dict[str, Any]:
    item_stats = _KeyStats()
    for item in items:
        _observe(item_stats, item)
    schema = _value_schema(item_stats, options, depth + 1, len(items))
    schema.pop("x-seen-in", None)
    return schema


def _date_format(strings: list[str]) -> str | None:
    if not strings:
        return None
    for name in DATE_FORMATS:
        parse = FORMATS[name][0]
        if all(_parses(parse, text) for text in strings):
            return name
    return None


def _parses(parse, text: str) -> bool:
    try:
        parse(text)
    except (ValueError, OverflowError):
        return False
    return True


_NAMES = re.compile(r"\b(?:(Mon|Tue|Wed|Thu|Fri|Sat|Sun)|(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec))\b")


def _shape(text: str) -> str:
    """How a date is written, its digits as 9 and day and month names as Www and Mmm:
    `Fri, 18 May 2022 04:07:28 GMT` → `Www, 99 Mmm 9999 99:99:99 GMT`."""
    return _NAMES.sub(lambda m: "Www" if m.group(1) else "Mmm", re.sub(r"\d", "9", text))


def _all_keys(documents: list[dict]) -> Counter:
    return Counter(key for document in documents for key in document)


def normal_form(key: str) -> str:
    """What two spellings of one key have in common: case, separators and a plural `s`."""
    folded = re.sub(r"[\s_\-.]", "", key.casefold())
    if folded.endswith("ies") and len(folded) > 4:
        return folded[:-3] + "y"
    if folded.endswith("s") and not folded.endswith("ss") and len(folded) > 3:
        return folded[:-1]
    return folded


MAX_PAIRWISE = 2000  # distinct keys compared pair by pair for typos; beyond, only the folded forms
TYPO_MIN_LENGTH = 6  # `catagories`/`categories` are one edit apart; `date`/`data` too short to tell


def near_duplicates(keys: Counter) -> list[dict[str, Any]]:
    """Groups of keys that are spellings of one key, each with how often it is used: equal
    after folding case, separators and a plural, or (keys of 6+ letters) one edit apart."""
    groups: dict[str, list[str]] = defaultdict(list)
    for key in keys:
        groups[normal_form(key)].append(key)
    forms = sorted(groups) if len(groups) <= MAX_PAIRWISE else []
    for index, form in enumerate(forms):  # a few dozen keys: pairwise is cheap
        if len(form) < TYPO_MIN_LENGTH or form not in groups:
            continue
        for other in forms[index + 1 :]:
            if other in groups and len(other) >= TYPO_MIN_LENGTH and _close(form, other):
                groups[form].extend(groups.pop(other))
    found = []
    for members in groups.values():
        if len(members) > 1:
            ordered = sorted(members, key=lambda k: (-keys[k], k))
            found.append({"keys": ordered, "counts": [keys[k] for k in ordered]})
    return sorted(found, key=lambda g: g["keys"])


def _close(one: str, other: str) -> bool:
    """One insertion, deletion or substitution apart (Levenshtein distance 1), in linear time."""
    if abs(len(one) - len(other)) > 1:
        return False
    start = 0
    while start < min(len(one), len(other)) and one[start] == other[start]:
        start += 1
    if len(one) == len(other):
        return one[start + 1 :] == other[start + 1 :]
    shorter, longer = (one, other) if len(one) < len(other) else (other, one)
    return shorter[start:] == longer[start + 1 :]
