"""Bad inputs: broken, hostile, huge or odd article files, run through the installed command.

Every case goes through `artconv lint`, `artconv lint --fix` (on a copy) and
`artconv convert --to md|json|xhtml`, each as a real subprocess on a single input, and file
cases also through `--in-place` and `--output`. For each run the test checks:
- the exit code the case expects (README: 0 fine, 1 a file failed or has findings, 2 usage);
- one line per failed file, `error: PATH[:LINE[:COL]]: message` (lint: its finding line), and
  never a traceback or an internal error;
- the time limit and, for the big cases, the peak memory of the child;
- the input's bytes, unchanged unless `--fix`/`--in-place` rewrote a valid file, and no
  temporary file left behind;
- for inputs that convert: well-formed XHTML and JSON with nothing executable left in them,
  and the words a reader sees still there in the Markdown.

Small inputs are fixtures (fixtures/bad/CASE/input.*). The ones git cannot hold (huge,
generated, symlinks, FIFOs, permissions, odd names) are made here in tmp_path.
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import resource
import shutil
import signal
import socket
import stat
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import pytest
from lxml import etree
from lxml import html as lxml_html

from conftest import ARTCONV, REPO

BAD = REPO / "fixtures" / "bad"
TIME = Path("/usr/bin/time")
MAX_RSS_BYTES = 1536 * 1024 * 1024
COMMANDS = ("lint", "fix", "md", "json", "xhtml")


# --- the table ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Outcome:
    """Exit code, and a regex for the per-file line (convert: the `error:` line on stderr
    without its `error: ` prefix; lint: a line of stdout or stderr).

    `code=None` is artconv's contract where a dependency decides (how deep YAML nesting a
    parser accepts changes between PyYAML releases): the file converts (0), or it fails (1)
    with a line matching `message`. Either way there is no traceback and the input is kept."""

    code: int | None
    message: str | None = None

    def accepts(self, returncode: int | None) -> bool:
        return returncode in (0, 1) if self.code is None else returncode == self.code

    def fails(self, returncode: int | None) -> bool:
        return self.code != 0 if self.code is not None else returncode != 0


OK = Outcome(0)


@dataclass(frozen=True)
class Case:
    name: str
    make: Callable[[Path], str] | None = None  # writes the input into a folder, returns the argument
    lint: Outcome = OK
    fix: Outcome | None = None  # default: what lint gives
    convert: Outcome = OK  # md, json and xhtml, unless one is given below
    md: Outcome | None = None
    json: Outcome | None = None
    xhtml: Outcome | None = None
    fixes: bool = False  # `lint --fix` rewrites the input
    keep: tuple[str, ...] = ()  # words a reader sees, which the Markdown must keep
    gone: tuple[str, ...] = ()  # what the Markdown must not keep
    files: bool = False  # also `convert --to md --in-place` and `--output`
    summary: str | None = None  # regex for the summary line of `--output` runs
    verify: Callable[[Path, str], None] | None = None  # more checks on a folder after a run that wrote
    output: str = "out-{fmt}"  # where convert writes when the input is a folder
    isolate: bool = False  # each convert run gets its own copy of the input
    agree: tuple[str, ...] = ()  # commands that must give the same verdict: exit code and line:col
    timeout: int = 20
    big: bool = False  # measure the child's peak memory

    def outcome(self, command: str) -> Outcome:
        if command == "lint":
            return self.lint
        if command == "fix":
            return self.fix or self.lint
        return getattr(self, command, None) or self.convert


# --- inputs made at run time -------------------------------------------------------------------

ARTICLE = "---\ntitle: A fixable article\n---\n\n<p style=\"color:red\">Body text survives.</p>\n"
CLEAN = "---\ntitle: A clean article\n---\n\n<p>Lint finds nothing; convert writes Markdown.</p>\n"


def _write(name: str, data: bytes | str) -> Callable[[Path], str]:
    def make(folder: Path) -> str:
        (folder / name).write_bytes(data if isinstance(data, bytes) else data.encode("utf-8"))
        return name

    return make


def _deep_yaml(opening: str, closing: str, depth: int = 10_000) -> Callable[[Path], str]:
    return _write("input.md", f"---\ntitle: Deep\nx: {opening * depth}1{closing * depth}\n---\n\nBody text survives.\n")


def _many_blocks(megabytes: int) -> Callable[[Path], str]:
    """HTML paragraphs between Markdown ones, as WordPress exports are: one HTML part each."""

    def make(folder: Path) -> str:
        chunks = [f"---\ntitle: {megabytes} MB of blocks\n---\n\n"]
        size = index = 0
        while size < megabytes * 1024 * 1024:
            if index % 2:
                chunk = f"Plain *Markdown* paragraph {index} with a [link](https://example.org/{index}).\n\n"
            else:
                chunk = f'<p style="color:red">HTML paragraph {index} with <b>bold</b> words &amp; more.</p>\n\n'
            chunks.append(chunk)
            size += len(chunk)
            index += 1
        (folder / "input.md").write_text("".join(chunks), "utf-8")
        return "input.md"

    return make


def _posts(folder: Path) -> Path:
    posts = folder / "posts"
    posts.mkdir()
    (posts / "ok.md").write_text(CLEAN, "utf-8")
    return posts


def _symlink_to_file(folder: Path) -> str:
    (folder / "real.md").write_text(ARTICLE, "utf-8")
    (folder / "link.md").symlink_to("real.md")
    return "link.md"


def _link_replaced(folder: Path, command: str) -> None:
    # a link in a cloned repository could point anywhere (~/.bashrc): it is replaced by the
    # rewritten file, and what it pointed to stays as it was
    if command not in ("fix", "in-place"):
        return
    assert not (folder / "link.md").is_symlink(), "the symlink was written through"
    assert (folder / "real.md").read_text("utf-8") == ARTICLE


def _dangling_symlink(folder: Path) -> str:
    (_posts(folder) / "gone.md").symlink_to("missing.md")
    return "posts"


def _symlink_loop(folder: Path) -> str:
    sub = _posts(folder) / "sub"
    sub.mkdir()
    (sub / "b.md").write_text(CLEAN, "utf-8")
    (sub / "up").symlink_to("..")  # a folder symlink pointing at its parent
    return "posts"


def _unreadable(folder: Path) -> str:
    locked = _posts(folder) / "locked.md"
    locked.write_text(CLEAN, "utf-8")
    locked.chmod(0)
    try:
        locked.read_bytes()
    except PermissionError:
        return "posts"
    # Running as root (or with CAP_DAC_OVERRIDE): mode 000 does not stop reading. A symlink to
    # itself is a path whose read fails whoever reads it (ELOOP), and takes the same path in artconv.
    locked.unlink()
    locked.symlink_to("locked.md")
    return "posts"


def _special_files(folder: Path) -> str:
    posts = _posts(folder)
    os.mkfifo(posts / "pipe.md")  # reading a FIFO with no writer blocks forever
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(posts / "socket.md"))
    return "posts"


def _fifo_named(folder: Path) -> str:
    os.mkfifo(folder / "pipe.md")
    return "pipe.md"


def _read_only(folder: Path) -> str:
    (folder / "input.md").write_text(ARTICLE, "utf-8")
    (folder / "input.md").chmod(0o444)
    return "input.md"


def _mode_kept(folder: Path, command: str) -> None:
    assert stat.S_IMODE((folder / "input.md").stat().st_mode) == 0o444


def _output_inside_input(folder: Path) -> str:
    site = folder / "site"
    (site / "out").mkdir(parents=True)
    (site / "a.md").write_text(ARTICLE, "utf-8")
    (site / "out" / "a.md").write_text(ARTICLE, "utf-8")  # what an earlier run left there
    return "site"


def _not_read_back(folder: Path, command: str) -> None:
    assert not (folder / "site" / "out" / "out").exists(), "the output folder was read back as input"


# --- the cases ---------------------------------------------------------------------------------

FM = r"input\.md"
YAML_ERROR = "invalid YAML front matter: "
TOO_LARGE = r"file is too large \(over 10 MiB, the limit for an article\)"

CASES = [
    # YAML that does not parse: one FM001 finding, and a per-file error at the parser's position.
    # The position is the contract; the words after the prefix are the YAML parser's own, and
    # change with its releases, so they are not pinned here.
    *(Case(name, lint=Outcome(1, rf"^{FM}:{at}: FM001 {YAML_ERROR}\S"), convert=Outcome(1, rf"^{FM}:{at}: {YAML_ERROR}\S"))
      for name, at in (("yaml-tab-indent", "4:1"), ("yaml-curly-quotes", "2:14"), ("yaml-unescaped-quote", "2:12"),
                       ("yaml-unterminated-flow", "4:7"), ("yaml-unterminated-quote", "4:1"))),
    Case("yaml-duplicate-key", lint=Outcome(1, rf"^{FM}:4:1: FM003 duplicate key 'title'"),
         keep=("Second title", "Body text survives")),
    # Safe loading: the tags are refused, and nothing runs (the test looks for the PWNED file)
    Case("yaml-python-tag", lint=Outcome(1, rf"^{FM}:3:6: FM001 {YAML_ERROR}\S"),
         convert=Outcome(1, rf"^{FM}:3:6: {YAML_ERROR}\S")),
    # Markdown keeps the front matter's text as it is; JSON would have to expand it, and refuses
    Case("yaml-alias-bomb", lint=Outcome(0), timeout=20, keep=("Body text survives",),
         json=Outcome(1, rf"^{FM}: front matter expands to more than 100,000 values through YAML aliases$")),
    # Nesting 10,000 deep: whether the parser accepts it is the parser's business (PyYAML 6.0.4's
    # libyaml stops at 1,000 levels, older ones did not). artconv's contract is the same either
    # way: it converts, or every command reports one error at the same line:col; JSON, which must
    # expand the value, may also refuse past its own 100 levels.
    *(Case(f"yaml-deep-{shape}", _deep_yaml(opening, closing), keep=("Body text survives",),
           lint=Outcome(None, rf"^{FM}:\d+:\d+: FM001 {YAML_ERROR}\S"),
           convert=Outcome(None, rf"^{FM}:\d+:\d+: {YAML_ERROR}\S"),
           json=Outcome(1, rf"^{FM}(: front matter is nested more than 100 levels deep|:\d+:\d+: {YAML_ERROR}\S)"),
           agree=("lint", "fix", "md", "xhtml"))
      for shape, opening, closing in (("sequence", "[", "]"), ("mapping", "{a: ", "}"))),
    # Front matter in other shapes: what is not YAML front matter is body, kept as text
    Case("no-front-matter", keep=("Just", "HTML", "Markdown")),
    Case("unterminated-front-matter",
         lint=Outcome(1, rf"^{FM}:1:1: FM002 "),
         convert=Outcome(1, rf"^{FM}:1: front matter opened with '---' is never closed$")),
    Case("toml-front-matter", keep=("TOML front matter", "Body text survives")),
    Case("json-front-matter", keep=("JSON front matter", "Body text survives")),
    Case("indented-delimiters", keep=("Indented delimiters", "Body text survives")),
    Case("bom", lint=Outcome(1, rf"^{FM}:1:1: FM007 "), fix=OK, fixes=True, keep=("Body text survives",)),
    Case("crlf", lint=Outcome(1, rf"^{FM}:5:4: HT101 "), fix=OK, fixes=True, keep=("Body text survives", "More")),
    Case("dashes-in-body", keep=("Intro text", "After a rule", "not: yaml", "The end")),
    # Encodings: decoded, written back as UTF-8 with every character
    Case("gbk", keep=("工业和信息化部召开部分省市工业经济形势分析视频会议",)),
    Case("gb18030", keep=("工业和信息化部", "罕用字：𠀀𪚥")),
    Case("big5", keep=("這是一篇繁體中文的文章",)),
    Case("utf16-le-bom", keep=("Unicode text: 中文 and café",)),
    Case("utf16-be-bom", keep=("Unicode text: 中文 and café",)),
    Case("utf16-le-no-bom", keep=("Unicode text: 中文 and café",)),
    Case("utf16-be-no-bom", keep=("Unicode text: 中文 and café",)),
    Case("cp1252", keep=("A naïve “smart quote” — and an em dash",)),
    Case("invalid-utf8", keep=("Mostly UTF-8 café text with a stray – byte",)),
    Case("nul-bytes", lint=Outcome(1, rf"^{FM}:1:1: HT001 cannot decode: binary file \(NUL byte at offset 24\)$"),
         convert=Outcome(1, rf"^{FM}: cannot decode: binary file \(NUL byte at offset 24\)$")),
    Case("png-named-md", lint=Outcome(1, rf"^{FM}:1:1: HT001 cannot decode: binary file \(NUL byte at offset 8\)$"),
         convert=Outcome(1, rf"^{FM}: cannot decode: binary file \(NUL byte at offset \d+\)$")),
    # HTML: broken, deep, huge or hostile
    Case("html-unclosed", lint=Outcome(1, rf"^{FM}:\d+:\d+: HT111 "), keep=("Unclosed", "bold", "text", "After it")),
    Case("html-deep", _write("input.md", "---\ntitle: Deep\n---\n\n<div style=\"color:red\">"
                             + "<div>" * 100_000 + "deep text" + "</div>" * 100_001 + "\n\nAfter.\n"),
         lint=Outcome(1, rf"^{FM}:5:6: HT101 "),  # --fix cannot write back a tree the parser cut short
         convert=Outcome(1, rf"^{FM}:5: HTML is nested too deeply to convert$")),
    Case("markdown-deep-nesting", keep=("deep quote", "item 11", "red", "After"), gone=("<script", "style="),
         lint=Outcome(1, rf"^{FM}:18:\d+: HT101 "), fix=Outcome(1, rf"^{FM}:18:\d+: HT107 "), fixes=True,
         json=Outcome(1, rf"^{FM}: Markdown blockquotes and lists are nested too deeply to convert$"),
         xhtml=Outcome(1, rf"^{FM}: Markdown blockquotes and lists are nested too deeply to convert$")),
    Case("huge-attribute", _write("input.md", "---\ntitle: Huge attribute\n---\n\n<p style=\""
                                  + "color:red;" * 1_000_000 + "\">Visible words here.</p>\n"),
         lint=Outcome(1, rf"^{FM}:5:4: HT101 "), fix=OK, fixes=True, keep=("Visible words here",), big=True,
         timeout=40),
    Case("entity-flood", _write("input.md", "---\ntitle: Entities\n---\n\n<p>" + "&amp;" * 1_000_000
                                + "</p>\n\nWords after the flood.\n"),
         keep=("Words after the flood",), big=True, timeout=40),
    Case("script", lint=Outcome(1, rf"^{FM}:\d+:\d+: HT107 "), keep=("Before the script", "text after")),
    Case("javascript-urls",
         keep=("plain link", "mixed case", "entity link", "tab link", "data link", "vb link", "markdown link")),
    Case("event-handlers", lint=Outcome(1, rf"^{FM}:5:4: HT107 "),
         keep=("Clickable paragraph", "Hover text", "Body text", "span text")),
    Case("svg", lint=Outcome(1, rf"^{FM}:\d+:\d+: HT107 "), keep=("Before the drawing", "After the drawing")),
    Case("mathml", keep=("The formula", "is simple")),
    Case("cdata", lint=Outcome(1, rf"^{FM}:\d+:\d+: HT104 "), fix=OK, fixes=True, keep=("Before", "After")),
    Case("ie-conditional-comments", lint=Outcome(1, rf"^{FM}:6:1: HT104 "), fix=OK, fixes=True,
         keep=("Everyone reads this", "Not IE text", "Revealed text")),
    Case("base-and-meta-refresh", keep=("Read", "the page", "here")),
    # Size: refused before it is parsed, so time and memory stay small
    Case("many-html-blocks", _many_blocks(1), lint=Outcome(1, rf"^{FM}:5:4: HT101 "), fix=OK, fixes=True,
         keep=("HTML paragraph 0 ", "paragraph 1 with a"), big=True, timeout=40),
    Case("file-50mb", _many_blocks(50), lint=Outcome(1, rf"^{FM}:1:1: HT001 {TOO_LARGE}"),
         convert=Outcome(1, rf"^{FM}: {TOO_LARGE}$"), big=True, timeout=60),
    # Empty
    Case("empty"),
    Case("only-front-matter"),
    Case("only-whitespace"),
    # File names: kept as they are in messages and under --output
    Case("name-spaces", _write("my post.md", ARTICLE), lint=Outcome(1, r"^my post\.md:5:4: HT101 "),
         fix=OK, fixes=True, files=True, keep=("Body text survives",)),
    Case("name-cjk", _write("中文 文章.md", ARTICLE), lint=Outcome(1, r"^中文 文章\.md:5:4: HT101 "),
         fix=OK, fixes=True, files=True, keep=("Body text survives",)),
    Case("name-percent", _write("a%20b%2Fc.md", ARTICLE), lint=Outcome(1, r"^a%20b%2Fc\.md:5:4: HT101 "),
         fix=OK, fixes=True, files=True, keep=("Body text survives",)),
    Case("name-long", _write("n" * 240 + ".md", ARTICLE), lint=Outcome(1, r"^n{240}\.md:5:4: HT101 "),
         fix=OK, fixes=True, files=True, keep=("Body text survives",)),
    # Symlinks, special files, permissions
    Case("symlink-to-file", _symlink_to_file, lint=Outcome(1, r"^link\.md:5:4: HT101 "), fix=OK, fixes=True,
         files=True, keep=("Body text survives",), verify=_link_replaced),
    Case("symlink-dangling", _dangling_symlink, lint=Outcome(1, r"^error: posts/gone\.md: cannot read: No such file"),
         convert=Outcome(1, r"^posts/gone\.md: cannot read: No such file or directory$"), files=True,
         summary=r"^Converted 1 of 2 files"),
    Case("symlink-loop", _symlink_loop, files=True, summary=r"^Converted 2 of 2 files"),
    Case("unreadable", _unreadable,
         lint=Outcome(1, r"^error: posts/locked\.md: cannot read: (Permission denied|Too many levels of symbolic links)"),
         convert=Outcome(1, r"^posts/locked\.md: cannot read: (Permission denied|Too many levels of symbolic links)$"),
         files=True, summary=r"^Converted 1 of 2 files"),
    Case("special-files", _special_files, files=True, summary=r"^Converted 1 of 1 file"),
    Case("fifo-named", _fifo_named, lint=Outcome(2, r"^error: pipe\.md: not a regular file$"),
         convert=Outcome(1, r"^pipe\.md: not a regular file$")),
    Case("read-only", _read_only, lint=Outcome(1, rf"^{FM}:5:4: HT101 "), fix=OK, fixes=True, files=True,
         keep=("Body text survives",), verify=_mode_kept),
    Case("output-inside-input", _output_inside_input, lint=Outcome(1, r"^site/a\.md:5:4: HT101 "), fix=OK,
         fixes=True, output="site/out", isolate=True, summary=r"^Converted 1 of 1 file", verify=_not_read_back),
]


# --- running -----------------------------------------------------------------------------------


@dataclass
class Run:
    command: str
    argv: list[str]
    cwd: Path
    argument: str
    output: Path | None = None  # the --output folder
    returncode: int | None = None
    stdout: bytes = b""
    stderr: bytes = b""
    seconds: float = 0.0
    peak_rss: int | None = None
    timed_out: bool = False


def _run(run: Run, timeout: int, measure: bool) -> Run:
    argv = [str(ARTCONV), *run.argv]
    rss_file = run.cwd.parent / f"rss-{run.command}.txt"
    if measure and TIME.exists():
        argv = [str(TIME), "-o", str(rss_file), "-f", "%M", *argv]
    started = time.perf_counter()
    # a session of its own, so that a timeout kills artconv too, not only /usr/bin/time around it
    with subprocess.Popen(
        argv, cwd=run.cwd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,
    ) as process:
        try:
            run.stdout, run.stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            run.timed_out = True
            os.killpg(process.pid, signal.SIGKILL)
            run.stdout, run.stderr = process.communicate()
    run.returncode = None if run.timed_out else process.returncode
    run.seconds = time.perf_counter() - started
    if measure and rss_file.exists() and rss_file.read_text().strip().splitlines():
        run.peak_rss = int(rss_file.read_text().split()[-1]) * 1024
    return run


def _fingerprint(path: Path, skip: Path | None = None) -> dict[str, str]:
    """sha256 of every regular file under `path` (links by their target), without following
    symlinked folders or opening FIFOs; `skip` is an output folder inside it."""
    if path.is_symlink() or not path.is_dir():
        return {".": _one_fingerprint(path)}
    prints = {}
    for folder, dirnames, names in os.walk(path):
        dirnames[:] = [d for d in dirnames if Path(folder, d) != skip]
        for name in names:
            full = Path(folder, name)
            prints[str(full.relative_to(path))] = _one_fingerprint(full)
    return prints


def _one_fingerprint(path: Path) -> str:
    if path.is_symlink():
        target = Path(os.path.realpath(path))
        return f"link:{os.readlink(path)}" + (f":{_one_fingerprint(target)}" if target.is_file() else "")
    mode = path.lstat().st_mode
    if not stat.S_ISREG(mode):
        return f"special:{stat.S_IFMT(mode)}"
    try:
        return hashlib.sha256(path.read_bytes()).hexdigest()
    except PermissionError:
        return f"unreadable:{path.stat().st_size}"


def _temporary_files(folder: Path) -> list[str]:
    return [
        str(Path(f, n)) for f, _, names in os.walk(folder) for n in names if n.startswith(".") and n.endswith(".tmp")
    ]


def _make(case: Case, folder: Path) -> str:
    folder.mkdir(parents=True)
    if case.make is not None:
        return case.make(folder)
    (source,) = (BAD / case.name).glob("input.*")
    shutil.copyfile(source, folder / source.name)
    return source.name


def _plan(case: Case, tmp_path: Path) -> tuple[list[Run], dict[str, dict[str, str]]]:
    """The runs of a case, and the fingerprint of each run's input before it."""
    runs: list[Run] = []
    read = tmp_path / "read"
    argument = _make(case, read)
    is_dir = (read / argument).is_dir() and not (read / argument).is_symlink()
    runs.append(Run("lint", ["lint", argument], read, argument))
    for fmt in ("md", "json", "xhtml"):
        folder = read
        if case.isolate:
            folder = tmp_path / f"convert-{fmt}"
            _make(case, folder)
        if is_dir:  # stdout takes one file: a folder goes to --output
            output = case.output.format(fmt=fmt)
            runs.append(Run(fmt, ["convert", "--to", fmt, argument, "--output", output], folder, argument, folder / output))
        else:
            runs.append(Run(fmt, ["convert", "--to", fmt, argument], folder, argument))
    fix = tmp_path / "fix"
    runs.append(Run("fix", ["lint", "--fix", _make(case, fix)], fix, argument))
    if case.files:
        in_place = tmp_path / "in-place"
        runs.append(Run("in-place", ["convert", "--to", "md", "--in-place", _make(case, in_place)], in_place, argument))
        if not is_dir:
            out = tmp_path / "output"
            runs.append(Run("output", ["convert", "--to", "md", "--output", "out", _make(case, out)], out, argument))
    _make(case, tmp_path / "pristine")  # what the writing runs are compared with
    before = {run.command: _fingerprint(run.cwd / run.argument, run.output) for run in runs}
    return runs, before


