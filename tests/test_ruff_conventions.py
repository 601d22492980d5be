"""`artconv lint`/`convert` with ruff's conventions (issue 14): discovery, --config, outputs, stdin, colour.

One test (or a few) per row of the issue's table, each through the installed command in small
throwaway repositories.
"""

from __future__ import annotations

import json
import os
import re
import pty
import select
import subprocess
import time
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import ARTCONV, run_artconv

BAD = '---\ntitle: Bad\ndate: 2024-05-01 10:00:00\n---\n<p style="color:red">Text</p>\n<!-- editor note -->\n'
STYLED = '---\ntitle: Styled\n---\n<p style="color:red">Text</p>\n'
CLEAN = "---\ntitle: Clean\ndate: 2024-05-01 10:00:00\ntags: [notes]\n---\nA clean paragraph.\n"


def _write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def _git_init(root: Path) -> None:
    subprocess.run(["git", "init", "-q", str(root)], check=True, env={**os.environ, "GIT_CONFIG_GLOBAL": os.devnull})


def _linted(result: subprocess.CompletedProcess) -> list[str]:
    """The files a JSON lint run reported, sorted, without repeats."""
    return sorted({finding["path"] for finding in json.loads(result.stdout)})


@pytest.fixture
def site(tmp_path: Path) -> Path:
    """A git work tree: a gitignored public/ (with a nested .gitignore's re-inclusion below
    source/), .git/info/exclude, and articles everywhere, each with one HT101 finding."""
    root = tmp_path / "site"
    _git_init(root)
    _write(root, {
        ".gitignore": "public/\n*.tmp.md\n",
        "source/_posts/a.md": STYLED,
        "source/_posts/scratch.tmp.md": STYLED,
        "source/_posts/keep/.gitignore": "!*.tmp.md\n",
        "source/_posts/keep/kept.tmp.md": STYLED,
        "source/_drafts/d.md": STYLED,
        "public/index.html": STYLED,
        "local/notes.md": STYLED,
        "node_modules/pkg/readme.md": STYLED,
    })
    (root / ".git" / "info" / "exclude").write_text("local/\n", encoding="utf-8")
    return root


# -- respects .gitignore; --exclude / extend-exclude / --force-exclude --------------------------


def test_walk_respects_gitignore_nested_gitignore_and_info_exclude(site):
    result = run_artconv("lint", "--output-format", "json", "--no-cache", ".", cwd=site)
    assert result.returncode == 1, result.stderr
    assert _linted(result) == ["source/_drafts/d.md", "source/_posts/a.md", "source/_posts/keep/kept.tmp.md"]

    everything = run_artconv("lint", "--output-format", "json", "--no-cache", "--no-respect-gitignore", ".", cwd=site)
    assert "public/index.html" in _linted(everything) and "local/notes.md" in _linted(everything)
    assert not any(path.startswith("node_modules/") for path in _linted(everything))  # the default exclude


def test_gitignore_applies_to_a_subfolder_walked_alone(site):
    result = run_artconv("lint", "--output-format", "json", "--no-cache", "source", cwd=site)
    assert _linted(result) == ["source/_drafts/d.md", "source/_posts/a.md", "source/_posts/keep/kept.tmp.md"]


def test_exclude_options_and_configuration_keys(site):
    extend = run_artconv("lint", "--output-format", "json", "--no-cache", "--extend-exclude", "_drafts/,keep", ".", cwd=site)
    assert _linted(extend) == ["source/_posts/a.md"]

    (site / ".artconv.toml").write_text('extend-exclude = ["source/_drafts/"]\n', encoding="utf-8")
    configured = run_artconv("lint", "--output-format", "json", "--no-cache", ".", cwd=site)
    assert _linted(configured) == ["source/_posts/a.md", "source/_posts/keep/kept.tmp.md"]

    # --exclude replaces the configuration's exclude (and the default), extend-exclude still applies
    replaced = run_artconv("lint", "--output-format", "json", "--no-cache", "--exclude", "a.md", ".", cwd=site)
    assert _linted(replaced) == ["node_modules/pkg/readme.md", "source/_posts/keep/kept.tmp.md"]


