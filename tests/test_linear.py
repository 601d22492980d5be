"""Hostile inputs of issue 13 (super-linear time on small files) and the per-file budget, run through the installed command.

Each case is a real subprocess of `artconv` on a generated file, with a generous time limit: the
test checks that the run ends within it and gives the contract's outcome (exit code, one
`error: PATH…` line naming the file, no traceback), not how fast it was. How the cost grows
with the input is measured by bench/linearity.py, not here.
"""

from __future__ import annotations

import re
import subprocess
import zipfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ARTCONV

FRONT = "---\ntitle: t\n---\n\n"
UNWRAPPED = '<span style="color:red">a</span> <font color=red>f</font> <!-- c --> <a href="r">l</a> '
LIMIT = re.compile(r"the per-file limit \(--(time|memory)-limit\)$")


@dataclass(frozen=True)
class Repro:
    name: str
    text: str
    commands: tuple[str, ...]  # lint, md, json, xhtml
    code: int | None  # None: 0, or 1 with a per-file budget error (the work is linear but large)
    message: str | None = None  # regex for the error line, without "error: "
    timeout: int = 90


REPROS = [
    Repro("unclosed-inline-tags", FRONT + "x " + "<b " * 4000 + "\n", ("lint", "md", "json"), 0),
    Repro("angle-reference-lines", FRONT + "[a]: <b\n" * 4000, ("lint", "md", "json"), 0),
    # a check per comment that rescanned the line (lint), a lazy regex over leading comments
    # (exponential: 40 comments took minutes) and HTML regions merged by rescanning from their
    # start (convert); an all-comment block is the author's: nothing to report, nothing to remove
    Repro("comments-on-one-line", FRONT + "<!-- x -->" * 80000 + "\n", ("lint", "md"), 0),
    Repro("comment-blocks", FRONT + "<!-- x -->\n\n" * 20000, ("lint", "md"), 0),
    Repro("many-attributes", FRONT + "<p " + " ".join(f"a{i}=1" for i in range(30000)) + ">x</p>\n",
          ("lint", "md", "xhtml"), 1,
          r"^input\.md(:5)?: an element has more than 1,000 attributes, which the HTML parser reads in quadratic time$"),
    Repro("wide-table", FRONT + "|" + "a|" * 2000 + "\n|" + "-|" * 2000 + "\n" + "x\n" * 2000, ("json", "xhtml"), 1,
          r"^input\.md:5: a Markdown table of 2,000 columns and 2,000 rows would render 4,000,000 cells"),
    Repro("backtick-storm", FRONT + "`a" * 2_250_000 + "\n", ("md",), None, timeout=150),
    Repro("reference-definitions", FRONT + "".join(f"[r{i}]: /u{i}\n" for i in range(50000)) + "\n[r1] x\n",
          ("json",), None, timeout=150),
    Repro("entity-bomb", FRONT + "&amp;" * 1_800_000 + "\n", ("md",), None, timeout=150),
    # the whitespace transformer looked ahead from every blank line to the next text: 20,000
    # blank lines (20 KB) took 9 s, 80,000 ran past the budget
    Repro("blank-lines", FRONT + "a\n" + "\n" * 80_000 + "b\n", ("lint", "md", "json"), 0),
    # each escaped `<` was checked against every span kept before it: 20,000 took lint 10 s
    Repro("escaped-angles", FRONT + "\\* \\_ \\< " * 20_000 + "\n", ("lint", "md", "json"), 0),
    # markdown-it's Rust port pairs emphasis in quadratic time within a paragraph: the guard's
    # render of 64,000 `a **x**` lines (a CRLF article of <b> tags) took 20 s
    Repro("emphasis-paragraph", FRONT + "a <b>x</b>\r\n" * 64_000, ("md", "json"), None, timeout=150),
    # each removed or unwrapped element's text was merged into the growing text before it, one
    # edit at a time: the budget stopped all three (10 s); gathered and applied together, 2-4 s
    # regexes tried from every character of a run and failing at its end: NBSPs at the edge of
    # an <em> backtracked exponentially (40 of them), 80,000 spaces in a line of HTML text and
    # 160,000 `[` were n²; the budget stopped each, now each takes well under a second
    Repro("nbsp-emphasis", FRONT + "a <em>&nbsp;y" + "\u00a0" * 40 + "x</em> b\n", ("lint", "md", "json"), 0),
    Repro("space-run", FRONT + "<p>a" + " " * 80_000 + "b\nc</p>\n", ("lint", "md", "json"), 0),
    Repro("bracket-run", FRONT + "<p>" + "[" * 160_000 + "</p>\n", ("lint", "md"), 0),
    # each <br> walked over every other break of its run to find the block's edge: 3,750 <br> in
    # a row (15 KB) took 4 s, 20,000 ran past the budget
    Repro("br-run", FRONT + "<p>a" + "<br>" * 20_000 + "b\nc</p>\n", ("lint", "md", "json"), 0),
    Repro("unwraps-in-a-paragraph", FRONT + "<p>" + UNWRAPPED * 20_000 + "</p>\n", ("md", "json", "xhtml"), 0, timeout=120),
    # a site profile's unwraps went one at a time too: 32,000 auto-links of IT之家's profile in one
    # paragraph (1.3 MB) ran past the budget (10 s); in one batch, 1.2 s
    # a <pre> left open across blank-line-separated HTML lines (highlighter output with <br>
    # line breaks) was read again for each line the region took in: 40,000 lines (240 KB) ran
    # past the budget; each stretch is read once now, 1.2 s
    Repro("pre-open-over-breaks", FRONT + '<div class="highlight"><pre><span>a' + "\n<br>\n" * 40_000 + "b</span></pre></div>\n",
          ("lint", "md", "json"), 0),
    # each suppression comment counted the lines before it from the start of the body, and each
    # `enable` looked back over every open `disable`: 25,000 `--add-noqa` comments, or 20,000
    # unmatched disables, made lint run past the budget; now 1.6 s and 2.2 s
    Repro("noqa-comments", FRONT + "<font>x</font> <!-- artconv-disable-line HT103 -->\n" * 40_000, ("lint",), 0),
    Repro("unmatched-disables", FRONT + "".join(f"<!-- artconv-disable X{i} -->\n" for i in range(20_000))
          + "<!-- artconv-enable Y -->\n<font>x</font>\n" * 20_000, ("lint",), 1),
    # the structural guard searched the whole output for every image the output no longer
    # shows, even when all of them were removed on purpose: 40,000 tracking pixels (2.7 MB) took
    # 12 s; the guard no longer excuses a lost image by its URL, and compares targets as counters
    Repro("removed-pixels", FRONT + "".join(f'<p>Some text {i}.<img src="http://x.org/p{i}.gif" width="1" height="1"></p>\n'
                                              for i in range(40_000)), ("md",), 0),
    # a template island's stand-in was looked up among all earlier ones, and each was written
    # back by its own pass over the output: 6,000 lines of two Liquid islands took 11 s
    Repro("template-islands", FRONT + "".join(f"{{{{ site.x{i} }}}} and {{% if a %}}t{i}{{% endif %}}\n\n" for i in range(40_000)),
          ("md", "json"), 0),
    # each of 1,000 nested <pre> (unclosed) had all that lies below it read again by code-blocks
    # and by the guard: 5,000 spans below them took 10 s; found once for the outermost now
    Repro("nested-pre", FRONT + "<pre>" * 1000 + "<span>x</span> " * 5000 + "\n", ("md",), 0),
    # every end tag asked whether any open element had its name by looking through all of them:
    # 20,000 unclosed <span> then 20,000 stray </b> ran past the budget in lint; 0.5 s now
    Repro("stray-end-tags", FRONT + "<div>\n" + "<span>" * 20_000 + "</b>" * 20_000 + "\n</div>\n", ("lint",), 1),
    Repro("site-profile-unwraps", FRONT + "<p>" + '<a class="s_tag" href="/">w</a> t ' * 40_000 + "</p>\n", ("lint", "md"), 0),
]
ARGV = {"lint": ["lint", "--no-cache"], "md": ["convert", "--to", "md"], "json": ["convert", "--to", "json"],
        "xhtml": ["convert", "--to", "xhtml"]}


