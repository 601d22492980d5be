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

    @classmethod
    def parse(cls, text: str) -> Suppressions:
        found = cls()
        if "artconv-" not in text:
            return found
        open_blocks: list[tuple[int, frozenset[str]]] = []
        for match in DIRECTIVE.finditer(text):
            kind, codes = match.group(1).lower(), _codes(match.group(2))
            line = text.count("\n", 0, match.start()) + 1
            end_line = text.count("\n", 0, match.end()) + 1
            if kind == "disable-file":
                found.whole_file |= codes
            elif kind == "disable-next-line":
                found.lines[end_line + 1] = found.lines.get(end_line + 1, frozenset()) | codes
            elif kind == "disable-line":
                found.lines[line] = found.lines.get(line, frozenset()) | codes
            elif kind == "disable":
                open_blocks.append((line, codes))
            else:
                for index in range(len(open_blocks) - 1, -1, -1):
                    start, block_codes = open_blocks[index]
                    if ALL in codes or block_codes & codes or ALL in block_codes:
                        found.blocks.append((start, line, block_codes))
                        del open_blocks[index]
                        break
        total = text.count("\n") + 2
        found.blocks.extend((start, total, codes) for start, codes in open_blocks)
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
        return any(
            start <= finding.line <= end and any(matches(code, finding) for code in codes)
            for start, end, codes in self.blocks
        )