@pytest.fixture(scope="module")
def ran(request, tmp_path_factory) -> dict[str, tuple[list[Run], dict[str, dict[str, str]]]]:
    """Every run of every selected case, done at once in a pool as wide as the machine: one
    case's runs alone would leave cores idle while its slowest run finishes."""
    assert ARTCONV.exists(), f"the artconv console script is not installed at {ARTCONV}"
    selected = [
        item.callspec.params["case"] for item in request.session.items
        if item.module is request.module and hasattr(item, "callspec")
    ]
    plans = {case.name: _plan(case, tmp_path_factory.mktemp(case.name)) for case in selected}
    work = [(case, run) for case in selected for run in plans[case.name][0]]
    work.sort(key=lambda item: -item[0].timeout)  # the long ones first
    with ThreadPoolExecutor(max_workers=(os.cpu_count() or 1) + 1) as pool:
        list(pool.map(lambda item: _run(item[1], item[0].timeout, item[0].big), work))
    if not TIME.exists():  # a coarser bound: the largest child this process ever had
        for case, run in work:
            if case.big:
                run.peak_rss = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return plans


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.name)
def test_bad_input(case: Case, ran):
    runs, before = ran[case.name]
    by_command = {run.command: run for run in runs}
    failures: dict[str, list[str]] = {}
    for run in runs:
        problems = _check_run(case, run, by_command, before.get(run.command) if run.command in ("lint", "md", "json", "xhtml") else None)
        if problems:
            failures[run.command] = problems
    assert not any((run.cwd / "PWNED").exists() for run in runs), "a YAML tag ran a command"

    disagreeing = _verdicts(case, by_command)
    assert not disagreeing, f"lint and convert disagree: {disagreeing}"
    assert not failures, _describe(failures, by_command)


