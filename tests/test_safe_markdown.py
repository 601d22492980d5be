"""Safe Markdown: raw HTML in `--to md` output passes the XHTML allow-list plus configured embeds,
bad link schemes lose their URL, code stays as written, and Markdown without raw HTML is
unchanged byte for byte.

The XSS vectors themselves are checked in every format by tests/test_safe_output.py; here, the
embed allow-list, Markdown link syntax, code, configuration and a corpus sample, through the
installed command, and the tokenizer's browser cases through the function itself.
"""

from __future__ import annotations

import random
import re
import shutil

import pytest

from conftest import CORPUS, run_artconv
from test_safe_output import html_problems

FRONT = "---\ntitle: t\n---\n"
ARTICLES = {
    # raw tags standing in Markdown text: HTML blocks are converted to Markdown before this step
    "embeds": (
        'A player <iframe src="https://www.youtube.com/embed/abc" width="560" allowfullscreen></iframe> and '
        '<iframe src="https://evil.example/embed/abc"></iframe> and <iframe src="http://www.youtube.com/embed/abc"></iframe>'
        ' and <iframe src="https://player.bilibili.com/player.html?bvid=1"></iframe>.\n\n'
        "Text <video controls><source src=x.mp4></video> and "
        "<details open><summary>More</summary> hidden text</details>.\n"
    ),
    "links": (
        "A [js](javascript:alert(1)) and [mixed](JaVaScRiPt:alert(1)) and [entity](&#x6A;avascript:alert(1)).\n\n"
        "A [percent](%6Aavascript:alert(1)) and [vb](vbscript:msgbox(1)) and [data](data:text/html,x).\n\n"
        "An autolink <javascript:alert(1)> and a good one <https://example.org/a>.\n\n"
        "![pixel](data:image/png;base64,iVBORw0KGgo=) ![svg](data:image/svg+xml;base64,PHN2Zz4=)\n\n"
        "[ref link][r] and [good](https://example.org/b \"title\") and [escaped](javascript\\:alert(1)).\n\n"
        "[r]: vbscript:msgbox(1)\n"
    ),
    "code": (
        "Inline `<img src=x onerror=alert(1)>` and `` [x](javascript:alert(1)) `` stay.\n\n"
        "```html\n<script>alert(1)</script>\n<iframe src=\"https://evil.example/\"></iframe>\n```\n\n"
        "    <a href=\"javascript:alert(1)\">indented code</a>\n\n"
        "After the code, <a href=\"javascript:alert(1)\">a link</a> <iframe src=\"https://evil.example/\"></iframe>.\n"
    ),
    "plain": (
        "# A heading\n\nText with *emphasis*, a [link](https://example.org/x?a=1&b=2) and `code`.\n\n"
        "- a list\n- with `<b>` in code\n\n> a quote with a < b and c > d\n\nList<String> in prose, 0.01<P值<0.05.\n"
    ),
}


@pytest.fixture(scope="module")
def outputs(tmp_path_factory):
    """{(config name, article name): the Markdown written}, one CLI run per configuration."""
    root = tmp_path_factory.mktemp("safe-md")
    configs = {
        "default": None,
        "video-only": '[convert]\nembeds = ["video"]\n',
        "unsafe": "[convert]\nsafe-markdown = false\n",
    }
    found = {}
    for config, text in configs.items():
        folder = root / config / "in"
        folder.mkdir(parents=True)
        if text:
            (root / config / ".artconv.toml").write_text(text, encoding="utf-8")
        for name, body in ARTICLES.items():
            (folder / f"{name}.md").write_text(FRONT + body, encoding="utf-8")
        done = run_artconv("convert", "--to", "md", "-q", "--output", str(root / config / "out"), str(folder))
        assert done.returncode == 0, done.stderr.decode()
        for name in ARTICLES:
            found[(config, name)] = (root / config / "out" / f"{name}.md").read_text("utf-8")
    return found


def _render(markdown: str) -> str:
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).render(markdown.split("---\n", 2)[2])


def test_youtube_and_bilibili_players_are_kept_other_iframes_are_not(outputs):
    text = outputs[("default", "embeds")]
    assert '<iframe src="https://www.youtube.com/embed/abc" width="560" allowfullscreen></iframe>' in text
    assert '<iframe src="https://player.bilibili.com/player.html?bvid=1"></iframe>' in text
    assert "evil.example" not in text and "http://www.youtube.com" not in text
    assert "Text <video controls><source src=x.mp4></video> and" in text
    assert "<details open><summary>More</summary> hidden text</details>." in text


def test_embeds_follow_the_configuration(outputs):
    text = outputs[("video-only", "embeds")]
    assert "<iframe" not in text and "youtube" not in text
    assert "<video controls><source src=x.mp4></video>" in text
    assert "<details" not in text and "More hidden text." in text  # unwrapped: the text stays


