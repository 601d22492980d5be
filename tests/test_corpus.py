"""The installed command over all of ../shared/corpus, as a subprocess, as a user would run it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from markdown_it import MarkdownIt

from artconv import read_article
from conftest import CORPORA, CORPUS

# markup that must not survive in rendered-as-HTML parts of the output
FORBIDDEN_HTML = re.compile(
    r"style\s*=|<style|<font|<script|cms-style|referrerpolicy|<!--(?!\s*more\s*-->)", re.IGNORECASE
)
FORBIDDEN_ANYWHERE = ["appendQr", "海量资讯、精准解读", "utm_source=", "utm_medium=", "fbclid="]
ERROR_LINE = re.compile(r"^error: (.+?\.(?:md|markdown|html))(?::\d+(?::\d+)?)?: (.+)$")


@pytest.fixture(scope="module")
def corpus_run(corpus_md):
    return corpus_md["corpus"]


def _inputs() -> list[Path]:
    return sorted(p for p in CORPUS.rglob("*") if p.suffix in (".md", ".markdown", ".html") and p.is_file())


def test_no_traceback_and_every_file_converted_or_named(corpus_run):
    out, run = corpus_run
    stderr = run.stderr.decode("utf-8")
    assert "Traceback" not in stderr
    assert run.returncode in (0, 1)
    failed = set()
    for line in stderr.splitlines():
        if line.startswith("error:"):
            match = ERROR_LINE.match(line)
            assert match, f"error line without a file name: {line}"
            failed.add(Path(match.group(1)).resolve())
    converted = {
        (CORPUS / p.relative_to(out)).resolve() for p in out.rglob("*.md")
    }
    inputs = {p.resolve() for p in _inputs()}
    # an .html input is written as .md: map names back
    converted_inputs = {p for p in inputs if (out / p.relative_to(CORPUS.resolve())).with_suffix(".md").exists()}
    assert converted_inputs | failed == inputs
    assert not (converted_inputs & failed)
    assert len(converted) >= len(converted_inputs)
    assert (run.returncode == 1) == bool(failed)
    assert f"Converted {len(converted_inputs)} of {len(inputs)} files" in stderr


def test_no_style_script_font_comment_tracking_or_promo_left(corpus_run):
    out, _ = corpus_run
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table"])
    problems = []
    for path in sorted(out.rglob("*.md")):
        text = path.read_text("utf-8")
        body = read_article(text.encode("utf-8")).body
        for token in parser.parse(body):
            pieces = [token] + list(token.children or [])
            for piece in pieces:
                if piece.type in ("html_block", "html_inline") and FORBIDDEN_HTML.search(piece.content):
                    problems.append(f"{path.relative_to(out)}: {piece.content.strip()[:80]}")
                for name in ("href", "src"):
                    value = piece.attrs.get(name) if piece.attrs else None
                    if value and re.search(r"[?&](utm_[a-z]+|fbclid)=", str(value)):
                        problems.append(f"{path.relative_to(out)}: tracking URL {value}")
        for marker in FORBIDDEN_ANYWHERE:
            if marker in body and path.name != "README.md":
                problems.append(f"{path.relative_to(out)}: {marker}")
    assert not problems, "\n".join(problems[:20])


def test_markdown_of_markdown_changes_nothing_and_is_never_refused(corpus_md, artconv):
    # over both corpora: converting the output again must find nothing to change, and the
    # guard must find nothing lost (a second run that refuses a file is as unstable as one that
    # rewrites it)
    check = artconv("convert", "--to", "md", "--check", *(str(corpus_md[corpus.name][0]) for corpus in CORPORA))
    stderr = check.stderr.decode("utf-8")
    assert "Traceback" not in stderr
    problems = [line for line in stderr.splitlines() if line.startswith(("error:", "would change:"))]
    assert not problems, "\n".join(problems[:20])
    assert check.returncode == 0, stderr[-2000:]


def test_front_matter_unchanged_unless_a_transformer_said_so(corpus_run):
    out, _ = corpus_run
    changed_without_reason = []
    for path in sorted(out.rglob("*.md")):
        source = next(
            p for p in (CORPUS / path.relative_to(out)).parent.glob(path.stem + ".*") if p.suffix in (".md", ".markdown", ".html")
        )
        original = read_article(source.read_bytes())
        converted = read_article(path.read_bytes())
        if not converted.head.startswith(original.head) or converted.closing != original.closing:
            changed_without_reason.append(str(path))
            continue
        added = converted.head[len(original.head):]
        keys = {line.split(":", 1)[0] for line in added.splitlines()}
        if not keys <= {"editor", "source"}:
            changed_without_reason.append(f"{path}: {added!r}")
    assert not changed_without_reason, "\n".join(changed_without_reason[:10])


def test_the_family_script_prints_one_row_per_family(tmp_path):
    import subprocess
    import sys

    from conftest import REPO

    corpus = tmp_path / "mini"
    (corpus / "clean").mkdir(parents=True)
    (corpus / "broken").mkdir()
    (corpus / "clean" / "a.md").write_text("---\ntitle: a\n---\n<p style=\"color:red\">Red</p>\n", "utf-8")
    (corpus / "clean" / "b.md").write_text("---\ntitle: b\n---\nPlain *Markdown*.\n", "utf-8")
    (corpus / "broken" / "c.md").write_text("---\ntitle: c: d\n---\nText.\n", "utf-8")
    run = subprocess.run([sys.executable, str(REPO / "scripts" / "families"), str(corpus)],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 0, run.stderr
    rows = [line for line in run.stdout.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows[1].startswith("| mini/broken | 1 | 0 | 0 | 1 | 0 | 0 | ")
    assert rows[2].startswith("| mini/clean | 2 | 2 | 0 | 0 | 0 | 0 | ")
    assert rows[3].startswith("| **all** | 3 | 2 | 0 | 1 | 0 | 0 | ")
