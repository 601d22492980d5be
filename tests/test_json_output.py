"""`artconv convert --to json`: one schema-valid JSON document per article, JSON Lines on stdout."""

from __future__ import annotations

import json
import re
from importlib import resources

import pytest
from jsonschema import Draft202012Validator, FormatChecker

from artconv.convert import convert_bytes, convert_file, convert_text
from artconv.core.config import parse_config
from conftest import CORPUS, SEEDS, run_artconv

SCHEMA = json.loads(resources.files("artconv").joinpath("output-schemas", "json.json").read_text("utf-8"))
VALIDATOR = Draft202012Validator(SCHEMA, format_checker=FormatChecker())
SUMMARY = re.compile(r"^Converted (\d+) of (\d+) files", re.MULTILINE)


def valid(line: str) -> dict:
    """Parse one article's output, checking it is one line of JSON that the shipped schema accepts."""
    assert line.endswith("\n") and line.count("\n") == 1, "one line of JSON and a newline"
    document = json.loads(line)
    errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}" for e in VALIDATOR.iter_errors(document)]
    assert not errors, errors[:5]
    return document


def as_json(text: str, path: str | None = None) -> dict:
    return valid(convert_text(text, "json", path=path))


def test_the_shipped_schema_is_draft_2020_12_and_describes_every_field():
    Draft202012Validator.check_schema(SCHEMA)
    assert SCHEMA["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    undescribed = []

    def walk(schema: dict, where: str) -> None:
        for name, sub in schema.get("properties", {}).items():
            if "description" not in sub:
                undescribed.append(f"{where}.{name}")
            walk(sub, f"{where}.{name}")
        if isinstance(schema.get("items"), dict):
            walk(schema["items"], f"{where}[]")

    walk(SCHEMA, "")
    assert not undescribed
    assert set(SCHEMA["required"]) == set(SCHEMA["properties"])


# --- the seeds -------------------------------------------------------------------------------

SEED_EXPECTATIONS = {
    "000_6d27e4770b509a31.txt": (
        "工信部召开部分省市工业经济形势分析视频会议",
        "2022-05-18T04:07:28+00:00", "Wed, 18 May 2022 04:07:28 GMT", "王翔",
    ),
    "001_377703ec0894d621.txt": (
        "工信部召开重点行业运行形势分析座谈会 部署疫情防控和工业稳增长工作",
        "2022-03-25T02:14:53+00:00", "Fri, 25 Mar 2022 02:14:53 GMT", "李墨轩",
    ),
}


@pytest.mark.parametrize("name", sorted(SEED_EXPECTATIONS))
def test_seed(name):
    title, date, original_date, editor = SEED_EXPECTATIONS[name]
    result = convert_file(SEEDS / name, "json")
    assert result.ok, result.error
    doc = valid(result.output)
    assert doc["path"] == str(SEEDS / name)
    assert doc["title"] == title
    assert doc["lang"] == "zh"
    front_matter = doc["front_matter"]
    assert front_matter["date"] == date
    assert doc["front_matter_original"] == {"date": original_date}
    assert front_matter["categories"] == ["金融", "新浪财经", "新浪财经－国內"]
    assert front_matter["comments"] is False
    assert doc["lifted"] == {"editor": editor, "source": "工业和信息化部运行监测协调局"}
    assert {key: front_matter[key] for key in doc["lifted"]} == doc["lifted"]
    body = doc["body"]
    assert "责任编辑" not in body["text"] and "海量资讯" not in body["text"]
    assert "<style" not in body["html"] and "cms-style" not in body["html"] and "{" not in body["text"]
    if name.startswith("000"):
        assert "**一是**" in body["markdown"] and "<strong>一是</strong>" in body["html"]
    assert body["text"].startswith(("5月17日", "3月24日"))
    assert "\n\n" in body["text"] and "  " not in body["text"]
    assert isinstance(doc["links"], list) and isinstance(doc["images"], list)
    counts = doc["counts"]
    assert counts["words"] > 100
    assert counts["characters"] >= counts["words"]
    assert 1 <= counts["reading_minutes"] <= 10


# --- Hexo's escaped braces -------------------------------------------------------------------


def test_hexo_escaped_braces_are_plain_braces_in_every_body_field():
    # Hexo escaping runs for Hexo only (core/generator.py): this article is a Hexo post
    hexo = parse_config({"generator": "hexo"})
    doc = valid(convert_text("---\ntitle: t\n---\n<p>&#123;&#123; x &#125;&#125;</p>\n", "json", config=hexo))
    assert "&#123;&#123; x &#125;&#125;" in convert_text("---\ntitle: t\n---\n<p>&#123;&#123; x &#125;&#125;</p>\n", config=hexo)
    assert "{{ x }}" in doc["body"]["markdown"] and "&#12" not in doc["body"]["markdown"]
    assert doc["body"]["html"] == "<p>{{ x }}</p>"
    assert doc["body"]["text"] == "{{ x }}"


def test_brace_entities_in_code_or_escaped_stay_as_written():
    markdown = "Code `&#123;` and \\&#123; and &#125;.\n\n```\n&#123;\n```\n"
    doc = as_json(markdown)
    assert doc["body"]["markdown"] == "Code `&#123;` and \\&#123; and }.\n\n```\n&#123;\n```\n"
    assert doc["body"]["text"] == "Code &#123; and &#123; and }.\n\n&#123;"


# --- front matter ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_value", "iso", "original"),
    [
        ("2013-10-08T10:33:10+02:00", "2013-10-08T10:33:10+02:00", None),  # YAML timestamp with offset
        ("2013-10-08T10:33:10Z", "2013-10-08T10:33:10+00:00", "2013-10-08T10:33:10Z"),
        ("2021-07-31 05:06:47", "2021-07-31T05:06:47+00:00", "2021-07-31 05:06:47"),  # naive: UTC
        ("2016-02-17", "2016-02-17T00:00:00+00:00", "2016-02-17"),  # bare date: midnight UTC
        ("'2016-05-23T23:30:51+00:00'", "2016-05-23T23:30:51+00:00", None),  # quoted ISO: unchanged
        ("Wed, 18 May 2022 04:07:28 GMT", "2022-05-18T04:07:28+00:00", "Wed, 18 May 2022 04:07:28 GMT"),
        ("'Fri, 25 Mar 2022 02:14:53 +0800'", "2022-03-25T02:14:53+08:00", "Fri, 25 Mar 2022 02:14:53 +0800"),
        ("2014-07-14 16:19:14.000000000 -07:00", "2014-07-14T16:19:14-07:00", "2014-07-14 16:19:14.000000000 -07:00"),
    ],
)
def test_dates_become_iso_8601_with_an_offset_and_keep_their_text(yaml_value, iso, original):
    doc = as_json(f"---\ntitle: t\ndate: {yaml_value}\n---\nHi\n")
    assert doc["front_matter"]["date"] == iso
    assert doc["front_matter_original"] == ({"date": original} if original else {})