def test_bad_link_schemes_are_no_links_any_more(outputs):
    # written as the text markdown-it shows for them already: its link check refuses them, and
    # an escaped `(` makes them text for every other renderer too
    text = outputs[("default", "links")]
    for link in ("[js](javascript:alert(1))", "[mixed](JaVaScRiPt:alert(1))", "[entity](&#x6A;avascript:alert(1))",
                 "[percent](%6Aavascript:alert(1))", "[vb](vbscript:msgbox(1))", "[data](data:text/html,x)",
                 "![svg](data:image/svg+xml;base64,PHN2Zz4=)", "[escaped](javascript\\:alert(1))"):
        assert link.replace("](", "]\\(") in text, link
    assert "&lt;javascript:alert(1)&gt;" in text and "<https://example.org/a>" in text
    assert "![pixel](data:image/png;base64,iVBORw0KGgo=)" in text  # an image in PNG stays
    assert "\\[r]: vbscript:msgbox(1)" in text and '[good](https://example.org/b "title")' in text
    rendered = _render(text)
    assert not re.search(r"(?i)(href|src)=\"(javascript|vbscript|data:text|data:image/svg|%6A)", rendered), rendered
    assert html_problems(rendered) == ["<img src='data:image/png;base64,iVBORw0KGgo='>"]


def test_code_spans_and_code_blocks_are_untouched(outputs):
    text = outputs[("default", "code")]
    source = ARTICLES["code"]
    for kept in source.split("\n\n")[:3]:
        assert kept in text
    assert "After the code, <a>a link</a> ." in text


def test_markdown_without_raw_html_is_byte_identical(outputs):
    assert outputs[("default", "plain")] == FRONT + ARTICLES["plain"]


def test_safe_markdown_can_be_turned_off(outputs):
    text = outputs[("unsafe", "links")]
    assert "[js](javascript:alert(1))" in text
    assert '<iframe src="https://evil.example/embed/abc"></iframe>' in outputs[("unsafe", "embeds")]


@pytest.mark.parametrize("config, message", [
    ('[convert]\nembeds = ["youtube", "flash"]\n', "unknown embed 'flash' in convert.embeds"),
    ("[convert]\nembed = []\n", "unknown key 'convert.embed'"),
    ('[convert]\nsafe-markdown = "no"\n', "'convert.safe-markdown'"),
    ('convert = "safe"\n', "'convert'"),
])
def test_configuration_mistakes_exit_2_with_one_line(tmp_path, artconv, config, message):
    (tmp_path / ".artconv.toml").write_text(config, encoding="utf-8")
    (tmp_path / "a.md").write_text(FRONT + "x\n", encoding="utf-8")
    done = artconv("convert", "--to", "md", str(tmp_path / "a.md"), cwd=tmp_path)
    stderr = done.stderr.decode()
    assert done.returncode == 2, stderr
    assert message in stderr and len(stderr.strip().splitlines()) == 1 and "Traceback" not in stderr


# --- the tokenizer, as a browser reads -------------------------------------------------------------

BROWSER_CASES = [
    ('<noembed><img title="</noembed><img src=x onerror=alert(1)>"></noembed>', "onerror"),
    ('<xmp><p title="</xmp><img src=x onerror=alert(1)>"></xmp>', "onerror"),
    ("<!-- a --!> <img src=x onerror=alert(1)> -->", "onerror"),
    ("<!--> <img src=x onerror=alert(1)> -->", "onerror"),
    ("<![CDATA[><img src=x onerror=alert(1)>]]>", "onerror"),
    ("<?x > <img src=x onerror=alert(1)> ?>", "onerror"),
    ("<a title=x=<img src=x onerror=alert(1)>>y</a>", "onerror"),
    ("> <img src=x\n> onerror=alert(1)>", "onerror"),
    ("<div>\n<img src=x\n</div>\n\n<p>onerror=alert(1)></p>", None),  # the handler ends up as text
    ("<img src=x onerror=alert(1)<style></style>>", "onerror"),  # taking <style> out must not make a tag
    ("<sc<st<style></style>yle></style>ript>alert(1)</script>", "<script"),
    ("[x](\n  javascript:alert(1)) and [y]: <vbscript:msgbox(1)>", None),
    ("> [x](\n> javascript:alert(1))", None),
    # a code span never reaches into the next block: here the backticks open none
    ("a ```\n> <img src=x onerror=alert(1)> ```", "onerror"),
    ("[r]: ```\n<b>x</b> <img src=x onerror=alert(1)> ```", "onerror"),
    ("- a ``\n- b <img src=x onerror=alert(1)> ``", "onerror"),
    ('<a href="java&#x09;script:alert(1)">x</a>', "script:"),
    ('<a href="&#1;javascript:alert(1)">x</a>', "javascript"),
    ('<iframe src="https://www.youtube.com.evil.example/embed/x"></iframe>', "iframe"),
    ('<iframe src="https://www.youtube.com/embed/x" srcdoc="<script>alert(1)</script>"></iframe>', "srcdoc"),
]


