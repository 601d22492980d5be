"""`convert --dask ADDRESS`: the same files, configuration and refusals as a local run, byte for
byte, converted by the workers of a dask.distributed LocalCluster on 127.0.0.1."""

from __future__ import annotations

import os
import shutil
import subprocess

import pytest
from conftest import ARTCONV, CORPUS

distributed = pytest.importorskip("distributed")

SAMPLE = 40


@pytest.fixture(scope="module")
def cluster():
    # two workers of one thread each, in this process (over TCP, so that the command reaches
    # them): up in a second, torn down with the module
    with distributed.LocalCluster(
        n_workers=2, threads_per_worker=1, processes=False, protocol="tcp", host="127.0.0.1", dashboard_address=None
    ) as local:
        yield local


@pytest.fixture(scope="module")
def posts(tmp_path_factory):
    """A sample of the corpus (every folder kind, refusals included), and a configuration that
    the client must resolve for the workers (they never see it)."""
    root = tmp_path_factory.mktemp("dask") / "posts"
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".md", ".html") and p.is_file() and p.name != "README.md")
    for path in files[:: max(1, len(files) // SAMPLE)][:SAMPLE]:
        target = root / path.relative_to(CORPUS)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, target)
    (root / ".artconv.toml").write_text('[transformers.style]\nkeep-classes = ["language-.*"]\n', "utf-8")
    (root / "broken.md").write_text("---\ntitle: [unclosed\n---\nBody\n", "utf-8")
    return root


@pytest.mark.parametrize("to", ["md", "json"])
def test_dask_outputs_are_those_of_a_local_run(artconv, cluster, posts, tmp_path, to):
    local = artconv("convert", "--to", to, str(posts), "--output", str(tmp_path / "local"), "-q")
    remote = artconv(
        "convert", "--to", to, str(posts), "--output", str(tmp_path / "remote"), "-q", "--dask", cluster.scheduler_address
    )
    assert remote.returncode == local.returncode == 1  # broken.md is refused by both
    assert remote.stderr == local.stderr
    assert b"broken.md:3:1: invalid YAML front matter" in remote.stderr
    written = sorted(p.relative_to(tmp_path / "local") for p in (tmp_path / "local").rglob("*") if p.is_file())
    assert len(written) >= SAMPLE // 2
    assert written == sorted(p.relative_to(tmp_path / "remote") for p in (tmp_path / "remote").rglob("*") if p.is_file())
    for relative in written:
        assert (tmp_path / "remote" / relative).read_bytes() == (tmp_path / "local" / relative).read_bytes(), relative


def test_dask_without_a_scheduler_is_one_line(tmp_path, posts):
    # dask's own setting for how long to try, shortened from its 30 s
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "2s"}
    result = subprocess.run(
        [str(ARTCONV), "convert", "--to", "md", str(posts), "--output", str(tmp_path / "out"), "--dask", "tcp://127.0.0.1:9"],
        capture_output=True, env=env, timeout=120,
    )
    assert result.returncode == 2
    lines = result.stderr.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: --dask tcp://127.0.0.1:9: cannot reach the scheduler"), lines