_POSITION = re.compile(r"^(?:error: )?[^:\n]+:(\d+):(\d+): ", re.MULTILINE)


def _verdicts(case: Case, runs: dict[str, Run]) -> dict[str, tuple]:
    """Each agreeing command's exit code and the first line:col it reported; empty when they agree."""
    verdicts = {}
    for command in case.agree:
        run = runs[command]
        found = _POSITION.search((run.stdout + run.stderr).decode("utf-8", "replace"))
        verdicts[command] = (run.returncode, found.groups() if found else None)
    return verdicts if len(set(verdicts.values())) > 1 else {}


def _describe(failures: dict[str, list[str]], runs: dict[str, Run]) -> str:
    lines = []
    for command, problems in failures.items():
        run = runs[command]
        lines.append(f"{command} ({' '.join(run.argv)}) -> {run.returncode} in {run.seconds:.1f} s:")
        lines.extend(f"  - {problem}" for problem in problems)
        lines.append(f"  stderr: {run.stderr.decode('utf-8', 'replace')[:500]!r}")
        if command in ("lint", "fix"):
            lines.append(f"  stdout: {run.stdout.decode('utf-8', 'replace')[:500]!r}")
    return "\n".join(lines)


def _check_run(case: Case, run: Run, runs: dict[str, Run], before: dict[str, str] | None) -> list[str]:
    problems: list[str] = []
    base = run.command if run.command in COMMANDS else "md"
    expected = case.outcome(base)
    if run.timed_out:
        return [f"did not finish within {case.timeout} s"]
    stderr = run.stderr.decode("utf-8", "replace")
    stdout = run.stdout.decode("utf-8", "replace")
    if "Traceback" in stderr + stdout or "internal error" in stderr:
        problems.append("a traceback or an internal error")
    if not expected.accepts(run.returncode):
        problems.append(f"exit code {run.returncode}, expected {expected.code}")
    if run.peak_rss is not None and run.peak_rss > MAX_RSS_BYTES:
        problems.append(f"peak memory {run.peak_rss / 2**20:.0f} MiB")
    problems.extend(_check_messages(case, run, expected, stdout, stderr))
    if before is not None and _fingerprint(run.cwd / run.argument, run.output) != before:
        problems.append("the input changed")
    if run.command in ("fix", "in-place", "output") or run.output is not None:
        problems.extend(_check_writes(case, run, runs))
    if run.returncode == 0 and run.command in ("md", "json", "xhtml"):
        problems.extend(_check_output(case, run))
    return problems


