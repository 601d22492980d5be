"""The hooks in .pre-commit-hooks.yaml, run by the real `pre-commit` in throwaway content repositories.

pre-commit installs the hook repository with `pip install .` into a fresh virtualenv, so these
tests need PyPI (or a warm pip cache) and take a few seconds per install: the hook repository
and PRE_COMMIT_HOME are shared by the whole module, so the store's environment is built once,
and `try-repo` (which always builds its own in a temporary store) runs once.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from conftest import ARTCONV, REPO

PRE_COMMIT = Path(sys.executable).with_name("pre-commit")
TIMEOUT = 300  # an environment install on a cold pip cache downloads artconv's dependencies

BAD = """\
---
title: Bad
date: 2024-05-01 10:00:00
---
<p style="color:red">Text</p>
<!-- editor note -->
"""

# The line and column of the style attribute in BAD, as artconv reports them.
BAD_STYLE_AT = "5:4"

CLEAN = """\
---
title: Clean
date: 2024-05-01 10:00:00
tags: [notes]
---
A clean paragraph.
"""


@dataclass(frozen=True)
class Hooks:
    repo: Path
    rev: str
    env: dict[str, str]
    scratch: Path


def _readme_snippet() -> str:
    """The `.pre-commit-config.yaml` the README's "Pre-commit" section tells users to paste."""
    section = (REPO / "README.md").read_text(encoding="utf-8").split("\n## Pre-commit\n", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"^```yaml\n(.*?)^```$", section, re.MULTILINE | re.DOTALL)
    snippets = [block for block in blocks if block.startswith("# .pre-commit-config.yaml\n")]
    assert len(snippets) == 1, "the README's Pre-commit section should show one .pre-commit-config.yaml"
    return snippets[0]


def _pip_constraints(folder: Path) -> Path:
    """requirements/run.txt without its hashes, for PIP_CONSTRAINT: pre-commit's own `pip
    install` of the hook repository then gets the locked versions, not the newest of the day."""
    text = (REPO / "requirements" / "run.txt").read_text(encoding="utf-8")
    pins = re.findall(r"^([A-Za-z0-9][A-Za-z0-9._-]*==[^ \\\n]+(?: ;[^\\\n]+)?)", text, re.MULTILINE)
    assert pins, "requirements/run.txt holds no pins"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / "constraints.txt"
    path.write_text("\n".join(pin.strip() for pin in pins) + "\n", encoding="utf-8")
    return path


def _environment(home: Path) -> dict[str, str]:
    # A suite run from inside a git hook inherits GIT_DIR/GIT_INDEX_FILE, and SKIP or
    # PRE_COMMIT_* would switch hooks off; the user's git config may set core.hooksPath
    # (which makes `pre-commit install` refuse) or commit signing.
    env = {k: v for k, v in os.environ.items() if not k.startswith(("GIT_", "PRE_COMMIT")) and k != "SKIP"}
    env.update(
        PRE_COMMIT_HOME=str(home),
        PRE_COMMIT_COLOR="never",
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        PIP_CONSTRAINT=str(_pip_constraints(home)),
    )
    return env


