"""The review page (`convert … --report`, `lint … --report`) as data: what the page holds for
each file and each format, its escaping and its Content-Security-Policy. The page in a real
browser is tests/test_review_browser.py."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import re
from pathlib import Path

import pytest

from artconv.review.diff import MAX_PAIRS, word_diff
from artconv.review.entry import guard_before_after
from artconv.review.page import script_json
from conftest import FIXTURES, run_artconv

STYLED = "---\ntitle: styled\n---\n<p style=\"color:red\">Hello <font>world</font>.</p>\n<style>p{color:red}</style>\n"
CLEAN = "---\ntitle: clean\n---\nAlready clean.\n"
BUTTON = "---\ntitle: t\n---\nPress <button>Go</button> now.\n"  # JSON and XHTML drop the word Go
BROKEN = "---\ntitle: [unclosed\n---\nBody.\n"


def read_page(path: Path) -> tuple[dict, list[dict], str]:
    """(the index, every file's details, the page's text), read as the page's script reads them."""
    text = path.read_text("utf-8")
    index = json.loads(re.search(r'<script type="application/json" id="review-index">(.*?)</script>', text, re.S).group(1))
    packed = re.findall(r'<script type="application/json" id="d(\d+)">(.*?)</script>', text, re.S)
    details = [json.loads(gzip.decompress(base64.b64decode(json.loads(value)))) for _, value in packed]
    assert [int(number) for number, _ in packed] == list(range(len(index["files"])))
    return index, details, text


@pytest.fixture(scope="module")
def articles(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("review")
    for name, text in {"styled.md": STYLED, "clean.md": CLEAN, "button.md": BUTTON, "broken.md": BROKEN}.items():
        (folder / "posts").mkdir(exist_ok=True)
        (folder / "posts" / name).write_text(text, "utf-8")
    return folder


@pytest.mark.parametrize("fmt", ["md", "json", "xhtml", "epub"])
def test_every_format_writes_a_page_of_every_file(articles, fmt):
    out = articles / f"out-{fmt}" if fmt != "epub" else articles / "book.epub"
    page = articles / f"review-{fmt}.html"
    done = run_artconv("convert", "--to", fmt, "posts", "--output", str(out), "--report", str(page), cwd=articles)
    assert done.returncode == 1, done.stderr  # broken.md (and button.md outside md) fail
    index, details, _ = read_page(page)
    by_name = {Path(row["path"]).name: (row, detail) for row, detail in zip(index["files"], details, strict=True)}
    assert sorted(by_name) == ["broken.md", "button.md", "clean.md", "styled.md"]
    styled, styled_details = by_name["styled.md"]
    assert styled["status"] == "changed" and "style" in styled["transformers"]
    assert "color:red" not in styled_details["after"] and "Hello" in styled_details["after"]
    assert ["style", "<style> block", "p{color:red}"] in styled_details["removed"]
    assert by_name["broken.md"][0]["status"] == "failed" and "broken.md:3:1: invalid YAML" in by_name["broken.md"][0]["message"]
    button, button_details = by_name["button.md"]
    if fmt == "md":  # Markdown keeps the raw <button>: nothing is lost
        assert button["status"] in ("changed", "unchanged")
    else:  # the guard's before → after, and the output it refused, to look at
        assert button["status"] == "refused"
        assert button_details["guard"] == ["Press Go now.", "Press now."]
        assert "Press" in button_details["after"]
    assert sum(index["statuses"].values()) == 4
    assert index["transformers"]["style"] >= 1


def test_the_page_of_a_check_run_writes_no_output(articles):
    page = articles / "check.html"
    done = run_artconv("convert", "--to", "md", "--check", "posts/styled.md", "posts/clean.md", "--report", str(page), cwd=articles)
    assert done.returncode == 1
    index, details, _ = read_page(page)
    assert [row["status"] for row in index["files"]] == ["changed", "unchanged"]
    assert details[1]["diff"] == [["=", "Already clean.\n"]]


def test_lint_page_lists_findings_per_rule_and_what_fix_did(articles, tmp_path):
    for name in ("styled.md", "clean.md"):
        (tmp_path / name).write_bytes((articles / "posts" / name).read_bytes())
    page = tmp_path / "lint.html"
    done = run_artconv("lint", "--fix", "--no-cache", "styled.md", "clean.md", "--report", str(page), cwd=tmp_path)
    assert done.returncode in (0, 1), done.stderr
    index, details, _ = read_page(page)
    assert [row["status"] for row in index["files"]] == ["changed", "clean"]
    assert "HT101" in index["rules"] and "HT101" in index["files"][0]["rules"]
    # the page shows the file as it was before the fix was written, and after
    assert "Hello" in details[0]["before"] and "Hello" in details[0]["after"]
    assert details[0]["findings"] and details[0]["findings"][0][2].startswith(("HT", "FM"))
    assert "color:red" not in (tmp_path / "styled.md").read_text("utf-8")


def test_a_page_that_cannot_be_written_fails_the_run_in_one_line(articles):
    done = run_artconv("convert", "--to", "md", "--check", "posts/clean.md", "--report", "posts", cwd=articles)
    assert done.returncode == 1
    lines = done.stderr.decode().strip().splitlines()
    assert lines[0].startswith("error: posts: cannot write the review page: ") and len(lines) == 2  # and the summary


def test_stdin_has_no_page():
    done = run_artconv("convert", "--to", "md", "-", "--report", "r.html", stdin=CLEAN.encode())
    assert done.returncode == 2 and "--report" in done.stderr.decode()


def test_json_in_script_elements_cannot_end_them():
    hostile = "</script><script>alert(1)</script><!-- \u2028 \u2029 & </SCRIPT"
    text = script_json({"path": hostile})
    assert "<" not in text and ">" not in text and "\u2028" not in text and "\u2029" not in text
    assert json.loads(text) == {"path": hostile}


def test_the_policy_allows_exactly_the_page_own_script_and_styles(articles):
    page = articles / "review-md.html"
    if not page.exists():
        run_artconv("convert", "--to", "md", "posts", "--check", "--report", str(page), cwd=articles)
    _, _, text = read_page(page)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text).group(1).replace("&#x27;", "'")
    scripts = re.findall(r"<script>(.*?)</script>", text, re.S)
    assert len(scripts) == 1  # every other <script> is a JSON data block
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in policy
    assert "default-src 'none'" in policy and "unsafe-inline" not in policy and "http" not in policy
    style = re.search(r"<style>(.*?)</style>", text, re.S).group(1)
    assert base64.b64encode(hashlib.sha256(style.encode()).digest()).decode() in policy


