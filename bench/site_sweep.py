"""Random posts built by a real site generator before and after `artconv convert`: what differs.

    .venv/bin/python bench/site_sweep.py hugo --seed 1 --posts 150               # pasted HTML
    .venv/bin/python bench/site_sweep.py jekyll --seed 3 --posts 150 --mode md   # Markdown + inline HTML
    .venv/bin/python bench/site_sweep.py hexo --seed 1 --posts 150 --islands     # template syntax in text and URLs

tests/test_sites.py checks fixed posts on every run; this sweep writes N random posts of nested
pasted HTML (or Markdown with inline HTML) full of Markdown-looking punctuation into a copy of
tests/sites/SITE, builds it (scripts/sites installs the generators), converts the posts as a
user would, builds again and prints each page whose visible text or link targets, image
sources and alt texts differ (test_sites' comparison), then a count. A build that fails is the
worst outcome: the exception ends the sweep. The same seed gives the same posts.
"""

from __future__ import annotations

import argparse
import collections
import difflib
import html
import random
import shutil
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "tests"))

import test_sites as sites  # noqa: E402  (the generators' builds and the page comparison)

POSTS = {"jekyll": "_posts", "hugo": "content/post", "hexo": "source/_posts"}
BUILD = {"jekyll": sites._build_jekyll, "hugo": sites._build_hugo, "hexo": sites._build_hexo}
WORDS = ["word", "文字", "中文。", "a_b", "1.", "-", "#", ">", "*", "**", "_", "`", "[1]", "[x]", "(y)", "!", "&amp;",
         "&lt;b&gt;", "\\", "|", "~", "+", "=", "C++", "snake_case_name", "“quote”", "：", "&nbsp;", "{x}", "$", "%",
         "^", "@", "'s", '"q"']
LIQUID = ["{{ site.title }}", "{% if true %}yes{% endif %}", "{{ page.title | upcase }}"]
INLINE = ["strong", "em", "b", "i", "code", "a", "span", "font", "u", "s", "sup", "sub"]
MARKDOWN = ["word", "文字", "中文。", "**bold**", "*em*", "`code`", "[link](/l/x)", "![i](/i.png)", "a_b", "C++", "(y)",
            "“quote”", "：", " "]


