"""Site generators: front matter YAML cannot construct, template islands, generator detection, .html articles and whole HTML documents."""

from __future__ import annotations

import json


def test_front_matter_yaml_cannot_construct_converts_and_lint_reports_it(artconv, tmp_path):
    text = "---\ntitle: t\ndate_gmt: 0000-00-00 00:00:00\n---\n<p>Words.</p>\n"
    post = tmp_path / "x.md"
    post.write_text(text)
    converted = artconv("convert", "--to", "md", str(post))
    assert converted.returncode == 0, converted.stderr
    assert converted.stdout.decode() == "---\ntitle: t\ndate_gmt: 0000-00-00 00:00:00\n---\nWords.\n"
    as_json = artconv("convert", "--to", "json", str(post))
    assert as_json.returncode == 0, as_json.stderr
    assert json.loads(as_json.stdout)["front_matter"]["date_gmt"] == "0000-00-00 00:00:00"
    linted = artconv("lint", "--no-cache", str(post), cwd=tmp_path)
    assert linted.returncode == 1
    codes = [line.split()[1] for line in linted.stdout.decode().splitlines()]
    assert codes == ["FM006"]
    assert linted.stdout.decode().startswith(f"{post}:3:11: FM006 ")


# --- which generator builds a file ---------------------------------------------------------------

import pytest  # noqa: E402

from artconv.convert import convert_text  # noqa: E402
from artconv.core.config import ConfigError, parse_config  # noqa: E402
from artconv.core.generator import generator_for  # noqa: E402


def _site(root, markers):
    for name, text in markers.items():
        target = root / name
        if name.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text)
    (root / ".git").mkdir(exist_ok=True)  # the walk stops at the repository root
    return root


@pytest.mark.parametrize(
    ("markers", "post", "expected"),
    [
        ({"_config.yml": "", "package.json": '{"dependencies": {"hexo": "^7"}}', "source/_posts/": ""}, "source/_posts/a.md", "hexo"),
        ({"_config.yml": "", "package.json": '{"dependencies": {"react": "1"}}', "_posts/": ""}, "_posts/a.md", "jekyll"),
        ({"Gemfile": 'gem "github-pages"', "docs/": ""}, "docs/a.md", "jekyll"),
        ({"_posts/": ""}, "_posts/2020/a.md", "jekyll"),
        ({"hugo.toml": "", "content/post/": ""}, "content/post/a.md", "hugo"),
        ({"config.toml": "", "content/post/": ""}, "content/post/a.md", "hugo"),
        ({"config.toml": "", "notes/": ""}, "notes/a.md", "unknown"),
        ({"Gemfile": 'gem "rails"', "notes/": ""}, "notes/a.md", "unknown"),
    ],
)
def test_auto_reads_the_repositorys_own_markers(tmp_path, markers, post, expected):
    root = _site(tmp_path / "site", markers)
    assert generator_for(root / post) == expected


def test_markers_above_the_repository_root_do_not_count(tmp_path):
    (tmp_path / "_config.yml").write_text("")
    root = _site(tmp_path / "repo", {"posts/": ""})
    assert generator_for(root / "posts" / "a.md") == "unknown"
    assert generator_for(root / "posts" / "a.md", "hugo") == "hugo"


def test_generator_is_validated_strictly(artconv, tmp_path):
    with pytest.raises(ConfigError, match=r"'generator' must be one of: auto, hexo, jekyll, hugo, none"):
        parse_config({"generator": "gatsby"})
    (tmp_path / ".artconv.toml").write_text('generator = "Hexo"\n')
    (tmp_path / "a.md").write_text("x\n")
    result = artconv("convert", "--to", "md", str(tmp_path / "a.md"))
    assert result.returncode == 2
    assert "'generator' in" in result.stderr.decode() and "must be one of" in result.stderr.decode()


HTML_BRACES = "---\ntitle: t\n---\n<p>&#123;&#123; x &#125;&#125; and {% tag %} and X{n}</p>\n"


