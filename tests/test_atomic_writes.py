"""No data loss when a run that rewrites files in place is killed or interrupted.

Real subprocesses on ~3,000 real articles: `convert --in-place` and `lint --fix` are killed
(SIGKILL) or interrupted (SIGINT to the whole process group, as Ctrl-C at a terminal does)
after they have started writing. Every file must then be byte for byte its old version or its
new one. An interrupted run removes its temporary files and says so in one line; a killed one
cannot clean up, but leaves at most the file it was writing as a hidden `.NAME.*.tmp`, which
no later run reads as an article.
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import stat
import subprocess
import time
from functools import lru_cache
from pathlib import Path

import pytest

from conftest import ARTCONV, CORPUS, SEEDS, run_artconv

COPIES = 1500  # enough to be killed mid-run; the rerun that finishes the job is most of the cost
PER_FOLDER = 100
# write_atomically's temporary files: "." + NAME + "." + 8 random characters + ".tmp", beside the target
TEMPORARY = re.compile(r"^\..+\.[A-Za-z0-9_]+\.tmp$")


@lru_cache(maxsize=1)
def sources() -> tuple[bytes, ...]:
    """The seed family: real feed mirrors full of what convert and lint --fix both rewrite."""
    paths = sorted((CORPUS / "rsshub-mirror").rglob("*.md")) + sorted(SEEDS.glob("*.txt"))
    if len(paths) < 10:
        pytest.skip("../shared/corpus and ../shared/seeds are needed")
    return tuple(path.read_bytes() for path in paths)


def _copy_name(index: int, source: int) -> str:
    return f"d{index // PER_FOLDER:02d}/{index:04d}-{source:03d}.md"


def make_tree(root: Path, count: int = COPIES) -> dict[Path, int]:
    """`count` article files in folders of PER_FOLDER; maps each to the index of its source."""
    data = sources()
    made = {}
    for index in range(count):
        path = root / _copy_name(index, index % len(data))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data[index % len(data)])
        made[path] = index % len(data)
    return made


_NEW: dict[str, list[bytes]] = {}


@pytest.fixture
def new_versions(tmp_path_factory):
    """What a command makes of each source when it runs to completion (computed once)."""

    def compute(name: str) -> list[bytes]:
        if name not in _NEW:
            pristine = tmp_path_factory.mktemp(f"pristine-{name}")
            for index, data in enumerate(sources()):
                (pristine / f"{index:03d}.md").write_bytes(data)
            done = run_artconv(*COMMANDS[name], str(pristine), cwd=pristine)
            assert done.returncode in (0, 1), done.stderr.decode()
            assert b"Traceback" not in done.stderr
            _NEW[name] = [(pristine / f"{index:03d}.md").read_bytes() for index in range(len(sources()))]
            shutil.rmtree(pristine, ignore_errors=True)
        return _NEW[name]

    return compute


def start(command: list[str], root: Path, cwd: Path) -> subprocess.Popen:
    # a session of its own: Ctrl-C at a terminal signals the whole process group
    return subprocess.Popen(
        [str(ARTCONV), *command, str(root)], cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        start_new_session=True,
    )


def wait_until_writing(process: subprocess.Popen, watched: list[Path], old: list[bytes], timeout: float = 120) -> None:
    """Return once one of the first files (discovery order) has been rewritten."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, "the run ended before the test could stop it"
        if any(path.read_bytes() != data for path, data in zip(watched, old, strict=True)):
            return
        time.sleep(0.01)
    raise AssertionError("the run wrote nothing in time")


def check_old_or_new(made: dict[Path, int], root: Path, new: list[bytes]) -> tuple[int, int, list[Path]]:
    """(files rewritten, files still old that would change, leftover temporary files)."""
    old = sources()
    rewritten = pending = 0
    for path, source in made.items():
        data = path.read_bytes()
        assert data in (old[source], new[source]), f"{path.name} is neither its old nor its new version"
        if old[source] != new[source]:
            rewritten += data == new[source]
            pending += data == old[source]
    leftovers = []
    for path in root.rglob("*"):
        if path.is_file() and path not in made:
            assert TEMPORARY.match(path.name), f"unexpected file {path}"
            leftovers.append(path)
    return rewritten, pending, leftovers


