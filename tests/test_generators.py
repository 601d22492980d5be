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
