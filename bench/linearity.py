"""Linearity benchmark: for each class of hostile input, the time at sizes n and 4n, and the ratio.

    bash scripts/bench --linearity-only          # this table alone (about two minutes)
    .venv/bin/python bench/linearity.py [--only CLASS …] [--commands lint,json]

Each class is an input shape that once took super-linear time or memory (issue 13). For each,
the installed `artconv` runs as a subprocess on the input at size n and at size 4n, with the
per-file budget off (--time-limit 0 --memory-limit 0) so that the raw cost shows, and the CPU
time of the run (user + system, children included) is measured: on a shared machine it moves far
less than wall time. Work linear in the input gives a ratio near 4, so the goal is a ratio of at
most 5. It is a benchmark, not a test: it prints, and exits 1 only when a ratio is over the goal.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

ARTCONV = str(Path(sys.executable).with_name("artconv"))
GOAL = 5.0
TIMEOUT = 300
FRONT = "---\ntitle: t\n---\n\n"
_UNWRAPPED = '<span style="color:red">a</span> <font color=red>f</font> <!-- c --> <a href="r">l</a> '


@dataclass(frozen=True)
class InputClass:
    name: str
    n: int
    make: Callable[[int], str]  # the article at size n
    what: str
    config: str | None = None  # an .artconv.toml beside the article


CLASSES = [
    InputClass("unclosed-inline-tags", 4000, lambda n: FRONT + "x " + "<b " * n + "\n", "x <b <b <b … on one line"),
    InputClass("angle-reference-lines", 4000, lambda n: FRONT + "[a]: <b\n" * n, "[a]: <b lines"),
    InputClass("comments-on-one-line", 20000, lambda n: FRONT + "<!-- x -->" * n + "\n", "<!-- x --> × n, one line"),
    InputClass("comment-blocks", 20000, lambda n: FRONT + "<!-- x -->\n\n" * n, "n comment blocks between blank lines"),
    InputClass("many-attributes", 30000,
               lambda n: FRONT + "<p " + " ".join(f"a{i}=1" for i in range(n)) + ">x</p>\n", "one element, n attributes"),
    InputClass("many-attributes-inline", 30000,
               lambda n: FRONT + "x <span " + " ".join(f"a{i}=1" for i in range(n)) + ">y</span>\n",
               "the same inside Markdown text"),
    InputClass("wide-table", 2000,
               lambda n: FRONT + "|" + "a|" * n + "\n|" + "-|" * n + "\n" + "x\n" * n, "n header cells over n short rows"),
    InputClass("tall-table", 2000,
               lambda n: FRONT + "| a | b |\n|---|---|\n" + "".join(f"| {i} | x |\n" for i in range(n)), "a 2-column table of n rows"),
    InputClass("backtick-storm", 250_000, lambda n: FRONT + "`a" * n + "\n", "`a`a`a … (4n: 2 MB)"),
    InputClass("unmatched-backticks", 50_000,
               lambda n: FRONT + "".join("`" * (k % 40 + 1) + "x " for k in range(n)) + "\n", "runs of 1..40 backticks"),
    InputClass("reference-definitions", 12_500,
               lambda n: FRONT + "".join(f"[r{i}]: /u{i}\n" for i in range(n)) + "\n[r1] x\n", "n link reference definitions"),
    InputClass("emphasis-paragraph", 16_000, lambda n: FRONT + "a <b>x</b>\r\n" * n,
               "n lines of <b> in one paragraph, CRLF (written as **x**)"),
    InputClass("escaped-angles", 5_000, lambda n: FRONT + "\\* \\_ \\< " * n + "\n", "n backslash-escaped `<` on one line"),
    InputClass("unwraps-in-a-paragraph", 5000, lambda n: FRONT + "<p>" + _UNWRAPPED * n + "</p>\n",
               "n <span>, <font>, comments and relative links in one paragraph (all unwrapped or removed)"),
    InputClass("pre-open-over-breaks", 2500, lambda n: FRONT + '<div class="highlight"><pre><span>a' + "\n<br>\n" * n + "b</span></pre></div>\n",
               "a <pre> left open over n blank-line-separated <br> lines (one HTML region)"),
    InputClass("noqa-comments", 5000, lambda n: FRONT + "<font>x</font> <!-- artconv-disable-line HT103 -->\n" * n,
               "n lines each with a finding and its suppression comment (what --add-noqa writes)"),
    InputClass("unmatched-disables", 2500, lambda n: FRONT + "".join(f"<!-- artconv-disable X{i} -->\n" for i in range(n))
               + "<!-- artconv-enable Y -->\n<font>x</font>\n" * n, "n `disable` comments, then n `enable`s that close none of them"),
    InputClass("removed-pixels", 2500, lambda n: FRONT + "".join(f'<p>Some text {i}.<img src="http://x.org/p{i}.gif" width="1" height="1"></p>\n' for i in range(n)),
               "n paragraphs, each with a tracking pixel the tracking transformer removes"),
    InputClass("template-islands", 1500, lambda n: FRONT + "".join(f"{{{{ site.x{i} }}}} and {{% if a %}}t{i}{{% endif %}}\n\n" for i in range(n)),
               "n lines of two template islands each (Liquid; the generator is not known, so kept as islands)"),
    InputClass("angle-destinations", 4000, lambda n: FRONT + "[a](<b c>) <i>x</i> " * n + "\n",
               "n links with a destination in angle brackets beside n raw tags, in one paragraph"),
    InputClass("nested-pre", 2500, lambda n: FRONT + "<pre>" * 500 + "<span>x</span> " * n + "\n",
               "500 unclosed <pre> nested, n spans below them"),
    InputClass("stray-end-tags", 5000, lambda n: FRONT + "<div>\n" + "<span>" * n + "</b>" * n + "\n</div>\n",
               "n unclosed <span> then n end tags that close nothing"),
    InputClass("site-profile-unwraps", 5000, lambda n: FRONT + "<p>" + '<a class="s_tag" href="/">w</a> t ' * n + "</p>\n",
               "n auto-links a built-in site profile unwraps, in one paragraph"),
    InputClass("nested-unwraps", 500, lambda n: FRONT + "<p>" + "<span>a " * n + "x" + "</span>" * n + "</p>\n",
               "<span> nested n deep (all unwrapped; the parser's limit is 2,048)"),
    InputClass("space-run", 20_000, lambda n: FRONT + "<p>a" + " " * n + "b\nc</p>\n",
               "n spaces in a line of HTML text (folded to one)"),
    InputClass("bracket-run", 40_000, lambda n: FRONT + "<p>" + "[" * n + "</p>\n", "n `[` in HTML text (escaped)"),
    InputClass("nbsp-emphasis", 2000, lambda n: FRONT + "a <em>&nbsp;y" + "\u00a0" * n + "x</em> b\n",
               "n NBSPs inside an <em> that starts with an NBSP entity"),
    InputClass("br-run", 5000, lambda n: FRONT + "<p>a" + "<br>" * n + "b\nc</p>\n", "n <br> in a row"),
    InputClass("code-run", 20_000, lambda n: FRONT + "<p>" + "<code>a</code>" * n + "</p>\n",
               "n adjacent <code> elements (merged into one run)"),
    InputClass("blank-lines", 20_000, lambda n: FRONT + "a\n" + "\n" * n + "b\n", "n blank lines between two paragraphs"),
    InputClass("entity-bomb", 450_000, lambda n: FRONT + "&amp;" * n + "\n", "&amp; × n in Markdown text (4n: 9 MB)"),
    InputClass("entity-bomb-html", 450_000, lambda n: FRONT + "<p>" + "&amp;" * n + "</p>\n", "the same in an HTML block"),
    InputClass("unclosed-tags-html-block", 4000, lambda n: FRONT + "<div " + "<b " * n + "\n", "<div <b <b … (an HTML block)"),
    InputClass("unclosed-scripts", 4000, lambda n: FRONT + "x " + "<script>" * n + "\n", "x <script><script> …"),
    # safe Markdown (writers/md_safe.py) reads every raw tag of `--to md` output as a browser would
    InputClass("safe-md-raw-text", 4000, lambda n: FRONT + "x " + "<noembed><title>" * n + "\n",
               "<noembed><title> × n, never closed (--commands md)"),
    InputClass("safe-md-quotes", 4000, lambda n: FRONT + "<div " + "<a title=\"" * n + "\n",
               "<div <a title=\" … (an HTML block)"),
    InputClass("safe-md-joins", 4000, lambda n: FRONT + "<sc" + "<st" * n + "<style></style>" + "yle></style>" * n + "ript>\n",
               "removals that join into new tags, n deep"),
    InputClass("safe-md-links", 4000, lambda n: FRONT + "[x](javascript:a) " * n + "\n", "n javascript: links"),
    InputClass("user-pattern", 20_000, lambda n: FRONT + "<p class='promo'>" + "a" * n + "b</p>\n",
               "remove-text = ['(a+)+$'] on n a's", config="[profiles.x]\ndetect = ['p']\nremove-text = ['(a+)+$']\n"),
]
COMMANDS = {
    "lint": ["lint", "--no-cache", "-q"],
    "md": ["convert", "--to", "md"],
    "json": ["convert", "--to", "json"],
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", nargs="*", help="class names to run (default: all)")
    parser.add_argument("--commands", default="lint,json", help="comma-separated: lint, md, json")
    options = parser.parse_args()
    classes = [c for c in CLASSES if not options.only or c.name in options.only]
    commands = options.commands.split(",")
    print(f"Linearity: CPU seconds at n and 4n (budget off), ratio goal <= {GOAL:g}, {os.cpu_count()} CPUs\n")
    print(f"| {'class':<26} | {'command':<7} | {'n':>9} | {'bytes':>10} | {'t(n) s':>7} | {'t(4n) s':>8} | {'ratio':>5} | outcome at 4n |")
    print(f"|{'-' * 28}|{'-' * 9}|{'-' * 11}|{'-' * 12}|{'-' * 9}|{'-' * 10}|{'-' * 7}|---------------|")
    worst = 0.0
    work = Path(tempfile.mkdtemp(prefix="artconv-linearity-"))
    try:
        for input_class in classes:
            for command in commands:
                small = _measure(work, input_class, input_class.n, command)
                large = _measure(work, input_class, 4 * input_class.n, command)
                ratio = large[0] / max(small[0], 0.02)  # below 20 ms, start-up is all there is
                worst = max(worst, ratio if large[2] != "timeout" else float("inf"))
                flag = "" if ratio <= GOAL else "  <-- over the goal"
                print(
                    f"| {input_class.name:<26} | {command:<7} | {input_class.n:>9,} | {large[1] // 4:>10,} | "
                    f"{small[0]:>7.2f} | {large[0]:>8.2f} | {ratio:>5.1f} | {large[2]}{flag} |",
                    flush=True,
                )
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"\nWorst ratio: {worst:.1f} (goal <= {GOAL:g})")
    return 0 if worst <= GOAL else 1


def _measure(work: Path, input_class: InputClass, n: int, command: str) -> tuple[float, int, str]:
    """(CPU seconds, input bytes, outcome) of one run."""
    folder = work / f"{input_class.name}-{n}-{command}"
    folder.mkdir()
    data = input_class.make(n).encode("utf-8")
    (folder / "input.md").write_bytes(data)
    if input_class.config:
        (folder / ".artconv.toml").write_text(input_class.config, "utf-8")
    argv = [ARTCONV, *COMMANDS[command], "--time-limit", "0", "--memory-limit", "0", "input.md"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    try:
        done = subprocess.run(argv, cwd=folder, capture_output=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return time.perf_counter() - started, len(data), "timeout"
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    seconds = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    error = next((line for line in done.stderr.decode("utf-8", "replace").splitlines() if line.startswith("error:")), "")
    outcome = f"exit {done.returncode}" + (f": {error.split(': ', 2)[-1][:40]}…" if error else "")
    return seconds, len(data), outcome


if __name__ == "__main__":
    sys.exit(main())
