"""The front matter's YAML as a node tree with positions (PyYAML's composer, no construction).

Findings about keys and values need their line and column; PyYAML's constructed dict has none,
and it silently keeps the last of duplicate keys. The composed nodes have both problems solved.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import Any

import yaml

try:
    _Loader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _Loader = yaml.SafeLoader


def compose(text: str) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=_Loader)
    except (yaml.YAMLError, RecursionError):
        return None


def mapping_items(node: yaml.Node | None) -> list[tuple[yaml.Node, yaml.Node]]:
    return list(node.value) if isinstance(node, yaml.MappingNode) else []


def find(root: yaml.Node | None, path: Sequence[Any]) -> tuple[yaml.Node | None, yaml.Node | None]:
    """(key node, value node) at a path of keys and list indexes; the deepest found on a miss."""
    key_node: yaml.Node | None = None
    node = root
    for step in path:
        if isinstance(node, yaml.MappingNode):
            match = [(k, v) for k, v in node.value if k.value == str(step)]
            if not match:
                return key_node, node
            key_node, node = match[-1]  # PyYAML keeps the last of duplicate keys
        elif isinstance(node, yaml.SequenceNode) and isinstance(step, int) and step < len(node.value):
            key_node, node = None, node.value[step]
        else:
            return key_node, node
    return key_node, node


def duplicate_keys(node: yaml.Node | None) -> Iterator[tuple[yaml.Node, yaml.Node]]:
    """(duplicate key node, first key node) for every repeated key, at any depth."""
    if isinstance(node, yaml.MappingNode):
        seen: dict[str, yaml.Node] = {}
        for key, value in node.value:
            if isinstance(key, yaml.ScalarNode):
                if key.value in seen:
                    yield key, seen[key.value]
                else:
                    seen[key.value] = key
            yield from duplicate_keys(value)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            yield from duplicate_keys(item)


def scalars(node: yaml.Node | None, path: tuple = ()) -> Iterator[tuple[tuple, yaml.ScalarNode]]:
    """Every scalar value with its path of keys and indexes."""
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from scalars(value, (*path, key.value))
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from scalars(item, (*path, index))
    elif isinstance(node, yaml.ScalarNode):
        yield path, node