@pytest.mark.parametrize("markdown, gone", BROWSER_CASES)
def test_markup_is_read_as_a_browser_reads_it(markdown, gone):
    from artconv.writers.md_safe import policy_for, safe_markdown

    cleaned = safe_markdown(markdown + "\n", policy_for(("youtube",)))
    rendered = _render(FRONT + cleaned)
    assert safe_markdown(cleaned, policy_for(("youtube",))) == cleaned
    assert not re.search(r"(?i)href=\"(javascript|vbscript)", rendered), rendered
    if gone is not None:
        assert gone not in rendered.replace("&amp;", "&").replace("&lt;", "<").lower(), (cleaned, rendered)
    players = 'src="https://www.youtube.com/embed/x"' in rendered
    assert [p for p in html_problems(rendered) if not (players and p == "<iframe>")] == [], rendered


_PIECES = [
    "<", ">", '"', "'", "=", "/", "!", "-", "`", "\n", "\n\n", "> ", "    ", "```\n", "[a](", ")", "]: ",
    "<img", "<a", "<iframe", "<script>", "</script>", "<noembed>", "</noembed>", "<!--", "-->", "--!>",
    " src=x", " onerror=alert(1)", " href=javascript:alert(1)", " title=", "<svg", "<style>", "</style>",
    "javascript:alert(1)", "&#x6A;", "x", " ", "<![CDATA[", "]]>", "<?", "<xmp>", "<details", " open",
    "- ", "1. ", "# ", "\n===\n", '"><img src=x onerror=y>', "<title>", "</title>", "<plaintext>",
]


def test_random_markup_never_renders_anything_executable():
    from artconv.writers.md_safe import policy_for, safe_markdown

    chance = random.Random(13)
    policy = policy_for(("youtube", "video", "details"))
    for _ in range(400):
        markdown = "".join(chance.choice(_PIECES) for _ in range(chance.randint(1, 30))) + "\n"
        cleaned = safe_markdown(markdown, policy)
        assert safe_markdown(cleaned, policy) == cleaned, markdown  # a second pass has nothing to do
        problems = html_problems(_render(FRONT + cleaned))
        assert problems == [], (markdown, cleaned, problems)


# --- a corpus sample: only raw HTML changes --------------------------------------------------------


@pytest.mark.skipif(not CORPUS.is_dir(), reason="the shared corpus is not on this machine")
def test_a_corpus_sample_changes_only_where_raw_html_was(tmp_path):
    from markdown_it import MarkdownIt

    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".md", ".markdown", ".html"))
    sample = random.Random(7).sample(files, min(100, len(files)))
    for config in ("safe", "unsafe"):
        for index, path in enumerate(sample):
            target = tmp_path / config / "in" / f"{index:03d}{path.suffix}"
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(path, target)
    (tmp_path / "unsafe" / ".artconv.toml").write_text("[convert]\nsafe-markdown = false\n", encoding="utf-8")
    for config in ("safe", "unsafe"):
        done = run_artconv("convert", "--to", "md", "-q", "--output", str(tmp_path / config / "out"), str(tmp_path / config / "in"))
        assert done.returncode in (0, 1) and b"Traceback" not in done.stderr
    parser = MarkdownIt("commonmark", {"html": True})
    same = changed = 0
    for written in sorted((tmp_path / "unsafe" / "out").glob("*.md")):
        safe = tmp_path / "safe" / "out" / written.name
        if not safe.exists():
            continue
        before, after = written.read_text("utf-8"), safe.read_text("utf-8")
        if before == after:
            same += 1
            continue
        changed += 1
        assert "<" in before or "](" in before or "]:" in before, written.name
        code = [[(t.type, t.content) for t in parser.parse(text) if t.type in ("fence", "code_block")] for text in (before, after)]
        assert code[0] == code[1], written.name
    assert same >= 60 and same + changed >= 90, (same, changed)


def test_hugo_shortcodes_are_the_authors_and_an_open_player_is_closed():
    from artconv.writers.md_safe import policy_for, safe_markdown

    policy = policy_for(("youtube",))
    shortcode = 'A {{<figure src="x.png" onclick="f()">}} and {{% note %}}<b>x</b>{{% /note %}}\n'
    assert safe_markdown(shortcode, policy, hugo=True) == shortcode
    assert "onclick" not in safe_markdown(shortcode, policy, hugo=False)
    player = 'Watch <iframe src="https://www.youtube.com/embed/a">fallback <b>text</b> then the rest.\n'
    assert safe_markdown(player, policy) == 'Watch <iframe src="https://www.youtube.com/embed/a"></iframe>fallback <b>text</b> then the rest.\n'


