"""The library core of `artconv lint`: check one article, and fix it with the convert transformers.

Lint is "transform in check mode": rules find what the transformers would change, at file
positions, and `--fix` runs those transformers (restricted by options to the fixable rules'
jobs) and writes the article back in its own form.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any

from artconv.core.article import Article, ArticleError, read_article
from artconv.core.body import HtmlPart, MarkdownPart
from artconv.core.config import Config, config_for
from artconv.core.document import Document
from artconv.lint.findings import Finding
from artconv.lint.positions import PartLocator
from artconv.rules import Rule, available_rules
from artconv.lint.suppressions import Suppressions, matches

MAX_FIX_ROUNDS = 4


@dataclass(frozen=True)
class Selection:
    """Which rules run: `select` minus `ignore` (codes, prefixes or names), plus per-file ignores."""

    select: tuple[str, ...] = ("*",)
    ignore: tuple[str, ...] = ()

    def rules(self, extra_ignore: tuple[str, ...] = ()) -> tuple[type[Rule], ...]:
        return _selected_rules(tuple(self.select), tuple(self.ignore) + tuple(extra_ignore))


@lru_cache(maxsize=64)
def _selected_rules(select: tuple[str, ...], ignore: tuple[str, ...]) -> tuple[type[Rule], ...]:
    # the same few selections repeat for every file of a run: decide once
    chosen = []
    for code, rule in available_rules().items():
        probe = Finding("", 0, 0, code, "", rule.name)
        if any(matches(s, probe) for s in select) and not any(matches(s, probe) for s in ignore):
            chosen.append(rule)
    return tuple(chosen)


class LintContext:
    """What rules look at: the bytes, the article (read leniently), its parts, positions."""

    def __init__(self, path: str, data: bytes, article: Article | None, decode_error: ArticleError | None, config: Config):
        self.path = path
        self.data = data
        self.article = article
        self.decode_error = decode_error
        self.config = config
        self._locators: dict[int, PartLocator] = {}

    @cached_property
    def doc(self) -> Document | None:
        return Document.from_article(self.article) if self.article is not None else None

    def finding(self, rule: type[Rule], line: int, column: int, message: str) -> Finding:
        return Finding(self.path, line, column, rule.code, message, rule.name, rule.fix_safety())

    def locator(self, part: HtmlPart | MarkdownPart) -> PartLocator:
        key = id(part)
        if key not in self._locators:
            self._locators[key] = PartLocator(part, self.article.body_line)
        return self._locators[key]

    def html_nodes(self) -> list[tuple[HtmlPart, Any]]:
        """Every element and comment of every HTML part, in document order."""
        return self._html_nodes

    @cached_property
    def _html_nodes(self) -> list[tuple[HtmlPart, Any]]:
        # walked once and shared: a dozen rules look at every node of every file
        if self.doc is None:
            return []
        nodes = []
        for part in self.doc.html_parts():
            root = part.tree()
            nodes.extend((part, node) for node in root.iterdescendants())
        return nodes

    def markdown_tags(self) -> list:
        """Every raw tag standing in Markdown text, with its file position."""
        return self._markdown_tags

    @cached_property
    def _markdown_tags(self) -> list:
        if self.doc is None:
            return []
        return [found for part in self.doc.markdown_parts() for found in self.markdown_tags_of(part)]

    def markdown_tags_of(self, part: MarkdownPart):
        from artconv.html.inline import iter_tags

        locator = self.locator(part)
        for tag, offset in iter_tags(part.text):
            yield tag, locator.position(offset)

    @cached_property
    def yaml_root(self):
        """The composed YAML node tree of the front matter (None when absent or broken)."""
        if self.article is None or not self.article.has_front_matter:
            return None
        if self.article.yaml_node is not None or self.article.yaml_error is None:
            return self.article.yaml_node  # composed once, by the reader
        from artconv.frontmatter.yaml_nodes import compose

        return compose(self.article.yaml_text)

    def yaml_position(self, mark) -> tuple[int, int]:
        return self.article.yaml_line + mark.line, mark.column + 1

    @cached_property
    def closing_line(self) -> int:
        return self.article.body_line - 1 if self.article and self.article.has_front_matter else 1


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
    selection = selection or Selection(config.lint.select, config.lint.ignore)
    rules = selection.rules(_per_file_ignores(path, config))
    result = LintResult(path, _check(data, path, rules, config), original=data)
    if not fix:
        return result
    current = data
    for _ in range(MAX_FIX_ROUNDS):
        fixable = [f for f in result.findings if f.fix == "safe" or (unsafe_fixes and f.fix == "unsafe")]
        if not fixable:
            break
        fixed = apply_fixes(current, path, {f.code for f in fixable}, config)
        if fixed is None or fixed == current:
            break
        current = fixed
        result.findings = _check(current, path, rules, config)
    if current != data:
        result.fixed = current
    return result


def _check(data: bytes, path: str, rules: list[type[Rule]], config: Config) -> list[Finding]:
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
        suppressions = Suppressions.parse(article.body)
        if suppressions.whole_file or suppressions.lines or suppressions.blocks:
            shift = article.body_line - 1
            findings = [f for f in findings if not suppressions.covers(_shifted(f, -shift))]
    return sorted(set(findings))


def _shifted(finding: Finding, lines: int) -> Finding:
    return Finding(finding.path, finding.line + lines, finding.column, finding.code, finding.message, finding.name, finding.fix)


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


def glob_match(relative: str, pattern: str) -> bool:
    """Glob with `**` spanning folders, as in ruff and .gitignore."""
    if fnmatch.fnmatchcase(relative, pattern):
        return True
    if pattern.endswith("/**"):
        return relative.startswith(pattern[:-3] + "/")
    return "**/" in pattern and fnmatch.fnmatchcase(relative, pattern.replace("**/", ""))


def apply_fixes(data: bytes, path: str, codes: set[str], config: Config) -> bytes | None:
    """Run the transformers that fix `codes` and write the article back in its own form."""
    from artconv.core.pipeline import build_options
    from artconv.core.registry import load
    from artconv.writers.source import prepare, write_source

    try:
        article = read_article(data, path)
    except ArticleError:
        return None  # broken front matter: nothing is rewritten around it
    merged: dict[str, dict[str, Any]] = {}
    order: list[str] = []
    rules = available_rules()
    for code in sorted(codes):
        rule_fix = rules[code].fix
        if rule_fix is None or rule_fix.transformer is None:
            continue
        options = merged.setdefault(rule_fix.transformer, {})
        if rule_fix.transformer not in order:
            order.append(rule_fix.transformer)
        for key, value in rule_fix.options.items():
            options[key] = (options.get(key) or value) if isinstance(value, bool) else value
    doc = Document.from_article(article)
    before = prepare(doc)
    for name in _pipeline_order(order, config):
        cls = load(name)
        values = dict(_all_off(cls))
        values.update(config.transformer_options.get(name, {}))
        values.update(merged[name])
        if name == "boilerplate" and config.profiles:
            values.setdefault("extra_profiles", config.profiles)
        doc = cls(build_options(cls, values))(doc)
    return write_source(doc, before).encode("utf-8")


def _all_off(transformer: type) -> dict[str, Any]:
    """Every job switch of a transformer turned off, so that a fix does only what it is asked."""
    return {job: False for job in getattr(transformer, "jobs", ())}


def _pipeline_order(names: list[str], config: Config) -> list[str]:
    reference = list(config.pipelines.get("md", ()))
    return sorted(names, key=lambda n: reference.index(n) if n in reference else len(reference))
