"""The two seed files: what the hand-checked expected Markdown must (and must not) contain."""

from __future__ import annotations

import re

import pytest
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from artconv import convert_file, read_article
from conftest import SEEDS

SEED_FILES = sorted(SEEDS.glob("*"))
MARKERS = ["<style", "style=", "<font", "<!--", "cms-style", "appendQr", "海量资讯", "referrerpolicy", "<div", "责任编辑"]


def _paragraph_texts(body_html: str) -> list[str]:
    root = lxml_html.fragment_fromstring(body_html, create_parent="div")
    texts = []
    for paragraph in root.iter("p"):
        if "article-editor" in (paragraph.get("class") or ""):
            continue
        text = "".join(paragraph.itertext()).strip("\u3000 ")
        if text and not text.startswith("来源："):
            texts.append(text)
    return texts


def test_there_are_two_seeds():
    assert len(SEED_FILES) == 2


@pytest.mark.parametrize("seed", SEED_FILES, ids=lambda p: p.name)
def test_seed_is_cleaned_and_nothing_is_lost(seed):
    result = convert_file(seed)
    assert result.ok, result.error.message
    output = result.output
    for marker in MARKERS:
        assert marker not in output, marker

    original = read_article(seed.read_bytes())
    converted = read_article(output.encode("utf-8"))
    # front matter: the original text, byte for byte, plus the two lifted keys
    assert converted.head.startswith(original.head)
    added = converted.head[len(original.head):]
    editor = re.search(r"责任编辑：(\S+)", original.body).group(1)
    source = re.search(r"来源：([^<]+)</p>", original.body).group(1)
    assert added == f"editor: {editor}\nsource: {source}\n"
    assert converted.metadata["editor"] == editor and converted.metadata["source"] == source

    # every paragraph of the article is there, without its U+3000 indent
    for text in _paragraph_texts(original.body):
        assert text.replace("\u3000", "") in converted.body.replace("**", "")

    # <font cms-style="… strong-Bold"> is still bold once a CommonMark parser reads it
    bold_in_input = original.body.count("strong-Bold")
    tokens = MarkdownIt("commonmark").parse(converted.body)
    strong = [t for block in tokens if block.children for t in block.children if t.type == "strong_open"]
    assert len(strong) == bold_in_input
