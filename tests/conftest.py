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
SEEDS = SHARED / "seeds"
ARTCONV = Path(sys.executable).with_name("artconv")


def run_artconv(*args: str, cwd: Path | None = None, stdin: bytes | None = None, timeout: int = 600):
    """Run the installed console script, as a user would."""
    return subprocess.run(
        [str(ARTCONV), *args], cwd=cwd, input=stdin, capture_output=True, timeout=timeout
    )


@pytest.fixture
def artconv():
    assert ARTCONV.exists(), f"the artconv console script is not installed beside {sys.executable}"
    return run_artconv
