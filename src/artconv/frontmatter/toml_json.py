"""Positions in TOML and JSON front matter, as the same node tree the YAML rules walk.

tomllib and json give values but no positions. The FM1xx rules find keys and values through
PyYAML nodes (frontmatter/yaml_nodes.py: `find`, `scalars`); building such nodes for the other two
forms, with marks in the block's own coordinates, lets every schema rule report a true
line:column in any form without knowing which form it looks at. The values come from the real
parsers (core/front_matter_forms.py); these scanners only say where each key and value stands.
"""

from __future__ import annotations

import bisect
import json
import re
from datetime import date, datetime, time
from typing import Any

import yaml

MAX_DEPTH = 100  # deeper JSON is left without positions (findings point at the block's start)
_TAGS = {bool: "bool", int: "int", float: "float", str: "str", type(None): "null"}


class _Lines:
    """0-based (line, column) of a character offset, by bisection over line starts."""

    def __init__(self, text: str) -> None:
        self.starts = [0, *(m.end() for m in re.finditer("\n", text))]

    def mark(self, offset: int) -> yaml.Mark:
        line = bisect.bisect_right(self.starts, offset) - 1
        return yaml.Mark("<front matter>", offset, line, offset - self.starts[line], None, None)


def _scalar(value: Any, mark: yaml.Mark, written: str | None = None) -> yaml.ScalarNode:
    """A scalar node; `written` is the value's text where the scanner has it (numbers, literals)."""
    if isinstance(value, datetime | date | time):
        return yaml.ScalarNode("tag:yaml.org,2002:timestamp", value.isoformat(), mark, mark)
    tag = _TAGS.get(type(value), "str")
    text = value if isinstance(value, str) else written if written is not None else json.dumps(value)
    return yaml.ScalarNode(f"tag:yaml.org,2002:{tag}", text, mark, mark, style='"' if tag == "str" else None)


# --- JSON ------------------------------------------------------------------------------------

_SPACE = re.compile(r"[ \t\r\n]*")
_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][-+]?\d+)?")
_LITERALS = {"true": True, "false": False, "null": None}


def json_nodes(text: str) -> yaml.Node | None:
    """The node tree of a JSON object with positions; None when it is not JSON or too deep."""
    scanner = _JsonScanner(text)
    try:
        node, end = scanner.value(0, 0)
    except (ValueError, IndexError, RecursionError):
        return None
    return node


class _JsonScanner:
    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = _Lines(text)

    def skip(self, index: int) -> int:
        return _SPACE.match(self.text, index).end()

    def value(self, index: int, depth: int) -> tuple[yaml.Node, int]:
        if depth > MAX_DEPTH:
            raise ValueError("too deep")
        index = self.skip(index)
        char = self.text[index]
        mark = self.lines.mark(index)
        if char == "{":
            return self.collection(index + 1, depth, mark, "}")
        if char == "[":
            return self.collection(index + 1, depth, mark, "]")
        if char == '"':
            string, end = json.decoder.scanstring(self.text, index + 1)
            return _scalar(string, mark), end
        number = _NUMBER.match(self.text, index)
        if number:
            written = number.group()
            value = float(written) if any(c in written for c in ".eE") else int(written)
            return _scalar(value, mark, written), number.end()
        for word, literal in _LITERALS.items():
            if self.text.startswith(word, index):
                return _scalar(literal, mark, word), index + len(word)
        raise ValueError(f"unexpected {char!r}")

    def collection(self, index: int, depth: int, mark: yaml.Mark, close: str) -> tuple[yaml.Node, int]:
        items: list = []
        index = self.skip(index)
        while self.text[index] != close:
            if close == "}":
                key, index = self.value(index, depth + 1)
                index = self.skip(index)
                if self.text[index] != ":":
                    raise ValueError("expected ':'")
                value, index = self.value(index + 1, depth + 1)
                items.append((key, value))
            else:
                value, index = self.value(index, depth + 1)
                items.append(value)
            index = self.skip(index)
            if self.text[index] == ",":
                index = self.skip(index + 1)
        end = self.lines.mark(index)
        if close == "}":
            return yaml.MappingNode("tag:yaml.org,2002:map", items, mark, end), index + 1
        return yaml.SequenceNode("tag:yaml.org,2002:seq", items, mark, end), index + 1


# --- TOML ------------------------------------------------------------------------------------

_KEY_PART = re.compile(r"[ \t]*(?:\"((?:[^\"\\]|\\.)*)\"|'([^']*)'|([A-Za-z0-9_-]+))[ \t]*")
_HEADER = re.compile(r"[ \t]*(\[\[?)")