class Posts:
    """The random posts: the order of the draws is the sweep's, so a seed names its posts."""

    def __init__(self, seed: int, site: str, islands: bool) -> None:
        self.rnd = random.Random(seed)
        self.islands = islands
        self.words = (LIQUID if site == "jekyll" and islands else []) + WORDS

    def text(self) -> str:
        return " ".join(self.rnd.choice(self.words) for _ in range(self.rnd.randint(1, 4)))

    def inline(self, depth: int) -> str:
        rnd = self.rnd
        if depth > 2 or rnd.random() < 0.45:
            return self.text()
        tag = rnd.choice(INLINE)
        inner = "".join(self.inline(depth + 1) for _ in range(rnd.randint(1, 2)))
        if tag == "a":
            base = rnd.choice(["{{ site.baseurl }}", ""]) if self.islands else ""
            return f'<a href="{base}/p{rnd.randint(0, 9)}/x?a=1&amp;b=2">{inner}</a>'
        if tag == "font":
            return f'<font color="red">{inner}</font>'
        if tag == "span":
            return f'<span style="color:red">{inner}</span>'
        if tag == "code":
            return f"<code>{html.escape(self.text())}</code>"
        return f"<{tag}>{inner}</{tag}>"

    def block(self, depth: int) -> str:
        rnd = self.rnd
        tag = rnd.choice(["p", "p", "p", "ul", "ol", "blockquote", "h3", "pre", "table", "div"])
        if depth > 1:
            tag = "p"
        if tag in ("ul", "ol"):
            return f"<{tag}>" + "".join(f"<li>{self.inline(0)}</li>" for _ in range(rnd.randint(1, 3))) + f"</{tag}>"
        if tag in ("blockquote", "div"):
            return f"<{tag}>" + "".join(self.block(depth + 1) for _ in range(rnd.randint(1, 2))) + f"</{tag}>"
        if tag == "pre":
            return "<pre>" + html.escape(self.text()) + "\n" + html.escape(self.text()) + "</pre>"
        if tag == "table":
            rows = ("<tr>" + "".join(f"<td>{self.inline(1)}</td>" for _ in range(2)) + "</tr>" for _ in range(2))
            return "<table>" + "".join(rows) + "</table>"
        return f"<{tag}>" + "".join(self.inline(0) for _ in range(rnd.randint(1, 3))) + f"</{tag}>"

    def markdown_line(self) -> str:
        rnd = self.rnd
        return " ".join(rnd.choice(MARKDOWN) if rnd.random() < 0.6 else self.inline(0) for _ in range(rnd.randint(2, 6)))

    def markdown(self) -> str:
        rnd = self.rnd
        paragraphs = []
        for _ in range(rnd.randint(1, 4)):
            kind = rnd.random()
            if kind < 0.5:
                paragraphs.append(self.markdown_line())
            elif kind < 0.65:
                paragraphs.append("\n".join("- " + self.markdown_line() for _ in range(rnd.randint(1, 3))))
            elif kind < 0.75:
                paragraphs.append("> " + self.markdown_line())
            elif kind < 0.85:
                paragraphs.append("## " + self.markdown_line())
            else:
                paragraphs.append(self.block(0))
        return "\n\n".join(paragraphs) + "\n"

    def body(self, mode: str) -> str:
        if mode == "md":
            return self.markdown()
        return "\n\n".join(self.block(0) for _ in range(self.rnd.randint(1, 3))) + "\n"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("site", choices=sorted(POSTS))
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--posts", type=int, default=150)
    parser.add_argument("--mode", choices=("html", "md"), default="html")
    parser.add_argument("--islands", action="store_true", help="template syntax in text (Jekyll) and in link targets")
    options = parser.parse_args()
    posts = Posts(options.seed, options.site, options.islands)
    work = Path(tempfile.mkdtemp(prefix="artconv-sweep-"))
    try:
        original = sites._copy(options.site, work / "original")
        folder = original / POSTS[options.site]
        for i in range(options.posts):
            name = f"2021-01-01-f{i:04d}.md" if options.site == "jekyll" else f"f{i:04d}.md"
            (folder / name).write_text(f"---\ntitle: F{i}\n---\n" + posts.body(options.mode), "utf-8")
        site = work / "site"
        shutil.copytree(original, site, ignore=shutil.ignore_patterns("node_modules", "public", "db.json", "_site"))
        before = BUILD[options.site](original)
        converted = site / POSTS[options.site]
        done = sites.run_artconv("convert", "--to", "md", str(converted), "--output", str(work / "converted"), "-q")
        refused = done.stderr.decode().count("error:")
        for source in sorted(converted.glob("*.md")):
            output = work / "converted" / source.name
            if output.exists():
                source.write_text(output.read_text("utf-8"), "utf-8")
        after = BUILD[options.site](site)
        return _report(options.site, before, after, refused)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _report(site: str, before: dict[str, str], after: dict[str, str], refused: int) -> int:
    differ: collections.Counter = collections.Counter()
    for name in before:
        if name not in after:
            differ["pages missing"] += 1
            continue
        shown, now = sites._visible(before[name]), sites._visible(after[name])
        if shown != now:
            differ["text"] += 1
            matcher = difflib.SequenceMatcher(None, shown, now, autojunk=False)
            changes = [(op, shown[max(0, a - 12):b + 4], now[max(0, c - 12):d + 4])
                       for op, a, b, c, d in matcher.get_opcodes() if op != "equal"]
            print(site, name, changes[:3])
        targets, targets_now = sites._targets(before[name]), sites._targets(after[name])
        if targets != targets_now:
            differ["targets"] += 1
            print(site, name, "targets", sorted(set(targets) ^ set(targets_now)))
    print(f"{site}: {len(before)} pages, {refused} posts refused by the guard, pages that differ: {dict(differ)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
