"""The library core without the CLI: what a notebook or a Spark job would call."""

from __future__ import annotations

import subprocess
import sys

import pytest

import artconv
from artconv.convert import ConversionError
from conftest import FIXTURES


def test_convert_text_returns_markdown():
    assert artconv.convert_text("---\ntitle: x\n---\n<p style='color:red'>Hi</p>\n") == "---\ntitle: x\n---\nHi\n"


def test_convert_text_raises_one_line_errors():
    with pytest.raises(ConversionError) as caught:
        artconv.convert_text("---\ntitle: a: b\n---\nx\n")
    assert (caught.value.line, caught.value.column) == (2, 9)


def test_convert_bytes_reports_errors_as_results():
    result = artconv.convert_bytes(b"\x00\x01binary")
    assert not result.ok and "binary" in result.error.message


def test_convert_file_matches_the_fixture():
    result = artconv.convert_file(FIXTURES / "seed-001" / "input.md")
    assert result.ok and result.changed
    assert result.output == (FIXTURES / "seed-001" / "expected.md").read_text("utf-8")


def test_importing_the_library_does_not_import_the_cli_or_heavy_parsers():
    code = (
        "import sys, artconv; artconv.__version__;"
        "heavy = [m for m in ('typer', 'markdownify', 'bs4', 'lxml', 'yaml', 'markdown_it') if m in sys.modules];"
        "print(heavy)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_converting_does_not_need_typer():
    code = (
        "import sys, artconv; artconv.convert_text('<p>x</p>\\n');"
        "print('typer' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"
