"""A baseline file: the findings a repository already had, so that lint fails only on new ones.

    artconv lint --write-baseline .artconv-baseline.json   # once, when adopting the hook
    artconv lint --baseline .artconv-baseline.json          # every run after: old findings pass

A finding is known by its file (relative to the baseline file's folder), its code and its
message, with line numbers in the message blanked; positions are not part of it, so editing
the text above an old finding does not make it new. Each entry holds a count: a file with two
known FM101 findings fails when a third appears. Works for every front-matter form, JSON's
included (JSON has no comments to carry a `# noqa`), and touches no article.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from pathlib import Path

from artconv.core.atomic import write_atomically
from artconv.core.errors import ConfigError
from artconv.lint.findings import Finding

VERSION = 1
_LINE_NUMBERS = re.compile(r"\bline \d+")


class Baseline:
    def __init__(self, folder: Path, known: Counter | None = None) -> None:
        self.folder = folder
        self.known: Counter = known if known is not None else Counter()

    @classmethod
    def load(cls, path: Path) -> Baseline:
        try:
            data = json.loads(path.read_text("utf-8"))
        except OSError as exc:
            raise ConfigError(f"{path}: cannot read the baseline: {exc.strerror or exc}") from None
        except (ValueError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{path}: not a baseline file: {exc}") from None
        if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("findings"), dict):
            raise ConfigError(f"{path}: not an artconv baseline (version {VERSION})")
        known: Counter = Counter()
        for file, codes in data["findings"].items():
            for code, messages in codes.items():
                for message, count in messages.items():
                    known[(file, code, message)] = int(count)
        return cls(path.resolve().parent, known)

    def key(self, finding: Finding) -> tuple[str, str, str]:
        relative = Path(os.path.relpath(os.path.abspath(finding.path), self.folder)).as_posix()
        return relative, finding.code, _LINE_NUMBERS.sub("line N", finding.message)

    def new_findings(self, findings: list[Finding]) -> list[Finding]:
        """The findings the baseline does not know (a known one beyond its count is new)."""
        left = Counter()
        new = []
        for finding in findings:
            key = self.key(finding)
            left[key] += 1
            if left[key] > self.known.get(key, 0):
                new.append(finding)
        return new

    def add(self, findings: list[Finding]) -> None:
        for finding in findings:
            self.known[self.key(finding)] += 1

    def write(self, path: Path) -> None:
        tree: dict = {}
        for (file, code, message), count in sorted(self.known.items()):
            tree.setdefault(file, {}).setdefault(code, {})[message] = count
        text = json.dumps({"version": VERSION, "findings": tree}, indent=2, ensure_ascii=False) + "\n"
        write_atomically(path, text.encode("utf-8"))
