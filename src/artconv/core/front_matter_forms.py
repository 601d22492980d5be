"""Hugo's other two front-matter forms: TOML between `+++` lines and a JSON object at the start.

    +++                          {
    title = "Notes"                "title": "Notes",
    tags = ["a", "b"]              "tags": ["a", "b"]
    +++                          }

The reader (core/article.py) finds the block; this module says where a block of each form opens
and closes, reads it with the standard library (tomllib, json: python-frontmatter's TOML and JSON
handlers do the same, without positions), turns their errors into file line:column, and writes
keys a transformer adds in the block's own form. Hugo ends JSON front matter at the `}` that
closes the object; we take the first `}` standing alone on a line, which is where every JSON
front matter in the wild ends (nested objects are indented).
"""

from __future__ import annotations

import json
import re
import tomllib
from datetime import date, datetime, time
from typing import Any

from artconv.core.errors import PositionedError

# (form, opening, closing); the opening may follow blank lines, as for YAML
TOML_OPENING = re.compile(r"\A((?:[ \t]*\r?\n)*)\+\+\+[ \t]*(\r?\n|\Z)")
TOML_CLOSING = re.compile(r"^\+\+\+[ \t]*(?:\r?\n|\Z)", re.MULTILINE)
# `{` alone on its line, or `{"key"…`: `{{< shortcode >}}` and `{% liquid %}` are body text
JSON_OPENING = re.compile(r"\A((?:[ \t]*\r?\n)*)(?=\{[ \t]*(?:\r?\n|\"))")
JSON_CLOSING = re.compile(r"^\}[ \t]*(?:\r?\n|\Z)", re.MULTILINE)

_REST_OF_LINE = re.compile(r"[ \t]*(?:\r?\n|\Z)")
_TOML_AT = re.compile(r"^(?P<problem>.*?) \(at line (?P<line>\d+), column (?P<column>\d+)\)$")


def json_closing(text: str, start: int) -> re.Match | None:
    """Where JSON front matter opening at `start` closes: the first `}` line, else the end of a
    one-line object (`{"title": "x"}`) when a line ends there; None when neither (the file then
    has no front matter: a body may start with a `{` line, and Jekyll and Hexo would agree)."""
    found = JSON_CLOSING.search(text, start)
    if found is not None:
        return found
    try:
        _, end = json.JSONDecoder().raw_decode(text, start)
    except (ValueError, RecursionError):
        return None
    return _REST_OF_LINE.match(text, end)


def parse_toml(text: str, first_line: int) -> dict[str, Any]:
    """The table between the `+++` lines; PositionedError in file coordinates when it is not TOML."""
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        at = _TOML_AT.match(message)
        if at:
            line, column = first_line + int(at["line"]) - 1, int(at["column"])
            raise PositionedError(f"invalid TOML front matter: {at['problem']}", line, column) from None
        raise PositionedError(f"invalid TOML front matter: {message.replace(' (at end of document)', '')}",
                              first_line) from None
    except RecursionError:
        raise PositionedError("front matter is nested too deeply", first_line) from None


def parse_json(text: str, first_line: int) -> dict[str, Any]:
    """The object from `{` to `}`; PositionedError in file coordinates when it is not JSON."""
    try:
        value = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PositionedError(f"invalid JSON front matter: {exc.msg}", first_line + exc.lineno - 1, exc.colno) from None
    except RecursionError:
        raise PositionedError("front matter is nested too deeply", first_line) from None
    if not isinstance(value, dict):  # pragma: no cover - the opening `{` makes it an object
        raise PositionedError("front matter is not a JSON object", first_line)
    return value


def with_added_keys(form: str, head: str, closing: str, updates: dict[str, Any], newline: str) -> str:
    """A TOML or JSON block with `updates` added; every byte of the original block is kept."""
    if form == "toml":
        added = "".join(f"{_toml_key(key)} = {_toml_value(value)}{newline}" for key, value in updates.items())
        # keys after a [table] header would belong to that table: they go before the first header
        header = re.search(r"^[ \t]*\[", head, re.MULTILINE)
        if header:
            return head[: header.start()] + added + head[header.start() :] + closing
        if head and not head.endswith("\n"):
            head += newline
        return head + added + closing
    kept = head.rstrip()  # the last entry's line end moves after the comma
    entries = [f"{json.dumps(key, ensure_ascii=False)}: {json.dumps(_jsonable(value), ensure_ascii=False)}"
               for key, value in updates.items()]
    if kept.endswith("}"):  # a one-line object: the entries go inside its braces
        inside = kept[:-1].rstrip()
        return inside + ("" if inside.endswith("{") else ", ") + ", ".join(entries) + "}" + closing
    comma = "" if kept.endswith("{") else ","
    return kept + comma + newline + ("," + newline).join("  " + e for e in entries) + newline + closing


def _toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key, ensure_ascii=False)


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{" + ", ".join(f"{_toml_key(str(k))} = {_toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)  # a TOML basic string is a JSON string


def _jsonable(value: Any) -> Any:
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _jsonable(v) for k, v in value.items()}
    return value
