"""The schema check the FM1xx rules share: one validation per article, and file positions of
the keys and values it talks about."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any
from weakref import WeakKeyDictionary

from artconv.frontmatter.schemas import schema_ref_for, to_json, validator
from artconv.frontmatter.yaml_nodes import expansion, find

if TYPE_CHECKING:
    from artconv.lint.context import LintContext


@dataclass(frozen=True)
class Validation:
    """One article's front matter checked against its schema."""

    ref: str
    data: Any
    timestamps: frozenset[tuple]
    errors: tuple  # jsonschema ValidationErrors, top level (combinators keep theirs in .context)
    validator: Any
    refused: str | None = None  # why the front matter was not checked at all

    def was_timestamp(self, path) -> bool:
        return tuple(path) in self.timestamps


_validations: WeakKeyDictionary = WeakKeyDictionary()


def validate(context: LintContext) -> Validation | None:
    """The schema check the FM1xx rules share; None when no schema applies or YAML is broken."""
    if context in _validations:
        return _validations[context]
    result = None
    article = context.article
    if article is not None and article.yaml_error is None:
        settings = context.config.lint
        ref = schema_ref_for(context.path, settings)
        if ref:
            compiled = validator(ref, settings.root)
            refused = _too_big_to_validate(context.yaml_root)
            if refused:
                result = Validation(ref, None, frozenset(), (), compiled, refused)
            else:
                stamps: set[tuple] = set()
                data = to_json(article.metadata, (), stamps)
                result = Validation(ref, data, frozenset(stamps), tuple(compiled.iter_errors(data)), compiled)
    _validations[context] = result
    return result


MAX_VALUES = 100_000  # as for JSON output: a billion-laughs alias bomb must not be expanded
MAX_DEPTH = 100


def _too_big_to_validate(root) -> str | None:
    values, depth = expansion(root)
    if values > MAX_VALUES:
        return f"front matter expands to more than {MAX_VALUES:,} values through YAML aliases; not checked against the schema"
    if depth > MAX_DEPTH:
        return f"front matter is nested more than {MAX_DEPTH} levels deep; not checked against the schema"
    return None



def value_position(context: LintContext, path) -> tuple[int, int]:
    _, node = find(context.yaml_root, list(path))
    return _position(context, node)


def key_position(context: LintContext, path) -> tuple[int, int]:
    key, node = find(context.yaml_root, list(path))
    return _position(context, key if key is not None and path and not isinstance(path[-1], int) else node)


def _position(context: LintContext, node) -> tuple[int, int]:
    if node is None:
        return context.article.yaml_line, 1
    return context.yaml_position(node.start_mark)
