"""Shared paths and a runner for the installed `artconv` command."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
FIXTURES = REPO / "fixtures" / "convert"
LINT_FIXTURES = REPO / "fixtures" / "lint"
RULE_FIXTURES = REPO / "fixtures" / "rules"
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
CORPUS2 = SHARED / "corpus2"
CORPORA = (CORPUS, CORPUS2)
SEEDS = SHARED / "seeds"
ARTCONV = Path(sys.executable).with_name("artconv")


def run_artconv(*args: str, cwd: Path | None = None, stdin: bytes | None = None, timeout: int = 600):
    """Run the installed console script, as a user would."""
    return subprocess.run(
        [str(ARTCONV), *args], cwd=cwd, input=stdin, capture_output=True, timeout=timeout
    )


@pytest.fixture(scope="session")
def corpus_md(tmp_path_factory):
    """Both corpora converted to Markdown once for the whole session (each into OUT/<corpus
    name>), as a user would: returns OUT and the finished process of each corpus by name.
    Several modules read the same outputs; converting them once per module cost minutes."""
    out = tmp_path_factory.mktemp("corpus-md")
    runs = {}
    for corpus in CORPORA:
        assert corpus.is_dir(), f"the shared corpus is missing at {corpus}"
        runs[corpus.name] = run_artconv("convert", "--to", "md", str(corpus), "--output", str(out / corpus.name))
    return out, runs


@pytest.fixture
def artconv():
    assert ARTCONV.exists(), f"the artconv console script is not installed beside {sys.executable}"
    return run_artconv


# --- progress a person can read ----------------------------------------------------------------
# Some modules spend a minute in one fixture (every bad input run at once, the corpus converted
# once, EPUBCheck's JVM) before their first dot. Each module's first docstring line is printed as
# it starts, so a slow stretch is named instead of looking like a hang.


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_protocol(item, nextitem):
    module = getattr(item, "module", None)
    reporter = item.config.pluginmanager.get_plugin("terminalreporter")
    if module is None or reporter is None or item.config.getoption("verbose") < 0:
        return None
    seen = item.config.stash.setdefault(_ANNOUNCED, set())
    if module.__name__ in seen:
        return None
    seen.add(module.__name__)
    summary = (module.__doc__ or "").strip().splitlines()
    reporter.ensure_newline()
    # no newline: the reporter ends this line itself when it writes the module's path again
    reporter.write(f"── {item.nodeid.split('::')[0]}: {summary[0] if summary else ''}", bold=True)
    reporter.currentfspath = None
    return None


_ANNOUNCED = pytest.StashKey[set]()