def toml_nodes(text: str, data: dict[str, Any]) -> yaml.Node:
    """The node tree of a parsed TOML table, each key and value at the line and column where it
    is written (an item of an array at its array's value)."""
    positions = _toml_positions(text)
    origin = yaml.Mark("<front matter>", 0, 0, 0, None, None)
    return _toml_node(data, (), positions, origin)


def _toml_node(value: Any, path: tuple, positions: dict, at: yaml.Mark) -> yaml.Node:
    if isinstance(value, dict):
        items = []
        for key, item in value.items():
            key_mark, value_mark = positions.get((*path, key), (at, at))
            items.append((_scalar(str(key), key_mark), _toml_node(item, (*path, key), positions, value_mark)))
        return yaml.MappingNode("tag:yaml.org,2002:map", items, at, at)
    if isinstance(value, list):
        items = [_toml_node(item, (*path, index), positions, positions.get((*path, index), (at, at))[1])
                 for index, item in enumerate(value)]
        return yaml.SequenceNode("tag:yaml.org,2002:seq", items, at, at)
    return _scalar(value, at)


def _dotted_key(line: str, start: int) -> tuple[list[str], int] | None:
    """The parts of a (dotted) key at `start`, and where it ends; None when none stands there."""
    parts, index = [], start
    while True:
        match = _KEY_PART.match(line, index)
        if not match:
            return None
        basic, literal, bare = match.groups()
        parts.append(json.loads(f'"{basic}"') if basic is not None else literal if literal is not None else bare)
        index = match.end()
        if index < len(line) and line[index] == ".":
            index += 1
            continue
        return parts, index


def _toml_positions(text: str) -> dict[tuple, tuple[yaml.Mark, yaml.Mark]]:
    """(key mark, value mark) per path of keys, from one pass over the lines.

    Continuation lines of multi-line strings and arrays are skipped by counting quotes and
    brackets; a key whose line this scan misreads just gets no position (the block's start)."""
    positions: dict[tuple, tuple[yaml.Mark, yaml.Mark]] = {}
    table: tuple = ()
    arrays: dict[tuple, int] = {}
    open_until: str | None = None  # a closing `"""`/`'''`, or "]" while brackets are open
    depth = 0
    for number, line in enumerate(text.split("\n")):
        if open_until is not None:
            open_until, depth = _still_open(line, open_until, depth)
            continue
        header = _HEADER.match(line)
        if header and not re.match(r"[ \t]*[A-Za-z0-9_\"'-].*=", line):
            table = _table_path(line, header, arrays, positions, number)
            continue
        key = _dotted_key(line, 0)
        if key is None or key[1] >= len(line) or line[key[1]] != "=":
            continue
        parts, end = key
        value_column = len(line) - len(line[end + 1 :].lstrip(" \t"))
        key_column = len(line) - len(line.lstrip(" \t"))
        path = (*table, *parts)
        positions[path] = (_mark(number, key_column), _mark(number, value_column))
        open_until, depth = _opens(line[value_column:])
    return positions


def _table_path(line: str, header: re.Match, arrays: dict, positions: dict, number: int) -> tuple:
    key = _dotted_key(line, header.end())
    if key is None:
        return ()
    path = tuple(key[0])
    column = len(line) - len(line.lstrip(" \t"))
    if header.group(1) == "[[":
        arrays[path] = arrays.get(path, -1) + 1
        positions.setdefault(path, (_mark(number, column), _mark(number, column)))
        path = (*path, arrays[path])
    positions.setdefault(path, (_mark(number, column), _mark(number, column)))
    return path


def _mark(line: int, column: int) -> yaml.Mark:
    return yaml.Mark("<front matter>", 0, line, column, None, None)


def _opens(value: str) -> tuple[str | None, int]:
    """Whether a value goes on past its line: an unclosed multi-line string or array."""
    for quote in ('"""', "'''"):
        if value.startswith(quote) and value.count(quote) == 1:
            return quote, 0
    depth = _bracket_balance(value)
    return ("]", depth) if depth > 0 else (None, 0)


def _still_open(line: str, until: str, depth: int) -> tuple[str | None, int]:
    if until != "]":
        return (None, 0) if until in line else (until, 0)
    depth += _bracket_balance(line)
    return ("]", depth) if depth > 0 else (None, 0)


def _bracket_balance(value: str) -> int:
    """Opening minus closing brackets and braces outside strings and comments."""
    balance, quote = 0, None
    for char in value:
        if quote:
            quote = None if char == quote else quote
        elif char in "\"'":
            quote = char
        elif char == "#":
            break
        elif char in "[{":
            balance += 1
        elif char in "]}":
            balance -= 1
    return balance