def _run(argv: list[str], cwd: Path, timeout: int) -> subprocess.CompletedProcess:
    return subprocess.run([str(ARTCONV), *argv], cwd=cwd, capture_output=True, timeout=timeout, stdin=subprocess.DEVNULL)


@pytest.fixture(scope="module")
def ran(tmp_path_factory) -> dict[tuple[str, str], subprocess.CompletedProcess]:
    """Every run at once, two at a time: the big cases take a while each."""
    work = []
    for repro in REPROS:
        folder = tmp_path_factory.mktemp(repro.name)
        (folder / "input.md").write_text(repro.text, "utf-8")
        work.extend((repro, command, folder) for command in repro.commands)
    with ThreadPoolExecutor(max_workers=2) as pool:
        done = pool.map(lambda w: ((w[0].name, w[1]), _run([*ARGV[w[1]], "input.md"], w[2], w[0].timeout)), work)
        return dict(done)


@pytest.mark.parametrize("repro", REPROS, ids=lambda r: r.name)
def test_hostile_input_ends_with_the_contract_outcome(repro: Repro, ran):
    for command in repro.commands:
        run = ran[(repro.name, command)]
        stderr = run.stderr.decode("utf-8", "replace")
        assert "Traceback" not in stderr and "internal error" not in stderr, (command, stderr[:500])
        errors = [line.removeprefix("error: ") for line in stderr.splitlines() if line.startswith("error: ")]
        if repro.code is None:  # finished, or stopped by the budget with its one line
            assert run.returncode in (0, 1), (command, run.returncode, stderr[:500])
            if run.returncode == 1:
                assert len(errors) == 1 and errors[0].startswith("input.md: ") and LIMIT.search(errors[0]), (command, stderr)
            continue
        assert run.returncode == repro.code, (command, run.returncode, stderr[:500])
        if repro.message:
            assert len(errors) == 1 and re.search(repro.message, errors[0]), (command, stderr[:500])
        else:  # exit 1 for findings, not for a run the budget had to stop (the same exit code)
            assert not any(LIMIT.search(error) for error in errors), (command, stderr[:500])


