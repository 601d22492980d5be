"""One generic test for every fixtures/convert/<case>/: input.* converts to expected.md, and again to itself.

A case folder may hold a `.artconv.toml`, found the way a real configuration is found.
"""

from __future__ import annotations

import pytest

from artconv import convert_bytes, convert_file, read_article
from conftest import FIXTURES

CASES = sorted(path for path in FIXTURES.iterdir() if path.is_dir())


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_fixture_converts_to_expected(case):
    source = next(case.glob("input.*"))
    expected = (case / "expected.md").read_bytes()
    result = convert_file(source)
    assert result.ok, result.error.message
    assert result.output.encode("utf-8") == expected


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_expected_markdown_is_stable(case):
    expected_path = case / "expected.md"
    expected = expected_path.read_bytes()
    again = convert_bytes(expected, path=str(expected_path))
    assert again.ok, again.error.message
    assert again.output.encode("utf-8") == expected


@pytest.mark.parametrize("case", CASES, ids=lambda path: path.name)
def test_front_matter_is_kept_byte_for_byte(case):
    source = next(case.glob("input.*"))
    original = read_article(source.read_bytes(), str(source))
    converted = read_article((case / "expected.md").read_bytes())
    if not original.has_front_matter:
        return
    assert converted.head.startswith(original.head)
    assert converted.closing == original.closing
    added = converted.head[len(original.head):]
    added_keys = {line.split(":", 1)[0] for line in added.splitlines()}
    assert added_keys <= {"editor", "source", "author"}, added
