"""Inline suppressions written as HTML comments in the article itself.

    <!-- artconv-disable-file HT101 -->          the whole file (no codes: every rule)
    <!-- artconv-disable-next-line HT105 -->     the line after the comment
    <!-- artconv-disable HT101,HT103 -->         from here …
    <!-- artconv-enable HT101,HT103 -->          … to here (or to the end of the file)

Codes may be prefixes (`HT1`) or rule names (`style-attribute`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from artconv.core.lint_settings import ALL, selects
from artconv.lint.findings import Finding

DIRECTIVE = re.compile(r"<!--\s*artconv-(disable-file|disable-next-line|disable|enable)\b([^>]*?)-->", re.IGNORECASE)


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

    def covers(self, finding: Finding) -> bool:
        if any(matches(code, finding) for code in self.whole_file):
            return True
        if any(matches(code, finding) for code in self.lines.get(finding.line, ())):
            return True
        return any(
            start <= finding.line <= end and any(matches(code, finding) for code in codes)
            for start, end, codes in self.blocks
        )
