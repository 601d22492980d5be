"""A third-party transformer package, installed for real into a temporary venv."""

from __future__ import annotations

import shutil
import site
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import REPO

PLUGIN = REPO / "tests" / "plugin_dist"
ARTICLE = "---\ntitle: Plugin\n---\n<h2>quiet heading</h2>\n<p>First paragraph.</p>\n<p>Last paragraph.</p>\n"


@pytest.fixture(scope="module")
def plugin_venv(tmp_path_factory):
    """A fresh venv that sees artconv and its dependencies (through a .pth file pointing at the
    test environment) and has the example plugin installed into it by pip."""
    root = tmp_path_factory.mktemp("plugin-venv")
    venv.EnvBuilder(with_pip=False).create(root)
    python = root / "bin" / "python"
    purelib = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
        capture_output=True, text=True, check=True,
    ).stdout.strip()
    # addsitedir (not a bare path) so that the editable install's own .pth hook runs too
    lines = [f"import site; site.addsitedir({path!r})" for path in site.getsitepackages()]
    Path(purelib, "artconv-test-env.pth").write_text("\n".join(lines) + "\n")
    source = root / "plugin-source"  # a copy, so that the build leaves nothing in the repository
    shutil.copytree(PLUGIN, source, ignore=shutil.ignore_patterns("build", "*.egg-info"))
    install = subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
         "--no-build-isolation", "--no-index", str(source)],
        capture_output=True, text=True,
    )
    assert install.returncode == 0, install.stderr
    return python


def _run(python: Path, *args: str, cwd: Path, stdin: str | None = None):
    return subprocess.run(
        [str(python), "-m", "artconv", *args], cwd=cwd, input=stdin, capture_output=True, text=True
    )