def _check_messages(case: Case, run: Run, expected: Outcome, stdout: str, stderr: str) -> list[str]:
    problems = []
    lines = [line for line in stderr.splitlines() if line.strip()]
    if run.command in ("lint", "fix"):
        candidates = stdout.splitlines() + lines
        for line in lines:
            if not (line.startswith("error: ") or re.match(r"^(Fixed \d+ files?\. )?(Found \d+ problem|No problems found)", line)):
                problems.append(f"unexpected stderr line {line!r}")
    else:
        errors = [line.removeprefix("error: ") for line in lines if line.startswith("error: ")]
        others = [line for line in lines if not line.startswith("error: ")]
        candidates = errors
        if not expected.fails(run.returncode) and errors:
            problems.append(f"error lines from a run that succeeded: {errors}")
        if expected.fails(run.returncode) and not errors:
            problems.append("no error line")
        if "--output" in run.argv or "--in-place" in run.argv:  # the runs that print a summary
            summary = case.summary or r"^Converted \d+ of \d+ files?"
            if not any(re.search(summary, line) for line in others):
                problems.append(f"no summary line matching {summary!r}")
            others = [line for line in others if not line.startswith("Converted ")]
        if others:
            problems.append(f"unexpected stderr lines {others}")
        for error in errors:
            if not re.match(r"^[^:]+?(:\d+(:\d+)?)?: \S", error):
                problems.append(f"error line does not name a file: {error!r}")
        if "\n" in "".join(errors):
            problems.append("multi-line error")
    if expected.message and expected.fails(run.returncode) and run.command in (*COMMANDS, "in-place", "output"):
        pattern = re.compile(expected.message)
        if not any(pattern.search(line) for line in candidates):
            problems.append(f"no line matches {expected.message!r}")
    return problems


