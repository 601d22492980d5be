"""Adopting lint in a repository with old findings: `lint --add-noqa` (comments in the articles)
and `lint --write-baseline`/`--baseline` (a file beside them), for all three front-matter forms:
lint then passes, and a new finding fails."""

from __future__ import annotations

import json
import shutil

import pytest

from conftest import REPO, run_artconv

FORMS = REPO / "fixtures" / "front-matter-forms"
# a body whose findings need care: one inside a fenced code block (not a finding), a <script>
# (a trailing comment would be script text) and a style attribute in a paragraph
TRICKY = (
    "---\ntitle: Tricky\n---\n```html\n<p style=\"a\">code</p>\n```\n\n"
    "Some <span style=\"color: red\">red</span> text.\n\n<script>\nvar x = 1;\n</script>\n"
)


@pytest.fixture
def legacy(tmp_path):
    """A repository with findings in every form: syntax errors, schema violations, body findings."""
    for form in ("yaml", "toml", "json"):
        shutil.copytree(FORMS / form, tmp_path / form)
    (tmp_path / "yaml" / "tricky.md").write_text(TRICKY, "utf-8")
    (tmp_path / ".artconv.toml").write_text('[lint]\nschema = "hugo"\n', "utf-8")
    first = run_artconv("lint", "--no-cache", ".", cwd=tmp_path)
    assert first.returncode == 1
    assert len(first.stdout.splitlines()) == 11
    return tmp_path


def _visible_text(root, out):
    """Each article's body as convert's JSON sees it (what a reader is shown), in one run."""
    run_artconv("convert", "--to", "json", "--no-guard", "--output", str(out), ".", cwd=root)
    return {str(p.relative_to(out)): json.loads(p.read_text("utf-8"))["body"]["text"] for p in sorted(out.rglob("*.json"))}


def _contents(root):
    return {p: p.read_bytes() for p in sorted(root.rglob("*.md"))}


def test_add_noqa_adopts_a_legacy_repository(legacy, tmp_path_factory):
    text_before = _visible_text(legacy, tmp_path_factory.mktemp("before"))
    assert len(text_before) == 7  # the three invalid-syntax files are not converted
    added = run_artconv("lint", "--add-noqa", ".", cwd=legacy)
    assert added.returncode == 0, added.stderr
    assert b"Added 11 noqa comments to 10 files." in added.stderr
    clean = run_artconv("lint", "--no-cache", ".", cwd=legacy)
    assert (clean.returncode, clean.stdout) == (0, b"")
    assert _visible_text(legacy, tmp_path_factory.mktemp("after")) == text_before  # nothing a reader sees changed

    # the comments are where the findings were, in each form's own way
    assert '"yes"  # noqa: FM101\n' in (legacy / "toml" / "schema-violation.md").read_text("utf-8")
    assert 'text. <!-- artconv-disable-line HT101 -->' in (legacy / "yaml" / "tricky.md").read_text("utf-8")
    assert '\n\n<!-- artconv-disable-next-line HT107 -->\n<script>' in (legacy / "yaml" / "tricky.md").read_text("utf-8")
    assert (legacy / "json" / "schema-violation.md").read_text("utf-8").endswith(
        "Body text.\n\n<!-- artconv-disable-file FM101 -->\n")  # JSON has no comments

    # idempotent: a second run adds nothing
    contents = _contents(legacy)
    again = run_artconv("lint", "--add-noqa", ".", cwd=legacy)
    assert b"Added 0 noqa comments to 0 files." in again.stderr
    assert _contents(legacy) == contents

    # a new finding fails
    valid = legacy / "toml" / "valid.md"
    valid.write_text(valid.read_text("utf-8") + '<p style="margin: 0">New.</p>\n', "utf-8")
    new = run_artconv("lint", "--no-cache", ".", cwd=legacy)
    assert new.returncode == 1
    assert new.stdout.decode().splitlines() == ["toml/valid.md:11:4: HT101 [*] inline style attribute on <p>"]


