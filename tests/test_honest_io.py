"""Honest I/O, with real processes: writes stay under --output, stdout errors are errors, a
killed run's temporary files are cleaned up and its workers die with it, summaries name the
files that failed, hostile file names cannot break or forge output lines, and XHTML never nests
deeper than XML readers accept.
"""

from __future__ import annotations

import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from lxml import etree

from conftest import ARTCONV, run_artconv

ARTICLE = b"---\ntitle: T\n---\n\n<p style=\"color:red\">Hello <b>world</b>.</p>\n"
CLEAN = b"---\ntitle: T\n---\n\nAll fine here.\n"


def _big_article(paragraphs: int = 3000) -> bytes:
    return b"---\ntitle: T\n---\n\n" + b"".join(b"Paragraph %d with a few words.\n\n" % i for i in range(paragraphs))


def _bash(script: str, cwd: Path, timeout: int = 120) -> subprocess.CompletedProcess:
    return subprocess.run(["bash", "-c", script], cwd=cwd, capture_output=True, timeout=timeout)


# --- output confined to --output -----------------------------------------------------------


def test_a_folder_tree_deeper_than_pythons_stack_is_walked(tmp_path):
    # 1,200 levels (Python's stack holds 1,000 calls): the walk, the configuration and generator
    # lookups up the folders, and the output folder's check were recursive or cubic in the depth;
    # the run stopped with an internal error, then took 80 s once it did not
    try:
        _deep_tree(tmp_path / "in", 1200, {"x.md": ARTICLE, "y.md": CLEAN})
        relative = "a/" * 1200
        lint = run_artconv("lint", "--no-cache", "in", cwd=tmp_path, timeout=60)
        assert lint.returncode == 1, lint.stderr
        assert lint.stdout.decode().startswith(f"in/{relative}x.md:5:4: HT101 ")
        assert b"2 files checked" in lint.stderr and b"error" not in lint.stderr
        done = run_artconv("convert", "--to", "md", "in", "--output", "out", cwd=tmp_path, timeout=60)
        assert done.returncode == 0, done.stderr
        assert b"Converted 2 of 2 files" in done.stderr
        assert (tmp_path / "out" / relative / "x.md").read_bytes() == b"---\ntitle: T\n---\n\nHello **world**.\n"
    finally:
        # shutil.rmtree (pytest's clean-up of old temporary folders) recurses once per level
        subprocess.run(["rm", "-rf", str(tmp_path / "in"), str(tmp_path / "out")], check=True)


def _deep_tree(top: Path, depth: int, files: dict[str, bytes]) -> None:
    """`depth` nested folders named `a` under `top`, `files` in the deepest; made relative to a
    folder handle, since the whole path soon outgrows what one call may name."""
    top.mkdir()
    folder = os.open(top, os.O_RDONLY)
    try:
        for _ in range(depth):
            os.mkdir("a", dir_fd=folder)
            inner = os.open("a", os.O_RDONLY, dir_fd=folder)
            os.close(folder)
            folder = inner
        for name, data in files.items():
            handle = os.open(name, os.O_WRONLY | os.O_CREAT, 0o644, dir_fd=folder)
            os.write(handle, data)
            os.close(handle)
    finally:
        os.close(folder)