def test_force_exclude_applies_patterns_to_named_files(site):
    (site / ".artconv.toml").write_text('extend-exclude = ["_drafts/"]\n', encoding="utf-8")
    named = ["source/_drafts/d.md", "source/_posts/a.md"]
    plain = run_artconv("lint", "--output-format", "json", "--no-cache", *named, cwd=site)
    assert _linted(plain) == named  # named on the command line: taken as they are
    forced = run_artconv("lint", "--output-format", "json", "--no-cache", "--force-exclude", *named, cwd=site)
    assert _linted(forced) == ["source/_posts/a.md"]
    only_excluded = run_artconv("lint", "--force-exclude", "--no-cache", "source/_drafts/d.md", cwd=site)
    assert only_excluded.returncode == 0 and only_excluded.stdout == b""


def test_force_exclude_in_a_project_under_a_hidden_folder(tmp_path):
    """The default `.*/` exclude is about folders inside the project, not the ones it sits in."""
    project = _write(tmp_path / ".local" / "site", {".artconv.toml": 'extend-exclude = ["drafts/"]\n', "a.md": STYLED, "drafts/b.md": STYLED})
    result = run_artconv("lint", "--output-format", "json", "--no-cache", "--force-exclude", "a.md", "drafts/b.md", cwd=project)
    assert _linted(result) == ["a.md"]


def test_convert_discovers_files_the_same_way(site):
    result = run_artconv("convert", "--check", "--extend-exclude", "keep/", ".", cwd=site)
    assert result.returncode == 1
    changed = sorted(line.split(": ", 1)[1] for line in result.stderr.decode().splitlines() if line.startswith("would change"))
    assert changed == ["source/_drafts/d.md", "source/_posts/a.md"]


def test_discovery_streams_folder_by_folder(tmp_path):
    """The walk lists a folder only when it gets there: a file made in a later folder after the
    first file came out is still found (a walk that listed everything first would miss it)."""
    from artconv.run.discovery import discover

    _write(tmp_path, {"a/1.md": CLEAN, "b/2.md": CLEAN})
    (tmp_path / "c").mkdir()
    walk = discover([str(tmp_path)])
    first = next(walk)
    _write(tmp_path, {"c/3.md": CLEAN})
    rest = [source.path.name for source in walk]
    assert first.path.name == "1.md" and rest == ["2.md", "3.md"]


# -- --config FILE / --config KEY=VALUE ---------------------------------------------------------


def test_config_file_and_overrides(tmp_path):
    _write(tmp_path, {"posts/bad.md": BAD, "ci.toml": '[lint]\nselect = ["HT104"]\n', ".artconv.toml": '[lint]\nselect = ["HT101"]\n'})
    nearest = run_artconv("lint", "--no-cache", "posts", cwd=tmp_path)
    assert b"HT101" in nearest.stdout and b"HT104" not in nearest.stdout

    chosen = run_artconv("lint", "--no-cache", "--config", "ci.toml", "posts", cwd=tmp_path)
    assert b"HT104" in chosen.stdout and b"HT101" not in chosen.stdout

    override = run_artconv("lint", "--no-cache", "--config", "lint.select=['HT104']", "posts", cwd=tmp_path)
    assert b"HT104" in override.stdout and b"HT101" not in override.stdout

    both = run_artconv("lint", "--no-cache", "--config", "ci.toml", "--config", "lint.ignore=['HT104']", "posts", cwd=tmp_path)
    assert both.returncode == 0 and both.stdout == b""

    typo = run_artconv("lint", "--config", "lint.selec=['HT']", "posts", cwd=tmp_path)
    assert typo.returncode == 2 and b"--config: unknown key 'lint.selec'" in typo.stderr
    not_toml = run_artconv("lint", "--config", "lint.select=HT", "posts", cwd=tmp_path)
    assert not_toml.returncode == 2 and b"not a file, and not a TOML KEY=VALUE" in not_toml.stderr


def test_config_override_reaches_worker_processes(tmp_path):
    _write(tmp_path, {f"posts/{i:02}.md": BAD for i in range(40)})
    result = run_artconv("lint", "--no-cache", "-j", "2", "--config", "lint.select=['HT104']", "posts", cwd=tmp_path)
    lines = result.stdout.decode().splitlines()
    assert len(lines) == 40 and all(" HT104 " in line for line in lines)