def test_a_baseline_file_adopts_a_legacy_repository(legacy):
    contents = _contents(legacy)
    written = run_artconv("lint", "--write-baseline", "baseline.json", ".", cwd=legacy)
    assert written.returncode == 0, written.stderr
    assert b"Wrote 11 findings to the baseline" in written.stderr
    assert _contents(legacy) == contents  # no article touched
    baseline = json.loads((legacy / "baseline.json").read_text("utf-8"))
    assert baseline["findings"]["json/schema-violation.md"] == {"FM101": {"'draft' is 'yes', not true/false": 1}}

    clean = run_artconv("lint", "--no-cache", "--baseline", "baseline.json", ".", cwd=legacy)
    assert (clean.returncode, clean.stdout) == (0, b"")

    # old findings moved by an edit stay known; from a subfolder the baseline still applies
    target = legacy / "json" / "schema-violation.md"
    target.write_text(target.read_text("utf-8").replace('"title"', '"summary": "added",\n  "title"'), "utf-8")
    moved = run_artconv("lint", "--no-cache", "--baseline", "../baseline.json", ".", cwd=legacy / "json")
    assert (moved.returncode, moved.stdout) == (0, b"")

    # a second finding of a known rule in the same file is new
    target.write_text(target.read_text("utf-8").replace('"tags"', '"weight": "heavy",\n  "tags"'), "utf-8")
    new = run_artconv("lint", "--no-cache", "--baseline", "baseline.json", ".", cwd=legacy)
    assert new.returncode == 1
    assert new.stdout.decode().splitlines() == ["json/schema-violation.md:5:13: FM101 'weight' is 'heavy', not a whole number"]


def test_whole_front_matter_findings_get_a_file_comment(tmp_path):
    (tmp_path / ".artconv.toml").write_text('[lint]\nselect = ["FM103"]\nschema = "rss-mirror"\n', "utf-8")
    (tmp_path / "a.md").write_text("---\ntitle: 'A'\n---\nBody.\n", "utf-8")
    (tmp_path / "b.md").write_text('+++\ntitle = "B"\n+++\nBody.\n', "utf-8")
    assert run_artconv("lint", "--no-cache", ".", cwd=tmp_path).returncode == 1
    added = run_artconv("lint", "--add-noqa", ".", cwd=tmp_path)
    assert added.returncode == 0, added.stderr
    assert (tmp_path / "a.md").read_text("utf-8").startswith("---\n# artconv: noqa: FM103\ntitle: 'A'\n")
    assert (tmp_path / "b.md").read_text("utf-8").startswith("+++\n# artconv: noqa: FM103\ntitle = \"B\"\n")
    assert run_artconv("lint", "--no-cache", ".", cwd=tmp_path).returncode == 0


def test_a_broken_baseline_is_a_usage_error(tmp_path):
    (tmp_path / "a.md").write_text("Body.\n", "utf-8")
    (tmp_path / "baseline.json").write_text("[]", "utf-8")
    result = run_artconv("lint", "--baseline", "baseline.json", ".", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.decode().startswith("error: baseline.json: not an artconv baseline")


def test_add_noqa_keeps_crlf_line_ends(tmp_path):
    (tmp_path / ".artconv.toml").write_text('[lint]\nschema = "hugo"\n', "utf-8")
    (tmp_path / "a.md").write_bytes(b'---\r\ntitle: x\r\ndraft: "yes"\r\n---\r\n<p style="a">x</p>\r\n')
    (tmp_path / "b.md").write_bytes(b'+++\r\ntitle = "x"\r\ndraft = "yes"\r\n+++\r\n<p style="a">x</p>\r\n')
    assert run_artconv("lint", "--add-noqa", ".", cwd=tmp_path).returncode == 0
    assert (tmp_path / "a.md").read_bytes() == (
        b'---\r\ntitle: x\r\ndraft: "yes"  # noqa: FM101\r\n---\r\n<p style="a">x</p> <!-- artconv-disable-line HT101 -->\r\n')
    assert b'draft = "yes"  # noqa: FM101\r\n' in (tmp_path / "b.md").read_bytes()
    result = run_artconv("lint", "--no-cache", ".", cwd=tmp_path)
    assert (result.returncode, result.stdout) == (0, b"")
