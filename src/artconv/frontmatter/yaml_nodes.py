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
    for _, current in _walk(node):
        if isinstance(current, yaml.MappingNode):
            seen: dict[str, yaml.Node] = {}
            for key, _ in current.value:
                if isinstance(key, yaml.ScalarNode):
                    if key.value in seen:
                        yield key, seen[key.value]
                    else:
                        seen[key.value] = key


def scalars(node: yaml.Node | None, path: tuple = ()) -> Iterator[tuple[tuple, yaml.ScalarNode]]:
    """Every scalar value with its path of keys and indexes."""
    for found_path, current in _walk(node, path):
        if isinstance(current, yaml.ScalarNode):
            yield found_path, current


def _walk(node: yaml.Node | None, path: tuple = ()) -> Iterator[tuple[tuple, yaml.Node]]:
    """Every node once, depth first in document order, with its path.

    Iterative, and an alias is followed only the first time: ten thousand nested levels cost no
    stack, and a billion-laughs document of a few lines is a few dozen nodes, not 9**9.
    """
    if node is None:
        return
    stack: list[tuple[tuple, yaml.Node]] = [(path, node)]
    visited: set[int] = set()
    while stack:
        current_path, current = stack.pop()
        if isinstance(current, yaml.CollectionNode):
            if id(current) in visited:
                continue
            visited.add(id(current))
        yield current_path, current
        if isinstance(current, yaml.MappingNode):
            stack.extend(((*current_path, key.value), value) for key, value in reversed(current.value))
        elif isinstance(current, yaml.SequenceNode):
            stack.extend(((*current_path, index), item) for index, item in reversed(list(enumerate(current.value))))


def expansion(node: yaml.Node | None) -> tuple[float, int]:
    """(values the node tree expands to when aliases are copied out, deepest nesting).

    Counted without expanding: each node once, its children's totals remembered. An alias that
    contains itself expands without end.
    """
    if node is None:
        return 0, 0
    totals: dict[int, tuple[float, int]] = {}
    open_nodes: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(node, False)]
    while stack:
        current, children_done = stack.pop()
        if id(current) in totals:
            continue
        children = _children(current)
        if not children_done:
            open_nodes.add(id(current))
            stack.append((current, True))
            stack.extend((child, False) for child in children if id(child) not in totals and id(child) not in open_nodes)
            continue
        open_nodes.discard(id(current))
        size, depth = 1.0, 0
        for child in children:
            child_size, child_depth = totals.get(id(child), (float("inf"), 0))  # still open: a cycle
            size += child_size
            depth = max(depth, child_depth)
        totals[id(current)] = (size, depth + 1)
    return totals[id(node)]


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.MappingNode):
        return [item for pair in node.value for item in pair]
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    return []