def test_convert_takes_config_overrides(tmp_path):
    _write(tmp_path, {"post.md": CLEAN})
    result = run_artconv("convert", "--config", "pipelines.disable=['nope']", "post.md", cwd=tmp_path)
    assert result.returncode == 2 and b"unknown transformer 'nope'" in result.stderr


# -- extend-select, --exit-zero, --show-fixes ---------------------------------------------------


def test_extend_select_exit_zero_and_show_fixes(tmp_path):
    _write(tmp_path, {"bad.md": BAD, ".artconv.toml": '[lint]\nselect = ["HT104"]\n'})
    extended = run_artconv("lint", "--no-cache", "--extend-select", "HT101", "bad.md", cwd=tmp_path)
    assert b"HT101" in extended.stdout and b"HT104" in extended.stdout

    _write(tmp_path, {".artconv.toml": '[lint]\nselect = ["HT104"]\nextend-select = ["HT101"]\n'})
    configured = run_artconv("lint", "--no-cache", "bad.md", cwd=tmp_path)
    assert b"HT101" in configured.stdout and b"HT104" in configured.stdout

    zero = run_artconv("lint", "--no-cache", "--exit-zero", "bad.md", cwd=tmp_path)
    assert zero.returncode == 0 and b"HT101" in zero.stdout

    fixed = run_artconv("lint", "--fix", "--show-fixes", "--select", "HT101", "bad.md", cwd=tmp_path)
    assert fixed.returncode == 0, fixed.stderr
    assert "Fixed 1 problem:\n- bad.md:\n    1 × HT101 (style-attribute)\n" in fixed.stderr.decode()
    assert "style=" not in (tmp_path / "bad.md").read_text(encoding="utf-8")


# -- --output-format: junit, gitlab, auto; --format kept as an alias ---------------------------


def test_output_formats_junit_gitlab_and_auto(tmp_path):
    _write(tmp_path, {"bad.md": BAD, "clean.md": CLEAN})
    junit = run_artconv("lint", "--no-cache", "--output-format", "junit", ".", cwd=tmp_path)
    suites = ET.fromstring(junit.stdout)
    assert junit.returncode == 1 and suites.tag == "testsuites"
    cases = suites.findall("./testsuite/testcase")
    assert {case.get("name") for case in cases} == {"artconv.HT101", "artconv.HT104"}
    assert all(case.get("classname") == "bad.md" and case.find("failure") is not None for case in cases)

    passing = ET.fromstring(run_artconv("lint", "--no-cache", "--output-format", "junit", "clean.md", cwd=tmp_path).stdout)
    assert [case.find("failure") for case in passing.iter("testcase")] == [None]

    gitlab = json.loads(run_artconv("lint", "--no-cache", "--output-format", "gitlab", ".", cwd=tmp_path).stdout)
    assert {issue["check_name"] for issue in gitlab} == {"HT101", "HT104"}
    assert len({issue["fingerprint"] for issue in gitlab}) == len(gitlab)
    assert all(issue["location"]["path"] == "bad.md" and issue["severity"] in ("minor", "major") for issue in gitlab)
    assert gitlab[0]["location"]["positions"]["begin"] == {"line": 5, "column": 4}

    actions = run_artconv("lint", "--no-cache", "bad.md", cwd=tmp_path, env={"GITHUB_ACTIONS": "true"})
    assert actions.stdout.startswith(b"::")  # auto: annotations inside GitHub Actions
    assert run_artconv("lint", "--no-cache", "bad.md", cwd=tmp_path).stdout.startswith(b"bad.md:5:4: HT101")
    alias = run_artconv("lint", "--no-cache", "--format", "json", "bad.md", cwd=tmp_path)
    assert json.loads(alias.stdout)[0]["code"] == "HT101"
    unknown = run_artconv("lint", "--output-format", "xml", "bad.md", cwd=tmp_path)
    assert unknown.returncode == 2 and b"'junit'" in unknown.stderr


# -- --statistics as a table only ----------------------------------------------------------------