def test_word_diff_marks_removed_and_added_words():
    ops, capped = word_diff("One two three.\nKeep this line.\n", "One three four.\nKeep this line.\n")
    assert not capped
    assert ["-", "two "] in ops and ["+", " four"] in ops
    assert ops[-1] == ["=", ".\nKeep this line.\n"]
    # CJK characters are words of their own
    ops, _ = word_diff("今天天气很好", "今天天气不好")
    assert ["-", "很"] in ops and ["+", "不"] in ops


def test_word_diff_of_a_huge_change_is_capped_and_linear():
    before = " ".join(f"w{i}" for i in range(3000))
    after = " ".join(f"v{i}" for i in range(3000))
    assert 3000 * 3000 > MAX_PAIRS
    ops, capped = word_diff(before, after)
    assert capped and [op for op, _ in ops] == ["-", "+"]


def test_the_guard_message_gives_before_and_after():
    message = 'x.md: would lose 1 word(s) [Go]: "Press Go now." → "Press now." (not written; --no-guard to force)'
    assert guard_before_after(message) == ["Press Go now.", "Press now."]
    assert guard_before_after("x.md: would change the structure: links: 2 → 1") is None


def test_template_syntax_is_shown_as_written_on_both_sides(tmp_path):
    # a Hugo shortcode as a link target is no link to CommonMark: the page renders the body with
    # the shortcodes set aside, so the link is a link on both sides and the diff sees no change
    source = FIXTURES / "hugo-shortcode-islands"
    for name in ("hugo.toml", "input.md"):
        (tmp_path / name).write_bytes((source / name).read_bytes())
    done = run_artconv("convert", "--to", "md", "--check", "input.md", "--report", "page.html", cwd=tmp_path)
    assert done.returncode == 1, done.stderr  # the file would change
    _, (details,), _ = read_page(tmp_path / "page.html")
    assert [op for op, _ in details["diff"]] == ["="]
    assert '{{< ref "other.md" >}}' in details["diff"][0][1].replace("&lt;", "<")
    assert "<a href=" in details["before"] and "<a href=" in details["after"]
