"""The Markdown writer, judged by a CommonMark parser (markdown-it-py) rather than by eye."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html
from markdown_it import MarkdownIt

from artconv import convert_text
from artconv.guard import rendered_text

COMMONMARK = MarkdownIt("commonmark", {"html": True})


def _body(html_body: str) -> str:
    return convert_text("---\ntitle: t\n---\n" + html_body).split("---\n", 2)[2]


def _inline_types(markdown: str) -> list[str]:
    return [child.type for token in COMMONMARK.parse(markdown) if token.children for child in token.children]


@pytest.mark.parametrize(
    "html_body, strong, em",
    [
        ("<p>中文<strong>“粗”</strong>体</p>", 1, 0),
        ("<p>看<b>（括号）</b>里</p>", 1, 0),
        ("<p>前文。<font cms-style='font-L strong-Bold'>一是</font>要落实</p>", 1, 0),
        ("<p>词<em>「引用」</em>后</p>", 0, 1),
        ("<p>English <strong>bold</strong> and <i>italic</i>.</p>", 1, 1),
        ("<p>x<strong>“”</strong>y</p>", 0, 0),  # nothing but punctuation: text kept, no markers
    ],
)
def test_emphasis_renders_next_to_cjk_punctuation(html_body, strong, em):
    markdown = _body(html_body)
    types = _inline_types(markdown)
    assert types.count("strong_open") == strong, markdown
    assert types.count("em_open") == em, markdown
    expected_text = "".join(lxml_html.fromstring(html_body).itertext())
    assert rendered_text(markdown).strip() == expected_text


@pytest.mark.parametrize(
    "text",
    [
        "Literal *stars* and _underscores_ and a_b",
        "[not a link](nowhere) and ![not an image](x)",
        "<div> and &amp;copy; as text",
        "`ticks` and ~~tildes~~",
        "# not a heading",
        "1. not a list",
        "2) not a list either",
        "- not a bullet",
        "+ nor this",
        "> not a quote",
        "a | b | c",
        "back\\slash",
    ],
)
def test_text_that_looks_like_markdown_stays_text(text):
    escaped = lxml_html.escape(text) if hasattr(lxml_html, "escape") else text.replace("&", "&amp;").replace("<", "&lt;")
    markdown = _body(f"<p>{escaped}</p>")
    tokens = COMMONMARK.parse(markdown)
    assert [t.type for t in tokens] == ["paragraph_open", "inline", "paragraph_close"], markdown
    assert rendered_text(markdown).strip() == text


def test_code_keeps_its_text_and_fence_outlasts_backticks():
    markdown = _body('<pre class="brush: r">x &lt;- "```"\ny &lt;- 2</pre>')
    tokens = COMMONMARK.parse(markdown)
    fence = [t for t in tokens if t.type == "fence"][0]
    assert fence.info == "r"
    assert fence.content == 'x <- "```"\ny <- 2\n'


def test_br_inside_pre_is_a_newline():
    markdown = _body("<pre>a &lt;- 1<br />b &lt;- 2</pre>")
    fence = [t for t in COMMONMARK.parse(markdown) if t.type == "fence"][0]
    assert fence.content == "a <- 1\nb <- 2\n"


def test_tables_become_pipe_tables():
    markdown = _body("<table><tr><th>A</th><th>B</th></tr><tr><td>1 | 2</td><td>3</td></tr></table>")
    gfm = MarkdownIt("commonmark").enable("table")
    types = [t.type for t in gfm.parse(markdown)]
    assert "table_open" in types and types.count("td_open") == 2


def test_links_and_images_are_kept():
    markdown = _body('<p><a href="https://e.org/a b">x</a> <img src="https://e.org/i.png" alt="pic" title="T"></p>')
    inline = [c for t in COMMONMARK.parse(markdown) if t.children for c in t.children]
    link = [c for c in inline if c.type == "link_open"][0]
    image = [c for c in inline if c.type == "image"][0]
    assert link.attrs["href"] == "https://e.org/a%20b"
    assert image.attrs["src"] == "https://e.org/i.png" and image.content == "pic" and image.attrs["title"] == "T"


def test_markdown_body_with_html_blocks_keeps_its_markdown_verbatim():
    markdown_text = "Intro with *emphasis* and a_b.\n\n- item one\n- item two\n"
    body = markdown_text + '\n<p style="color:red">Pasted <b>HTML</b></p>\n\nOutro `code`.\n'
    out = _body(body)
    assert out.startswith(markdown_text)
    assert out.endswith("\nOutro `code`.\n")
    assert "Pasted **HTML**" in out


def test_whole_html_body_becomes_markdown_with_blank_line_separation():
    out = _body("<h2>Title</h2><p>One</p><ul><li>a</li><li>b</li></ul>")
    assert out == "## Title\n\nOne\n\n- a\n- b\n"


@pytest.mark.parametrize(
    "html_body, expected",
    [
        ("<p>a<br>b</p>", "a\\\nb\n"),
        ("<p>a<br><br><br>b</p>", "a\n\nb\n"),
        ("<p><br>a<br></p>", "a\n"),
        ("<p><br></p><p>x</p>", "x\n"),
        ("<p><strong>t<br></strong>next</p>", "**t**\\\nnext\n"),
        ("<h2><strong>Title</strong> rest</h2>", "## Title rest\n"),
    ],
)
def test_line_breaks_and_redundant_bold(html_body, expected):
    assert _body(html_body) == expected