def test_statistics_prints_only_the_table(tmp_path):
    _write(tmp_path, {"a.md": BAD, "b.md": BAD})
    result = run_artconv("lint", "--no-cache", "--statistics", ".", cwd=tmp_path)
    assert result.returncode == 1
    assert result.stdout.decode() == "     2\tHT101\tstyle-attribute [*]\n     2\tHT104\thtml-comment [*]\n"
    assert result.stderr == b""


# -- stdin with a file name ----------------------------------------------------------------------


def test_stdin_with_a_file_name(tmp_path):
    _write(tmp_path, {".artconv.toml": '[lint.per-file-ignores]\n"drafts/**" = ["HT104"]\n'})
    named = run_artconv("lint", "-", "--stdin-filename", "posts/x.md", cwd=tmp_path, stdin=BAD.encode())
    assert named.returncode == 1
    assert named.stdout.startswith(b"posts/x.md:5:4: HT101 [*] inline style attribute on <p>\nposts/x.md:6:1: HT104")
    ignored = run_artconv("lint", "-", "--stdin-filename", "drafts/x.md", cwd=tmp_path, stdin=BAD.encode())
    assert b"HT104" not in ignored.stdout and b"drafts/x.md:5:4: HT101" in ignored.stdout  # its configuration
    bare = run_artconv("lint", "-", cwd=tmp_path, stdin=BAD.encode())
    assert bare.stdout.startswith(b"-:5:4: HT101")


def test_stdin_fix_prints_the_fixed_text(tmp_path):
    result = run_artconv("lint", "--fix", "--select", "HT101", "-", "--stdin-filename", "x.md", cwd=tmp_path, stdin=BAD.encode())
    assert result.returncode == 0, result.stderr
    assert result.stdout.decode() == BAD.replace(' style="color:red"', "")
    clean = run_artconv("lint", "--fix", "-", cwd=tmp_path, stdin=CLEAN.encode())
    assert clean.returncode == 0 and clean.stdout.decode() == CLEAN
    framed = BAD + '<iframe src="https://example.com/"></iframe>\n'  # HT108: no fix
    remaining = run_artconv("lint", "--fix", "-", "--stdin-filename", "x.md", cwd=tmp_path, stdin=framed.encode())
    assert remaining.returncode == 1 and b"x.md:6:1: HT108" in remaining.stderr  # where it stands in the fixed text
    assert remaining.stdout.decode() == framed.replace(' style="color:red"', "").replace("<!-- editor note -->\n", "")


def test_stdin_force_exclude(tmp_path):
    _write(tmp_path, {".artconv.toml": 'extend-exclude = ["vendor/"]\n'})
    quiet = run_artconv("lint", "--force-exclude", "-", "--stdin-filename", "vendor/x.md", cwd=tmp_path, stdin=BAD.encode())
    assert quiet.returncode == 0 and quiet.stdout == b""
    echoed = run_artconv("lint", "--fix", "--force-exclude", "-", "--stdin-filename", "vendor/x.md", cwd=tmp_path, stdin=BAD.encode())
    assert echoed.returncode == 0 and echoed.stdout.decode() == BAD


# -- NO_COLOR, FORCE_COLOR, --color --------------------------------------------------------------


@pytest.mark.parametrize(
    "args, env, coloured",
    [
        ((), {}, False),  # a pipe
        (("--color", "always"), {}, True),
        (("--color", "always"), {"NO_COLOR": "1"}, True),  # the option wins over the environment
        ((), {"FORCE_COLOR": "1"}, True),
        ((), {"FORCE_COLOR": "1", "NO_COLOR": "1"}, False),
        (("--color", "never"), {"FORCE_COLOR": "1"}, False),
    ],
)
def test_color(tmp_path, args, env, coloured):
    _write(tmp_path, {"bad.md": BAD})
    result = run_artconv("lint", "--no-cache", *args, "bad.md", cwd=tmp_path, env=env)
    assert (b"\x1b[" in result.stdout) is coloured
    assert b"HT101" in result.stdout


