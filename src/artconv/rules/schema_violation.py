"""FM101 schema-violation: a front-matter value does not meet the schema.

Runs only where a schema is configured (`[lint] schema = "rss-mirror"`, a per-glob entry in
`[lint.schemas]`, or a YAML/JSON schema file). Wrong types, dates that are not dates, values
outside an `enum`, strings that miss a `pattern`, too short or too long values and lists are
reported at the value itself. Dates are checked the way site generators read them: RFC 1123,
ISO 8601 with or without offset, `2014-07-14 16:19:14 -07:00`, bare dates and YAML timestamps
all pass; `2016-13-45` and `someday` do not. A bare `no` or `0123` where a string is expected is
left to FM004 and FM005.

Fails (with `schema = "rss-mirror"`):

    ---
    title: 'Weekly report'
    categories: finance
    date: someday
    ---

Passes:

    ---
    title: 'Weekly report'
    categories:
     - finance
    date: Wed, 18 May 2022 04:07:28 GMT
    ---
"""

from __future__ import annotations

import difflib

from artconv.frontmatter.dates import FORMATS, DateShapeError
from artconv.frontmatter.schemas import describe_path
from artconv.frontmatter.yaml_nodes import find
from artconv.rules import Rule
from artconv.rules._schema import validate, value_position
from artconv.rules.ambiguous_number import ambiguous_number_kind
from artconv.rules.yaml11_boolean import is_yaml11_boolean

OWNED_ELSEWHERE = {"required", "dependentRequired", "additionalProperties", "unevaluatedProperties"}
TYPE_NAMES = {
    "string": "a string", "array": "a list", "object": "a mapping", "integer": "a whole number",
    "number": "a number", "boolean": "true/false", "null": "empty",
}


class SchemaViolation(Rule):
    code = "FM101"
    name = "schema-violation"
    summary = "a front-matter value does not meet the schema (type, date, enum, pattern, length)"
    severity = "error"  # front matter is what the site is built from: a mistake in it is never cosmetic

    def check(self, context):
        result = validate(context)
        if result is None:
            return
        if result.refused:
            yield context.finding(self, context.article.front_matter_line, 1, result.refused)
            return
        for error in result.errors:
            if error.validator in OWNED_ELSEWHERE or (error.schema is False and error.validator is None):
                continue  # a `false` property schema forbids a key: FM102's
            error, expected = _most_specific(error)
            if expected and "string" in expected and _yaml_trap(context, error.absolute_path):
                continue
            line, column = value_position(context, error.absolute_path)
            yield context.finding(self, line, column, explain(error, expected, result))


def _most_specific(error):
    """Step into anyOf/oneOf to the error a person can act on; also the types it would accept."""
    if error.validator == "type":
        return error, _types(error.validator_value)
    if error.validator in ("anyOf", "oneOf") and error.context:
        if all(e.validator == "type" and not e.relative_path for e in error.context):
            return error, [t for e in error.context for t in _types(e.validator_value)]
        from jsonschema.exceptions import best_match

        deeper = best_match(error.context)
        if deeper is not None and deeper.relative_path and deeper.validator not in OWNED_ELSEWHERE:
            return _most_specific(deeper)
    return error, None


def _types(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _yaml_trap(context, path) -> bool:
    """A bare yes/no or 0123 where a string was meant: FM004/FM005 say it better."""
    _, node = find(context.yaml_root, list(path))
    if node is None or not isinstance(node.value, str):
        return False
    return is_yaml11_boolean(node) or ambiguous_number_kind(node) is not None


def explain(error, expected, result) -> str:
    where = f"'{describe_path(error.absolute_path)}'"
    value = describe_value(error.instance, result.was_timestamp(error.absolute_path))
    kind, rule = error.validator, error.validator_value
    custom = error.schema.get("errorMessage") if isinstance(error.schema, dict) else None
    if isinstance(custom, dict):  # ajv-errors' convention: a schema author words the message per keyword
        custom = custom.get(kind)
    if isinstance(custom, str):
        return f"{where} is {value}: {custom}"
    if expected:
        date_format = error.schema.get("format") if isinstance(error.schema, dict) else None
        if date_format in FORMATS:
            _, noun, hint = FORMATS[date_format]
            return f"{where} is {value}, not {noun} (expected {hint})"
        return f"{where} is {value}, not {_either(expected)}"
    if kind == "format":
        if rule not in FORMATS:
            return f"{where} is {value}, not a valid {rule}"
        _, noun, hint = FORMATS[rule]
        if error.cause is not None and not isinstance(error.cause, DateShapeError):
            return f"{where} is {value}, not a real date ({error.cause})"
        return f"{where} is {value}, not {noun} (expected {hint})"
    if kind == "enum":
        choices = [str(choice) for choice in rule]
        close = difflib.get_close_matches(str(error.instance), choices, n=1, cutoff=0.6)
        hint = f" (did you mean '{close[0]}'?)" if close else ""
        return f"{where} is {value}, not one of: {', '.join(choices[:12])}{hint}"
    return _bounds(where, value, kind, rule, error) or f"{where}: {error.message}"


def _bounds(where, value, kind, rule, error) -> str | None:
    instance = error.instance
    size = len(instance) if isinstance(instance, str | list | dict) else None
    messages = {
        "const": f"{where} is {value}, but must be {describe_value(rule)}",
        "pattern": f"{where} is {value}, which does not match the pattern {rule}",
        "minLength": f"{where} is empty" if size == 0 else f"{where} is {size} characters long, shorter than {rule}",
        "maxLength": f"{where} is {size} characters long, longer than {rule}",
        "minimum": f"{where} is {instance}, below the minimum {rule}",
        "exclusiveMinimum": f"{where} is {instance}, but must be above {rule}",
        "maximum": f"{where} is {instance}, above the maximum {rule}",
        "exclusiveMaximum": f"{where} is {instance}, but must be below {rule}",
        "multipleOf": f"{where} is {instance}, not a multiple of {rule}",
        "minItems": f"{where} is an empty list" if size == 0 else f"{where} has {size} items, fewer than {rule}",
        "maxItems": f"{where} has {size} items, more than {rule}",
        "minProperties": f"{where} has {size} keys, fewer than {rule}",
        "maxProperties": f"{where} has {size} keys, more than {rule}",
        "uniqueItems": f"{where} lists {_duplicate(instance)} more than once",
        "not": f"{where} is {value}, which the schema forbids",
        "anyOf": f"{where} is {value}, which matches none of the forms the schema allows",
        "oneOf": f"{where} is {value}, which matches none or several of the forms the schema allows",
    }
    return messages.get(kind)


def describe_value(value, timestamp: bool = False) -> str:
    if timestamp:
        return f"the YAML timestamp {value}"
    if value is None:
        return "empty (null)"
    if isinstance(value, bool):
        return f"the boolean {str(value).lower()}"
    if isinstance(value, int | float):
        return f"the number {value}"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    text = str(value)
    return repr(text if len(text) <= 60 else text[:57] + "...")


def _either(types: list[str]) -> str:
    names = list(dict.fromkeys(TYPE_NAMES.get(t, t) for t in types))
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + " or " + names[-1]


def _duplicate(items) -> str:
    seen = []
    for item in items if isinstance(items, list) else ():
        if item in seen:
            return describe_value(item)
        seen.append(item)
    return "an item"
