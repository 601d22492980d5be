"""Transformers and the ordered pipeline that runs them.

A transformer is a small object with one job: an `id` (its registered name), a one-line
`summary`, an `Options` dataclass of typed settings, and `__call__(doc) -> Document`. Like a pandoc
filter it owns the document it is given and returns the one to pass on; the pipeline never reuses
a document after handing it over, so editing the lxml trees in place is allowed and cheap
(copying trees per step would cost more than the work itself).
"""

from __future__ import annotations

import dataclasses
import types
import typing
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, runtime_checkable

from artconv.core import plugins

if TYPE_CHECKING:  # only named in annotations: configuration needs no HTML or Markdown parser
    from artconv.core.document import Document

# The order matters: boilerplate selectors and code-blocks need the classes that `style` strips,
# and tracking must see comments before anything else drops them.
_CLEANING = ("boilerplate", "tracking", "code-blocks", "style", "whitespace", "hexo-escapes")
# Every format starts from the clean Markdown; JSON and XHTML decode hexo-escapes' entities again
# when they render it, so one order serves them all. A writer names the pipeline it starts from.
DEFAULT_PIPELINES: dict[str, tuple[str, ...]] = {"md": _CLEANING, "json": _CLEANING, "xhtml": _CLEANING}


BUILTIN_TRANSFORMERS: dict[str, str] = plugins.BUILTINS[plugins.TRANSFORMERS]


def load_transformer(name: str) -> type:
    """The transformer class registered as `name` (PluginError says why there is none)."""
    return plugins.load(plugins.TRANSFORMERS, name)


@runtime_checkable
class Transformer(Protocol):
    id: ClassVar[str]
    summary: ClassVar[str]
    Options: ClassVar[type]

    def __call__(self, doc: Document) -> Document: ...


class BaseTransformer:
    """Convenience base: stores validated options; subclasses define id, summary, Options."""

    id: ClassVar[str] = ""
    summary: ClassVar[str] = ""

    @dataclass(frozen=True)
    class Options:
        pass

    def __init__(self, options: Any = None):
        self.options = options if options is not None else self.Options()

    def __call__(self, doc: Document) -> Document:  # pragma: no cover - abstract
        raise NotImplementedError


class OptionsError(ValueError):
    pass


class PipelineEditError(ValueError):
    pass


@dataclass(frozen=True)
class Insertion:
    """Put transformer `id` right `after` (or `before`) another step, as markdown-it's ruler does."""

    id: str
    anchor: str
    after: bool = True


def edit_pipeline(steps: tuple[str, ...], insert: tuple[Insertion, ...], disable: frozenset[str]) -> tuple[str, ...]:
    """A pipeline with steps taken out, then steps inserted relative to others (so that
    disabling a step and inserting it elsewhere moves it).

    Editing a pipeline, instead of copying the whole list, keeps a configuration right when the
    default order changes in a later release.
    """
    edited = [step for step in steps if step not in disable]
    for insertion in insert:
        if insertion.id in edited:
            raise PipelineEditError(f"'{insertion.id}' is already in the pipeline ({' -> '.join(edited)})")
        if insertion.anchor not in edited:
            raise PipelineEditError(
                f"cannot insert '{insertion.id}' {'after' if insertion.after else 'before'} '{insertion.anchor}': "
                f"no such step ({' -> '.join(edited)})"
            )
        edited.insert(edited.index(insertion.anchor) + insertion.after, insertion.id)
    return tuple(edited)


def build_options(transformer_cls: type, values: dict[str, Any]) -> Any:
    """Validate config values (kebab-case keys) against a transformer's Options dataclass."""
    options_cls = transformer_cls.Options
    fields = {f.name: f for f in dataclasses.fields(options_cls)}
    hints = typing.get_type_hints(options_cls)
    kwargs = {}
    for key, value in values.items():
        name = key.replace("-", "_")
        if name not in fields:
            valid = ", ".join(sorted(f.replace("_", "-") for f in fields)) or "none"
            raise OptionsError(
                f"unknown option '{key}' for transformer '{transformer_cls.id}' (valid: {valid})"
            )
        problem = _type_problem(value, hints[name])
        if problem:
            raise OptionsError(f"option '{key}' of transformer '{transformer_cls.id}': {problem}")
        kwargs[name] = tuple(value) if isinstance(value, list) else value
    return options_cls(**kwargs)


def _type_problem(value: Any, hint: Any) -> str | None:
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        choices = typing.get_args(hint)
        return None if value in choices else f"expected one of {', '.join(map(repr, choices))}"
    if origin in (tuple, list):
        return _list_problem(value, hint)
    if origin in (typing.Union, types.UnionType):
        problems = [_type_problem(value, arg) for arg in typing.get_args(hint)]
        return None if any(p is None for p in problems) else problems[0]
    return _plain_type_problem(value, hint, origin)


def _list_problem(value: Any, hint: Any) -> str | None:
    if not isinstance(value, (list, tuple)):
        return "expected a list"
    item_hint = typing.get_args(hint)[0] if typing.get_args(hint) else Any
    for item in value:
        problem = _type_problem(item, item_hint)
        if problem:
            return problem
    return None


def _plain_type_problem(value: Any, hint: Any, origin: Any) -> str | None:
    if hint is Any or origin is dict or hint is dict:
        return None
    if hint is type(None):
        return None if value is None else "expected nothing"
    if hint is bool and not isinstance(value, bool):
        return "expected true or false"
    if hint in (int, float) and (isinstance(value, bool) or not isinstance(value, (int, float))):
        return "expected a number"
    if hint is str and not isinstance(value, str):
        return "expected a string"
    return None


@dataclass(frozen=True)
class Pipeline:
    """An ordered list of configured transformers for one output format."""

    format: str
    steps: tuple[Transformer, ...]

    @property
    def ids(self) -> list[str]:
        return [step.id for step in self.steps]

    def run(self, doc: Document) -> Document:
        for step in self.steps:
            doc = step(doc)
        return doc
