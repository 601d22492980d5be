"""Shared paths and a runner for the installed `artconv` command."""

from __future__ import annotations

import ast
import json
import os
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


def run_artconv(
    *args: str, cwd: Path | None = None, stdin: bytes | None = None, timeout: int = 600, env: dict[str, str] | None = None
):
    """Run the installed console script, as a user would. Inside GitHub Actions, lint's default
    `--output-format auto` would write annotations: the tests expect text unless they say so."""
    base = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "NO_COLOR", "FORCE_COLOR")}
    return subprocess.run(
        [str(ARTCONV), *args], cwd=cwd, input=stdin, capture_output=True, timeout=timeout, env={**base, **(env or {})}
    )


@pytest.fixture(scope="session")
def corpus_md(tmp_path_factory) -> dict[str, tuple[Path, subprocess.CompletedProcess]]:
    """`convert --to md` of ../shared/corpus and ../shared/corpus2, each into a folder of its own:
    {"corpus": (folder, run), "corpus2": (folder, run)}; the corpus run also wrote its review page,
    corpus-review.html, beside the two folders. Done once per session: several modules read
    it, and under pytest-xdist the workers share one copy (a lock, the first one converts)."""
    from filelock import FileLock

    root = tmp_path_factory.getbasetemp()
    if os.environ.get("PYTEST_XDIST_WORKER"):
        root = root.parent  # this run's folder, shared by its workers (and by no other run)
    shared = root / "corpus-md"
    runs = {}
    with FileLock(str(root / "corpus-md.lock")):
        for corpus in (CORPUS, CORPUS2):
            assert corpus.is_dir(), f"the shared corpus is missing at {corpus}"
            out, record = shared / corpus.name, shared / f"{corpus.name}.run.json"
            if not record.exists():
                # the review page of the first corpus too: tests/test_review_browser.py opens it
                page = ("--report", str(shared / "corpus-review.html")) if corpus == CORPUS else ()
                done = run_artconv("convert", "--to", "md", str(corpus), "--output", str(out), *page)
                kept = {"returncode": done.returncode, "stdout": done.stdout.decode("utf-8", "replace"),
                        "stderr": done.stderr.decode("utf-8", "replace")}
                record.write_text(json.dumps(kept), "utf-8")
            kept = json.loads(record.read_text("utf-8"))
            run = subprocess.CompletedProcess(["artconv", "convert", "--to", "md", str(corpus)], kept["returncode"],
                                              kept["stdout"].encode(), kept["stderr"].encode())
            runs[corpus.name] = (out, run)
    return runs


@pytest.fixture
def artconv():
    assert ARTCONV.exists(), f"the artconv console script is not installed beside {sys.executable}"
    return run_artconv


# --- progress a person can read ----------------------------------------------------------------
# Some modules spend a minute in one fixture (every bad input run at once, the corpus converted
# once, EPUBCheck's JVM) before their first dot. Each module's first docstring line is printed as
# it starts, so a slow stretch is named instead of looking like a hang.


_CONFIG: list[pytest.Config] = []
_ANNOUNCED: set[str] = set()


def pytest_configure(config):
    _CONFIG[:] = [config]


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_logstart(nodeid, location):
    # Called where the terminal is: in the only process, or in pytest-xdist's controller as each
    # worker starts a test (scripts/test hands out whole modules, so "starts" is honest there too).
    config = _CONFIG[0] if _CONFIG else None
    if config is None or hasattr(config, "workerinput") or config.getoption("verbose") < 0:
        return
    reporter = config.pluginmanager.get_plugin("terminalreporter")
    module = nodeid.split("::")[0]
    if reporter is None or module in _ANNOUNCED:
        return
    _ANNOUNCED.add(module)
    if getattr(reporter._tw, "width_of_current_line", 0):  # dots of the other worker's module
        reporter.currentfspath = -1  # (what makes ensure_newline end the line)
    reporter.ensure_newline()
    reporter.write_line(f"── {module}: {_first_docstring_line(Path(config.rootpath, module))}", bold=True)
    reporter.currentfspath = None  # the dots that follow start a line of their own


def _first_docstring_line(path: Path) -> str:
    try:
        doc = ast.get_docstring(ast.parse(path.read_bytes())) or ""
    except (OSError, SyntaxError):
        return ""
    return doc.strip().splitlines()[0] if doc.strip() else ""
