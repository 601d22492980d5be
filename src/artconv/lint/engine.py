"""The library core of `artconv lint`: check one article, and fix it with the convert transformers.

Lint is "transform in check mode": rules find what the transformers would change, at file
positions, and `--fix` runs those transformers (restricted by options to the fixable rules'
jobs) and writes the article back in its own form.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from artconv.core import plugins
from artconv.core.article import Article, ArticleError, parse_article, read_article
from artconv.core.config import Config, config_for
from artconv.core.document import Document
from artconv.core.generator import generator_for
from artconv.core.lint_settings import glob_match, selects
from artconv.core.pipeline import build_options, load_transformer
from artconv.lint.context import LintContext, lint_document
from artconv.lint.findings import Finding
from artconv.lint.suppressions import Suppressions

MAX_FIX_ROUNDS = 4


@dataclass(frozen=True)
class Selection:
    """Which rules run: `select` minus `ignore` (codes, prefixes or names), plus per-file ignores."""

    select: tuple[str, ...] = ("*",)
    ignore: tuple[str, ...] = ()

    def rules(self, extra_ignore: tuple[str, ...] = ()) -> tuple[type, ...]:
        return _selected_rules(tuple(self.select), tuple(self.ignore) + tuple(extra_ignore))


def default_selection(config: Config) -> Selection:
    """The rules a configuration selects when no command line says otherwise: select, then
    extend-select, minus ignore (as ruff reads them)."""
    return Selection((*config.lint.select, *config.lint.extend_select), config.lint.ignore)


@lru_cache(maxsize=64)
def _selected_rules(select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[type, ...]:
    # the same few selections repeat for every file of a run: decide once
    chosen = []
    for code, rule in plugins.load_all(plugins.RULES).items():
        if any(selects(s, code, rule.name) for s in select) and not any(selects(s, code, rule.name) for s in ignore):
            chosen.append(rule)
    return tuple(chosen)


@dataclass
class LintResult:
    path: str
    findings: list[Finding] = field(default_factory=list)
    fixed: bytes | None = None  # new file content when --fix changed something
    original: bytes = b""


def lint_bytes(
    data: bytes,
    path: str,
    selection: Selection | None = None,
    config: Config | None = None,
    fix: bool = False,
    unsafe_fixes: bool = False,
) -> LintResult:
    """Lint one article; with `fix`, also compute the fixed content (nothing is written)."""
    config = config if config is not None else config_for(path)
    selection = selection or default_selection(config)
    rules = selection.rules(_per_file_ignores(path, config))
    result = LintResult(path, _check(data, path, rules, config), original=data)
    if not fix:
        return result
    current = data
    for _ in range(MAX_FIX_ROUNDS):
        fixable = [f for f in result.findings if f.fix == "safe" or (unsafe_fixes and f.fix == "unsafe")]
        if not fixable:
            break
        fixed = _guarded_fixes(current, path, fixable, config, result)
        if fixed is None or fixed == current:
            break
        current = fixed
        result.findings = _check(current, path, rules, config)
    if current != data:
        result.fixed = current
    return result


def _guarded_fixes(data: bytes, path: str, fixable: list[Finding], config: Config, result: LintResult) -> bytes | None:
    """The content the fixes make; where the guard refuses them all together, each code's on its
    own, and the findings of the refused ones say why they stay (in `result`)."""
    try:
        return apply_fixes(data, path, {f.code for f in fixable}, config)
    except FixRefused:
        fixed, refused = _fixes_one_by_one(data, path, fixable, config)
        result.findings = _not_fixed(result.findings, refused)
        return fixed


def _fixes_one_by_one(data: bytes, path: str, fixable: list[Finding], config: Config) -> tuple[bytes | None, dict[str, str]]:
    """The fixes together were refused: each code's fix alone, in turn, keeping those the guard
    lets through; (the content they make or None, each refused code with the guard's reason)."""
    current, refused = data, {}
    for code in sorted({f.code for f in fixable}):
        try:
            fixed = apply_fixes(current, path, {code}, config)
        except FixRefused as refusal:
            refused[code] = str(refusal)
            continue
        if fixed is not None:
            current = fixed
    return (current if current != data else None), refused


def _not_fixed(findings: list[Finding], refused: dict[str, str]) -> list[Finding]:
    """The findings whose fix the guard refused, marked as not fixable, with the reason."""
    return [
        f._replace(fix=None, message=f"{f.message} (not fixed: the fix {refused[f.code]})") if f.code in refused and f.fix else f
        for f in findings
    ]


def _check(data: bytes, path: str, rules: tuple[type, ...], config: Config) -> list[Finding]:
    try:
        article: Article | None = read_article(data, path, lenient=True)
        decode_error = None
    except ArticleError as exc:
        article, decode_error = None, exc
    context = LintContext(path, data, article, decode_error, config)
    findings: list[Finding] = []
    for rule in rules:
        findings.extend(rule().check(context))
    if article is not None and findings:
        suppressions = suppressions_of(article)
        if suppressions:
            findings = [f for f in findings if not suppressions.covers(f)]
    return sorted(set(findings))


def suppressions_of(article: Article) -> Suppressions:
    """The article's inline suppressions in file line numbers: the body's HTML comments, and
    `# noqa` comments in YAML or TOML front matter."""
    found = Suppressions.parse(article.body).shifted(article.body_line - 1)
    if article.form in ("yaml", "toml") and article.has_front_matter:
        found.add_front_matter(article.front_text, article.yaml_line)
    return found


def _per_file_ignores(path: str, config: Config) -> tuple[str, ...]:
    settings = config.lint
    if not settings.per_file_ignores:
        return ()
    relative = os.path.relpath(os.path.abspath(path), settings.root or os.getcwd())
    relative = Path(relative).as_posix()
    ignored: list[str] = []
    for pattern, codes in settings.per_file_ignores:
        if glob_match(relative, pattern):
            ignored.extend(codes)
    return tuple(ignored)


def apply_fixes(data: bytes, path: str, codes: set[str], config: Config) -> bytes | None:
    """Run the transformers that fix `codes` and write the article back in its own form."""
    from artconv.writers.source import prepare, write_source  # only --fix pays for the writers

    try:
        article = read_article(data, path)
    except ArticleError:
        return None  # broken front matter: nothing is rewritten around it
    merged, order = _fix_options(codes)
    doc = lint_document(article, config)  # islands stay the generator's: no fix reaches into them
    before = prepare(doc)
    for name in _pipeline_order(order, config):
        cls = load_transformer(name)
        values = dict(_all_off(cls))
        values.update(config.transformer_options.get(name, {}))
        values.update(merged[name])
        if name == "boilerplate" and config.profiles:
            values.setdefault("extra_profiles", config.profiles)
        doc = cls(build_options(cls, values))(doc)
    fixed = write_source(doc, before)
    _guard_fix(doc, article, fixed, config)
    return fixed.encode("utf-8")


class FixRefused(Exception):
    """A fix whose result the fidelity guard refuses: the file stays as it is."""


def _guard_fix(doc: Document, article: Article, fixed: str, config: Config) -> None:
    """A safe fix loses nothing a reader sees: the guard checks it as it checks convert (a
    `<center>` unwrapped from `- <center>1. x</center>` made a list in the item)."""
    from artconv.core import guard

    try:
        body = parse_article(fixed, path=article.path).body
    except ArticleError:
        raise FixRefused("the fixed front matter would not read back") from None
    generator = generator_for(article.path, config.generator)
    islands = generator if generator != "none" else None
    loss = guard.check(doc, article.body, body, html=doc.html, islands=islands)
    if loss is not None:
        raise FixRefused(loss.describe())


def _fix_options(codes: set[str]) -> tuple[dict[str, dict[str, Any]], list[str]]:
    """The options each fixing transformer runs with (the jobs of all the rules it fixes), and
    the transformers in the order the rules named them."""
    merged: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    rules = plugins.load_all(plugins.RULES)
    for code in sorted(codes):
        rule_fix = rules[code].fix
        if rule_fix is None or rule_fix.transformer is None:
            continue
        options = merged.setdefault(rule_fix.transformer, {})
        if rule_fix.transformer not in order:
            order.append(rule_fix.transformer)
        for key, value in rule_fix.options.items():
            options[key] = (options.get(key) or value) if isinstance(value, bool) else value
    return merged, order


def _all_off(transformer: type) -> dict[str, Any]:
    """Every job switch of a transformer turned off, so that a fix does only what it is asked."""
    return {job: False for job in getattr(transformer, "jobs", ())}


def _pipeline_order(names: list[str], config: Config) -> list[str]:
    reference = list(config.pipelines.get("md", ()))
    return sorted(names, key=lambda n: reference.index(n) if n in reference else len(reference))