@pytest.mark.parametrize("markdown, expected", [
    ("[x](\n  javascript:alert(1))\n", "[x]\\(\n  javascript:alert(1))\n"),  # a line break before the URL
    ("> [x](\n> javascript:alert(1))\n", "> [x]\\(\n> javascript:alert(1))\n"),  # in a blockquote
    ('[z](<java&#x09;script:x> "t")\n', '[z]\\(<java&#x09;script:x> "t")\n'),
    ("![ok](data:image/webp;base64,UklGRg==)\n", "![ok](data:image/webp;base64,UklGRg==)\n"),
    ("[not an image](data:image/png;base64,iVBO)\n", "[not an image]\\(data:image/png;base64,iVBO)\n"),
])
def test_links_every_renderer_would_follow_are_escaped(markdown, expected):
    from artconv.writers.md_safe import policy_for, safe_markdown

    assert safe_markdown(markdown, policy_for(())) == expected


@pytest.mark.parametrize("markdown, expected", [
    # a destination in angle brackets is a URL, read before raw HTML: its "attributes" stayed
    # behind as `[x](<a> "t")`, a link to another page, which no guard count could see
    ('Dest: [x](<a b c> "t"), nor [y](<span id=1>).\n', 'Dest: [x](<a b c> "t"), nor [y](<span id=1>).\n'),
    ("[r]: <span id=2>\n\n[a][r]\n", "[r]: <span id=2>\n\n[a][r]\n"),
    # with no link around it, the markup is raw HTML to every renderer: still cleaned
    ("x](<img src=x onerror=f()>)\n", 'x](<img src="x">)\n'),
    ("[x](<img src=x onerror=f()>\n", '[x](<img src="x">\n'),
    # the same spelling as raw HTML elsewhere in the paragraph: cleaned in both places
    ("a [x](<b onclick=1>) <b onclick=1>\n", "a [x](<b>) <b>\n"),
])
def test_angle_bracket_destinations_are_urls_not_tags(markdown, expected):
    from artconv.writers.md_safe import policy_for, safe_markdown

    assert safe_markdown(markdown, policy_for(())) == expected


def test_a_tag_at_the_start_of_a_quoted_line_keeps_the_quote_marker():
    from artconv.writers.md_safe import policy_for, safe_markdown

    assert safe_markdown("> text\n> <span id=a>s</span>\n", policy_for(())) == "> text\n> <span>s</span>\n"
    assert safe_markdown("> a <b\n> onclick=1>x</b>\n", policy_for(())) == "> a <b>x</b>\n"


CODE_IN_TEMPLATE_BLOCKS = [
    ("jekyll", "{%% highlight html %%}\n%s\n{%% endhighlight %%}\n"),
    ("jekyll", "{%% comment %%}\n%s\n{%% endcomment %%}\n"),
    ("hexo", "{%% codeblock lang:html %%}\n%s\n{%% endcodeblock %%}\n"),
    ("hugo", "{{< highlight html >}}\n%s\n{{< /highlight >}}\n"),
]


@pytest.mark.parametrize("generator, block", CODE_IN_TEMPLATE_BLOCKS, ids=[b.split()[1] for _, b in CODE_IN_TEMPLATE_BLOCKS])
def test_code_in_template_blocks_stays_as_written_and_the_rest_is_cleaned(generator, block):
    # the generator escapes (or drops) what these blocks hold: a <script> there is shown, not run
    from artconv.writers.md_safe import policy_for, safe_markdown
    from artconv.writers.md_safe_islands import clean_outside_code_islands

    code = '<script src="/twitter.js"></script>\n<link rel="stylesheet" href="/t.css" />'
    body = "Before <b onclick=\"f()\">bold</b>.\n\n" + block % code + "\nAfter <script>x()</script> the end.\n"
    cleaned = clean_outside_code_islands(body, lambda text: safe_markdown(text, policy_for(()), generator == "hugo"), generator)
    assert block % code in cleaned
    assert "onclick" not in cleaned and "x()" not in cleaned.split(block % code)[1]
    # with no generator detected nothing says the block is read as code: it is cleaned too
    unknown = clean_outside_code_islands(body, lambda text: safe_markdown(text, policy_for(()), False), "unknown")
    assert "/twitter.js" not in unknown


def test_raw_blocks_reach_the_browser_so_they_are_cleaned():
    from artconv.writers.md_safe import policy_for, safe_markdown
    from artconv.writers.md_safe_islands import clean_outside_code_islands

    body = "{% raw %}\n<p onclick=\"f()\">{{ x }}</p>\n{% endraw %}\n"
    cleaned = clean_outside_code_islands(body, lambda text: safe_markdown(text, policy_for(()), False), "jekyll")
    assert "onclick" not in cleaned and "{{ x }}" in cleaned
