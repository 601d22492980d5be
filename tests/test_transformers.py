"""Each built-in transformer alone, on a Document, without the rest of the pipeline."""

from __future__ import annotations

import pytest
from lxml import etree

from artconv.core.article import parse_article
from artconv.core.config import ConfigError, parse_config
from artconv.core.document import Document
from artconv.core.pipeline import OptionsError, build_options
from artconv.core.errors import PluginError as RegistryError
from artconv.core.pipeline import BUILTIN_TRANSFORMERS as BUILTINS
from artconv.core.pipeline import load_transformer as load
from artconv.transformers.boilerplate import Boilerplate, ProfileError, builtin_profiles
from artconv.transformers.hexo_escapes import HexoEscapes
from artconv.transformers.style import Style
from artconv.transformers.tracking import Tracking, clean_url
from artconv.transformers.whitespace import Whitespace, collapse_blank_lines


def doc_of(body: str, front_matter: str = "title: t\n") -> Document:
    return Document.from_article(parse_article(f"---\n{front_matter}---\n{body}"))


def html_of(doc: Document) -> str:
    return "".join(etree.tostring(p.tree(), encoding=str, method="html") for p in doc.html_parts())


def test_every_builtin_loads_and_describes_itself():
    for name in BUILTINS:
        cls = load(name)
        assert cls.id == name and cls.summary
        cls(build_options(cls, {}))


def test_unknown_transformer_lists_the_available_ones():
    with pytest.raises(RegistryError, match=r"unknown transformer 'nope' \(available: .*boilerplate"):
        load("nope")


def test_options_are_typed():
    with pytest.raises(OptionsError, match="expected true or false"):
        build_options(Tracking, {"keep-more": "yes"})
    assert build_options(Whitespace, {"ideographic-indent": "keep"}).ideographic_indent == "keep"


def test_style_keeps_bold_and_italic_and_drops_the_rest():
    doc = Style()(doc_of('<p class="MsoNormal" style="color:red"><span style="font-weight:bold">B</span>'
                         '<font face="x" cms-style="font-L strong-Bold">F</font><span style="font-style: italic">I</span></p>\n'))
    assert html_of(doc) == "<body><p><strong>B</strong><strong>F</strong><em>I</em></p>\n</body>"


def test_style_keeps_a_code_language():
    doc = Style()(doc_of('<pre class="brush: r; gutter: false">x</pre>\n'))
    assert 'class="language-r"' in html_of(doc)


def test_style_cleans_tags_inside_markdown_text():
    doc = Style()(doc_of('Text <span style="color:red">red</span> and <img class="wp-smiley" style="h" src="s.png">.\n'))
    assert doc.markdown_parts()[0].text == 'Text red and <img src="s.png">.\n'


def test_tracking_removes_and_declares():
    doc = Tracking()(doc_of('<p>a<!-- c --><script>var x</script><img src="p.gif" width="1" height="1"></p>\n<!--more-->\n'))
    assert html_of(doc) == "<body><p>a</p>\n<!--more-->\n</body>"
    assert {r.what for r in doc.removed} == {"<script>", "tracking pixel"}


def test_clean_url_keeps_everything_but_tracking():
    assert clean_url("https://e.org/p?id=7&utm_source=x&b=%20c#frag") == "https://e.org/p?id=7&b=%20c#frag"
    assert clean_url("https://e.org/?fbclid=1") == "https://e.org/"
    assert clean_url("https://pic1.zhimg.com/x.jpg?source=8673f162") == "https://pic1.zhimg.com/x.jpg"
    assert clean_url("https://e.org/?source=rss") == "https://e.org/?source=rss"


def test_boilerplate_lifts_and_removes_on_sina_pages():
    doc = doc_of('<div><p cms-style="font-L">正文。</p><p cms-style="font-L">　　来源：新华社</p>'
                 '<div class="appendQr_wrap">海量资讯、精准解读，尽在新浪财经APP</div>'
                 '<p class="article-editor">责任编辑：王翔 </p></div>\n')
    doc = Boilerplate()(doc)
    assert doc.metadata_updates == {"editor": "王翔", "source": "新华社"}
    assert html_of(doc) == '<body><div><p cms-style="font-L">正文。</p></div>\n</body>'
    assert any("海量资讯" in r.text for r in doc.removed)


def test_boilerplate_never_overwrites_a_front_matter_key():
    doc = Boilerplate()(doc_of('<p class="article-editor">责任编辑：王翔</p>\n', "title: t\neditor: 某人\n"))
    assert doc.metadata_updates == {}
    assert "责任编辑" in html_of(doc)


def test_boilerplate_ignores_pages_its_profiles_do_not_detect():
    doc = Boilerplate()(doc_of("<p>来源：某处</p>\n"))
    assert doc.metadata_updates == {} and "来源" in html_of(doc)


def test_builtin_profiles_and_profile_errors():
    assert "sina-finance" in builtin_profiles()
    with pytest.raises(ProfileError, match="unknown key 'remvoe'"):
        Boilerplate(build_options(Boilerplate, {"extra-profiles": {"x": {"remvoe": []}}}))
    with pytest.raises(ProfileError, match="unknown site profile 'nope'"):
        Boilerplate(build_options(Boilerplate, {"profiles": ["nope"]}))


def test_whitespace_indents_and_empty_paragraphs():
    doc = Whitespace()(doc_of("<p>　　缩进</p><p>&nbsp;</p><p>\u3000</p><p><img src='a.png'></p>\n"))
    assert html_of(doc) == '<body><p>缩进</p><p><img src="a.png"></p>\n</body>'
    keep = Whitespace(build_options(Whitespace, {"ideographic-indent": "keep"}))(doc_of("<p>　　缩进</p>\n"))
    assert keep.resolve_fragments(html_of(keep), markdown=True) == "<body><p>&#x3000;&#x3000;缩进</p>\n</body>"


def test_collapse_blank_lines_leaves_code_alone():
    assert collapse_blank_lines("a\n\n\n\nb\n") == "a\n\nb\n"
    fenced = "```\nx\n\n\n\ny\n```\n"
    assert collapse_blank_lines(fenced) == fenced


def test_hexo_escapes_marks_braces_outside_code_only():
    doc = HexoEscapes()(doc_of("<p>&#123;&#123; x &#125;&#125;</p><code>{a}</code>\n"))
    text = html_of(doc)
    assert doc.resolve_fragments(text, markdown=True) == "<body><p>&#123;&#123; x &#125;&#125;</p><code>{a}</code>\n</body>"
    assert doc.resolve_fragments(text, markdown=False) == "<body><p>{{ x }}</p><code>{a}</code>\n</body>"


def test_config_is_strict():
    with pytest.raises(ConfigError, match=r"unknown key 'pipeline' \(valid: convert, exclude, extend-exclude, extensions, generator, lint, pipelines, profiles, respect-gitignore, transformers\)"):
        parse_config({"pipeline": {}})
    with pytest.raises(ConfigError, match="unknown format 'pdf'"):
        parse_config({"pipelines": {"pdf": []}})
    config = parse_config({"pipelines": {"md": ["tracking"]}, "extensions": [".md"]})
    assert config.pipeline("md").ids == ["tracking"]
