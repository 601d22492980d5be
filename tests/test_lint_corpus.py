"""`artconv lint` over all of ../shared/corpus as a subprocess, and --fix on a copy of it."""

from __future__ import annotations

import hashlib
import json
import shutil
import stat
from pathlib import Path

import pytest

from artconv.core.decoding import decode
from conftest import CORPUS

BROKEN_YAML = {
    "odd-cases/simplystats-simplystats.github.io/c9058e1__2017-07-26-A-solution-to-missing-data-Imputation-using-R.md": (2, 34),
    "odd-cases/simplystats-simplystats.github.io/66c75a6__2016-11-11-im-not-moving-to-canada.md": (2, 34),
    "odd-cases/cosname-cosx.org/c06cd58__2022-11-3-random_variable_and_random_event.md": (6, 1),
    "odd-cases/cosname-cosx.org/6a3d3e9__2023-10-29_submit.md": (2, 29),
}


@pytest.fixture(scope="module")
def corpus_findings():
    from conftest import run_artconv

    result = run_artconv("lint", "--format", "json", str(CORPUS))
    assert b"Traceback" not in result.stderr, result.stderr[-2000:]
    assert result.returncode == 1
    return json.loads(result.stdout)


def test_every_finding_lies_inside_its_file(corpus_findings):
    texts: dict[str, list[str]] = {}
    outside = []
    for finding in corpus_findings:
        path = finding["path"]
        if path not in texts:
            data = Path(path).read_bytes()
            try:
                texts[path] = decode(data)[0].lstrip("\ufeff").split("\n")
            except ValueError:
                texts[path] = [""]
        lines = texts[path]
        line, column = finding["line"], finding["column"]
        if not (1 <= line <= len(lines) and 1 <= column <= len(lines[line - 1].rstrip("\r")) + 1):
            outside.append(finding)
    assert not outside, outside[:5]
    assert len(corpus_findings) > 1000


def test_broken_yaml_is_reported_where_the_parser_failed(corpus_findings):
    reported = {
        (Path(f["path"]).resolve().relative_to(CORPUS.resolve()).as_posix()): (f["line"], f["column"])
        for f in corpus_findings
        if f["code"] == "FM001"
    }
    assert reported == BROKEN_YAML


def test_findings_name_their_rule_and_fix(corpus_findings):
    codes = {f["code"] for f in corpus_findings}
    assert {"FM001", "FM003", "FM007", "FM008", "HT101", "HT102", "HT104", "HT105", "HT109"} <= codes
    assert all(f["name"] and f["message"] for f in corpus_findings)


def _digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.rglob("*")) if p.is_file()}


def test_fix_leaves_nothing_safe_to_fix_and_a_second_fix_changes_nothing(artconv, tmp_path):
    copy = tmp_path / "corpus"
    shutil.copytree(CORPUS, copy)
    for path in copy.rglob("*"):
        path.chmod(path.stat().st_mode | stat.S_IWUSR)
    first = artconv("lint", "--fix", "--format", "json", str(copy))
    assert b"Traceback" not in first.stderr
    remaining = json.loads(first.stdout)
    assert [f for f in remaining if f["fix"] == "safe"] == []
    after_first = _digest(copy)
    assert after_first != _digest(CORPUS)  # something was fixed
    again = artconv("lint", "--format", "json", str(copy))
    assert [f for f in json.loads(again.stdout) if f["fix"] == "safe"] == []
    second = artconv("lint", "--fix", "--format", "json", str(copy))
    assert second.returncode == first.returncode
    assert _digest(copy) == after_first