@pytest.mark.parametrize("generator", ["auto", "hugo", "none"])
def test_only_hexo_gets_brace_entities(generator):
    out = convert_text(HTML_BRACES, config=parse_config({"generator": generator}))
    assert out.endswith("\n{{ x }} and {% tag %} and X{n}\n")


def test_jekyll_gets_liquid_it_would_evaluate_wrapped_in_raw_in_markdown_only():
    jekyll = parse_config({"generator": "jekyll"})
    out = convert_text(HTML_BRACES, config=jekyll)
    assert out.endswith("\n{% raw %}{{ x }}{% endraw %} and {% tag %} and X{n}\n")
    assert convert_text(out, config=jekyll) == out
    assert json.loads(convert_text(HTML_BRACES, "json", config=jekyll))["body"]["text"] == "{{ x }} and {% tag %} and X{n}"


def test_hexo_escapes_what_nunjucks_reads_and_keeps_its_own_tags():
    out = convert_text(HTML_BRACES, config=parse_config({"generator": "hexo"}))
    assert out.endswith("&#123;&#123; x &#125;&#125; and {% tag %} and X{n}\n")


def test_islands_survive_every_output_format():
    text = '---\ntitle: t\n---\n<p>See {{< ref "a.md" >}} and <a href="{{ site.url }}/x?utm_source=s">it</a>.</p>\n'
    hugo = parse_config({"generator": "hugo"})  # Hugo reads shortcodes in content, and no `{{ … }}`
    # `{{ site.url }}` is text to Hugo, percent-encoded in a destination; its braces too, since
    # `{{%20` would open a shortcode
    assert convert_text(text, config=hugo).endswith('See {{< ref "a.md" >}} and [it](%7B%7B%20site.url%20}}/x).\n')
    jekyll = parse_config({"generator": "jekyll"})  # Liquid: `{{< ref` is no tag, `{{ site.url }}` is
    assert convert_text(text, config=jekyll).endswith('See {{< ref "a.md" >}} and [it]({{ site.url }}/x).\n')
    as_json = json.loads(convert_text(text, "json", config=hugo))
    assert as_json["body"]["text"] == 'See {{< ref "a.md" >}} and it.'
    xhtml = convert_text(text, "xhtml", config=jekyll)
    assert '<p>See {{&lt; ref "a.md" &gt;}} and ' in xhtml and "{{ site.url }}/x" in xhtml


@pytest.mark.parametrize("to", ["md", "json", "xhtml"])
def test_an_authors_comment_around_template_syntax_is_written_back_whole(to):
    # `<!-- {% include toc.html %} -->` turns an include off in Jekyll: the comment holds the
    # island's one-character stand-in, which was left in the output in place of the include
    text = "---\ntitle: t\n---\n\nIntro <font>x</font>\n\n<!-- {% include toc.html %} {{ page.x }} -->\n\nEnd.\n"
    jekyll = parse_config({"generator": "jekyll"})
    out = convert_text(text, to, config=jekyll)
    assert not any(0xF0000 <= ord(char) for char in out)
    if to == "md":
        assert out == "---\ntitle: t\n---\n\nIntro x\n\n<!-- {% include toc.html %} {{ page.x }} -->\n\nEnd.\n"
        assert convert_text(out, config=jekyll) == out


def test_private_use_characters_of_the_article_are_never_taken_for_stand_ins():
    # planes 15 and 16 hold the stand-ins of template islands; an icon font's glyph (U+F0001…)
    # pasted into an article was replaced by an island's text or a {% raw %} marker
    text = "---\ntitle: t\n---\n\nIcons \U000f0000 \U000f0001 {{ site.x }} \U000f0002 <b>b</b>\n"
    out = convert_text(text, config=parse_config({"generator": "jekyll"}))
    assert out == "---\ntitle: t\n---\n\nIcons \U000f0000 \U000f0001 {{ site.x }} \U000f0002 **b**\n"