@pytest.mark.parametrize("key", ["updated", "lastmod", "publishDate", "expiryDate", "published_at"])
def test_a_date_under_any_key_is_converted(key):
    doc = as_json(f"---\n{key}: 'Wed, 18 May 2022 04:07:28 GMT'\n---\nHi\n")
    assert doc["front_matter"][key] == "2022-05-18T04:07:28+00:00"
    assert doc["front_matter_original"] == {key: "Wed, 18 May 2022 04:07:28 GMT"}


def test_strings_that_are_not_whole_dates_stay_strings():
    doc = as_json("---\na: someday\nb: '2016-13-45'\nc: 'released 2016-02-17'\nd: '12:00:00'\n---\nHi\n")
    assert doc["front_matter"] == {"a": "someday", "b": "2016-13-45", "c": "released 2016-02-17", "d": "12:00:00"}
    assert doc["front_matter_original"] == {}


def test_dates_inside_lists_and_mappings_are_named_by_their_path():
    doc = as_json("---\ne: [2021-07-31 05:06:47, x]\nauthor: {joined: 2020-01-01}\n---\nHi\n")
    assert doc["front_matter"]["e"] == ["2021-07-31T05:06:47+00:00", "x"]
    assert doc["front_matter"]["author"] == {"joined": "2020-01-01T00:00:00+00:00"}
    assert doc["front_matter_original"] == {"e[0]": "2021-07-31 05:06:47", "author.joined": "2020-01-01"}


