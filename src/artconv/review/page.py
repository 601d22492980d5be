"""The review page: the template (page.html, page.css, page.js, frame.css, package data) filled
with a run's index and each file's packed details, under a Content-Security-Policy that lets
nothing run but the page's own script (by its hash) and fetch nothing at all."""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections import Counter
from functools import cache
from importlib.resources import files
from pathlib import Path

from artconv.core.atomic import write_atomically
from artconv.review.diff import MAX_PAIRS
from artconv.review.entry import CHANGED, CLEAN, FAILED, FINDINGS, REFUSED, UNCHANGED, Entry

CONVERT_STATUSES = (CHANGED, UNCHANGED, REFUSED, FAILED)
LINT_STATUSES = (FINDINGS, CHANGED, CLEAN, FAILED)
# Inside <script>, only `</script`, `<!--` and `<script` end or confuse the element; JSON allows
# any character escaped as \uXXXX, so these never appear raw (U+2028/9: old JavaScript parsers)
_SCRIPT_SAFE = str.maketrans({"<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def script_json(value: object) -> str:
    """JSON that can stand inside a <script> element whatever its strings hold."""
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).translate(_SCRIPT_SAFE)


def _hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@cache
def _asset(name: str) -> str:
    return files("artconv.review").joinpath(name).read_text("utf-8")


class ReviewPage:
    """Collects the entries of a run in input order, then writes the page."""

    def __init__(self, title: str, command: str, statuses: tuple[str, ...] = CONVERT_STATUSES) -> None:
        self.title, self.command = title, command
        self.statuses: Counter = Counter(dict.fromkeys(statuses, 0))
        self.transformers: Counter = Counter()  # removals declared, per transformer
        self.rules: Counter = Counter()  # findings, per rule
        self.rows: list[dict] = []
        self.details: list[str] = []

    def add(self, entry: Entry) -> None:
        self.rows.append(entry.row)
        self.details.append(entry.details)
        self.statuses[entry.row["status"]] += 1
        self.transformers.update(entry.removals)
        self.rules.update(entry.rules)

    def render(self) -> str:
        script, style, frame_css = _asset("page.js"), _asset("page.css"), _asset("frame.css")
        frame_csp = f"default-src 'none'; style-src {_hash(frame_css)}; img-src data:"
        # the srcdoc frames inherit this policy too, hence the frames' style hash here as well
        csp = (
            f"default-src 'none'; script-src {_hash(script)}; style-src {_hash(style)} {_hash(frame_css)}; "
            "img-src data:; base-uri 'none'; form-action 'none'"
        )
        index = {
            "title": self.title,
            "command": self.command,
            "statuses": dict(self.statuses),
            "transformers": dict(sorted(self.transformers.items(), key=lambda item: (-item[1], item[0]))),
            "rules": dict(sorted(self.rules.items(), key=lambda item: (-item[1], item[0]))),
            "files": self.rows,
            "frameCss": frame_css,
            "frameCsp": frame_csp,
            "diffCap": MAX_PAIRS,
        }
        details = "\n".join(
            f'<script type="application/json" id="d{number}">"{packed}"</script>' for number, packed in enumerate(self.details)
        )
        filled = {
            "{{CSP}}": html.escape(csp),
            "{{TITLE}}": html.escape(self.title),
            "{{STYLE}}": style,
            "{{INDEX}}": script_json(index),
            "{{DETAILS}}": details,
            "{{SCRIPT}}": script,
        }
        return _fill(_asset("page.html"), filled)

    def write(self, path: Path) -> None:
        write_atomically(path, self.render().encode("utf-8"))


def _fill(template: str, values: dict[str, str]) -> str:
    """Each placeholder replaced once, left to right: a value is never searched for another."""
    pieces = []
    rest = template
    while True:
        found = [(rest.find(key), key) for key in values if key in rest]
        if not found:
            pieces.append(rest)
            return "".join(pieces)
        at, key = min(found)
        pieces.append(rest[:at] + values[key])
        rest = rest[at + len(key):]