@pytest.mark.parametrize("generator", ["none", "jekyll", "hugo", "hexo"])
def test_percent_encoded_private_use_characters_in_urls_stay_as_written(generator):
    # an HTML serialiser percent-encodes a stand-in in `href`, so encoded stand-ins are written
    # out; a URL's own `%F3%B0%80%80` was decoded too: into the raw character, or (when it
    # matched a stand-in) into `<!--more-->` with no generator and a refusal with one
    text = (
        "---\ntitle: t\n---\n\n<p>See <a href=\"https://example.org/icon-%F3%B0%80%81.png\">the icon</a>"
        " and <a href=\"https://example.org/%f3%b0%80%80\">this</a> <!--more--> {{ x }}.</p>\n"
    )
    out = convert_text(text, config=parse_config({"generator": generator}))
    assert "[the icon](https://example.org/icon-%F3%B0%80%81.png) and [this](https://example.org/%f3%b0%80%80)" in out
    island = convert_text(
        '---\ntitle: t\n---\n\n<p><a href="{{ site.url }}/a%F3%B0%80%80">x</a> <b>b</b></p>\n',
        config=parse_config({"generator": generator}),
    )
    # Jekyll fills the island in before Markdown; Hexo puts it aside, so its link stays HTML;
    # elsewhere it is text, its spaces encoded (and braces: `{{%20` opens a Hugo shortcode)
    expected = {
        "jekyll": "[x]({{ site.url }}/a%F3%B0%80%80) **b**",
        "hexo": '<a href="{{ site.url }}/a%F3%B0%80%80">x</a> **b**',
    }.get(generator, "[x](%7B%7B%20site.url%20}}/a%F3%B0%80%80) **b**")
    assert expected in island

def test_generator_none_reads_template_syntax_as_text():
    text = '---\ntitle: t\n---\n<p>{{< figure caption="A <b>cap</b>" >}}</p>\n'
    assert convert_text(text, config=parse_config({"generator": "none"})).endswith('{{< figure caption="A **cap**" >}}\n')
    assert convert_text(text, config=parse_config({"generator": "hugo"})).endswith('{{< figure caption="A <b>cap</b>" >}}\n')


def test_transformers_says_which_generator_applies(artconv, tmp_path):
    root = _site(tmp_path / "blog", {"_config.yml": "", "package.json": '{"dependencies": {"hexo": "7"}}', "source/_posts/": ""})
    hexo = artconv("transformers", str(root / "source" / "_posts")).stdout.decode()
    assert "Site generator: hexo (auto: found by the repository's markers)" in hexo
    assert "Pipeline for --to md: boilerplate -> tracking -> code-blocks -> style -> whitespace -> hexo-escapes\n" in hexo
    jekyll = _site(tmp_path / "site", {"_posts/": ""})
    listing = artconv("transformers", str(jekyll / "_posts")).stdout.decode()
    assert "Site generator: jekyll" in listing
    assert "Pipeline for --to md: boilerplate -> tracking -> code-blocks -> style -> whitespace -> liquid-escapes\n" in listing
    assert "Pipeline for --to json: boilerplate -> tracking -> code-blocks -> style -> whitespace\n" in listing


# --- .html articles and whole HTML documents ---------------------------------------------------


def test_an_html_article_is_read_as_html_by_convert_and_by_the_guard(artconv, tmp_path):
    post = tmp_path / "post.html"
    post.write_text("---\ntitle: t\n---\n<pre><code>a = 1\n\n\nb = 2\n</code></pre>\n<p>    four spaces</p>\n")
    result = artconv("convert", "--to", "md", str(post))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "---\ntitle: t\n---\n```\na = 1\n\n\nb = 2\n```\n\nfour spaces\n"