def test_budget_stops_one_file_and_the_others_go_on(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a-good.md").write_text(FRONT + "Good words.\n", "utf-8")
    (posts / "b-storm.md").write_text(FRONT + "`a" * 1_000_000 + "\n", "utf-8")
    (posts / "c-good.md").write_text(FRONT + "More good words.\n", "utf-8")
    run = _run(["convert", "--to", "json", "posts", "--output", "out", "--time-limit", "1"], tmp_path, 120)
    stderr = run.stderr.decode()
    assert run.returncode == 1, stderr
    assert re.search(r"^error: posts/b-storm\.md: stopped after 1 s of CPU time, the per-file limit \(--time-limit\)$", stderr, re.M), stderr
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["a-good.json", "c-good.json"]
    assert "Converted 2 of 3 files" in stderr

    # JSON: its guard renders and sanitises the body (Markdown written back unchanged is no
    # longer rendered at all, and stays far below the limit)
    memory = _run(["convert", "--to", "json", "posts/b-storm.md", "--memory-limit", "100"], tmp_path, 120)
    assert memory.returncode == 1
    assert memory.stderr.decode().splitlines() == [
        "error: posts/b-storm.md: stopped at 100 MiB of memory, the per-file limit (--memory-limit)"
    ]

    (posts / "d-elements.md").write_text(FRONT + "<p>x</p>" * 200_000 + "\n", "utf-8")  # a big tree to lint
    lint = _run(["lint", "--no-cache", "--memory-limit", "40", "posts"], tmp_path, 120)
    lines = lint.stderr.decode().splitlines()
    assert lint.returncode == 1, lines
    assert "error: posts/d-elements.md: stopped at 40 MiB of memory, the per-file limit (--memory-limit)" in lines


def test_epub_leaves_the_chapter_out_and_says_so(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "good.md").write_text("---\ntitle: Good\n---\n\nGood words.\n", "utf-8")
    (posts / "storm.md").write_text(FRONT + "`a" * 1_000_000 + "\n", "utf-8")
    run = _run(["convert", "--to", "epub", "posts", "--output", "book.epub", "--time-limit", "1"], tmp_path, 120)
    stderr = run.stderr.decode()
    assert run.returncode == 1, stderr
    assert re.search(
        r"^error: posts/storm\.md: stopped after 1 s of CPU time, the per-file limit \(--time-limit\); "
        r"the book is made without this chapter$", stderr, re.M), stderr
    with zipfile.ZipFile(tmp_path / "book.epub") as book:
        chapters = [name for name in book.namelist() if name.startswith("EPUB/chapter-")]
    assert chapters == ["EPUB/chapter-001.xhtml"]


def _profile_folder(tmp_path: Path, config: str) -> Path:
    (tmp_path / ".artconv.toml").write_text(config, "utf-8")
    (tmp_path / "post.md").write_text(
        FRONT + '<p class="promo">' + "a" * 40 + "b</p>\n\n<p class=\"promo\">" + "a" * 40 + "</p>\n\nKept words.\n", "utf-8"
    )
    return tmp_path


def test_user_pattern_that_backtracks_in_re_runs_in_linear_time(tmp_path):
    folder = _profile_folder(tmp_path, "[profiles.promo]\ndetect = ['p.promo']\nremove-text = ['(a+)+$']\n")
    for argv in (["lint", "--no-cache"], ["convert", "--to", "md"]):
        run = _run([*argv, "post.md"], folder, 60)
        assert run.returncode in (0, 1) and b"Traceback" not in run.stderr, run.stderr
    md = _run(["convert", "--to", "md", "post.md"], folder, 60)
    assert md.returncode == 0, md.stderr
    text = md.stdout.decode()
    assert "a" * 40 + "b" in text and "Kept words." in text
    assert "\n" + "a" * 40 + "\n" not in text  # the paragraph the pattern matches whole is removed


@pytest.mark.parametrize("config, where", [
    ("[profiles.promo]\ndetect = ['p']\nremove-text = ['(a)\\1']\n", r"site profile 'promo', remove-text"),
    ("[profiles.promo]\ndetect = ['p']\ncomments = ['(?<=x)y']\n", r"site profile 'promo', comments"),
    ("[profiles.promo]\ndetect = ['p']\nlift = [{ key = 'k', selector = 'p', pattern = '(?=x)' }]\n", r"site profile 'promo', lift"),
    ("[transformers.style]\nkeep-classes = ['(x)\\1']\n", r"keep-classes of transformer 'style'"),
])
def test_user_pattern_re2_cannot_run_is_a_configuration_error(tmp_path, config, where):
    folder = _profile_folder(tmp_path, config)
    for argv in (["lint", "--no-cache", "post.md"], ["convert", "--to", "md", "post.md"]):
        run = _run(argv, folder, 60)
        lines = run.stderr.decode().splitlines()
        assert run.returncode == 2, (argv, lines)
        assert len(lines) == 1 and re.match(rf"^error: {where}: pattern '.*' is refused by RE2, the linear-time engine", lines[0]), lines
        assert lines[0].endswith(f"in {folder / '.artconv.toml'}")