COMMANDS = {
    "convert": ["convert", "--to", "md", "--in-place", "-q", "-j", "1"],
    "lint-fix": ["lint", "--fix", "-q", "-j", "1"],
}


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_sigkill_leaves_every_file_old_or_new(tmp_path, name, new_versions):
    command = COMMANDS[name]
    new = new_versions(name)
    assert sum(a != b for a, b in zip(sources(), new, strict=True)) > len(new) // 2, "the sources should mostly change"
    root = tmp_path / "articles"
    made = make_tree(root)
    first = sorted(made)[:5]
    process = start(command, root, tmp_path)
    try:
        wait_until_writing(process, first, [sources()[made[p]] for p in first])
        time.sleep(0.2)  # well into the run, most likely inside a write
    finally:
        process.kill()
        process.communicate(timeout=60)
    assert process.returncode == -signal.SIGKILL
    rewritten, pending, leftovers = check_old_or_new(made, root, new)
    assert rewritten > 0 and pending > 0, (rewritten, pending)  # killed mid-run, not before or after
    assert len(leftovers) <= 1, leftovers  # one writer: at most the file it was writing

    # the next run does not take the leftover for an article, and finishes the job
    finished = run_artconv(*command[:-1], "2", str(root), cwd=tmp_path)
    assert finished.returncode in (0, 1) and b"Traceback" not in finished.stderr, finished.stderr.decode()
    assert check_old_or_new(made, root, new)[1] == 0


@pytest.mark.parametrize("jobs", ["1", "2"])
@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_ctrl_c_stops_cleanly(tmp_path, name, jobs, new_versions):
    command = [*COMMANDS[name][:-1], jobs]
    new = new_versions(name)
    root = tmp_path / "articles"
    made = make_tree(root, 1500)
    first = sorted(made)[:5]
    process = start(command, root, tmp_path)
    try:
        wait_until_writing(process, first, [sources()[made[p]] for p in first])
        time.sleep(0.1)
        os.killpg(process.pid, signal.SIGINT)
        _, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    message = stderr.decode("utf-8", "replace")
    assert process.returncode == 130, message
    assert "Traceback" not in message and "KeyboardInterrupt" not in message, message
    assert message.splitlines() == ["interrupted"], message
    rewritten, pending, leftovers = check_old_or_new(made, root, new)
    assert leftovers == []
    assert rewritten > 0 and pending > 0, (rewritten, pending)


@pytest.mark.parametrize("name", sorted(COMMANDS))
@pytest.mark.parametrize("mode", [0o600, 0o640, 0o755, 0o444])
def test_rewriting_in_place_keeps_permissions(tmp_path, name, mode, new_versions):
    changing = next(data for data, new in zip(sources(), new_versions(name), strict=True) if data != new)
    target = tmp_path / "post.md"
    target.write_bytes(changing)
    target.chmod(mode)
    before = target.read_bytes()
    done = run_artconv(*COMMANDS[name], str(target), cwd=tmp_path)
    assert b"Traceback" not in done.stderr
    assert target.read_bytes() != before, done.stderr.decode()
    assert stat.S_IMODE(target.stat().st_mode) == mode
    assert [p.name for p in tmp_path.iterdir() if p.name != ".artconv_cache"] == ["post.md"]


def test_an_unchanged_file_is_not_touched(tmp_path):
    target = tmp_path / "post.md"
    target.write_text("---\ntitle: x\n---\nAlready *clean*.\n", encoding="utf-8")
    target.chmod(0o640)
    os.utime(target, ns=(1_000_000_000, 1_000_000_000))
    inode = target.stat().st_ino
    for command in COMMANDS.values():
        done = run_artconv(*command, str(target), cwd=tmp_path)
        assert done.returncode == 0, done.stderr.decode()
    assert (target.stat().st_ino, target.stat().st_mtime_ns) == (inode, 1_000_000_000)


def test_output_files_get_the_umask_permissions(tmp_path):
    source = tmp_path / "in" / "post.md"
    source.parent.mkdir()
    source.write_bytes(sources()[0])
    source.chmod(0o600)  # --output writes new files: they take the umask, not the input's mode
    done = subprocess.run(
        ["sh", "-c", f"umask 027 && exec '{ARTCONV}' convert --to md -q --output '{tmp_path / 'out'}' '{source.parent}'"],
        capture_output=True,
    )
    assert done.returncode == 0, done.stderr.decode()
    assert stat.S_IMODE((tmp_path / "out" / "post.md").stat().st_mode) == 0o640


@pytest.fixture(autouse=True)
def _no_leftover_trees(tmp_path):
    yield
    shutil.rmtree(tmp_path, ignore_errors=True)  # 3,000 files per test: do not keep them around
