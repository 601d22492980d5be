"""Shared helpers for body rules: element tags and positions, across HTML and Markdown parts."""

from __future__ import annotations

from lxml import etree


def tag_name(node) -> str:
    return node.tag.lower() if isinstance(node.tag, str) else ""


def is_comment(node) -> bool:
    return node.tag is etree.Comment


def element_findings(context, rule, predicate, message):
    """Findings at each HTML element (and Markdown tag) for which `predicate(name, attributes)`."""
    for part, node in context.html_nodes():
        name = tag_name(node)
        if name and predicate(name, node.attrib):
            line, column = context.locator(part).element_position(node)
            yield context.finding(rule, line, column, message(name))
    for tag, (line, column) in context.markdown_tags():
        if tag.comment is None and not tag.closing and predicate(tag.name.lower(), tag.attributes or {}):
            yield context.finding(rule, line, column, message(tag.name.lower()))