def test_types_are_kept_and_values_json_cannot_hold_are_converted():
    doc = as_json(
        "---\nid: 874\nratio: 1.5\ncomments: false\nnothing: null\ntags: [a, b]\nmeta: {k: [1, {x: y}]}\n"
        "blob: !!binary aGVsbG8=\nset: !!set {y, x}\nnan: .nan\nneg: -.inf\n2020-01-01: dated\n1: one\n"
        "self: &s [*s]\npairs: !!omap [x: 1]\n---\nHi\n"
    )
    assert doc["front_matter"] == {
        "id": 874, "ratio": 1.5, "comments": False, "nothing": None, "tags": ["a", "b"], "meta": {"k": [1, {"x": "y"}]},
        "blob": "aGVsbG8=", "set": ["x", "y"], "nan": ".nan", "neg": "-.inf", "2020-01-01": "dated", "1": "one",
        "self": [None], "pairs": [["x", 1]],
    }


def test_no_front_matter_gives_empty_mappings_and_a_title_from_the_heading():
    doc = as_json("# A heading\n\nSome English text for the reader of this page and that one.\n", path="notes/x.md")
    assert doc["front_matter"] == {} and doc["front_matter_original"] == {} and doc["lifted"] == {}
    assert doc["title"] == "A heading"
    assert doc["lang"] == "en"
    assert as_json("plain", path="notes/file-name.md")["title"] == "file-name"
    assert as_json("plain")["path"] is None


def test_a_front_matter_that_expands_through_aliases_is_refused_not_expanded():
    levels = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    levels += [f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * 10)}]" for n in range(1, 7)]
    # refused while reading: expanded, these 10**7 nodes would never come back (a hang, not a failure)
    result = convert_bytes(("---\n" + "\n".join(levels) + "\n---\nHi\n").encode(), "json")
    assert not result.ok and "YAML aliases" in result.error.message


def test_an_undecodable_file_name_is_escaped_not_a_crash():
    output = convert_text("Hi\n", "json", path="caf\udce9.md")
    output.encode("utf-8")
    assert valid(output)["path"] == "caf\udce9.md"


# --- body: text, links, images, counts -------------------------------------------------------


def test_text_links_and_images_are_read_from_the_clean_html():
    markdown = (
        "Line   one  \nline two\n\n| a | b |\n|---|---|\n|  | 4 |\n\n- item *one*\n- item two\n\n"
        "```\n  keep   spacing\n```\n\n"
        '[![alt text](http://x/i.png "T")](http://x/) and [link\ntext](https://e.com) <a href="javascript:x()">bad</a>\n\n'
        '<img src="y.png">\n'
    )
    doc = as_json(markdown)
    assert doc["body"]["text"] == (
        "Line one\nline two\n\na\tb\n\t4\n\nitem one\n\nitem two\n\n  keep   spacing\n\nand link text bad"
    )
    assert doc["links"] == [{"href": "http://x/", "text": "alt text"}, {"href": "https://e.com", "text": "link text"}]
    assert doc["images"] == [
        {"src": "http://x/i.png", "alt": "alt text", "title": "T"},
        {"src": "y.png", "alt": "", "title": None},
    ]


def test_counts_are_cjk_aware_with_a_documented_reading_time():
    assert as_json("Hello, world 你好\n")["counts"] == {"characters": 13, "words": 4, "reading_minutes": 1}
    assert as_json("字" * 601 + "\n")["counts"]["reading_minutes"] == 3  # 300 CJK characters a minute
    assert as_json(" ".join(["word"] * 401) + "\n")["counts"]["reading_minutes"] == 3  # 200 words a minute
    assert as_json("---\ntitle: t\n---\n")["counts"] == {"characters": 0, "words": 0, "reading_minutes": 0}


# --- the command line ------------------------------------------------------------------------

