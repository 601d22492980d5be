"""The command line, run as a subprocess: outputs, modes, exit codes and one-line errors."""

from __future__ import annotations

import os
import shutil

import pytest

from conftest import FIXTURES

SEED = FIXTURES / "seed-000" / "input.md"
SEED_EXPECTED = (FIXTURES / "seed-000" / "expected.md").read_bytes()


def _no_traceback(result):
    assert b"Traceback" not in result.stderr and b"Traceback" not in result.stdout


@pytest.fixture
def repo(tmp_path):
    """A small content repository: two good articles, one broken, one binary, one not an article."""
    posts = tmp_path / "source" / "_posts"
    (posts / "2022").mkdir(parents=True)
    shutil.copy(SEED, posts / "2022" / "seed.md")
    shutil.copy(FIXTURES / "html-body-file" / "input.html", posts / "page.html")
    (posts / "broken.md").write_text("---\ntitle: A solution: Imputation\n---\n<p>x</p>\n", "utf-8")
    (posts / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    (posts / "notes.txt").write_text("not an article", "utf-8")
    return tmp_path


def test_version(artconv):
    result = artconv("--version")
    assert result.returncode == 0
    assert result.stdout.decode().startswith("artconv ")


def test_one_file_goes_to_stdout(artconv):
    result = artconv("convert", "--to", "md", str(SEED))
    _no_traceback(result)
    assert result.returncode == 0
    assert result.stdout == SEED_EXPECTED


def test_stdin_to_stdout(artconv):
    result = artconv("convert", "--to", "md", "-", stdin=SEED.read_bytes())
    assert result.returncode == 0
    assert result.stdout == SEED_EXPECTED


def test_several_files_need_a_destination(artconv, repo):
    result = artconv("convert", "--to", "md", str(repo / "source"))
    _no_traceback(result)
    assert result.returncode == 2
    assert b"--output" in result.stderr


def test_output_folder_mirrors_the_tree_and_failures_are_named(artconv, repo):
    out = repo / "clean"
    result = artconv("convert", "--to", "md", "source", "--output", "clean", cwd=repo)
    _no_traceback(result)
    stderr = result.stderr.decode()
    assert result.returncode == 1
    assert (out / "_posts" / "2022" / "seed.md").read_bytes() == SEED_EXPECTED
    assert (out / "_posts" / "page.md").exists()  # .html written with a .md name
    assert not (out / "_posts" / "notes.md").exists()
    assert "error: source/_posts/broken.md:2:18: invalid YAML front matter: mapping values are not allowed in this context" in stderr
    assert "error: source/_posts/binary.md: cannot decode: binary file" in stderr
    assert "Converted 2 of 4 files into clean/" in stderr
    lines = [line for line in stderr.splitlines() if line]
    assert len(lines) == 3  # one line per failed file, one summary line


def test_output_folder_inside_the_input_folder_is_not_read_back(artconv, repo):
    for _ in range(2):
        result = artconv("convert", "--to", "md", "source", "--output", "source/clean", cwd=repo)
        assert "Converted 2 of 4 files" in result.stderr.decode()
    assert not (repo / "source" / "clean" / "clean").exists()


def test_in_place_rewrites_atomically_and_check_agrees(artconv, repo):
    posts = repo / "source" / "_posts"
    (posts / "broken.md").unlink()
    (posts / "binary.md").unlink()
    seed = posts / "2022" / "seed.md"
    os.chmod(seed, 0o640)
    check = artconv("convert", "--to", "md", "--check", "source", cwd=repo)
    assert check.returncode == 1
    assert "would change: source/_posts/2022/seed.md" in check.stderr.decode()
    assert seed.read_bytes() == SEED.read_bytes()  # --check writes nothing

    result = artconv("convert", "--to", "md", "--in-place", "source", cwd=repo)
    _no_traceback(result)
    assert result.returncode == 1  # page.html is not rewritten as Markdown
    assert "error: source/_posts/page.html: --in-place would write Markdown into a .html file; use --output" in result.stderr.decode()
    assert (posts / "page.html").read_bytes() == (FIXTURES / "html-body-file" / "input.html").read_bytes()
    assert seed.read_bytes() == SEED_EXPECTED
    assert oct(seed.stat().st_mode & 0o777) == oct(0o640)  # permissions kept
    assert not [p for p in posts.rglob("*") if p.name.endswith(".tmp")]

    (posts / "page.html").unlink()
    again = artconv("convert", "--to", "md", "--check", "source", cwd=repo)
    assert again.returncode == 0, again.stderr.decode()


def test_unchanged_files_are_not_rewritten_in_place(artconv, tmp_path):
    article = tmp_path / "clean.md"
    article.write_text("---\ntitle: Clean\n---\nAlready *clean* Markdown.\n", "utf-8")
    before = article.stat().st_mtime_ns
    result = artconv("convert", "--to", "md", "--in-place", str(tmp_path))
    assert result.returncode == 0
    assert article.stat().st_mtime_ns == before


def test_modes_exclude_each_other(artconv, repo):
    result = artconv("convert", "--to", "md", "--check", "--in-place", "source", cwd=repo)
    assert result.returncode == 2
    assert b"only one of" in result.stderr


def test_missing_path_is_named(artconv, tmp_path):
    result = artconv("convert", "--to", "md", "--check", str(tmp_path / "nope"))
    assert result.returncode == 2  # as lint: a typo in a path is a usage error
    assert b"nope: no such file or directory" in result.stderr


@pytest.mark.parametrize(
    "config, message",
    [
        ("[tool.artconv]\nextenshuns = ['.md']\n", "unknown key 'extenshuns'"),
        ("[tool.artconv.pipelines]\nmd = ['style', 'stlye']\n", "unknown transformer 'stlye' (available: "),
        ("[tool.artconv.transformers.whitespace]\nindent = 'keep'\n", "unknown option 'indent' for transformer 'whitespace' (valid: blank-lines, empty-paragraphs, ideographic-indent, indents)"),
        ("[tool.artconv.transformers.whitespace]\nideographic-indent = 'sometimes'\n", "expected one of 'remove', 'keep'"),
        ("[tool.artconv\n", "invalid TOML"),
    ],
)
def test_configuration_errors_exit_2_and_list_the_valid_choices(artconv, tmp_path, config, message):
    (tmp_path / "pyproject.toml").write_text(config, "utf-8")
    shutil.copy(SEED, tmp_path / "post.md")
    result = artconv("convert", "--to", "md", "--check", ".", cwd=tmp_path)
    _no_traceback(result)
    assert result.returncode == 2
    assert message in result.stderr.decode()


def test_transformers_lists_installed_and_the_resolved_order(artconv, tmp_path):
    (tmp_path / ".artconv.toml").write_text("[pipelines]\nmd = ['tracking', 'style']\n", "utf-8")
    result = artconv("transformers", str(tmp_path))
    text = result.stdout.decode()
    assert result.returncode == 0
    for name in ("boilerplate", "tracking", "style", "whitespace", "hexo-escapes"):
        assert name in text
    assert "Pipeline for --to md: tracking -> style" in text
    assert str(tmp_path / ".artconv.toml") in text


def test_pipeline_order_comes_from_configuration(artconv, tmp_path):
    article = tmp_path / "post.md"
    article.write_text(
        '---\ntitle: t\n---\n<div class="appendQr_wrap"><p>Promo words here</p></div>\n'
        "<p>More text.</p>\n",
        "utf-8",
    )
    default = artconv("convert", "--to", "md", str(article))
    assert default.returncode == 0
    assert b"Promo words" not in default.stdout  # boilerplate runs before style strips classes

    (tmp_path / ".artconv.toml").write_text("[pipelines]\nmd = ['style', 'boilerplate']\n", "utf-8")
    reordered = artconv("convert", "--to", "md", str(article))
    assert reordered.returncode == 0
    assert b"Promo words here" in reordered.stdout  # the class was gone before boilerplate looked


def test_progress_bar_only_on_a_terminal(artconv, tmp_path):
    """Captured output (a pipe, as in CI and pre-commit) never carries a progress bar."""
    for index in range(210):
        (tmp_path / f"{index:03d}.md").write_text("---\ntitle: t\n---\n<p style='x'>Text</p>\n", "utf-8")
    result = artconv("convert", "--to", "md", str(tmp_path), "--output", str(tmp_path / "out"))
    assert result.returncode == 0
    assert result.stderr.decode().startswith("Converted 210 of 210 files")
    assert b"\x1b[" not in result.stderr


def test_inputs_that_map_to_one_output_file_are_not_overwritten(artconv, tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "a" / "x.md").write_text("---\ntitle: a\n---\nFirst.\n", "utf-8")
    (tmp_path / "b" / "x.md").write_text("---\ntitle: b\n---\nSecond.\n", "utf-8")
    out = tmp_path / "out"
    result = artconv("convert", "--to", "md", "--output", str(out), str(tmp_path / "a" / "x.md"), str(tmp_path / "b" / "x.md"))
    _no_traceback(result)
    assert result.returncode == 1
    assert f"error: {tmp_path / 'b' / 'x.md'}: its output x.md would overwrite that of {tmp_path / 'a' / 'x.md'}" in result.stderr.decode()
    assert (out / "x.md").read_text("utf-8") == "---\ntitle: a\n---\nFirst.\n"
