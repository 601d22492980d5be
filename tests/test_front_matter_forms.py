"""Hugo's three front-matter forms (YAML, TOML, JSON): findings at true positions, schema checks,
and front matter kept byte for byte by lint --fix and convert, through the installed command."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import REPO, run_artconv

FORMS = REPO / "fixtures" / "front-matter-forms"

EXPECTED = {
    "json/invalid-syntax.md": "4:1: FM001 invalid JSON front matter: Expecting property name enclosed in double quotes",
    "json/schema-violation.md": "3:12: FM101 'draft' is 'yes', not true/false",
    "json/valid.md": "9:4: HT101 [*] inline style attribute on <p>",
    "toml/invalid-syntax.md": "2:9: FM001 invalid TOML front matter: Invalid value",
    "toml/schema-violation.md": "3:9: FM101 'draft' is 'yes', not true/false",
    "toml/valid.md": "10:4: HT101 [*] inline style attribute on <p>",
    "yaml/invalid-syntax.md": "2:13: FM001 invalid YAML front matter: mapping values are not allowed in this context",
    "yaml/schema-violation.md": "3:8: FM101 'draft' is 'yes', not true/false",
    "yaml/valid.md": "9:4: HT101 [*] inline style attribute on <p>",
}


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """The fixtures with a configuration that checks them against the `hugo` schema."""
    root = tmp_path_factory.mktemp("forms")
    for form in ("yaml", "toml", "json"):
        shutil.copytree(FORMS / form, root / form)
    (root / ".artconv.toml").write_text('[lint]\nschema = "hugo"\n', "utf-8")
    return root


def test_every_form_is_linted_at_true_positions(repo):
    result = run_artconv("lint", "--no-cache", ".", cwd=repo)
    lines = sorted(result.stdout.decode().splitlines())
    assert lines == [f"{path}:{finding}" for path, finding in sorted(EXPECTED.items())]
    assert result.returncode == 1


def test_fix_keeps_toml_and_json_front_matter_byte_for_byte(repo, tmp_path):
    for form in ("toml", "json", "yaml"):
        target = tmp_path / f"{form}.md"
        original = (repo / form / "valid.md").read_bytes()
        target.write_bytes(original)
        result = run_artconv("lint", "--no-cache", "--fix", str(target), cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        fixed = target.read_bytes()
        front_matter = original[: original.index(b"<p")]
        assert fixed == front_matter + b"<p>Body text.</p>\n"


def test_convert_keeps_the_front_matter_and_reads_the_title_from_it(repo):
    for form in ("toml", "json"):
        source = repo / form / "valid.md"
        original = source.read_bytes()
        markdown = run_artconv("convert", "--to", "md", str(source))
        assert markdown.returncode == 0, markdown.stderr
        assert markdown.stdout.startswith(original[: original.index(b"<p")])
        as_json = run_artconv("convert", "--to", "json", str(source))
        record = json.loads(as_json.stdout)
        assert record["title"] == f"Notes on {form.upper()}"
        assert record["front_matter"]["params"] == {"author": "A. Writer"}
        xhtml = run_artconv("convert", "--to", "xhtml", str(source))
        assert f"<title>Notes on {form.upper()}</title>".encode() in xhtml.stdout


def test_yaml_only_rules_skip_toml_and_json(tmp_path):
    # `no`, a tab and 0123 are YAML traps; in TOML and JSON they are plain strings and whitespace
    (tmp_path / "a.md").write_text('+++\ncountry = "no"\n\tcode = "0123"\n+++\nBody.\n', "utf-8")
    (tmp_path / "b.md").write_text('{\n\t"country": "no",\n\t"code": "0123"\n}\nBody.\n', "utf-8")
    result = run_artconv("lint", "--no-cache", ".", cwd=tmp_path)
    assert result.stdout == b"", result.stdout
    assert result.returncode == 0


def test_duplicate_json_key_and_unclosed_toml(tmp_path):
    (tmp_path / "a.md").write_text('{\n  "title": "a",\n  "title": "b"\n}\nBody.\n', "utf-8")
    (tmp_path / "b.md").write_text('+++\ntitle = "a"\n\nBody.\n', "utf-8")
    result = run_artconv("lint", "--no-cache", ".", cwd=tmp_path)
    assert result.stdout.decode().splitlines() == [
        "a.md:3:3: FM003 duplicate key 'title' (first on line 2; only this one is kept)",
        "b.md:1:1: FM002 front matter opened here with '+++' is never closed",
    ]


def test_keys_added_by_a_transformer_are_written_in_the_blocks_form():
    from artconv.core.front_matter_forms import with_added_keys

    toml = with_added_keys("toml", '+++\ntitle = "a"\n[params]\nx = 1\n', "+++\n", {"lang": "zh"}, "\n")
    assert toml == '+++\ntitle = "a"\nlang = "zh"\n[params]\nx = 1\n+++\n'
    assert with_added_keys("json", '{\n  "title": "a"\n', "}\n", {"lang": "zh"}, "\n") == (
        '{\n  "title": "a",\n  "lang": "zh"\n}\n'
    )


def test_one_line_json_and_a_body_that_only_starts_with_a_brace(tmp_path):
    from artconv.core.article import parse_article
    from artconv.core.front_matter_forms import with_added_keys

    one_line = parse_article('{"title": "x", "weight": 2}\nBody.\n')
    assert (one_line.form, one_line.metadata, one_line.body, one_line.body_line) == (
        "json", {"title": "x", "weight": 2}, "Body.\n", 2)
    assert with_added_keys("json", one_line.head, one_line.closing, {"lang": "zh"}, "\n") == (
        '{"title": "x", "weight": 2, "lang": "zh"}\n')
    braces = parse_article("{\nnot JSON at all\n\n{{< shortcode >}}\n")
    assert (braces.form, braces.body) == ("", "{\nnot JSON at all\n\n{{< shortcode >}}\n")
    (tmp_path / "a.md").write_text('{"title": 3}\n<p>Body.</p>\n', "utf-8")
    (tmp_path / ".artconv.toml").write_text('[lint]\nschema = "rss-mirror"\nselect = ["FM101"]\n', "utf-8")
    result = run_artconv("lint", "--no-cache", "a.md", cwd=tmp_path)
    assert result.stdout.decode().splitlines() == ["a.md:1:11: FM101 'title' is the number 3, not a string"]


def test_nesting_too_deep_is_one_finding_not_a_crash():
    from artconv.core.article import parse_article

    deep = "[" * 100_000 + "]" * 100_000
    for text, line in ((f'{{\n"a": {deep}\n}}\nBody.\n', 1), (f"+++\na = {deep}\n+++\nBody.\n", 2)):
        article = parse_article(text, lenient=True)
        assert (article.yaml_error.message, article.yaml_error.line) == ("front matter is nested too deeply", line)
        assert article.body == "Body.\n"
