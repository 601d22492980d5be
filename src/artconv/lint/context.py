"""LintContext: what rules look at — the bytes, the article (read leniently), its parts and the
positions of what is in them — computed once per file and shared by every rule."""

from __future__ import annotations

from functools import cached_property
from typing import Any

from artconv.core.article import Article, ArticleError
from artconv.core.body import HtmlPart, MarkdownPart
from artconv.core.config import Config
from artconv.core.document import Document
from artconv.frontmatter.toml_json import json_nodes, toml_nodes
from artconv.core.generator import generator_for
from artconv.frontmatter.yaml_nodes import compose
from artconv.html.inline import iter_tags
from artconv.lint.findings import Finding
from artconv.lint.positions import PartLocator


def lint_document(article: Article, config: Config) -> Document:
    """The Document lint reads and fixes: the article with the generator's islands kept out."""
    generator = generator_for(article.path, config.generator)
    return Document.from_article(article, islands=generator if generator != "none" else None)


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
        # template islands (Liquid, Nunjucks, shortcodes) are the generator's, left verbatim by
        # conversion: rules do not see into them either, and positions are the file's own
        return lint_document(self.article, self.config) if self.article is not None else None

    def finding(self, rule, line: int, column: int, message: str) -> Finding:
        # the one place where a finding's severity is decided: the rule's own, unless
        # [lint.severity] says otherwise (yamllint's engine, not its rules, sets the level)
        severity = self.config.lint.severity_of(rule.code, rule.name, getattr(rule, "severity", "warning"))
        return Finding(self.path, line, column, rule.code, message, rule.name, rule.fix_safety(), severity)

    def locator(self, part: HtmlPart | MarkdownPart) -> PartLocator:
        key = id(part)
        if key not in self._locators:
            self._locators[key] = PartLocator(part, self.article.body_line, self.doc)
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
        locator = self.locator(part)
        for tag, offset in iter_tags(part.text, self.doc.blocks if self.doc is not None else None):
            yield tag, locator.position(offset)

    @cached_property
    def yaml_root(self):
        """The front matter's node tree with positions (None when absent or broken): composed YAML,
        or the same kind of nodes built for TOML and JSON (frontmatter/toml_json.py)."""
        if self.article is None or not self.article.has_front_matter:
            return None
        if self.article.form != "yaml":
            if self.article.yaml_error is not None:
                return None
            if self.article.form == "json":
                return json_nodes(self.article.front_text)
            return toml_nodes(self.article.front_text, self.article.metadata)
        if self.article.yaml_node is not None or self.article.yaml_error is None:
            return self.article.yaml_node  # composed once, by the reader
        return compose(self.article.yaml_text)

    @property
    def is_yaml(self) -> bool:
        """True for YAML front matter: the rules about YAML's own traps skip TOML and JSON."""
        return self.article is not None and self.article.form == "yaml"

    def yaml_position(self, mark) -> tuple[int, int]:
        return self.article.yaml_line + mark.line, mark.column + 1

    @cached_property
    def closing_line(self) -> int:
        return self.article.body_line - 1 if self.article and self.article.has_front_matter else 1
