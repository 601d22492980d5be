"""Lint rules: one module per rule, the module docstring is the rule's documentation.

A rule has a stable `code` (FM… for front matter, HT… for the body), a kebab-case `name`, a
one-line `summary`, an optional `fix` naming the transformer (and options) that repairs it, and
`check(context)` yielding findings. Rules reuse the transformers' detection; fixes run the very
transformers `convert` uses, restricted by options to the rule's job.
"""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar

from artconv.lint.findings import Finding
from artconv.core.plugins import entry_points

if TYPE_CHECKING:
    from artconv.lint.engine import LintContext

ENTRY_POINT_GROUP = "artconv.rules"


@dataclass(frozen=True)
class Fix:
    """Repair a rule's findings by running `transformer` with `options`."""

    transformer: str
    options: dict[str, Any] = field(default_factory=dict)
    safe: bool = True


class Rule:
    code: ClassVar[str] = ""
    name: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    fix: ClassVar[Fix | None] = None

    def check(self, context: LintContext) -> Iterator[Finding]:  # pragma: no cover - abstract
        raise NotImplementedError

    @classmethod
    def documentation(cls) -> str:
        import inspect

        # a rule's own docstring, else its module's (built-ins are one rule to a module)
        own = cls.__dict__.get("__doc__")
        return inspect.cleandoc(own or sys.modules[cls.__module__].__doc__ or cls.summary)

    @classmethod
    def fix_safety(cls) -> str | None:
        if cls.fix is None:
            return None
        return "safe" if cls.fix.safe else "unsafe"


BUILTIN_RULES: dict[str, str] = {
    "FM001": "artconv.rules.invalid_yaml:InvalidYaml",
    "FM002": "artconv.rules.unterminated_front_matter:UnterminatedFrontMatter",
    "FM003": "artconv.rules.duplicate_key:DuplicateKey",
    "FM004": "artconv.rules.yaml11_boolean:Yaml11Boolean",
    "FM005": "artconv.rules.ambiguous_number:AmbiguousNumber",
    "FM006": "artconv.rules.impossible_date:ImpossibleDate",
    "FM007": "artconv.rules.byte_order_mark:ByteOrderMark",
    "FM008": "artconv.rules.tab_indentation:TabIndentation",
    "FM101": "artconv.rules.schema_violation:SchemaViolation",
    "FM102": "artconv.rules.unknown_key:UnknownKey",
    "FM103": "artconv.rules.missing_key:MissingKey",
    "HT001": "artconv.rules.undecodable_file:UndecodableFile",
    "HT101": "artconv.rules.style_attribute:StyleAttribute",
    "HT102": "artconv.rules.style_block:StyleBlock",
    "HT103": "artconv.rules.font_tag:FontTag",
    "HT104": "artconv.rules.html_comment:HtmlComment",
    "HT105": "artconv.rules.tracking_pixel:TrackingPixel",
    "HT106": "artconv.rules.tracking_parameter:TrackingParameter",
    "HT107": "artconv.rules.script:Script",
    "HT108": "artconv.rules.iframe:Iframe",
    "HT109": "artconv.rules.promo_boilerplate:PromoBoilerplate",
    "HT110": "artconv.rules.empty_paragraph:EmptyParagraph",
    "HT111": "artconv.rules.unbalanced_tags:UnbalancedTags",
}


class RuleError(ValueError):
    pass


@lru_cache(maxsize=1)
def available_rules() -> dict[str, type[Rule]]:
    """All rules by code: built-ins first, then plugins (which may not reuse a built-in code)."""
    rules: dict[str, type[Rule]] = {code: _load(target, "artconv (built-in)") for code, target in BUILTIN_RULES.items()}
    for ep in entry_points(ENTRY_POINT_GROUP):
        if ep.name in rules:
            continue
        rules[ep.name] = _load(ep.value, ep.dist.name if ep.dist else "unknown distribution")
    return rules


def _load(target: str, distribution: str) -> type[Rule]:
    module_name, _, attribute = target.partition(":")
    try:
        return getattr(importlib.import_module(module_name), attribute)
    except Exception as exc:
        raise RuleError(f"rule {target} from {distribution} failed to load: {type(exc).__name__}: {exc}") from None


def find_rule(code_or_name: str) -> type[Rule]:
    rules = available_rules()
    wanted = code_or_name.strip()
    for code, rule in rules.items():
        if wanted.upper() == code or wanted.lower() == rule.name:
            return rule
    raise RuleError(f"unknown rule '{code_or_name}' (rules: {', '.join(rules)})")