def test_output_never_writes_through_a_link_out_of_it(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "a.md").write_bytes(ARTICLE)
    (tmp_path / "in" / "sub" / "b.md").write_bytes(ARTICLE)
    (tmp_path / "elsewhere").mkdir()
    (tmp_path / "out").mkdir()
    (tmp_path / "out" / "sub").symlink_to("../elsewhere")
    result = run_artconv("convert", "in", "--output", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert list((tmp_path / "elsewhere").iterdir()) == []
    assert (tmp_path / "out" / "a.md").read_bytes().startswith(b"---\ntitle: T\n---\n")
    errors = [line for line in result.stderr.decode().splitlines() if line.startswith("error:")]
    assert errors == [
        "error: out/sub/b.md: not written: out/sub is a link that leads out of the output folder (from in/sub/b.md)"
    ]
    assert "(1 changed, 1 failed: out/sub/b.md)" in result.stderr.decode()


def test_a_link_that_stays_inside_output_is_followed(tmp_path):
    (tmp_path / "in" / "sub").mkdir(parents=True)
    (tmp_path / "in" / "sub" / "b.md").write_bytes(ARTICLE)
    (tmp_path / "out" / "real").mkdir(parents=True)
    (tmp_path / "out" / "sub").symlink_to("real")
    result = run_artconv("convert", "in", "--output", "out", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "out" / "real" / "b.md").exists()


def test_write_errors_name_the_output_file(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.md").write_bytes(ARTICLE)
    (tmp_path / "out" / "x.md").mkdir(parents=True)  # a folder where the output file goes
    result = run_artconv("convert", "in", "--output", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines()[0] == "error: out/x.md: cannot write: Is a directory (from in/x.md)"


@pytest.mark.parametrize("where", ["same", "from-inside"])
def test_output_that_would_overwrite_the_inputs_is_refused(tmp_path, where):
    folder = tmp_path / "posts"
    (folder / "y").mkdir(parents=True)
    (folder / "a.md").write_bytes(ARTICLE)
    (folder / "y" / "b.md").write_bytes(ARTICLE)
    if where == "same":
        result = run_artconv("convert", "posts", "--output", "posts", cwd=tmp_path)
    else:
        result = run_artconv("convert", ".", "--output", "../posts", cwd=folder)
    assert result.returncode == 2
    message = result.stderr.decode()
    assert message.count("\n") == 1 and message.startswith("error: --output ") and "use --in-place" in message
    assert (folder / "a.md").read_bytes() == ARTICLE and (folder / "y" / "b.md").read_bytes() == ARTICLE


# --- honest stdout ----------------------------------------------------------------------------


def test_file_size_limit_on_stdout_is_an_error(tmp_path):
    (tmp_path / "big.md").write_bytes(_big_article())
    # the limit (1 KiB) applies to the redirected stdout; stderr goes to a pipe
    result = _bash(f"ulimit -f 1; '{ARTCONV}' convert --to md big.md > out.md", tmp_path)
    assert result.returncode == 1
    assert result.stderr.decode() == "error: cannot write to standard output: File too large\n"
    assert (tmp_path / "out.md").stat().st_size == 1024


@pytest.mark.parametrize("command", [("convert", "--to", "md", "big.md"), ("convert", "--to", "json", "big.md"),
                                     ("lint", "--format", "json", "--no-cache", "big.md"), ("lint", "--no-cache", "big.md")])
def test_full_disk_on_stdout_is_one_line_and_exit_1(tmp_path, command):
    data = _big_article()
    if command[0] == "lint":  # findings to write: one per paragraph
        data = b"---\ntitle: T\n---\n\n" + b"<p style='x'>a</p>\n\n" * 3000
    (tmp_path / "big.md").write_bytes(data)
    with open("/dev/full", "wb") as full:
        result = subprocess.run([str(ARTCONV), *command], cwd=tmp_path, stdout=full, stderr=subprocess.PIPE, timeout=120)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines()[0] == "error: cannot write to standard output: No space left on device"
    assert "Traceback" not in result.stderr.decode() and "internal error" not in result.stderr.decode()


@pytest.mark.parametrize("command", [("convert", "--to", "md", "big.md"), ("convert", "--to", "json", "big.md", "big2.md"),
                                     ("lint", "--no-cache", "big.md")])
def test_closed_pipe_is_quiet(tmp_path, command):
    # more than a pipe holds (64 KiB), so that a write meets the closed pipe
    data = _big_article(20000) if command[0] == "convert" else b"---\ntitle: T\n---\n\n" + b"<p style='x'>a</p>\n\n" * 3000
    (tmp_path / "big.md").write_bytes(data)
    (tmp_path / "big2.md").write_bytes(data)
    args = " ".join(command)
    result = _bash(f"set -o pipefail; '{ARTCONV}' {args} 2> err.txt | head -1 > /dev/null", tmp_path)
    assert result.returncode == 1
    assert (tmp_path / "err.txt").read_bytes() == b""


# --- crash hygiene ----------------------------------------------------------------------------

_STALLED_WRITER = """
import os, sys, time
os.fsync = lambda fd: time.sleep(120)  # stop with the temporary file written, as a kill would find it
sys.argv = ["artconv", "convert", "--in-place", sys.argv[1]]
from artconv.cli import main
main()
"""


def _temporaries(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.endswith(".tmp"))


def test_a_killed_runs_temporary_file_is_removed_by_the_next_run(tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "a.md").write_bytes(ARTICLE)
    # lookalikes that are not artconv's temporary files stay
    (folder / ".other.tmp").write_bytes(b"x")
    (folder / ".a.md.abc.tmp").write_bytes(b"x")
    (folder / ".a.md.ABCDEFGH.tmp").write_bytes(b"x")
    (folder / ".a.md.abcdefgh.tmp.keep").write_bytes(b"x")
    writer = subprocess.Popen([sys.executable, "-c", _STALLED_WRITER, str(folder)], stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while len(_temporaries(folder)) < 4 and time.monotonic() < deadline:
        time.sleep(0.05)
    (left,) = set(_temporaries(folder)) - {".other.tmp", ".a.md.abc.tmp", ".a.md.ABCDEFGH.tmp"}
    writer.kill()  # SIGKILL: no cleanup
    writer.wait()
    assert left in _temporaries(folder)
    # one held by a live writer (its lock) stays, however old
    held = folder / ".b.md.zzzzzzzz.tmp"
    held.write_bytes(b"partial")
    os.utime(held, (time.time() - 3600, time.time() - 3600))
    with open(held, "rb") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        time.sleep(1.2)  # past the grace period a brand-new temporary file gets
        result = run_artconv("convert", "--in-place", "posts", cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert _temporaries(folder) == [".a.md.ABCDEFGH.tmp", ".a.md.abc.tmp", ".b.md.zzzzzzzz.tmp", ".other.tmp"]
    assert b"style" not in (folder / "a.md").read_bytes()


def _children(pid: int) -> set[int]:
    children = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as handle:
            children.update(int(child) for child in handle.read().split())
    return children


def _alive(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as handle:
            state = handle.read().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state not in ("Z", "X")  # a zombie is dead; only its parent (now init) has to reap it


def _kill_parent_and_check_workers(parent: subprocess.Popen, workers_expected: int) -> None:
    deadline = time.monotonic() + 60
    workers: set[int] = set()
    while time.monotonic() < deadline and len(workers) < workers_expected:
        time.sleep(0.1)
        workers = _children(parent.pid)
    assert len(workers) >= workers_expected, workers
    parent.send_signal(signal.SIGKILL)
    parent.wait()
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and any(_alive(pid) for pid in workers):
        time.sleep(0.1)
    survivors = [pid for pid in workers if _alive(pid)]
    for pid in survivors:  # leave no process behind, whatever the verdict
        os.kill(pid, signal.SIGKILL)
    assert not survivors, f"workers {survivors} outlived their parent"


def test_budget_workers_die_with_their_parent(tmp_path):
    for index in range(40):  # 16 files a worker or more, so -j 2 starts two
        (tmp_path / f"{index:02d}.md").write_bytes(_big_article(20000))
    parent = subprocess.Popen([str(ARTCONV), "convert", "--to", "json", ".", "--output", "out", "-j", "2"],
                              cwd=tmp_path, stderr=subprocess.DEVNULL)
    _kill_parent_and_check_workers(parent, 2)


def test_pool_workers_die_with_their_parent():
    # the pool without a budget (the library's path): each worker sleeps on its item
    driver = "from artconv.run.parallel import map_in_order; import time; list(map_in_order(time.sleep, [60] * 40, 2))"
    parent = subprocess.Popen([sys.executable, "-c", driver], stderr=subprocess.DEVNULL)
    _kill_parent_and_check_workers(parent, 2)


# --- summaries tell the truth ---------------------------------------------------------------------


def test_lint_fix_that_cannot_write_says_so(tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    # bigger than the 1 KiB file size limit below, so its fixed copy cannot be written
    (folder / "a.md").write_bytes(ARTICLE + b"\nWords and more words.\n" * 100)
    (folder / "b.md").write_bytes(CLEAN)
    result = _bash(f"ulimit -f 1; '{ARTCONV}' lint --fix posts 2>&1 | cat; exit ${{PIPESTATUS[0]}}", tmp_path)
    assert result.returncode == 1
    lines = result.stdout.decode().splitlines()
    assert "error: posts/a.md: cannot write: File too large" in lines
    assert "posts/a.md:5:4: HT101 [*] inline style attribute on <p>" in lines  # the file keeps it
    (summary,) = [line for line in lines if "checked in" in line]
    assert "No problems found" not in summary
    assert summary.startswith("Found 1 problem in 1 file (1 fixable with --fix). 1 file could not be written: posts/a.md.")
    assert b"style" in (folder / "a.md").read_bytes()


def test_lint_names_the_files_it_could_not_read(tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "b.md").write_bytes(CLEAN)
    (folder / "c.md").symlink_to("gone.md")
    result = run_artconv("lint", "--no-cache", "posts", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stderr.decode().splitlines() == [
        "error: posts/c.md: cannot read: No such file or directory",
        result.stderr.decode().splitlines()[1],
    ]
    summary = result.stderr.decode().splitlines()[1]
    assert summary.startswith("No problems found in the 1 file read. 1 file could not be read: posts/c.md. 1 file checked")


def test_convert_summary_names_the_failed_files(tmp_path):
    folder = tmp_path / "posts"
    folder.mkdir()
    (folder / "a.md").write_bytes(ARTICLE)
    (folder / "bad.md").write_bytes(b"---\ntitle: [\n---\nx\n")
    result = run_artconv("convert", "posts", "--output", "out", cwd=tmp_path)
    assert result.returncode == 1
    assert "(1 changed, 1 failed: posts/bad.md)." in result.stderr.decode().splitlines()[-1]


# --- hostile names ------------------------------------------------------------------------------------

HOSTILE = [b"new\nline.md", b"esc\x1b[2Jx.md", b"caf\xe9.md"]


@pytest.fixture
def hostile(tmp_path):
    folder = tmp_path / "N"
    folder.mkdir()
    for name in HOSTILE:
        (folder / os.fsdecode(name)).write_bytes(ARTICLE)
    return tmp_path


def test_hostile_names_in_lint_text_output(hostile):
    result = run_artconv("lint", "--no-cache", "N", cwd=hostile)
    assert result.returncode == 1
    assert result.stdout.decode().splitlines() == [
        '"N/caf\\xe9.md":5:4: HT101 [*] inline style attribute on <p>',
        '"N/esc\\x1b[2Jx.md":5:4: HT101 [*] inline style attribute on <p>',
        '"N/new\\nline.md":5:4: HT101 [*] inline style attribute on <p>',
    ]
    assert b"\x1b" not in result.stdout + result.stderr


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_hostile_names_in_json_and_sarif(hostile, fmt):
    result = run_artconv("lint", "--no-cache", "--format", fmt, "N", cwd=hostile)
    assert result.returncode == 1, result.stderr
    document = json.loads(result.stdout.decode("utf-8"))  # strict UTF-8, valid JSON
    if fmt == "json":
        paths = {os.fsencode(finding["path"]) for finding in document}
        assert paths == {b"N/" + name for name in HOSTILE}
    else:
        uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in document["runs"][0]["results"]}
        assert uris == {"N/new%0Aline.md", "N/esc%1B%5B2Jx.md", "N/caf%E9.md"}


def test_hostile_names_in_convert_errors_and_summary(hostile):
    for name in HOSTILE:
        (hostile / "N" / os.fsdecode(name)).write_bytes(b"---\ntitle: [\n---\nx\n")  # broken YAML
    result = run_artconv("convert", "N", "--output", "out", cwd=hostile)
    assert result.returncode == 1
    lines = result.stderr.decode("utf-8").splitlines()
    assert len(lines) == 4  # one per file, and the summary
    assert lines[0].startswith('error: "N/caf\\xe9.md":3:1: invalid YAML')
    assert lines[1].startswith('error: "N/esc\\x1b[2Jx.md":3:1: invalid YAML')
    assert lines[2].startswith('error: "N/new\\nline.md":3:1: invalid YAML')
    assert lines[3].endswith('3 failed: "N/caf\\xe9.md", "N/esc\\x1b[2Jx.md", "N/new\\nline.md").')
    assert b"\x1b" not in result.stderr


# --- XHTML depth --------------------------------------------------------------------------------------


def test_xhtml_deeper_than_xml_readers_accept_is_refused():
    from artconv.core.errors import ConversionError
    from artconv.writers.xhtml import MAX_XML_DEPTH, xhtml_document

    def nested(depth: int) -> etree._Element:
        root = etree.Element("div")
        element = etree.SubElement(root, "div")
        for _ in range(depth - 1):
            element = etree.SubElement(element, "div")
        element.text = "deep text"
        return root

    # html > body > section around the body: 3 levels
    fits = xhtml_document(nested(MAX_XML_DEPTH - 3), "T", "en")
    assert etree.fromstring(fits.encode()).xpath("string()").strip().endswith("deep text")  # default parser
    with pytest.raises(ConversionError, match="nested 257 levels deep"):
        xhtml_document(nested(MAX_XML_DEPTH - 2), "T", "en")


def test_classic_mac_line_ends_are_lines_to_lint_and_stay_in_the_output(tmp_path):
    # CR alone ends a line for CommonMark: lint counted LF only and named the wrong line
    # (1:31 for 3:18), and convert wrote LF into the parts it changed
    lines = ["Intro line.", "", 'Second para with <font color="red">red</font> text.', "", '<p style="color:blue">Styled</p>', ""]
    (tmp_path / "cr.md").write_bytes("\r".join(lines).encode())
    (tmp_path / "lf.md").write_bytes("\n".join(lines).encode())
    cr = run_artconv("lint", "--no-cache", "cr.md", cwd=tmp_path).stdout.decode()
    lf = run_artconv("lint", "--no-cache", "lf.md", cwd=tmp_path).stdout.decode()
    assert "cr.md:3:18: HT103" in cr and "cr.md:5:4: HT101" in cr
    assert cr.replace("cr.md", "x") == lf.replace("lf.md", "x")
    converted = run_artconv("convert", "--to", "md", "cr.md", cwd=tmp_path).stdout
    assert b"\n" not in converted and b"Second para with red text.\r\rStyled\r" in converted
    assert run_artconv("lint", "--fix", "cr.md", cwd=tmp_path).returncode == 0
    fixed = (tmp_path / "cr.md").read_bytes()
    assert b"\n" not in fixed and b"\r\r<p>Styled</p>\r" in fixed
