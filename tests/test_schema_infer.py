"""`artconv schema infer`: a schema learnt from a repository's front matter passes that
repository under `lint`, catches a wrong type, and flags near-duplicate keys."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import CORPUS, REPO, run_artconv

FAMILIES = {"rss": "rsshub-mirror", "wp": "wordpress-import"}
SAMPLE = 40  # files per corpus family: enough keys and dates to infer from, fast to lint


@pytest.fixture(scope="module")
def repo(tmp_path_factory):
    """Small samples of two corpus families and Hugo's three forms, each with its inferred schema."""
    if not CORPUS.is_dir():
        pytest.skip("the shared corpus is not on this machine")
    root = tmp_path_factory.mktemp("infer")
    for name, family in FAMILIES.items():
        files = sorted((CORPUS / family).rglob("*.md"))[:SAMPLE]
        assert len(files) >= 20
        for index, path in enumerate(files):
            (root / name).mkdir(exist_ok=True)
            shutil.copy(path, root / name / f"{index:03}.md")
    for form in ("yaml", "toml", "json"):
        (root / "hugo").mkdir(exist_ok=True)
        for kind in ("valid", "schema-violation"):
            shutil.copy(REPO / "fixtures" / "front-matter-forms" / form / f"{kind}.md", root / "hugo" / f"{form}-{kind}.md")
    for name in (*FAMILIES, "hugo"):
        result = run_artconv("schema", "infer", name, "--output", f"{name}.schema.json", cwd=root)
        assert result.returncode == 0, result.stderr
    schemas = "\n".join(f'"{name}/**" = "{name}.schema.json"' for name in (*FAMILIES, "hugo"))
    (root / ".artconv.toml").write_text(f'[lint]\nselect = ["FM1"]\n[lint.schemas]\n{schemas}\n', "utf-8")
    return root


def test_the_inferred_schema_passes_the_files_it_came_from(repo):
    result = run_artconv("lint", "--no-cache", *FAMILIES, "hugo", cwd=repo)
    assert result.stdout == b"", result.stdout.decode()[:2000]
    assert result.returncode == 0


def test_a_wrong_type_fails_against_the_inferred_schema(repo, tmp_path):
    schema = json.loads((repo / "rss.schema.json").read_text("utf-8"))
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    assert schema["properties"]["title"]["type"] == "string"
    assert "title" in schema["required"]
    assert schema["properties"]["date"]["format"] in ("generator-date", "rfc1123-date", "iso-date", "date-time")
    original = (repo / "rss" / "000.md").read_text("utf-8")
    bad = repo / "rss" / "zz-wrong-type.md"
    bad.write_text(original.replace("title:", "title: [1, 2]\nold_title:", 1), "utf-8")
    try:
        result = run_artconv("lint", "--no-cache", str(bad.relative_to(repo)), cwd=repo)
    finally:
        bad.unlink()
    assert b"FM101 'title' is a list, not a string" in result.stdout
    assert result.returncode == 1


def test_types_dates_and_enums_from_every_form(repo):
    schema = json.loads((repo / "hugo.schema.json").read_text("utf-8"))
    draft = schema["properties"]["draft"]
    assert sorted(draft["type"]) == ["boolean", "string"]  # `false` in two files, "yes" in three
    assert schema["properties"]["params"]["properties"]["author"]["type"] == "string"
    assert schema["properties"]["date"]["format"] == "date-time"  # each with a time and an offset
    assert sorted(schema["required"]) == ["tags", "title"]


def test_required_threshold_enum_and_near_duplicates(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    for index in range(10):
        tag_key = "tag" if index == 9 else "tags"
        title_key = "Title" if index == 8 else "title"
        extra = "summary: short\n" if index < 8 else "catagories: [x]\n" if index == 8 else "categories: [x]\n"
        (posts / f"{index}.md").write_text(
            f"---\n{title_key}: Post {index}\nlayout: {'post' if index % 2 else 'page'}\n"
            f"{tag_key}: [a]\ndate: 2024-01-{index + 1:02} 10:00:00\n{extra}---\nBody.\n", "utf-8")
    result = run_artconv("schema", "infer", "posts", "--required", "0.8", "--max-enum", "2", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    schema = json.loads(result.stdout)
    assert schema["required"] == ["date", "layout", "summary", "tags", "title"]
    assert schema["properties"]["layout"]["enum"] == ["page", "post"]
    assert "enum" not in schema["properties"]["title"]
    assert schema["properties"]["date"]["x-date-shapes"] == ["9999-99-99T99:99:99"]  # a YAML timestamp, as JSON data
    assert schema["x-near-duplicates"] == [
        {"keys": ["catagories", "categories"], "counts": [1, 1]},
        {"keys": ["tags", "tag"], "counts": [9, 1]},
        {"keys": ["title", "Title"], "counts": [9, 1]},
    ]
    warnings = result.stderr.decode()
    assert "warning: near-duplicate keys: 'tags' (9×), 'tag' (1×); settle on one" in warnings


def test_a_missing_path_is_a_usage_error(tmp_path):
    result = run_artconv("schema", "infer", "nowhere", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode().startswith("error: ")
