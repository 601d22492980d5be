"""Real generators: small Hugo, Jekyll and Hexo sites built before and after conversion show the same text.

The sites under tests/sites/ hold template syntax (Liquid, shortcodes, Nunjucks), pasted HTML
and a `.html` post, and a post of link targets, image sources and brackets that Markdown reads
otherwise than HTML. Each is copied twice; one copy's posts are converted by the `artconv`
command (the generator found from the site's own markers), both are built with the real
generator (scripts/sites installs them), and every built page must show the same text, compared
with whitespace taken out (a pipe table and an HTML table differ only in whitespace), and
link to the same targets and show the same images.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path
from urllib.parse import unquote

import lxml.html
import pytest

from artconv.transformers.tracking import clean_url, is_pixel
from conftest import REPO, run_artconv

SITES = REPO / "tests" / "sites"
HEXO_MODULES = SITES / "hexo" / "node_modules"


def _tool(name: str) -> str:
    found = shutil.which(name)
    assert found, f"{name} is not installed: run `bash scripts/sites` (scripts/test does)"
    return found


def _copy(site: str, target: Path) -> Path:
    shutil.copytree(SITES / site, target, ignore=shutil.ignore_patterns("node_modules", "public", "db.json"))
    return target


def _convert(site: Path, posts: str) -> list[Path]:
    """Convert the site's posts as a user would, put the Markdown in their place; the posts that changed."""
    folder = site / posts
    out = site.parent / (site.name + "-converted")
    result = run_artconv("convert", "--to", "md", str(folder), "--output", str(out))
    assert result.returncode == 0, result.stderr.decode()
    changed = []
    for source in sorted(p for p in folder.rglob("*") if p.suffix in (".md", ".html")):
        converted = out / source.relative_to(folder).with_suffix(".md")
        text = converted.read_text("utf-8")
        if text != source.read_text("utf-8"):
            changed.append(source)
        source.unlink()
        source.with_suffix(".md").write_text(text, "utf-8")
    return changed


# Markdown text goes through the generator's typographer (goldmark's, kramdown's smart quotes)
# where raw HTML did not: "x" may come back as “x”. That is the site's style, not lost text.
_TYPOGRAPHY = str.maketrans({"“": '"', "”": '"', "‘": "'", "’": "'", "–": "-", "—": "-", "…": "..."})


def _visible(page: str) -> str:
    root = lxml.html.fromstring(page)
    # Hexo numbers the lines of a Markdown code block in a gutter of its own (not of an HTML one)
    for hidden in root.xpath("//script|//style|//td[contains(@class, 'gutter')]"):
        hidden.drop_tree()
    return "".join(root.text_content().translate(_TYPOGRAPHY).split())


def _targets(page: str) -> list[str]:
    """Every link target and image source of a page, as a browser follows them (percent
    escapes decoded: generators encode differently what raw HTML and Markdown spell), and every
    image's alt text."""
    root = lxml.html.fromstring(page)
    # Hexo gives a Markdown heading (not an HTML one) an anchor to itself: the site's, not ours
    links = [a for a in root.iter("a") if a.get("href") and "headerlink" not in (a.get("class") or "")]
    images = [i for i in root.iter("img") if i.get("src") and not is_pixel(i)]  # pixels go on purpose
    found = [a.get("href") for a in links] + [i.get("src") for i in images]
    alts = [f"alt={' '.join((i.get('alt') or '').split())}" for i in images]
    return sorted(unquote(clean_url(url)) for url in found) + sorted(alts)  # tracking parameters go on purpose


def _same_pages(before: dict[str, str], after: dict[str, str]) -> None:
    assert sorted(before) == sorted(after)
    for name in before:
        assert _visible(after[name]) == _visible(before[name]), (name, before[name], after[name])
        assert _targets(after[name]) == _targets(before[name]), (name, before[name], after[name])


def _pages(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): p.read_text("utf-8") for p in sorted(folder.rglob("*.html"))}


def _build_jekyll(site: Path) -> dict[str, str]:
    subprocess.run([_tool("jekyll"), "build", "--quiet", "-s", str(site), "-d", str(site / "_site")], check=True, timeout=120)
    return _pages(site / "_site")


def _build_hugo(site: Path) -> dict[str, str]:
    subprocess.run([_tool("hugo"), "--quiet", "-s", str(site), "-d", str(site / "public")], check=True, timeout=120)
    return _pages(site / "public")


def _build_hexo(site: Path) -> dict[str, str]:
    assert (HEXO_MODULES / "hexo").is_dir(), "Hexo is not installed: run `bash scripts/sites` (scripts/test does)"
    (site / "node_modules").symlink_to(HEXO_MODULES)
    result = subprocess.run([_tool("node"), "render.js", str(site)], cwd=site, capture_output=True, check=True, timeout=120)
    return json.loads(result.stdout)


@pytest.mark.parametrize(
    ("site", "posts", "build"),
    [("jekyll", "_posts", _build_jekyll), ("hugo", "content", _build_hugo), ("hexo", "source/_posts", _build_hexo)],
)
def test_the_built_site_shows_the_same_text_after_conversion(tmp_path, site, posts, build):
    original = build(_copy(site, tmp_path / "original"))
    converted_site = _copy(site, tmp_path / "site")
    changed = _convert(converted_site, posts)
    assert changed, "the fixture site must give the converter something to do"
    _same_pages(original, build(converted_site))
