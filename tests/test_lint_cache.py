"""The lint cache: the same findings cold, warm and without it, written in segments that a warm
run keeps as they are and a changed file rewrites one at a time."""

from __future__ import annotations

import json
import os
import shutil
import time

from conftest import LINT_FIXTURES

from artconv.core.config import Config
from artconv.lint.cache import CACHE_DIR, LintCache, content_key
from artconv.lint.findings import Finding


def _index(tmp_path):
    # at the project root: the folder of the fixtures' .artconv.toml, or tmp_path itself
    (index,) = tmp_path.glob(f"**/{CACHE_DIR}/*/*/index.json")
    return index


def test_cold_warm_and_uncached_runs_agree(artconv, tmp_path):
    shutil.copytree(LINT_FIXTURES, tmp_path / "posts")
    cold = artconv("lint", "posts", cwd=tmp_path)
    index = _index(tmp_path)
    written = index.stat().st_mtime_ns
    warm = artconv("lint", "posts", cwd=tmp_path)
    uncached = artconv("lint", "--no-cache", "posts", cwd=tmp_path)
    assert cold.stdout and cold.stdout == warm.stdout == uncached.stdout
    assert cold.returncode == warm.returncode == uncached.returncode
    assert index.stat().st_mtime_ns == written  # nothing changed: the cache is not rewritten
    post = next(p for p in sorted((tmp_path / "posts").rglob("*.md")))
    post.write_text(post.read_text("utf-8") + '\n<p style="color:red">late</p>\n', "utf-8")
    edited = artconv("lint", "posts", cwd=tmp_path)
    assert edited.stdout == artconv("lint", "--no-cache", "posts", cwd=tmp_path).stdout
    assert edited.stdout != cold.stdout


def _finding(path: str, line: int) -> Finding:
    return Finding._make((path, line, 1, "HT101", f"message {line % 2}", "style-attribute", None, None))


def test_segments_are_kept_or_rewritten_one_at_a_time(tmp_path):
    config = Config()
    paths = [f"posts/{n}.md" for n in range(5)]
    keys = {path: content_key(path.encode(), config) for path in paths}
    cache = LintCache("selection", tmp_path, segment_files=2)
    for line, path in enumerate(paths, 1):
        assert cache.get(path, keys[path]) is None
        cache.put(path, keys[path], [_finding(path, line)])
    cache.save()
    segments = json.loads(_index(tmp_path).read_text("utf-8"))["segments"]
    assert [entry[3] for entry in segments] == [2, 2, 1]  # three files, never one big one

    warm = LintCache("selection", tmp_path, segment_files=2)
    assert [warm.get(path, keys[path]) for path in paths] == [[_finding(p, n)] for n, p in enumerate(paths, 1)]
    warm.save()
    assert json.loads(_index(tmp_path).read_text("utf-8"))["segments"] == segments

    keys[paths[2]] = content_key(b"changed", config)  # the file changed: its segment alone is new
    again = LintCache("selection", tmp_path, segment_files=2)
    for line, path in enumerate(paths, 1):
        if again.get(path, keys[path]) is None:
            assert path == paths[2]
            again.put(path, keys[path], [_finding(path, 7)])
    again.save()
    now = json.loads(_index(tmp_path).read_text("utf-8"))["segments"]
    assert [entry[2] for entry in now][0::2] == [segments[0][2], segments[2][2]]
    assert now[1][2] != segments[1][2]
    files = {p.name for p in _index(tmp_path).parent.iterdir()}
    assert files == {"index.json", *(entry[2] for entry in now)}  # the replaced segment is gone
    assert LintCache("selection", tmp_path, segment_files=2).get(paths[2], keys[paths[2]]) == [_finding(paths[2], 7)]


_FRONT = "---\ntitle: Stamped\n---\n"


def _same_size_edit(post, old: str, new: str, mtime_ns: int) -> None:
    """Rewrite the file in place (same inode) to content of the same size, then set its
    modification time back: its stamp is what it was."""
    text = post.read_text("utf-8")
    assert len(old) == len(new) and old in text
    post.write_text(text.replace(old, new), "utf-8")
    os.utime(post, ns=(mtime_ns, mtime_ns))


def test_a_file_with_its_stored_stamp_is_not_read_again(artconv, tmp_path):
    # size, modification time and inode unchanged: trusted as ruff and make trust them, so a warm
    # run reads no file it has seen; an edit that keeps all three is the one thing it misses
    (tmp_path / "posts").mkdir()
    post = tmp_path / "posts" / "a.md"
    post.write_text(_FRONT + '<p style="color:red">x</p>\n', "utf-8")
    an_hour_ago = time.time_ns() - 3600 * 10**9
    os.utime(post, ns=(an_hour_ago, an_hour_ago))
    cold = artconv("lint", "posts", cwd=tmp_path)
    assert b"style" in cold.stdout
    _same_size_edit(post, "style", "title", an_hour_ago)
    assert artconv("lint", "posts", cwd=tmp_path).stdout == cold.stdout  # not read: the old findings
    assert b"style" not in artconv("lint", "--no-cache", "posts", cwd=tmp_path).stdout
    os.utime(post)  # a new modification time: read again, and linted again
    assert artconv("lint", "posts", cwd=tmp_path).stdout == artconv("lint", "--no-cache", "posts", cwd=tmp_path).stdout


def test_a_stamp_taken_right_after_an_edit_is_not_trusted(artconv, tmp_path):
    # modified within RACY_SECONDS of the run, a file could change again within the same clock
    # tick, size kept: such a stamp is not stored (git's "racily clean" entries), so the same
    # edit as above is seen
    (tmp_path / "posts").mkdir()
    post = tmp_path / "posts" / "a.md"
    post.write_text(_FRONT + '<p style="color:red">x</p>\n', "utf-8")
    just_now = post.stat().st_mtime_ns
    cold = artconv("lint", "posts", cwd=tmp_path)
    assert b"style" in cold.stdout
    _same_size_edit(post, "style", "title", just_now)
    warm = artconv("lint", "posts", cwd=tmp_path)
    assert b"style" not in warm.stdout
    assert warm.stdout == artconv("lint", "--no-cache", "posts", cwd=tmp_path).stdout