def _check_writes(case: Case, run: Run, runs: dict[str, Run]) -> list[str]:
    problems = []
    leftovers = _temporary_files(run.cwd)
    if leftovers:
        problems.append(f"temporary files left: {leftovers}")
    target = run.cwd / run.argument
    changed = _fingerprint(target) != _fingerprint(run.cwd.parent / "pristine" / run.argument)
    if run.command == "fix" and changed != case.fixes:
        problems.append("--fix rewrote the input" if changed else "--fix did not rewrite the input")
    md = runs.get("md")
    if run.command in ("in-place", "output") and md is not None and md.returncode == 0 and target.is_file():
        written = target if run.command == "in-place" else run.cwd / "out" / Path(run.argument).with_suffix(".md")
        if not written.is_file() or written.read_bytes() != md.stdout:
            problems.append(f"{written.name} does not hold what --to md printed")
    if run.command == "in-place" and run.returncode != 0 and not target.is_dir() and changed:
        problems.append("a file that failed was rewritten")
    if case.verify is not None and run.returncode in (0, 1):
        try:
            case.verify(run.cwd, run.command)
        except AssertionError as exc:
            problems.append(str(exc) or "verify failed")
    return problems


# what a browser would run, or follow without asking
_URL_ATTRIBUTES = {"href", "src", "action", "formaction", "poster", "background", "cite", "data", "srcset"}
_UNSAFE_SCHEME = re.compile(r"^(javascript|vbscript|data):", re.IGNORECASE)
_UNSAFE_ELEMENTS = {"script", "base", "iframe", "object", "embed"}