def _git(*args: str, cwd: Path, env: dict[str, str]) -> str:
    done = subprocess.run(["git", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, f"git {' '.join(args)} failed:\n{done.stdout}{done.stderr}"
    return done.stdout


def _new_repo(path: Path, env: dict[str, str]) -> Path:
    path.mkdir(parents=True)
    _git("init", "-q", "-b", "main", cwd=path, env=env)
    _git("config", "user.name", "artconv tests", cwd=path, env=env)
    _git("config", "user.email", "tests@artconv.invalid", cwd=path, env=env)
    return path


def _run(*command: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run a command the way a person at a terminal would see it: one stream, exit code kept."""
    return subprocess.run(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, timeout=TIMEOUT
    )


def _pre_commit(*args: str, cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return _run(str(PRE_COMMIT), *args, cwd=cwd, env=env)


def _commit(cwd: Path, env: dict[str, str], message: str) -> subprocess.CompletedProcess[str]:
    return _run("git", "commit", "-m", message, cwd=cwd, env=env)


@pytest.fixture(scope="module")
def hooks(tmp_path_factory) -> Hooks:
    """This checkout's working tree, untracked files included, committed into a new repository.

    Neither `git clone` of this checkout nor `try-repo` on it would do: both see HEAD, and
    try-repo's own snapshot of uncommitted changes leaves out untracked files, such as a new
    rule module or this very hook manifest before it is committed. Borrowing the work tree
    with --git-dir/--work-tree writes nothing into this checkout's .git, and .gitignore keeps
    .venv and build output out.
    """
    assert PRE_COMMIT.exists(), f"pre-commit is not installed beside {sys.executable} (it is a [test] dependency)"
    scratch = tmp_path_factory.mktemp("precommit")
    env = _environment(scratch / "pre-commit-home")
    snapshot = _new_repo(scratch / "artconv", env)
    _git(f"--git-dir={snapshot / '.git'}", f"--work-tree={REPO}", "add", "-A", cwd=snapshot, env=env)
    _git("commit", "-q", "--no-verify", "-m", "snapshot of the working tree", cwd=snapshot, env=env)
    _git("reset", "-q", "--hard", cwd=snapshot, env=env)
    assert (snapshot / ".pre-commit-hooks.yaml").is_file()
    rev = _git("rev-parse", "HEAD", cwd=snapshot, env=env).strip()
    return Hooks(snapshot, rev, env, scratch)


def _content_repo(hooks: Hooks, name: str) -> Path:
    """A content repository whose committed .pre-commit-config.yaml uses the snapshot's hooks;
    artconv-fix and artconv-convert-check are manual-stage hooks, run on demand with
    `--hook-stage manual`."""
    repo = _new_repo(hooks.scratch / name, hooks.env)
    (repo / "source" / "_posts").mkdir(parents=True)
    # JSON strings are YAML strings, so any temporary path is quoted correctly.
    (repo / ".pre-commit-config.yaml").write_text(
        "repos:\n"
        f"  - repo: {json.dumps(str(hooks.repo))}\n"
        f"    rev: {hooks.rev}\n"
        "    hooks:\n"
        "      - id: artconv-lint\n"
        "      - id: artconv-fix\n"
        "        stages: [manual]\n"
        "      - id: artconv-convert-check\n"
        "        stages: [manual]\n",
        encoding="utf-8",
    )
    _git("add", ".pre-commit-config.yaml", cwd=repo, env=hooks.env)
    _git("commit", "-q", "--no-verify", "-m", "pre-commit config", cwd=repo, env=hooks.env)
    return repo


def test_try_repo_lint_fails_on_bad_article(hooks):
    content = _new_repo(hooks.scratch / "try-repo", hooks.env)
    post = content / "source" / "_posts" / "bad.md"
    post.parent.mkdir(parents=True)
    post.write_text(BAD, encoding="utf-8")

    done = _pre_commit(
        "try-repo", str(hooks.repo), "artconv-lint", "--ref", hooks.rev, "--files", "source/_posts/bad.md",
        cwd=content, env=hooks.env,
    )

    assert done.returncode == 1, done.stdout
    assert "- hook id: artconv-lint" in done.stdout
    assert f"source/_posts/bad.md:{BAD_STYLE_AT}: HT101 [*] inline style attribute on <p>" in done.stdout
    assert "source/_posts/bad.md:6:1: HT104" in done.stdout
    assert post.read_text(encoding="utf-8") == BAD


def test_lint_hook_passes_clean_article_and_skips_other_files(hooks):
    content = _content_repo(hooks, "lint-clean")
    (content / "source" / "_posts" / "clean.md").write_text(CLEAN, encoding="utf-8")
    # Not Markdown or HTML, so the hook never hands it to artconv, which would flag it.
    (content / "notes.txt").write_text('<p style="color:red">scratch</p>\n', encoding="utf-8")

    done = _pre_commit("run", "artconv-lint", "--files", "source/_posts/clean.md", "notes.txt", cwd=content, env=hooks.env)

    assert done.returncode == 0, done.stdout
    assert "artconv lint" in done.stdout and "Passed" in done.stdout


def test_lint_hook_fails_on_bad_article(hooks):
    content = _content_repo(hooks, "lint-bad")
    (content / "source" / "_posts" / "bad.md").write_text(BAD, encoding="utf-8")

    done = _pre_commit("run", "artconv-lint", "--files", "source/_posts/bad.md", cwd=content, env=hooks.env)

    assert done.returncode == 1, done.stdout
    assert "Failed" in done.stdout
    assert f"source/_posts/bad.md:{BAD_STYLE_AT}: HT101" in done.stdout


def test_fix_hook_rewrites_article_then_lint_passes(hooks):
    content = _content_repo(hooks, "fix")
    post = content / "source" / "_posts" / "bad.md"
    post.write_text(BAD, encoding="utf-8")
    # pre-commit notices modifications through `git diff`, which ignores untracked files.
    _git("add", "source/_posts/bad.md", cwd=content, env=hooks.env)

    fixed = _pre_commit(
        "run", "artconv-fix", "--hook-stage", "manual", "--files", "source/_posts/bad.md", cwd=content, env=hooks.env,
    )

    assert fixed.returncode == 1, fixed.stdout
    assert "- hook id: artconv-fix" in fixed.stdout
    assert "- files were modified by this hook" in fixed.stdout
    text = post.read_text(encoding="utf-8")
    assert "style=" not in text and "<!--" not in text
    assert "<p>Text</p>" in text and text.startswith("---\ntitle: Bad\n")

    again = _pre_commit("run", "artconv-lint", "--files", "source/_posts/bad.md", cwd=content, env=hooks.env)
    assert again.returncode == 0, again.stdout


def test_convert_check_hook_fails_on_article_that_would_change_and_honours_exclude(hooks):
    """`convert --check` as a hook: an article convert would rewrite fails it (and is left as it
    is), a clean one passes, and one the configuration's extend-exclude names is skipped although
    pre-commit names it (the hook's --force-exclude)."""
    content = _content_repo(hooks, "convert-check")
    posts = content / "source" / "_posts"
    (posts / "clean.md").write_text(CLEAN, encoding="utf-8")
    bad = posts / "bad.md"
    bad.write_text(BAD, encoding="utf-8")
    (content / "drafts").mkdir()
    (content / "drafts" / "draft.md").write_text(BAD, encoding="utf-8")
    (content / ".artconv.toml").write_text('extend-exclude = ["drafts/"]\n', encoding="utf-8")

    def check(*files: str) -> subprocess.CompletedProcess[str]:
        return _pre_commit("run", "artconv-convert-check", "--hook-stage", "manual", "--files", *files, cwd=content, env=hooks.env)

    failed = check("source/_posts/bad.md", "source/_posts/clean.md")
    assert failed.returncode == 1, failed.stdout
    assert "- hook id: artconv-convert-check" in failed.stdout
    assert "would change: source/_posts/bad.md" in failed.stdout
    assert "clean.md" not in failed.stdout.split("- exit code: 1", 1)[1].split("Checked", 1)[0]
    assert bad.read_text(encoding="utf-8") == BAD

    passed = check("source/_posts/clean.md", "drafts/draft.md")
    assert passed.returncode == 0, passed.stdout
    assert "artconv convert --check" in passed.stdout and "Passed" in passed.stdout


def test_installed_hook_blocks_bad_commit_and_allows_clean_one(hooks):
    content = _content_repo(hooks, "commit")
    installed = _pre_commit("install", cwd=content, env=hooks.env)
    assert installed.returncode == 0, installed.stdout

    page = content / "source" / "_posts" / "page.html"
    page.write_text('---\ntitle: Page\n---\n<p style="color:red">Hello</p>\n', encoding="utf-8")
    _git("add", "source/_posts/page.html", cwd=content, env=hooks.env)
    refused = _commit(content, hooks.env, "add a page with inline style")

    assert refused.returncode != 0, refused.stdout
    assert "source/_posts/page.html:4:4: HT101 [*] inline style attribute on <p>" in refused.stdout
    assert _git("rev-list", "--count", "HEAD", cwd=content, env=hooks.env).strip() == "1"

    _git("rm", "-q", "--cached", "source/_posts/page.html", cwd=content, env=hooks.env)
    page.unlink()
    (content / "source" / "_posts" / "clean.md").write_text(CLEAN, encoding="utf-8")
    _git("add", "source/_posts/clean.md", cwd=content, env=hooks.env)
    accepted = _commit(content, hooks.env, "add a clean article")

    assert accepted.returncode == 0, accepted.stdout
    assert "artconv lint" in accepted.stdout and "Passed" in accepted.stdout
    assert _git("rev-list", "--count", "HEAD", cwd=content, env=hooks.env).strip() == "2"


def test_readme_snippet_pasted_verbatim_blocks_bad_commit_and_fixes(hooks):
    """The README's configuration, byte for byte, in a Hexo-like repository: `pre-commit install`,
    a refused commit, the manual fix hook, then an accepted commit. `language: system` runs the
    artconv on PATH, which is this checkout's, as a user's pipx install would be."""
    env = dict(hooks.env, PATH=f"{ARTCONV.parent}{os.pathsep}{hooks.env.get('PATH', '')}")
    content = _new_repo(hooks.scratch / "readme-snippet", env)
    (content / ".pre-commit-config.yaml").write_text(_readme_snippet(), encoding="utf-8")
    posts = content / "source" / "_posts"
    posts.mkdir(parents=True)
    _git("add", ".pre-commit-config.yaml", cwd=content, env=env)
    _git("commit", "-q", "--no-verify", "-m", "pre-commit config", cwd=content, env=env)
    installed = _pre_commit("install", cwd=content, env=env)
    assert installed.returncode == 0, installed.stdout

    post = posts / "bad.md"
    post.write_text(BAD, encoding="utf-8")
    (content / "README.md").write_text('<p style="color:red">not an article: `files:` leaves it out</p>\n', encoding="utf-8")
    _git("add", "source/_posts/bad.md", "README.md", cwd=content, env=env)
    refused = _commit(content, env, "a pasted article")
    assert refused.returncode != 0, refused.stdout
    assert f"source/_posts/bad.md:{BAD_STYLE_AT}: HT101 [*] inline style attribute on <p>" in refused.stdout
    assert "README.md:" not in refused.stdout

    fixed = _pre_commit("run", "--hook-stage", "manual", "artconv-fix", "--all-files", cwd=content, env=env)
    assert fixed.returncode == 1 and "- files were modified by this hook" in fixed.stdout, fixed.stdout
    assert "style=" not in post.read_text(encoding="utf-8")

    _git("add", "source/_posts/bad.md", cwd=content, env=env)
    accepted = _commit(content, env, "the article, fixed")
    assert accepted.returncode == 0, accepted.stdout
    assert "artconv lint" in accepted.stdout and "Passed" in accepted.stdout
