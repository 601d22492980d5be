"""Reading articles: encodings, front-matter forms, positions, and the original text kept."""

from __future__ import annotations

import datetime

import frontmatter
import pytest

from artconv.core.article import ArticleError, read_article
from conftest import CORPUS, SEEDS

ARTICLE = "---\ntitle: 中文标题\ndate: 2016-05-23\n---\n<p>正文 “quoted” – dash</p>\n"


@pytest.mark.parametrize(
    "encoding, expected_name",
    [
        ("utf-8", "utf-8"),
        ("utf-8-sig", "utf-8-sig"),
        ("utf-16", "utf-16"),
        ("gb18030", "gb18030"),
        ("big5", "big5"),
    ],
)
def test_encodings_decode_to_the_same_article(encoding, expected_name):
    text = ARTICLE
    if encoding == "big5":  # Traditional Chinese, as Big5 files are
        text = "---\ntitle: 中文標題\ndate: 2016-05-23\n---\n<p>正文，這是繁體中文的段落，引號「如此」。</p>\n"
    article = read_article(text.encode(encoding))
    assert article.encoding == expected_name
    assert article.metadata["title"] in ("中文标题", "中文標題")
    assert article.body == text.split("---\n", 2)[2]


def test_cp1252_file():
    article = read_article("---\ntitle: Café\n---\n<p>“Smart quotes” – and a dash</p>\n".encode("cp1252"))
    assert article.encoding == "cp1252"
    assert article.metadata["title"] == "Café"
    assert "“Smart quotes” – and a dash" in article.body


def test_utf8_with_one_stray_cp1252_byte_is_repaired():
    data = "---\ntitle: naïve\n---\nan en dash ".encode() + b"\x96" + " here, café\n".encode()
    article = read_article(data)
    assert article.encoding == "utf-8+cp1252"
    assert "an en dash – here, café" in article.body


def test_corpus_odd_encodings():
    gbk = read_article((CORPUS / "odd-cases/cosname-cosx.org/9f0edfc__2017-07-19-graduation-talk-yubin.md").read_bytes())
    assert gbk.encoding == "gb18030"
    assert "毕业" in gbk.body or "毕业" in str(gbk.metadata)
    bom = read_article((CORPUS / "odd-cases/cosname-cosx.org/be79990__2017-07-19-graduation-talk-yubin.md").read_bytes())
    assert bom.encoding == "utf-8-sig"
    assert bom.has_front_matter


def test_binary_file_is_an_error():
    with pytest.raises(ArticleError, match="binary file"):
        read_article(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")


def test_blank_lines_before_front_matter_as_in_the_seeds():
    for seed in SEEDS.glob("*"):
        article = read_article(seed.read_bytes())
        assert article.has_front_matter
        assert article.head.startswith("\n---\n")
        assert article.front_matter_line == 2
        assert article.metadata["date"] == seed.read_text("utf-8").split("date: ")[1].split("\n")[0]
        assert article.body_line == 14


def test_crlf_front_matter_is_kept_exactly():
    data = b"---\r\ntitle: x\r\ndate: 2013-06-13\r\n---\r\nbody\r\n"
    article = read_article(data)
    assert article.newline == "\r\n"
    assert article.head + article.closing == "---\r\ntitle: x\r\ndate: 2013-06-13\r\n---\r\n"
    assert article.metadata["date"] == datetime.date(2013, 6, 13)
    assert article.body == "body\n"


def test_no_front_matter_is_still_an_article():
    article = read_article(b"# Title\n\nText\n")
    assert not article.has_front_matter
    assert article.metadata == {}
    assert article.body == "# Title\n\nText\n"


def test_indented_delimiter_is_not_front_matter():
    article = read_article((CORPUS / "odd-cases/cosname-cosx.org/e45d90b__2017-08-04-redefine-statistical-significance.md").read_bytes())
    assert not article.has_front_matter


def test_unterminated_front_matter_names_its_opening_line():
    with pytest.raises(ArticleError) as caught:
        read_article(b"\n\n---\ntitle: x\n\nbody without a closing line\n")
    assert caught.value.line == 3
    assert "never closed" in caught.value.message


@pytest.mark.parametrize(
    "name, line, column",
    [
        ("simplystats-simplystats.github.io/c9058e1__2017-07-26-A-solution-to-missing-data-Imputation-using-R.md", 2, 34),
        ("simplystats-simplystats.github.io/66c75a6__2016-11-11-im-not-moving-to-canada.md", 2, 34),
        ("cosname-cosx.org/c06cd58__2022-11-3-random_variable_and_random_event.md", 6, 1),
        ("cosname-cosx.org/6a3d3e9__2023-10-29_submit.md", 2, 29),
    ],
)
def test_broken_yaml_in_the_corpus_is_reported_in_file_coordinates(name, line, column):
    path = CORPUS / "odd-cases" / name
    with pytest.raises(ArticleError) as caught:
        read_article(path.read_bytes())
    assert (caught.value.line, caught.value.column) == (line, column)
    assert caught.value.message.startswith("invalid YAML front matter: ")


def test_a_date_no_calendar_holds_stays_its_text():
    # WordPress drafts carry `0000-00-00 00:00:00`: converting must go on (front matter is kept
    # byte for byte); lint reports the value as FM006
    article = read_article(b"---\ndate: 2016-06-31\ndate_gmt: 0000-00-00 00:00:00\nok: 2016-06-30\n---\nx\n")
    assert article.metadata == {"date": "2016-06-31", "date_gmt": "0000-00-00 00:00:00", "ok": datetime.date(2016, 6, 30)}


def test_front_matter_that_is_not_a_mapping():
    with pytest.raises(ArticleError, match="not a mapping"):
        read_article(b"---\n- a\n- b\n---\nx\n")


def test_metadata_agrees_with_python_frontmatter_on_the_corpus():
    """python-frontmatter as an independent oracle for what the front matter holds."""
    checked = 0
    for path in sorted(CORPUS.rglob("*.md")):
        data = path.read_bytes()
        try:
            ours = read_article(data)
            theirs = frontmatter.loads(data.decode("utf-8"))
        except (ArticleError, UnicodeDecodeError, Exception):
            continue
        if ours.has_front_matter and theirs.metadata:
            assert ours.metadata == theirs.metadata, path
            checked += 1
    assert checked > 1400
