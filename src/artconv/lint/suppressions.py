"""Inline suppressions written in the article itself: HTML comments in the body, and (ruff's
spelling) `# noqa` comments in YAML or TOML front matter.

    <!-- artconv-disable-file HT101 -->          the whole file (no codes: every rule)
    <!-- artconv-disable-next-line HT105 -->     the line after the comment
    <!-- artconv-disable-line HT105 -->          the line the comment stands on
    <!-- artconv-disable HT101,HT103 -->         from here …
    <!-- artconv-enable HT101,HT103 -->          … to here (or to the end of the file)

    title: Notes  # noqa: FM101                  a front-matter line (bare `# noqa`: every rule)
    # artconv: noqa: FM103                       a line of its own in front matter: the whole file

Codes may be prefixes (`HT1`) or rule names (`style-attribute`). JSON front matter has no
comments: its findings are suppressed by a baseline file (lint/baseline.py) or in the body.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from artconv.core.lint_settings import ALL, selects
from artconv.lint.findings import Finding

DIRECTIVE = re.compile(
    r"<!--\s*artconv-(disable-file|disable-next-line|disable-line|disable|enable)\b([^>]*?)-->", re.IGNORECASE
)
# a trailing YAML/TOML comment; inside a quoted value it would not end the line, so it is not one
NOQA = re.compile(r"(?:^|[ \t])#[ \t]*noqa(?::[ \t]*(?P<codes>[\w\-]+(?:[ \t]*,[ \t]*[\w\-]+)*))?[ \t]*$", re.IGNORECASE)
FILE_NOQA = re.compile(r"^[ \t]*#[ \t]*artconv:[ \t]*noqa(?::[ \t]*(?P<codes>[^\n]*))?$", re.IGNORECASE)


def _codes(text: str) -> frozenset[str]:
    codes = frozenset(c for c in re.split(r"[\s,]+", text.strip()) if c)
    return codes or frozenset({ALL})


def matches(selector: str, finding: Finding) -> bool:
    """True when a selector (code, code prefix, rule name or ALL) covers a finding."""
    return selects(selector, finding.code, finding.name)


@dataclass
class Suppressions:
    whole_file: set[str] = field(default_factory=set)
    lines: dict[int, frozenset[str]] = field(default_factory=dict)
    blocks: list[tuple[int, int, frozenset[str]]] = field(default_factory=list)
    _index: _BlockIndex | None = field(default=None, repr=False, compare=False)

    @classmethod
    def parse(cls, text: str) -> Suppressions:
        found = cls()
        if "artconv-" not in text:
            return found
        blocks = _OpenBlocks()
        lines = _LineCounter(text)
        for match in DIRECTIVE.finditer(text):
            kind, codes = match.group(1).lower(), _codes(match.group(2))
            line, end_line = lines.at(match.start()), lines.at(match.end())
            if kind == "disable-file":
                found.whole_file |= codes
            elif kind == "disable-next-line":
                found.lines[end_line + 1] = found.lines.get(end_line + 1, frozenset()) | codes
            elif kind == "disable-line":
                found.lines[line] = found.lines.get(line, frozenset()) | codes
            elif kind == "disable":
                blocks.open(line, codes)
            else:
                closed = blocks.close(codes)
                if closed is not None:
                    found.blocks.append((closed[0], line, closed[1]))
        total = text.count("\n") + 2
        found.blocks.extend((start, total, codes) for start, codes in blocks.still_open())
        return found

    def add_front_matter(self, text: str, first_line: int) -> None:
        """Take in the `# noqa` comments of YAML or TOML front matter whose first line is
        `first_line` in the file (file line numbers, as findings have)."""
        if "noqa" not in text.lower():
            return
        for number, line in enumerate(text.split("\n"), start=first_line):
            line = line.removesuffix("\r")
            whole = FILE_NOQA.match(line)
            if whole:
                self.whole_file |= _codes(whole.group("codes") or "")
                continue
            trailing = NOQA.search(line)
            if trailing:
                self.lines[number] = self.lines.get(number, frozenset()) | _codes(trailing.group("codes") or "")

    def shifted(self, lines: int) -> Suppressions:
        """The same suppressions with line numbers moved down by `lines` (body → file lines)."""
        return Suppressions(
            set(self.whole_file),
            {line + lines: codes for line, codes in self.lines.items()},
            [(start + lines, end + lines, codes) for start, end, codes in self.blocks],
        )

    def __bool__(self) -> bool:
        return bool(self.whole_file or self.lines or self.blocks)

    def covers(self, finding: Finding) -> bool:
        if any(matches(code, finding) for code in self.whole_file):
            return True
        if any(matches(code, finding) for code in self.lines.get(finding.line, ())):
            return True
        if not self.blocks:
            return False
        if self._index is None:
            self._index = _BlockIndex(self.blocks)
        return self._index.covers(finding)


class _LineCounter:
    """1-based line numbers of offsets met in increasing order, each stretch counted once
    (counting from the start for every directive was quadratic: 25,000 `--add-noqa` comments
    made the next lint run past the time budget)."""

    def __init__(self, text: str) -> None:
        self.text, self.offset, self.line = text, 0, 1

    def at(self, offset: int) -> int:
        if offset < self.offset:
            self.offset, self.line = 0, 1  # never asked backwards by parse; correct if it were
        self.line += self.text.count("\n", self.offset, offset)
        self.offset = offset
        return self.line


class _OpenBlocks:
    """The `disable` comments not yet closed. An `enable` closes the latest one it names (or
    any, either side saying every rule): stacks in opening order, overall and per code, whose
    closed entries are dropped as they come to the top, so that each is looked at a bounded
    number of times instead of looking back over all the open ones at every `enable`."""

    def __init__(self) -> None:
        self._blocks: list[tuple[int, frozenset[str]] | None] = []  # None once closed
        self._all: list[int] = []  # indexes in opening order
        self._by_code: dict[str, list[int]] = {}  # code → indexes of the blocks naming it

    def open(self, line: int, codes: frozenset[str]) -> None:
        for code in codes:
            self._by_code.setdefault(code, []).append(len(self._blocks))
        self._all.append(len(self._blocks))
        self._blocks.append((line, codes))

    def close(self, codes: frozenset[str]) -> tuple[int, frozenset[str]] | None:
        """(start line, codes) of the block the `enable` of `codes` closes, or None."""
        if ALL in codes:
            latest = self._top(self._all)
        else:
            latest = max((self._top(self._by_code.get(code)) for code in (*codes, ALL)), default=-1)
        if latest < 0:
            return None
        block, self._blocks[latest] = self._blocks[latest], None
        return block

    def _top(self, stack: list[int] | None) -> int:
        while stack and self._blocks[stack[-1]] is None:
            stack.pop()  # closed through another stack
        return stack[-1] if stack else -1

    def still_open(self) -> list[tuple[int, frozenset[str]]]:
        return [block for block in self._blocks if block is not None]


class _BlockIndex:
    """For each selector of the `disable` blocks, the merged line ranges it covers, so that a
    finding asks only the selectors that could name it (every rule, a prefix of its code, its
    rule name) instead of every block of the file."""

    def __init__(self, blocks: list[tuple[int, int, frozenset[str]]]) -> None:
        spans: dict[tuple[str, str], list[tuple[int, int]]] = {}
        for start, end, codes in blocks:
            for code in codes:
                for key in _keys(code):
                    spans.setdefault(key, []).append((start, end))
        self._starts: dict[tuple[str, str], list[int]] = {}
        self._ends: dict[tuple[str, str], list[int]] = {}
        for key, ranges in spans.items():
            merged: list[list[int]] = []
            for start, end in sorted(ranges):
                if merged and start <= merged[-1][1]:
                    merged[-1][1] = max(merged[-1][1], end)
                elif start <= end:
                    merged.append([start, end])
            self._starts[key] = [start for start, _ in merged]
            self._ends[key] = [end for _, end in merged]

    def covers(self, finding: Finding) -> bool:
        code = finding.code
        keys = [("*", ALL), ("name", finding.name)] + [("prefix", code[:size]) for size in range(1, len(code) + 1)]
        return any(self._inside(key, finding.line) for key in keys)

    def _inside(self, key: tuple[str, str], line: int) -> bool:
        starts = self._starts.get(key)
        if not starts:
            return False
        index = bisect.bisect_right(starts, line) - 1
        return index >= 0 and line <= self._ends[key][index]


def _keys(selector: str) -> tuple[tuple[str, str], ...]:
    """What a selector is matched on (lint_settings.selects): every rule; or a code prefix (the
    upper-cased selector) and a rule name (the lower-cased one)."""
    if selector == ALL:
        return (("*", ALL),)
    return (("prefix", selector.upper()), ("name", selector.lower()))