ARTICLES = {
    "a.md": "---\ntitle: First\ndate: 2021-07-31 05:06:47\n---\n<p>Hello <b>there</b></p>\n",
    "sub/b.html": "---\ntitle: Second\n---\n<div><p>第二篇文章</p></div>\n",
    "c.md": "No front matter here.\n",
}


@pytest.fixture
def folder(tmp_path):
    root = tmp_path / "in"
    for name, text in ARTICLES.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, "utf-8")
    return root


def test_cli_one_file_gives_one_document(artconv, folder):
    run = artconv("convert", "--to", "json", str(folder / "a.md"))
    assert run.returncode == 0, run.stderr
    doc = valid(run.stdout.decode("utf-8"))
    assert doc["title"] == "First" and doc["path"] == str(folder / "a.md")
    assert doc["front_matter_original"] == {"date": "2021-07-31 05:06:47"}


def test_cli_stdin_gives_a_document_without_path(artconv):
    run = artconv("convert", "--to", "json", "-", stdin=b"<p>Hi</p>\n")
    assert run.returncode == 0, run.stderr
    assert valid(run.stdout.decode("utf-8"))["path"] is None


def test_cli_folder_without_output_writes_json_lines(artconv, folder, tmp_path):
    run = artconv("convert", "--to", "json", str(folder))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.decode("utf-8").splitlines(keepends=True)
    assert len(lines) == len(ARTICLES)
    assert [valid(line)["title"] for line in lines] == ["First", "c", "Second"]  # sorted paths: a, c, sub/b


def test_cli_json_lines_go_on_past_a_broken_file(artconv, folder):
    (folder / "broken.md").write_text("---\ntitle: [unclosed\n---\nx\n", "utf-8")
    run = artconv("convert", "--to", "json", str(folder))
    assert run.returncode == 1
    assert b"broken.md" in run.stderr and b"Traceback" not in run.stderr
    assert [valid(line)["title"] for line in run.stdout.decode("utf-8").splitlines(keepends=True)]
    assert len(run.stdout.splitlines()) == len(ARTICLES)


def test_cli_output_folder_gets_json_files(artconv, folder, tmp_path):
    out = tmp_path / "out"
    run = artconv("convert", "--to", "json", str(folder), "--output", str(out))
    assert run.returncode == 0, run.stderr
    written = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    assert written == ["a.json", "c.json", "sub/b.json"]
    assert valid((out / "sub" / "b.json").read_text("utf-8"))["lang"] == "zh"


def test_cli_schema_output(artconv):
    run = artconv("schema", "output", "json")
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout) == SCHEMA
    bad = artconv("schema", "output", "nope")
    assert bad.returncode == 2 and bad.stdout == b""
    assert len(bad.stderr.decode().strip().splitlines()) == 1 and b"nope" in bad.stderr


# --- the whole corpus ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus_json(tmp_path_factory):
    assert CORPUS.is_dir(), f"the shared corpus is missing at {CORPUS}"
    out = tmp_path_factory.mktemp("corpus-json")
    run = run_artconv("convert", "--to", "json", str(CORPUS), "--output", str(out))
    return out, run


def test_corpus_every_output_is_valid_and_counted(corpus_json):
    out, run = corpus_json
    stderr = run.stderr.decode("utf-8")
    assert "Traceback" not in stderr and "internal error" not in stderr
    assert run.returncode in (0, 1)
    summary = SUMMARY.search(stderr)
    assert summary, stderr[-500:]
    converted, total = int(summary.group(1)), int(summary.group(2))
    produced = sorted(out.rglob("*.json"))
    assert len(produced) == converted
    assert converted >= 0.99 * total
    documents = {path.relative_to(out): valid(path.read_text("utf-8")) for path in produced}
    assert all(doc["title"] for doc in documents.values())
    # the Sina feeds escape braces for Hexo; the corpus README quotes the entities in code spans
    hexo = [doc for name, doc in documents.items() if name.parts[0] == "rsshub-mirror"]
    assert len(hexo) == 71
    assert not [doc["path"] for doc in hexo if "&#12" in doc["body"]["markdown"] + doc["body"]["text"]]