def test_color_at_a_terminal_unless_no_color(tmp_path):
    _write(tmp_path, {"bad.md": BAD})
    assert "\x1b[1m" in _in_terminal(["lint", "--no-cache", "bad.md"], tmp_path, {})
    plain = _in_terminal(["lint", "--no-cache", "bad.md"], tmp_path, {"NO_COLOR": "1"})
    assert "bad.md:5:4: HT101" in plain and "\x1b[1m" not in plain


# -- shell completion, --help with examples, exit code of a missing path ------------------------


def test_shell_completion_script():
    """Typer finds the shell among the process's ancestors, so the command runs under bash (the
    `; exit` keeps bash from replacing itself with it), as a user's `artconv --show-completion`."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("_TYPER")}
    result = subprocess.run(
        ["bash", "-c", f'"{ARTCONV}" --show-completion; exit $?'], capture_output=True, env=base, timeout=60
    )
    assert result.returncode == 0, result.stderr
    script = result.stdout.decode()
    assert "_ARTCONV_COMPLETE=complete_bash" in script and "complete -o default -F _artconv_completion artconv" in script
    assert b"--install-completion" in run_artconv("--help").stdout


@pytest.mark.parametrize("command", ["lint", "convert", "rule", "transformers", "schema export", "schema infer", "schema output"])
def test_help_has_examples(command):
    text = run_artconv(*command.split(), "--help", env={"COLUMNS": "100"}).stdout.decode()
    assert "Examples:" in text and f"artconv {command}" in text.split("Examples:", 1)[1]
    if command in ("lint", "convert"):
        assert "Exit codes: 0" in text


@pytest.mark.parametrize("command", [("lint",), ("convert", "--check")])
def test_missing_path_exits_2_in_lint_and_convert(tmp_path, command):
    _write(tmp_path, {"ok.md": CLEAN})
    result = run_artconv(*command, "ok.md", "nope.md", cwd=tmp_path)
    assert result.returncode == 2
    assert b"error: nope.md: no such file or directory" in result.stderr


# -- the cache at the project root ---------------------------------------------------------------


def test_cache_goes_to_the_project_root(tmp_path):
    project = _write(tmp_path / "project", {"pyproject.toml": "[project]\nname = 'x'\n", "content/posts/a.md": BAD})
    first = run_artconv("lint", "posts", cwd=project / "content")
    assert first.returncode == 1
    assert (project / ".artconv_cache").is_dir() and not (project / "content" / ".artconv_cache").exists()
    elsewhere = run_artconv("lint", str(project / "content" / "posts"), cwd=tmp_path)
    assert elsewhere.returncode == 1 and not (tmp_path / ".artconv_cache").exists()
    assert b"HT101" in elsewhere.stdout  # served from the root's cache (by path relative to the root)


# -- the progress bar at a terminal --------------------------------------------------------------


def _in_terminal(args: list[str], cwd: Path, env: dict[str, str], timeout: float = 120) -> str:
    """Run artconv with stdout and stderr on a pseudo-terminal; everything it drew."""
    leader, follower = pty.openpty()
    base = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "GITHUB_ACTIONS")}
    process = subprocess.Popen(
        [str(ARTCONV), *args], cwd=cwd, stdin=subprocess.DEVNULL, stdout=follower, stderr=follower,
        env={**base, "TERM": "xterm-256color", "COLUMNS": "100", **env},
    )
    os.close(follower)
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.5)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # EIO: the other side closed
                break
            if not data:
                break
            chunks.append(data)
        elif process.poll() is not None:
            break
    process.wait(timeout=10)
    os.close(leader)
    return b"".join(chunks).decode("utf-8", errors="replace")


def test_lint_shows_a_progress_bar_at_a_terminal(tmp_path):
    _write(tmp_path, {f"posts/{i:03}.md": (BAD if i == 0 else CLEAN) for i in range(210)})
    drawn = _in_terminal(["lint", "--no-cache", "-j", "1", "posts"], tmp_path, {})
    # the bar, with its count (files stream in: how many so far, no total)
    assert "Linting" in drawn and re.search(r"\b2\d\d files", drawn)
    assert "HT101" in drawn and "posts/000.md" in drawn  # the finding, printed above the bar
    quiet = _in_terminal(["lint", "--no-cache", "-q", "posts"], tmp_path, {})
    assert "Linting" not in quiet and "posts/000.md" in quiet
