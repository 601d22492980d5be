"""Front-matter schemas: presets, date formats, schema choice per file, FM101/FM102/FM103 positions, export."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from jsonschema import Draft202012Validator

from artconv.core.config import ConfigError, parse_config
from artconv.frontmatter.dates import format_checker
from artconv.core.lint_settings import LintSettings
from artconv.lint.engine import Selection, lint_bytes
from artconv.frontmatter.schemas import load_schema, preset, preset_names, schema_ref_for, to_json, validator
from conftest import CORPUS, SEEDS

FM1 = Selection(select=("FM1",))
PRESETS = ("hexo", "hugo", "jekyll", "rss-mirror")


def lint(folder: Path, text: str, config: str = '[lint]\nschema = "rss-mirror"\n', name: str = "post.md"):
    """Lint `text` as a file in `folder`, beside a `.artconv.toml` (found the way lint finds it)."""
    (folder / ".artconv.toml").write_text(config, "utf-8")
    path = folder / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")
    return [(f.line, f.column, f.code, f.message) for f in lint_bytes(path.read_bytes(), str(path), FM1).findings]


# presets


def test_the_presets_are_bundled():
    assert preset_names() == PRESETS


@pytest.mark.parametrize("name", PRESETS)
def test_presets_are_valid_2020_12_schemas(name):
    schema = preset(name)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    Draft202012Validator.check_schema(schema)


def test_only_the_rss_mirror_preset_closes_its_keys_and_requires_some():
    assert preset("rss-mirror")["additionalProperties"] is False
    assert set(preset("rss-mirror")["required"]) == {"title", "date", "categories"}
    for name in ("hexo", "hugo", "jekyll"):
        assert preset(name)["additionalProperties"] is True and "required" not in preset(name)


@pytest.mark.parametrize("name", ("hexo", "jekyll"))
def test_generator_presets_list_the_documented_keys(name):
    assert {"title", "date", "tags", "categories", "permalink", "published", "layout"} <= set(preset(name)["properties"])


def test_hugo_preset_lists_the_documented_keys():
    keys = set(preset("hugo")["properties"])
    assert {"title", "date", "draft", "slug", "aliases", "weight", "lastmod", "publishDate", "expiryDate", "url", "type"} <= keys


# date formats

ACCEPTED = [
    "Wed, 18 May 2022 04:07:28 GMT",
    "18 May 2022 04:07:28 +0800",
    "2021-07-31 05:06:47",
    "2014-07-14 16:19:14.000000000 -07:00",
    "2016-05-23T23:30:51+00:00",
    "2016-05-23T23:30:51Z",
    "2016-05-23T23:30:51",
    "2016-05-23T23:30",
    "2016-02-17",
    "2001-12-14 2:59:43.10",
]
REJECTED = ["2016-13-45", "2016-06-31", "2016-05-23T25:00:00", "someday", "18/05/2022", "Wed, 32 May 2022 04:07:28 GMT", "2022-05-18T04:07:28+25:00", ""]


@pytest.mark.parametrize("value", ACCEPTED)
def test_generator_date_accepts_what_generators_read(value):
    assert format_checker().conforms(value, "generator-date")


@pytest.mark.parametrize("value", REJECTED)
def test_generator_date_rejects_what_is_not_a_date(value):
    assert not format_checker().conforms(value, "generator-date")


def test_narrower_date_formats():
    checker = format_checker()
    assert checker.conforms("Wed, 18 May 2022 04:07:28 GMT", "rfc1123-date")
    assert not checker.conforms("2022-05-18", "rfc1123-date")
    assert checker.conforms("2022-05-18T04:07:28+08:00", "date-time")
    assert not checker.conforms("2022-05-18 04:07:28", "date-time")  # RFC 3339 wants an offset


def test_yaml_timestamps_become_iso_strings_and_are_noted():
    import yaml

    stamps: set = set()
    data = to_json(yaml.safe_load("date: 2013-10-08T10:33:10+00:00\nday: 2016-02-17\nlist: [2016-02-17]\ntitle: x\n"), (), stamps)
    assert data == {"date": "2013-10-08T10:33:10+00:00", "day": "2016-02-17", "list": ["2016-02-17"], "title": "x"}
    assert stamps == {("date",), ("day",), ("list", 0)}
    assert all(format_checker().conforms(v, "generator-date") for v in (data["date"], data["day"]))


@pytest.mark.parametrize("date", ["2013-10-08T10:33:10+00:00", "2016-02-17", "2021-07-31 05:06:47", "2014-07-14 16:19:14.000000000 -07:00",
                                  "'2016-05-23T23:30:51+00:00'", "Wed, 18 May 2022 04:07:28 GMT"])
def test_dates_pass_the_presets_as_written_in_real_files(tmp_path, date):
    assert lint(tmp_path, f"---\ntitle: t\ncategories: [a]\ndate: {date}\n---\n") == []


# choosing the schema


def test_per_glob_schemas_come_before_the_default(tmp_path):
    settings = LintSettings(schema="hexo", schemas=(("source/_posts/**", "rss-mirror"), ("source/_drafts/**", "")), root=str(tmp_path))
    assert schema_ref_for(str(tmp_path / "source/_posts/2022/05/a.md"), settings) == "rss-mirror"
    assert schema_ref_for(str(tmp_path / "source/_drafts/a.md"), settings) is None  # "" opts out
    assert schema_ref_for(str(tmp_path / "about/index.md"), settings) == "hexo"
    assert schema_ref_for(str(tmp_path / "a.md"), LintSettings()) is None


def test_no_schema_configured_means_no_schema_findings(tmp_path):
    assert lint(tmp_path, "---\nautor: x\ndate: someday\n---\n", config="[lint]\nselect = ['FM']\n") == []


def test_glob_schemas_from_the_config_file(tmp_path):
    config = '[lint]\nschema = "hexo"\n[lint.schemas]\n"feeds/**" = "rss-mirror"\n'
    assert lint(tmp_path, "---\ntitle: t\nextra: 1\n---\n", config, "notes/a.md") == []
    assert [f[2] for f in lint(tmp_path, "---\ntitle: t\nextra: 1\n---\n", config, "feeds/x/a.md")] == ["FM102", "FM103", "FM103"]


SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "layout": {"enum": ["post", "page"]},
        "author": {"type": "object", "properties": {"name": {"type": "string"}}, "required": ["name"]},
        "tags": {"type": "array", "items": {"type": "string", "pattern": "^[a-z-]+$"}, "uniqueItems": True},
    },
    "required": ["title"],
}


@pytest.mark.parametrize("form", ["json", "yaml"])
def test_schema_files_are_relative_to_the_config_file(tmp_path, form):
    import yaml

    (tmp_path / "schemas").mkdir()
    text = json.dumps(SCHEMA) if form == "json" else yaml.safe_dump(SCHEMA)
    (tmp_path / "schemas" / f"post.{form}").write_text(text, "utf-8")
    config = f'[lint]\nschema = "schemas/post.{form}"\n'
    found = lint(tmp_path, "---\nlayout: psot\ntags: [stats, R]\n---\n", config, "content/posts/a.md")
    assert found == [
        (2, 9, "FM101", "'layout' is 'psot', not one of: post, page (did you mean 'post'?)"),
        (3, 15, "FM101", "'tags[1]' is 'R', which does not match the pattern ^[a-z-]+$"),
        (4, 1, "FM103", "missing required key 'title'"),
    ]


def test_nested_values_and_keys_are_positioned_at_their_nodes(tmp_path):
    (tmp_path / "post.json").write_text(json.dumps(SCHEMA), "utf-8")
    text = "---\ntitle: t\nauthor:\n  nmae: Jeff\ntags:\n  - stats\n  - stats\n---\n"
    found = lint(tmp_path, text, '[lint]\nschema = "post.json"\n')
    assert found == [
        (3, 1, "FM103", "missing required key 'name' in 'author'"),
        (4, 3, "FM102", "unknown key 'author.nmae' (did you mean 'name'?)"),
        (6, 3, "FM101", "'tags' lists 'stats' more than once"),
    ]


def test_a_yaml_timestamp_is_named_as_such(tmp_path):
    (tmp_path / "feed.yaml").write_text("properties:\n  date: {type: string, format: rfc1123-date}\n", "utf-8")
    found = lint(tmp_path, "---\ndate: 2021-07-31 05:06:47\n---\n", '[lint]\nschema = "feed.yaml"\n')
    assert found == [(2, 7, "FM101", "'date' is the YAML timestamp 2021-07-31T05:06:47, not an RFC 1123 date "
                                     "(expected a date such as Wed, 18 May 2022 04:07:28 GMT)")]


def test_forbidden_keys_and_alternatives(tmp_path):
    schema = {
        "$defs": {"person": {"properties": {"email": False}}},
        "properties": {
            "permalink": False,
            "author": {"anyOf": [{"type": "string"}, {"$ref": "#/$defs/person", "type": "object"}]},
            "editor": {"$ref": "#/$defs/person"},
            "weight": {"type": "integer", "minimum": 0},
        },
    }
    (tmp_path / "draft.json").write_text(json.dumps(schema), "utf-8")
    text = "---\npermalink: /x/\nauthor: 5\neditor:\n  email: a@b.c\nweight: -1\n---\n"
    assert lint(tmp_path, text, '[lint]\nschema = "draft.json"\n') == [
        (2, 1, "FM102", "key 'permalink' is not allowed by the schema"),
        (3, 9, "FM101", "'author' is the number 5, not a string or a mapping"),
        (5, 3, "FM102", "key 'editor.email' is not allowed by the schema"),
        (6, 9, "FM101", "'weight' is -1, below the minimum 0"),
    ]


def test_broken_schema_files_are_configuration_errors(tmp_path):
    (tmp_path / "bad.json").write_text('{"type": "object",', "utf-8")
    (tmp_path / "wrong.yaml").write_text("type: objekt\n", "utf-8")
    with pytest.raises(ConfigError, match="is not valid JSON"):
        validator("bad.json", str(tmp_path))
    with pytest.raises(ConfigError, match="is not a valid JSON Schema"):
        validator("wrong.yaml", str(tmp_path))
    with pytest.raises(ConfigError, match="cannot read schema"):
        load_schema("missing.yaml", str(tmp_path))
    with pytest.raises(ConfigError, match=r"unknown schema 'hexoo' \(presets: hexo, hugo, jekyll, rss-mirror"):
        load_schema("hexoo", str(tmp_path))


# FM101 / FM102 / FM103 on small articles


def test_fm101_values_positioned_at_the_value(tmp_path):
    text = "\n---\ntitle: 5\ncategories:\n - finance\n - [nested]\ncomments: 'no'\ndate: 2016-05-23T23:30:51+00:00x\n---\n"
    assert lint(tmp_path, text) == [
        (3, 8, "FM101", "'title' is the number 5, not a string"),
        (6, 4, "FM101", "'categories[1]' is a list, not a string"),
        (7, 11, "FM101", "'comments' is 'no', not true/false"),
        (8, 7, "FM101", "'date' is '2016-05-23T23:30:51+00:00x', not a date (expected a date such as 2022-05-18 or Wed, 18 May 2022 04:07:28 GMT)"),
    ]


def test_fm101_explains_an_impossible_date_that_yaml_reads_as_a_string(tmp_path):
    found = lint(tmp_path, "---\ntitle: t\ncategories: [a]\ndate: '2016-13-45'\n---\n")
    assert found == [(4, 7, "FM101", "'date' is '2016-13-45', not a real date (month must be in 1..12)")]


def test_fm101_leaves_yaml_traps_to_fm004_and_fm005(tmp_path):
    text = "---\ntitle: no\ncategories: [a]\ndate: 2022-05-18\nauthor: 0123\nthumbnail: 1:30\nheadimg: 12\n---\n"
    assert lint(tmp_path, text) == [(7, 10, "FM101", "'headimg' is the number 12, not a string")]


def test_fm101_reports_a_wrong_type_for_a_date_as_a_date(tmp_path):
    found = lint(tmp_path, "---\ntitle: t\ncategories: [a]\ndate: 2016\n---\n")
    assert found == [(4, 7, "FM101", "'date' is the number 2016, not a date (expected a date such as 2022-05-18 or Wed, 18 May 2022 04:07:28 GMT)")]


def test_fm101_null_and_empty_values(tmp_path):
    found = lint(tmp_path, "---\ntitle:\ncategories: []\ndate: 2022-05-18\n---\n")
    assert found == [(2, 7, "FM101", "'title' is empty (null), not a string"), (3, 13, "FM101", "'categories' is an empty list")]


def test_fm102_closed_schema_reports_every_other_key_at_the_key(tmp_path):
    text = "---\ntitle: t\ncategories: [a]\ndate: 2022-05-18\nautor: me\n  # comment\ntags: [x]\n---\n"
    assert lint(tmp_path, text) == [
        (5, 1, "FM102", "unknown key 'autor' (did you mean 'author'?)"),
        (7, 1, "FM102", "unknown key 'tags' (allowed: title, categories, headimg, author, comments, date, thumbnail)"),
    ]


def test_fm102_open_schema_reports_only_near_misses(tmp_path):
    config = '[lint]\nschema = "hexo"\n'
    text = "---\ntitle: t\nautor: me\nTags: [a]\ncategoreis: [b]\ndsq_thread_id: [1]\ntumblr_id: [2]\nid: 5\n---\n"
    assert lint(tmp_path, text, config) == [
        (3, 1, "FM102", "unknown key 'autor' (did you mean 'author'?)"),
        (4, 1, "FM102", "unknown key 'Tags' (did you mean 'tags'?)"),
        (5, 1, "FM102", "unknown key 'categoreis' (did you mean 'categories'?)"),
    ]


def test_fm102_hugo_keys_are_case_insensitive(tmp_path):
    config = '[lint]\nschema = "hugo"\n'
    text = "---\nTitle: t\npublishdate: 2022-05-18\nLastMod: 2022-05-19\ndraft: false\ndarft: true\n---\n"
    assert lint(tmp_path, text, config) == [(6, 1, "FM102", "unknown key 'darft' (did you mean 'draft'?)")]


def test_fm103_at_the_closing_line(tmp_path):
    assert lint(tmp_path, "\n---\ntitle: t\n\nauthor: me\n---\nbody\n") == [
        (6, 1, "FM103", "missing required key 'categories'"),
        (6, 1, "FM103", "missing required key 'date'"),
    ]


def test_fm103_without_front_matter(tmp_path):
    assert [f[:3] for f in lint(tmp_path, "# Just a title\n")] == [(1, 1, "FM103")] * 3


def test_broken_yaml_gives_no_schema_findings(tmp_path):
    assert lint(tmp_path, "---\ntitle: A solution: Imputation\n---\n") == []
    # a date no calendar holds is no broken YAML: it is read as the text it is (FM006 says why),
    # so the schema judges it as it judges the same text quoted
    assert lint(tmp_path, "---\ntitle: t\ndate: 2016-06-31\n---\n") == lint(tmp_path, "---\ntitle: t\ndate: '2016-06-31'\n---\n")


# real files


@pytest.mark.parametrize("seed", sorted(SEEDS.glob("*")), ids=lambda p: p.name)
def test_seeds_pass_the_rss_mirror_preset(seed):
    config = parse_config({"lint": {"schema": "rss-mirror"}}, source=str(seed.parent / ".artconv.toml"))
    assert lint_bytes(seed.read_bytes(), str(seed), FM1, config).findings == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="shared corpus not present")
@pytest.mark.parametrize(("family", "name"), [
    ("rsshub-mirror/*/*.md", "rss-mirror"),
    ("wordpress-import/simplystats*/*.md", "jekyll"),
    ("wordpress-import/cosname*/*.md", "hugo"),
])
def test_the_corpus_mostly_passes_its_preset(family, name):
    config = parse_config({"lint": {"schema": name}}, source=str(CORPUS / ".artconv.toml"))
    files = sorted(CORPUS.glob(family))
    failing = [f for f in files if lint_bytes(f.read_bytes(), str(f), FM1, config).findings]
    assert files and len(failing) <= len(files) // 100, failing


# the command line


def test_schema_export_prints_the_preset(artconv):
    result = artconv("schema", "export", "hexo")
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == preset("hexo")


def test_schema_export_of_an_unknown_preset(artconv):
    result = artconv("schema", "export", "x")
    assert result.returncode == 2
    assert result.stdout == b""
    assert result.stderr.decode().strip() == "error: unknown schema preset 'x' (presets: hexo, hugo, jekyll, rss-mirror)"


def test_lint_with_a_missing_schema_file_is_a_usage_error(artconv, tmp_path):
    (tmp_path / ".artconv.toml").write_text('[lint]\nschema = "nope.yaml"\n', "utf-8")
    (tmp_path / "a.md").write_text("---\ntitle: t\n---\n", "utf-8")
    result = artconv("lint", "--select", "FM1", str(tmp_path / "a.md"))
    assert result.returncode == 2
    assert result.stderr.decode().startswith("error: cannot read schema") and b"Traceback" not in result.stderr


def test_jsonschema_is_imported_only_when_a_schema_is_used():
    code = (
        "import sys, artconv, artconv.cli, artconv.rules.schema_violation, artconv.rules.unknown_key, artconv.rules.missing_key\n"
        "assert 'jsonschema' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)
