"""One file's row and details on the review page, made where the file was converted or linted
(a worker process): its bodies rendered as a site generator shows them and sanitised as the
XHTML output is, the word diff of their visible text, what each transformer declared it removed,
the guard's before → after of a refusal, the lint findings.

A row is small and goes in the page's index; the details are JSON, gzip-compressed and base64
encoded (the page inflates them with the browser's DecompressionStream when the file is opened),
so that 1,000 files stay a few MB."""

from __future__ import annotations

import base64
import gzip
import json
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from lxml import etree

from artconv.core.body import parse_html_fragment
from artconv.core.document import Document, is_html_article
from artconv.core.errors import ConversionError
from artconv.core.guard import rendered_tree
from artconv.core.input_bounds import InputTooComplex
from artconv.core.islands import islands
from artconv.html.tree import visible_text
from artconv.review.diff import changed_words, word_diff
from artconv.writers.html import sanitize

CHANGED, UNCHANGED, REFUSED, FAILED = "changed", "unchanged", "refused", "failed"
FINDINGS, CLEAN = "findings", "clean"  # lint: files with findings and without
MAX_SHOWN_CHARS = 100_000  # a rendered body is cut here (and says so): 1,000 files stay a few MB
_ISLAND_WORD = "QqIslandQq"  # letters only: CommonMark and URL normalisation leave them alone
_ISLAND = re.compile(rf"{_ISLAND_WORD}(\d+){_ISLAND_WORD}")
_GUARD = re.compile(r': "(.*)" → "(.*)"', re.DOTALL)
_REFUSALS = ("would lose ", "would change the structure")


@dataclass
class Entry:
    """A file on the page: `row` for the index (JSON-ready), `details` compressed."""

    row: dict
    details: str  # base64 of gzip of JSON
    removals: Counter = field(default_factory=Counter)  # transformer id → removals declared
    rules: Counter = field(default_factory=Counter)  # rule code → findings


def rendered(body: str, html_article: bool = False, generator: str = "none") -> tuple[str, str]:
    """(sanitised HTML, visible text) of a body as a generator renders it: CommonMark with raw
    HTML, or, for a `.html` article, the HTML itself. The generator's template syntax (core/
    islands.py) is shown as written: it stands aside as a plain word while the body renders (a
    `{{< relref "x" >}}` link target would be no link at all to CommonMark), then comes back."""
    if not body.strip():
        return "", ""
    body, kept = _set_aside(body, generator)
    try:
        root = parse_html_fragment(body) if html_article else rendered_tree(body)
        sanitize(root)
        if kept:
            _put_back(root, kept)
        text = visible_text(root)
        html = _serialised(root)
    except (ConversionError, InputTooComplex, RecursionError, ValueError) as exc:
        note = getattr(exc, "message", None) or type(exc).__name__
        return f"<p><em>(not rendered: {_escape(note)})</em></p>", ""
    return html, text


def _set_aside(body: str, generator: str) -> tuple[str, list[str]]:
    if generator == "none":
        return body, []
    pieces, kept, cursor = [], [], 0
    for start, end in islands(body, generator):
        pieces += [body[cursor:start], f"{_ISLAND_WORD}{len(kept)}{_ISLAND_WORD}"]
        kept.append(body[start:end])
        cursor = end
    return "".join(pieces) + body[cursor:], kept


def _put_back(root: etree._Element, kept: list[str]) -> None:
    def restore(text: str | None) -> str | None:
        return _ISLAND.sub(lambda found: kept[int(found.group(1))], text) if text and _ISLAND_WORD in text else text

    for node in root.iter():
        node.text, node.tail = restore(node.text), restore(node.tail)
        for name, value in node.attrib.items():
            node.set(name, restore(value))


def _serialised(root: etree._Element) -> str:
    """The children of the rendered <body>, cut after the last tag before MAX_SHOWN_CHARS: every
    `<` of the serialisation opens a real tag (text has `&lt;`), so the cut makes no new markup,
    and the frame's parser closes what it leaves open."""
    html = _escape(root.text or "") + "".join(etree.tostring(child, method="html", encoding="unicode") for child in root)
    if len(html) <= MAX_SHOWN_CHARS:
        return html
    end = html.rfind(">", 0, MAX_SHOWN_CHARS) + 1
    return html[:end] + "<p><em>(cut here: the rest of the body is left out of the review page)</em></p>"


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def status_of(error: ConversionError | None, changed: bool) -> str:
    if error is None:
        return CHANGED if changed else UNCHANGED
    return REFUSED if error.message.startswith(_REFUSALS) else FAILED


def guard_before_after(message: str) -> list[str] | None:
    """The guard's [before, after] out of its refusal message, when it names them."""
    found = _GUARD.search(message)
    return [found.group(1), found.group(2)] if found else None


def convert_entry(
    path: str, status: str, message: str, doc: Document | None, clean_body: str | None, generator: str = "none"
) -> Entry:
    """The entry of a converted (or refused, or failed) file. For a refusal, `doc` and
    `clean_body` are those of the output the guard refused, made again without the guard."""
    details: dict = {"message": message}
    removals: Counter = Counter()
    if status == REFUSED:
        details["guard"] = guard_before_after(message)
    words = [0, 0]
    if doc is not None and clean_body is not None:
        html_article = is_html_article(path) and doc.html
        before_html, before_text = rendered(doc.article.body, html_article, generator)
        after_html, after_text = rendered(doc.resolve_fragments(clean_body, markdown=True), generator=generator)
        ops, capped = word_diff(before_text, after_text)
        words = list(changed_words(ops))
        removed = [[r.transformer, r.what, " ".join(r.text.split())[:2000]] for r in doc.removed]
        removals.update(r.transformer for r in doc.removed)
        details.update(before=before_html, after=after_html, diff=ops, capped=capped, removed=removed)
    row = {"path": path, "status": status, "transformers": sorted(removals), "words": words,
           "message": message.splitlines()[0][:300] if message else ""}
    return Entry(row, _pack(details), removals)


def lint_entry(
    path: str, findings: Sequence, data: bytes | None, fixed: bytes | None, error: str = "", generator: str = "none",
    note: str = "",
) -> Entry:
    """The entry of a linted file: its findings, its body, and what --fix made of it."""
    from artconv.core.article import ArticleError, read_article

    rules = Counter(finding.code for finding in findings)
    status = FAILED if error else (CHANGED if fixed is not None else (FINDINGS if findings else CLEAN))
    details: dict = {"message": error or note, "findings": [[f.line, f.column, f.code, f.message] for f in findings[:500]]}
    words = [0, 0]
    if data is not None:
        try:
            before = read_article(data, path=path, lenient=True).body
            after = read_article(fixed, path=path, lenient=True).body if fixed is not None else None
        except ArticleError as exc:
            details["note"] = f"body not shown: {exc.message}"
        else:
            html_article = is_html_article(path)
            details["before"], before_text = rendered(before, html_article, generator)
            if after is not None:
                details["after"], after_text = rendered(after, html_article, generator)
                details["diff"], details["capped"] = word_diff(before_text, after_text)
                words = list(changed_words(details["diff"]))
    row = {"path": path, "status": status, "rules": sorted(rules), "findings": len(findings), "words": words,
           "message": (error or note)[:300]}
    return Entry(row, _pack(details), rules=rules)


def _pack(details: dict) -> str:
    # a lone surrogate (from a numeric entity) cannot be UTF-8: it shows as "?"
    raw = json.dumps(details, ensure_ascii=False, separators=(",", ":")).encode("utf-8", "replace")
    return base64.b64encode(gzip.compress(raw, 6, mtime=0)).decode("ascii")
