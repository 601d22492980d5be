"""The fidelity guard beyond words: structure, every output format, and what a refusal says."""

from __future__ import annotations

import json

from artconv.core import guard
from artconv.core.article import parse_article
from artconv.core.document import Document
from conftest import run_artconv

FOREIGN = "---\ntitle: t\n---\n<svg><foreignObject><p>Words</p></foreignObject></svg>\n"
BUTTON = "---\ntitle: t\n---\nPress <button>Go</button> now.\n"


def _doc(body: str) -> Document:
    return Document.from_article(parse_article("---\ntitle: t\n---\n" + body))


def test_svg_foreign_object_words_survive_in_xhtml_and_json(tmp_path):
    (tmp_path / "x.md").write_text(FOREIGN, "utf-8")
    for fmt in ("xhtml", "json"):
        done = run_artconv("convert", "--to", fmt, "x.md", "--output", "out", cwd=tmp_path)
        assert done.returncode == 0, done.stderr
    assert "<p>Words</p>" in (tmp_path / "out" / "x.xhtml").read_text("utf-8")
    assert json.loads((tmp_path / "out" / "x.json").read_text("utf-8"))["body"]["text"] == "Words"


def test_text_the_sanitiser_drops_is_a_per_file_error_in_json(tmp_path):
    # the Markdown output keeps the raw <button>, but JSON and XHTML drop form controls with
    # their content: the word would go
    (tmp_path / "x.md").write_text(BUTTON, "utf-8")
    done = run_artconv("convert", "--to", "json", "x.md", "--output", "out", cwd=tmp_path)
    assert done.returncode == 1
    assert 'would lose 1 word(s) [Go]: "Press Go now." → "Press now."' in done.stderr.decode()
    assert not (tmp_path / "out" / "x.json").exists()
    assert run_artconv("convert", "--to", "md", "x.md", "--output", "md", cwd=tmp_path).returncode == 0


def test_a_merged_word_is_shown_before_and_after():
    body = "<p>last visited October 5</p>\n"
    loss = guard.check(_doc(body), body, "last visitedOctober 5\n")
    assert loss.describe() == 'would lose 2 word(s) [visited October]: "last visited October 5" → "last visitedOctober 5"'


def test_a_lost_link_target_is_named():
    body = 'See [a](https://a.example/) and [b](https://b.example/x).\n'
    loss = guard.check(_doc(body), body, "See [a](https://a.example/) and b.\n")
    assert loss.describe() == "would change the structure: links: 2 → 1 (lost https://b.example/x)"


def test_code_that_became_prose_is_named():
    body = "Run `x * 5` now.\n"
    loss = guard.check(_doc(body), body, "Run x \\* 5 now.\n")
    assert loss.describe() == 'would change the structure: code 1 changed: "x*5" → "(no code)"'


def test_merged_code_spans_are_the_same_code():
    body = "<p>Run <code>a</code><code>b</code> now</p>\n"
    assert guard.check(_doc(body), body, "Run `ab` now\n") is None


def test_flattened_cells_and_items_are_refused():
    table = "| a | b |\n| --- | --- |\n| c | d |\n"
    assert "table cells: 4 → 0" in guard.check(_doc(table), table, "a b c d\n").describe()
    items = "- one\n- two\n"
    assert "list items: 2 → 0" in guard.check(_doc(items), items, "one two\n").describe()


def test_a_placeholder_left_in_the_output_is_refused():
    # a template island stands in the pipeline as one private-use character until the writer
    # writes it back; one left behind (raw, or percent-encoded by an HTML serialiser in `href`)
    # loses the island, and no word or count shows it: the link and its text are still there
    body = '<p>See <a href="{{ site.url }}/a">the docs</a>, <b>\U000f0000</b>.</p>\n'
    doc = _doc(body)
    island = doc.fragment("{{ site.url }}", "{{ site.url }}")
    assert island != "\U000f0000"  # the body's own private-use character is never one
    encoded = "".join(f"%{byte:02X}" for byte in island.encode("utf-8"))
    for leaked in (f"[the docs]({encoded}/a)", f"[the docs]({island}/a)", f"[the docs]({encoded.lower()}/a)"):
        loss = guard.check(doc, body, f"See {leaked}, **\U000f0000**.\n", islands="jekyll")
        assert loss is not None and "a placeholder was not written back" in loss.describe(), leaked
        assert "'{{ site.url }}'" in loss.describe()
    assert guard.check(doc, body, "See [the docs]({{ site.url }}/a), **\U000f0000**.\n", islands="jekyll") is None


def test_a_changed_link_target_is_refused_even_when_the_counts_hold():
    body = "See [a](https://a.example/one) and ![i](/img/x.png).\n"
    loss = guard.check(_doc(body), body, "See [a](https://a.example/two) and ![i](/img/x.png).\n")
    assert loss.describe() == "would change the structure: links: target changed: https://a.example/one → https://a.example/two"
    loss = guard.check(_doc(body), body, "See [a](https://a.example/one) and ![i](/img/y.png).\n")
    assert "images: target changed: /img/x.png → /img/y.png" in loss.describe()
    # the same URL spelled otherwise is the same target: references, percent escapes, <…>
    same = "See [a](<https://a.example/one>) and ![i](/img/%78.png).\n"
    assert guard.check(_doc(body), body, same) is None


def test_a_link_still_spelled_out_but_no_longer_a_link_is_lost():
    # the count check used to excuse a link whose URL was still written somewhere in the output
    body = '<p><a href="#fn6">[6]</a> and <a href="/b">b</a></p>\n'
    loss = guard.check(_doc(body), body, '<a href="#fn6"></a>[6] and [b](/b)\n')
    assert loss.describe() == "would change the structure: links: 2 → 1 (lost #fn6)"


def test_tracking_parameters_taken_off_are_a_declared_change(tmp_path):
    post = tmp_path / "p.md"
    post.write_text(
        '---\ntitle: t\n---\n\n<p><a href="https://e.org/a?id=1&amp;utm_source=feed">a</a> and '
        '<img src="https://e.org/i.png?utm_medium=x"></p>\n\nAnd [m](https://e.org/m?utm_campaign=y).\n', "utf-8"
    )
    done = run_artconv("convert", "--to", "md", "p.md", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout.decode()
    assert "(https://e.org/a?id=1)" in out and "(https://e.org/i.png)" in out and "(https://e.org/m)" in out
