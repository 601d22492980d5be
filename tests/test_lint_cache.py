"""The lint cache: the same findings cold, warm and without it, written in segments that a warm
run keeps as they are and a changed file rewrites one at a time."""

from __future__ import annotations

import json
import shutil

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