def test_installed_plugin_is_listed_with_its_distribution(plugin_venv, tmp_path):
    result = _run(plugin_venv, "transformers", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "shout-headings" in result.stdout
    assert "[artconv-example-plugin]" in result.stdout


def test_installing_a_plugin_changes_nothing_until_configured(plugin_venv, tmp_path):
    result = _run(plugin_venv, "convert", "--to", "md", "-", cwd=tmp_path, stdin=ARTICLE)
    assert result.returncode == 0, result.stderr
    assert "## quiet heading" in result.stdout


def test_configuration_places_the_plugin_in_the_pipeline(plugin_venv, tmp_path):
    (tmp_path / "pyproject.toml").write_text(
        "[tool.artconv.pipelines]\n"
        "md = ['boilerplate', 'tracking', 'style', 'shout-headings', 'whitespace', 'hexo-escapes']\n"
        "[tool.artconv.transformers.shout-headings]\nsuffix = '!'\n",
        "utf-8",
    )
    listing = _run(plugin_venv, "transformers", cwd=tmp_path)
    assert "style -> shout-headings -> whitespace" in listing.stdout
    result = _run(plugin_venv, "convert", "--to", "md", "-", cwd=tmp_path, stdin=ARTICLE)
    assert result.returncode == 0, result.stderr
    assert "## QUIET HEADING!" in result.stdout


def test_fidelity_guard_refuses_a_transformer_that_loses_text(plugin_venv, tmp_path):
    (tmp_path / ".artconv.toml").write_text("[pipelines]\nmd = ['style', 'drop-last-paragraph']\n", "utf-8")
    article = tmp_path / "post.md"
    article.write_text(ARTICLE, "utf-8")
    out = tmp_path / "out"
    result = _run(plugin_venv, "convert", "--to", "md", "post.md", "--output", "out", cwd=tmp_path)
    assert result.returncode == 1
    error = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert error == [
        'error: post.md: would lose 2 word(s) [Last paragraph]: "First paragraph. Last paragraph." → "First paragraph." '
        "(not written; --no-guard to force)"
    ]
    assert not (out / "post.md").exists()
    assert article.read_text("utf-8") == ARTICLE

    forced = _run(plugin_venv, "convert", "--to", "md", "--no-guard", "post.md", "--output", "out", cwd=tmp_path)
    assert forced.returncode == 0
    assert "Last paragraph" not in (out / "post.md").read_text("utf-8")


def test_a_broken_plugin_is_reported_with_its_package(plugin_venv, tmp_path):
    (tmp_path / ".artconv.toml").write_text("[pipelines]\nmd = ['no-such-step']\n", "utf-8")
    result = _run(plugin_venv, "convert", "--to", "md", "-", cwd=tmp_path, stdin=ARTICLE)
    assert result.returncode == 2
    assert "unknown transformer 'no-such-step' (available: " in result.stderr
    assert "shout-headings" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_installed_rule_plugin_runs_in_lint_and_is_documented(plugin_venv, tmp_path):
    (tmp_path / "post.md").write_text("---\ntitle: Draft\n---\n\nIntro.\n\nLorem ipsum dolor sit amet.\n", "utf-8")
    result = _run(plugin_venv, "lint", "--no-cache", "post.md", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout == "post.md:7:1: EX001 placeholder text 'lorem ipsum'\n"
    listing = _run(plugin_venv, "rule", cwd=tmp_path)
    assert "EX001" in listing.stdout and "no-lorem-ipsum" in listing.stdout
    assert "placeholder text left" in _run(plugin_venv, "rule", "EX001", cwd=tmp_path).stdout
    only_builtins = _run(plugin_venv, "lint", "--no-cache", "--select", "HT", "post.md", cwd=tmp_path)
    assert only_builtins.returncode == 0, only_builtins.stdout


def test_without_rule_plugins_lint_does_not_import_importlib_metadata(tmp_path):
    # the entry-point scan is what makes `artconv lint ONE.md` slow; the test environment has no
    # rule plugin, so the cheap search for the group's header must short-circuit it
    (tmp_path / "post.md").write_text("---\ntitle: x\n---\n<p style='x'>y</p>\n", "utf-8")
    probe = (
        "import sys, runpy; sys.argv = ['artconv', 'lint', '--no-cache', 'post.md']\n"
        "try:\n    runpy.run_module('artconv', run_name='__main__')\n"
        "except SystemExit:\n    pass\n"
        "print('importlib.metadata' in sys.modules, file=sys.stderr)\n"
    )
    result = subprocess.run([sys.executable, "-c", probe], cwd=tmp_path, capture_output=True, text=True)
    assert "HT101" in result.stdout
    assert result.stderr.strip().splitlines()[-1] == "False", result.stderr


def test_a_plugin_writer_adds_a_to_choice(plugin_venv, tmp_path):
    (tmp_path / "post.md").write_text(ARTICLE, "utf-8")
    result = _run(plugin_venv, "convert", "--to", "txt", "post.md", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout == "Plugin\n======\n\nquiet heading\n\nFirst paragraph.\n\nLast paragraph.\n"
    mirrored = _run(plugin_venv, "convert", "--to", "txt", "post.md", "--output", "out", cwd=tmp_path)
    assert mirrored.returncode == 0, mirrored.stderr
    assert (tmp_path / "out" / "post.txt").read_text("utf-8") == result.stdout
    unknown = _run(plugin_venv, "convert", "--to", "pdf", "post.md", cwd=tmp_path)
    assert unknown.returncode == 2
    message = " ".join(unknown.stderr.replace("│", " ").split())  # the error box wraps lines
    assert "'pdf' is not one of 'md', 'json', 'xhtml', 'epub', 'txt'." in message


def test_a_plugin_reporter_adds_a_format_choice(plugin_venv, tmp_path):
    (tmp_path / "post.md").write_text("---\ntitle: a\n---\n<p style='x'>y</p>\n", "utf-8")
    result = _run(plugin_venv, "lint", "--no-cache", "--format", "tsv", "post.md", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert result.stdout == (
        "path\tline\tcolumn\tcode\tseverity\tmessage\n"
        "post.md\t4\t4\tHT101\twarning\tinline style attribute on <p>\n"
    )
    assert result.stderr == ""  # the summary line goes only beside the text format


def test_version_lists_the_installed_plugins(plugin_venv, tmp_path):
    for argv in (["--version"], ["-V"], ["--version", "rule"]):
        result = _run(plugin_venv, *argv, cwd=tmp_path)
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip().endswith("(artconv-example-plugin: 1.0)"), result.stdout


def test_a_plugin_inserted_into_the_default_pipeline(plugin_venv, tmp_path):
    # an edit, not a copy: the rest of the default order stays whatever this release says it is
    (tmp_path / ".artconv.toml").write_text(
        "[pipelines]\ninsert = { shout-headings = { after = 'style' } }\ndisable = ['hexo-escapes']\n"
        "[transformers.shout-headings]\nsuffix = '!'\n",
        "utf-8",
    )
    listing = _run(plugin_venv, "transformers", cwd=tmp_path)
    assert "Pipeline for --to md: boilerplate -> tracking -> code-blocks -> style -> shout-headings -> whitespace\n" in listing.stdout
    result = _run(plugin_venv, "convert", "--to", "md", "-", cwd=tmp_path, stdin=ARTICLE)
    assert result.returncode == 0, result.stderr
    assert "## QUIET HEADING!" in result.stdout