def test_a_whole_document_never_writes_its_head_into_the_markdown(artconv, tmp_path):
    post = tmp_path / "report.md"
    post.write_text(
        "<!DOCTYPE html><html><head><title>Report</title><script>jQuery.fn.x = 1;</script>"
        "<style>p { color: red }</style></head><body><p>Body text.</p></body></html>"
    )
    result = artconv("convert", "--to", "md", str(post))
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == "---\ntitle: Report\n---\n\nBody text.\n"


# --- lint and positions see the file as written, islands included ----------------------------------

JEKYLL_POST = (
    "---\ntitle: t\n---\nIntro.\n\n"
    "{% raw %}\n<p style=\"color:red\">{{ site.title }}</p>\n\nmore\n{% endraw %}\n\n"  # lines 6-10
    "<p style=\"color:blue\">after</p>\n\n"  # line 12
    "Text <span style=\"x\">{{ a }}</span> and {% highlight html %}\n<b style=\"y\">in code</b>\n"  # 14-15
    "{% endhighlight %} then <font color=\"red\">red</font>.\n"  # line 16
)


@pytest.fixture
def jekyll_site(tmp_path):
    (tmp_path / "_config.yml").write_text("title: A Jekyll site\n")
    post = tmp_path / "post.md"
    post.write_text(JEKYLL_POST)
    return post


def test_lint_reports_nothing_inside_islands_at_the_file_s_own_lines(artconv, jekyll_site):
    # the `style=` in `{% raw %}` and in `{% highlight %}` is the generator's, as convert leaves it;
    # the five-line raw block before them does not shift the lines and columns of what follows
    linted = artconv("lint", "--no-cache", jekyll_site.name, cwd=jekyll_site.parent)
    assert linted.returncode == 1
    assert linted.stdout.decode().splitlines() == [
        "post.md:12:4: HT101 [*] inline style attribute on <p>",
        "post.md:14:6: HT101 [*] inline style attribute on <span>",
        "post.md:16:25: HT103 [*] presentational <font> tag",
    ]


def test_lint_fix_leaves_islands_byte_for_byte(artconv, jekyll_site):
    fixed = artconv("lint", "--no-cache", "--fix", jekyll_site.name, cwd=jekyll_site.parent)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
    text = jekyll_site.read_text()
    assert '{% raw %}\n<p style="color:red">{{ site.title }}</p>\n\nmore\n{% endraw %}' in text
    assert '{% highlight html %}\n<b style="y">in code</b>\n{% endhighlight %}' in text
    assert '<p>after</p>' in text and "Text {{ a }} and" in text and " then red." in text


def test_a_per_file_error_after_a_multi_line_island_names_the_file_s_line(artconv, tmp_path):
    (tmp_path / "_config.yml").write_text("title: A Jekyll site\n")
    post = tmp_path / "deep.md"
    island = "{% raw %}\n" + "{{ x }}\n" * 20 + "{% endraw %}\n"  # lines 4-25 of the file
    post.write_text("---\ntitle: t\n---\n" + island + "\n<div>" + "<div>" * 3000 + "x" + "</div>" * 3001 + "\n")
    converted = artconv("convert", "--to", "md", post.name, cwd=tmp_path)
    assert converted.returncode == 1
    assert converted.stderr.decode().strip() == "error: deep.md:27: HTML is nested too deeply to convert"


@pytest.mark.parametrize("generator", ["none", "jekyll", "hugo", "hexo"])
def test_encoding_a_url_never_opens_a_template_tag(generator):
    # a space percent-encoded after `{` made `{%20` (a Liquid or Nunjucks tag: Jekyll and Hexo
    # stopped with a syntax error) or `{{%20` (a Hugo shortcode: the build failed)
    text = '---\ntitle: t\n---\n\n<p><a href="/a{ b}">x</a> and <img src="/i{{ c }}.png" alt="i"> <b>b</b></p>\n'
    out = convert_text(text, config=parse_config({"generator": generator}))
    assert "{%" not in out.replace("{% raw %}", "").replace("{% endraw %}", "")
    assert "[x](/a%7B%20b})" in out
    assert "{{%" not in out and "{{<" not in out