def _unsafe(root) -> list[str]:
    found = []
    for element in root.iter():
        if not isinstance(element.tag, str):
            continue
        name = etree.QName(element).localname.lower()
        if name in _UNSAFE_ELEMENTS or (name == "meta" and element.get("http-equiv")):
            found.append(f"<{name}>")
        for attribute, value in element.attrib.items():
            local = etree.QName(attribute).localname.lower()
            if local.startswith("on"):
                found.append(f"{local}= on <{name}>")
            squeezed = re.sub(r"[\x00-\x20]+", "", html.unescape(value))
            if local in _URL_ATTRIBUTES and _UNSAFE_SCHEME.match(squeezed):
                found.append(f"{local}={value[:40]!r} on <{name}>")
    return found


def _check_output(case: Case, run: Run) -> list[str]:
    if "--output" in run.argv:  # the folder cases: what they are about is the files, not the text
        return []
    problems = []
    text = run.stdout.decode("utf-8")
    if run.command == "xhtml":
        try:
            root = etree.fromstring(run.stdout, etree.XMLParser(huge_tree=True))
        except etree.XMLSyntaxError as exc:
            return [f"XHTML is not well-formed: {exc}"]
        problems.extend(f"XHTML keeps {what}" for what in _unsafe(root))
        seen = "".join(root.itertext())
    elif run.command == "json":
        document = json.loads(text)
        body = document["body"]["html"]
        if body.strip():
            fragment = lxml_html.fragment_fromstring(body, create_parent="div")
            problems.extend(f"JSON body.html keeps {what}" for what in _unsafe(fragment))
        if "<script" in body.lower():
            problems.append("JSON body.html keeps <script")
        seen = document["title"] + "\n" + document["body"]["text"]
    else:
        seen = text
    for junk in case.gone:
        if run.command == "md" and junk in seen:
            problems.append(f"Markdown keeps {junk!r}")
    for word in case.keep:
        if run.command == "md" and word not in seen:
            problems.append(f"Markdown lost {word!r}")
        elif run.command != "md" and word not in seen:
            problems.append(f"{run.command} lost {word!r}")
    return problems
