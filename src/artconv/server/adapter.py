"""Lint an editor's unsaved text as `artconv lint` lints the file, and compute fixes as edits.

Everything here speaks in plain terms: 0-based lines and code-point columns. The protocol module
turns them into LSP positions (UTF-16 code units unless the client asked for another encoding).
The text is linted as the UTF-8 bytes of what the editor holds, with the configuration that
applies to the document's path, so the findings are those `artconv lint` reports once the file
is saved (an editor has already decoded the file and dropped any BOM, so FM007 never shows here).
"""

from __future__ import annotations

import re
import logging
from collections import OrderedDict
from dataclasses import dataclass

from artconv.core.config import config_for, forget_cached_configs
from artconv.core.errors import ConfigError, PluginError, PositionedError
from artconv.lint.cache import content_key
from artconv.lint.engine import Selection, default_selection, lint_bytes
from artconv.lint.findings import Finding

logger = logging.getLogger("artconv.server")

# how far a diagnostic's range reaches past its start at most: a finding has a start only, and a
# minified line without spaces must not make each range cost the whole line
MAX_RANGE = 80


@dataclass(frozen=True)
class Problem:
    """One diagnostic: a finding, or a reason the text could not be checked (code "")."""

    line: int  # 0-based
    start: int  # 0-based, in code points
    end: int
    code: str
    message: str
    name: str = ""
    severity: str = "error"
    fix: str | None = None


@dataclass(frozen=True)
class Edit:
    """Replace lines [first, last) of the old text with `text`; `last` may be the line count."""

    first: int
    last: int
    text: str


def encode(text: str) -> bytes:
    # lone surrogates can arrive through JSON's \ud800 escapes; they must not crash a check
    return text.encode("utf-8", "surrogatepass")


class Linter:
    """Findings by content hash (plus path and configuration): an undo, or a code action asked
    for the text just checked, costs a dictionary look-up."""

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._cache: OrderedDict[tuple[str, str], list[Problem]] = OrderedDict()

    def problems(self, text: str, path: str) -> list[Problem]:
        data = encode(text)
        try:
            config = config_for(path)
            key = (path, content_key(data, config))
        except ConfigError as exc:
            return [Problem(0, 0, 0, "", f"configuration error: {exc}")]
        cached = self._cache.get(key)
        if cached is None:
            cached = self._check(data, text, path, config)
            self._cache[key] = cached
            if len(self._cache) > self.size:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(key)
        return cached

    def _check(self, data: bytes, text: str, path: str, config) -> list[Problem]:
        try:
            findings = lint_bytes(data, path, default_selection(config), config).findings
        except (ConfigError, PluginError) as exc:
            return [Problem(0, 0, 0, "", f"configuration error: {exc}")]
        except PositionedError as exc:  # a shape refused before parsing (InputTooComplex)
            line, column = max((exc.line or 1) - 1, 0), max((exc.column or 1) - 1, 0)
            return [Problem(line, column, column, "", exc.message)]
        except Exception as exc:  # a bug (a plugin's rule, say): one diagnostic, and the server goes on
            logger.exception("checking %s failed", path)
            message = f"{type(exc).__name__}: {exc}".splitlines()[0]
            return [Problem(0, 0, 0, "", f"internal error: {message} (please report it)")]
        lines = text.split("\n")
        return [_problem(finding, lines) for finding in findings]

    def fixed(self, text: str, path: str, code: str | None = None) -> str | None:
        """The text after the safe fixes (of one rule, or of all, as `lint --fix` does), or None
        when they change nothing."""
        config = config_for(path)
        selection = Selection((code,), config.lint.ignore) if code else default_selection(config)
        try:
            result = lint_bytes(encode(text), path, selection, config, fix=True)
        except (ConfigError, PluginError, PositionedError):
            return None  # the diagnostics already say why
        if result.fixed is None:
            return None
        return result.fixed.decode("utf-8", "surrogatepass")

    def forget(self) -> None:
        """A configuration file changed: read configurations again; findings keyed by the old
        ones can no longer be asked for."""
        forget_cached_configs()
        self._cache.clear()


def _problem(finding: Finding, lines: list[str]) -> Problem:
    line = min(max(finding.line - 1, 0), len(lines) - 1)
    text = lines[line]
    start = min(max(finding.column - 1, 0), len(text))
    end = start
    # the range covers the token the finding points at (`<font`, `style="…"`, a key): up to the
    # next space, which is what an editor underlines well
    while end < len(text) and end - start < MAX_RANGE and not text[end].isspace():
        end += 1
    return Problem(line, start, end, finding.code, finding.message, finding.name, finding.severity or "warning", finding.fix)


def line_edit(old: str, new: str) -> Edit:
    """One edit that turns `old` into `new`: the changed lines only, so that an editor keeps its
    cursor, folds and marks in the rest (linear: common leading and trailing lines are skipped)."""
    before = lines_of(old)
    after = lines_of(new)
    first = 0
    while first < min(len(before), len(after)) and before[first] == after[first]:
        first += 1
    trailing = 0
    limit = min(len(before), len(after)) - first
    while trailing < limit and before[-1 - trailing] == after[-1 - trailing]:
        trailing += 1
    return Edit(first, len(before) - trailing, "".join(after[first:len(after) - trailing]))


# the last line, unended, is matched from its start too: left to fail, it was tried from each
# of its characters (n² for a long last line)
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def lines_of(text: str) -> list[str]:
    """The lines as LSP counts them (ended by \\n, \\r\\n or \\r, not str.splitlines' form
    feeds and U+2028), each with its ending."""
    return _LINE.findall(text)
