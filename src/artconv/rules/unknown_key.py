"""FM102 unknown-key: a front-matter key the schema does not know, most often a typo.

Where the schema closes its keys (`additionalProperties: false`, as the `rss-mirror` preset
does), every other key is reported. Where it leaves them open (the `hexo`, `jekyll` and `hugo`
presets, because real sites carry plugin keys), only a key that is one slip away from a known
one is reported: `autor` is surely `author`, while `dsq_thread_id` is a plugin's business. A
generator silently ignores a misspelt key, so the post just loses its author or its tags.

Fails (with `schema = "hexo"`):

    ---
    title: Weekly report
    autor: Jeff Leek
    ---

Passes:

    ---
    title: Weekly report
    author: Jeff Leek
    dsq_thread_id: [12345]
    ---
"""

from __future__ import annotations

import difflib
import re

from artconv.frontmatter.schemas import describe_path
from artconv.rules import Rule
from artconv.rules._schema import key_position, validate

CUTOFF = 0.8  # 'autor'/'author' is 0.91, 'tag'/'tags' 0.86; unrelated plugin keys stay far below
IGNORE_CASE = "x-artconv-ignore-key-case"  # for Hugo, which lower-cases every key it reads
_COMBINED = ("allOf", "anyOf", "oneOf", "then", "else")


class UnknownKey(Rule):
    code = "FM102"
    name = "unknown-key"
    summary = "a front-matter key the schema does not allow, or a near-miss of one it knows (a typo)"
    severity = "error"  # front matter is what the site is built from: a mistake in it is never cosmetic

    def check(self, context):
        result = validate(context)
        if result is None:
            return
        root = result.validator.schema
        for error in result.errors:
            path = tuple(error.absolute_path)
            if error.validator in ("additionalProperties", "unevaluatedProperties") and isinstance(error.instance, dict):
                for key in _extra_keys(error, root):
                    yield self._finding(context, (*path, key), _unknown((*path, key), known_keys(error.schema, root)))
            elif error.schema is False and error.validator is None:
                for key in _forbidden_keys(result.data, path, root):
                    where = describe_path((*path, key))
                    yield self._finding(context, (*path, key), f"key '{where}' is not allowed by the schema")
        for path, suggestion in near_misses(result.data, root, root):
            yield self._finding(context, path, f"unknown key '{describe_path(path)}' (did you mean '{suggestion}'?)")

    def _finding(self, context, path, message):
        line, column = key_position(context, path)
        return context.finding(self, line, column, message)


def _extra_keys(error, root) -> list[str]:
    # additionalProperties looks at its own schema object only; unevaluatedProperties sees through combinators
    if error.validator == "additionalProperties":
        own = error.schema.get("properties", {})
        patterns = error.schema.get("patternProperties", {})
        return [k for k in error.instance if k not in own and not any(re.search(p, k) for p in patterns)]
    known = known_keys(error.schema, root)
    return [k for k in error.instance if k not in known and not _patterned(k, error.schema, root)]


def _forbidden_keys(data, path, root) -> list[str]:
    """Keys whose schema is `false`; jsonschema leaves such a key out of the error's path."""
    parent = data
    for step in path:
        parent = parent[step]
    schemas = [root]
    for step in path:
        schemas = [sub for s in schemas for sub in _children(s, step, root)]
    if not isinstance(parent, dict):
        return []
    parts = [part for s in schemas for part in _parts(s, root)]
    return [k for k in parent if any(part.get("properties", {}).get(k) is False for part in parts)]


def _children(schema, step, root):
    for part in _parts(schema, root):
        if isinstance(step, str) and step in part.get("properties", {}):
            yield part["properties"][step]
        elif isinstance(step, int):
            prefix = part.get("prefixItems", [])
            yield prefix[step] if step < len(prefix) else part.get("items")


def _unknown(path: tuple, known: list[str]) -> str:
    where = describe_path(path)
    close = near_miss(path[-1], known) or next(iter(difflib.get_close_matches(path[-1], known, n=1, cutoff=0.6)), None)
    if close:
        return f"unknown key '{where}' (did you mean '{close}'?)"
    allowed = ", ".join(known[:12]) + (", ..." if len(known) > 12 else "")
    return f"unknown key '{where}' (allowed: {allowed})" if known else f"unknown key '{where}'"


def near_misses(instance, schema, root, path=()):
    """(path, known key) for each key one slip away from a known one, where open keys are allowed."""
    parts = list(_parts(schema, root))
    if isinstance(instance, dict):
        yield from _near_misses_in_mapping(instance, schema, root, path, parts)
    elif isinstance(instance, list):
        for part in parts:
            if isinstance(part.get("items"), dict):
                for index, item in enumerate(instance):
                    yield from near_misses(item, part["items"], root, (*path, index))


def _near_misses_in_mapping(instance: dict, schema, root, path: tuple, parts: list):
    known = known_keys(schema, root)
    closed = any(p.get("additionalProperties") is False or p.get("unevaluatedProperties") is False for p in parts)
    fold = str.lower if any(p.get(IGNORE_CASE) for p in parts) else str
    folded = {fold(k) for k in known}
    for key, value in instance.items():
        if not closed and known and fold(key) not in folded and not _patterned(key, schema, root):
            close = near_miss(key, known)
            if close:
                yield (*path, key), close
        for part in parts:
            sub = part.get("properties", {}).get(key)
            if sub is not None:
                yield from near_misses(value, sub, root, (*path, key))


def near_miss(key: str, known: list[str]) -> str | None:
    lowered = {k.lower(): k for k in known}  # 'Tags' for 'tags' is a slip too
    close = difflib.get_close_matches(key.lower(), lowered, n=1, cutoff=CUTOFF)
    if close:
        return lowered[close[0]]
    # difflib rates a swap of two letters low ('nmae'/'name' is 0.75), yet it is the commonest slip
    return next((lowered[k] for k in lowered if _swapped(key.lower(), k)), None)


def _swapped(a: str, b: str) -> bool:
    if len(a) != len(b) or a == b:
        return False
    diff = [i for i in range(len(a)) if a[i] != b[i]]
    return len(diff) == 2 and diff[1] == diff[0] + 1 and a[diff[0]] == b[diff[1]] and a[diff[1]] == b[diff[0]]


def known_keys(schema, root) -> list[str]:
    keys: dict[str, None] = {}
    for part in _parts(schema, root):
        keys.update(dict.fromkeys(part.get("properties", {})))
    return list(keys)


def _patterned(key: str, schema, root) -> bool:
    return any(re.search(pattern, key) for part in _parts(schema, root) for pattern in part.get("patternProperties", {}))


def _parts(schema, root, depth: int = 0):
    """The schema and every subschema that speaks for the same object (combinators, local $refs)."""
    if not isinstance(schema, dict) or depth > 20:
        return
    yield schema
    if isinstance(schema.get("$ref"), str):
        yield from _parts(_pointer(schema["$ref"], root), root, depth + 1)
    for word in _COMBINED:
        branches = schema.get(word)
        for branch in branches if isinstance(branches, list) else [branches]:
            yield from _parts(branch, root, depth + 1)


def _pointer(ref: str, root):
    """A local `#/...` reference inside the same schema; other references are not followed."""
    if not ref.startswith("#"):
        return None
    node = root
    for token in filter(None, ref[1:].split("/")):
        token = token.replace("~1", "/").replace("~0", "~")
        if isinstance(node, dict) and token in node:
            node = node[token]
        elif isinstance(node, list) and token.isdigit() and int(token) < len(node):
            node = node[int(token)]
        else:
            return None
    return node
