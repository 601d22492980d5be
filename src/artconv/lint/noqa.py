"""`lint --add-noqa`: suppression comments for the findings a file has now, placed only where a
comment changes neither the front matter's values nor what the body renders to.

    title: 3  # noqa: FM101                          a YAML or TOML front-matter line
    # artconv: noqa: FM103                           a finding about the whole front matter
    <p style="x">…</p> <!-- artconv-disable-line HT102 -->   a body line

Each placement is checked: front matter must parse to the same values; the body must render
(CommonMark with raw HTML, as site generators do) to the same HTML once the comment is taken
out, and the comment must be a comment there (not text inside `<script>`, a code block or a
tag). What cannot be placed (JSON front matter has no comments; broken front matter; a line
inside a code block) is returned, for a baseline file to hold (lint/baseline.py).
"""

from __future__ import annotations

import re
from collections import defaultdict

from artconv.core.article import Article, ArticleError, parse_article
from artconv.core.decoding import DecodeError, decode
from artconv.lint.findings import Finding
from artconv.lint.suppressions import NOQA

_BODY_DIRECTIVE = re.compile(
    r"^<!-- artconv-disable-(?:file|next-line) [^>]*?-->\n?| ?<!-- artconv-disable-line [^>]*?-->", re.MULTILINE
)
_LINE_DIRECTIVE = re.compile(r" ?<!-- artconv-disable-line (?P<codes>[^>]*?) -->")


def add_noqa(data: bytes, path: str, findings: list[Finding]) -> tuple[bytes | None, int, list[Finding]]:
    """(new content or None, number of comments placed, findings left without one)."""
    if not findings:
        return None, 0, []
    try:
        text, encoding = decode(data)
        article = parse_article(text, path, encoding, lenient=True)
    except (DecodeError, ArticleError):
        return None, 0, list(findings)
    by_line: dict[int, list[Finding]] = defaultdict(list)
    for finding in findings:
        by_line[finding.line].append(finding)
    placer = _Placer(article, text.split("\n"))
    placed, left = placer.place_all(by_line)
    if not placed:
        return None, 0, left
    return "\n".join(placer.lines).encode(encoding), placed, left


def _codes(found: list[Finding]) -> list[str]:
    return sorted({f.code for f in found})


class _Placer:
    def __init__(self, article: Article, lines: list[str]) -> None:
        self.article = article
        self.lines = lines
        self.cr = "\r" if lines[0].endswith("\r") else ""
        self.body_file_codes: set[str] = set()
        self.body_file_line: int | None = None  # the line holding `artconv-disable-file`, once added

    def place_all(self, by_line: dict[int, list[Finding]]) -> tuple[int, list[Finding]]:
        """(comments placed, findings left without one) for the findings of each line."""
        left: list[Finding] = []
        deferred: list[Finding] = []
        # most bodies take every trailing comment at once: one render check instead of one per line
        body_lines = {line: _codes(found) for line, found in by_line.items() if line >= self.article.body_line}
        placed = len(body_lines) if self.trailing_everywhere(body_lines) else 0
        if placed:
            by_line = {line: found for line, found in by_line.items() if line not in body_lines}
        # bottom up: a comment placed on its own line moves only the lines below it, done already
        for line in sorted(by_line, reverse=True):
            outcome = self.place(line, _codes(by_line[line]))
            if outcome is None:
                deferred.extend(by_line[line])
            elif outcome:
                placed += 1
            else:
                left.extend(by_line[line])
        if deferred:  # findings about the whole front matter: one line after the opening, last
            if self.whole_front_matter(_codes(deferred)):
                placed += 1
            else:
                left.extend(deferred)
        return placed, left

    def place(self, line: int, codes: list[str]) -> bool | None:
        """True when placed, False when it cannot be, None when it waits for `whole_front_matter`."""
        article = self.article
        if line >= article.body_line:
            return self._body(line, codes)
        if article.form in ("yaml", "toml") and article.yaml_error is None:
            if article.yaml_line <= line < article.body_line - 1 and self._front_matter_line(line, codes):
                return True
            return None  # on a delimiter, or a line a comment would change (inside a `|` block)
        # JSON has no comments, and broken front matter cannot take one safely: a file-wide
        # directive at the end of the body (a baseline file is the finer tool for these)
        return self._body_file(codes)

    # --- front matter ----------------------------------------------------------------------

    def _front_matter_line(self, line: int, codes: list[str]) -> bool:
        index = line - 1
        current = self.lines[index]
        ending = "\r" if current.endswith("\r") else ""
        content = current[: len(current) - len(ending)]
        existing = NOQA.search(content)
        if existing:
            old = {c.strip() for c in (existing.group("codes") or "").split(",") if c.strip()}
            if not old:
                return True  # a bare `# noqa` already covers every rule
            content = content[: existing.start()]
            codes = sorted(old | set(codes))
        candidate = f"{content.rstrip()}  # noqa: {', '.join(codes)}{ending}"
        return self._try(index, candidate)

    def whole_front_matter(self, codes: list[str]) -> bool:
        """`# artconv: noqa: CODES` on a line of its own after the opening delimiter."""
        index = self.article.front_matter_line  # 0-based: the line after the opening one
        before = parse_article("\n".join(self.lines), lenient=True)
        self.lines.insert(index, f"# artconv: noqa: {', '.join(codes)}{self.cr}")
        if self._same_front_matter(before):
            return True
        del self.lines[index]
        return False

    def _try(self, index: int, candidate: str) -> bool:
        before, line = parse_article("\n".join(self.lines), lenient=True), self.lines[index]
        self.lines[index] = candidate
        if self._same_front_matter(before):
            return True
        self.lines[index] = line
        return False

    def _same_front_matter(self, before: Article) -> bool:
        """The front matter still reads the same values, and the body is still the body."""
        after = parse_article("\n".join(self.lines), lenient=True)
        return after.yaml_error is None and after.body == before.body and after.metadata == before.metadata

    # --- body ------------------------------------------------------------------------------

    def _body(self, line: int, codes: list[str]) -> bool:
        index = line - 1
        if index >= len(self.lines):
            return False
        current = self.lines[index]
        ending = "\r" if current.endswith("\r") else ""
        content = current[: len(current) - len(ending)]
        existing = _LINE_DIRECTIVE.search(content)
        if existing:
            old = existing.group("codes").replace(",", " ").split()
            content = content[: existing.start()] + content[existing.end():]
            codes = sorted(set(old) | set(codes))
        body_before = self._body_text()
        self.lines[index] = f"{content} <!-- artconv-disable-line {','.join(codes)} -->{ending}"
        if _renders_the_same(body_before, self._body_text()):
            return True
        self.lines[index] = current
        if existing:
            return False
        # a comment after `<script>` would be script text: on its own line before, after a blank
        # line, it is an HTML block of its own
        self.lines.insert(index, f"<!-- artconv-disable-next-line {','.join(codes)} -->{ending}")
        if _renders_the_same(body_before, self._body_text()):
            return True
        del self.lines[index]
        return False

    def trailing_everywhere(self, body_lines: dict[int, list[str]]) -> bool:
        """A trailing comment on each of these body lines, kept only if all are safe together."""
        if not body_lines:
            return False
        body_before, saved = self._body_text(), list(self.lines)
        for line, codes in body_lines.items():
            current = self.lines[line - 1] if line <= len(self.lines) else ""
            if line > len(self.lines) or _LINE_DIRECTIVE.search(current):
                self.lines[:] = saved
                return False  # merging with a comment already there: line by line
            ending = "\r" if current.endswith("\r") else ""
            self.lines[line - 1] = f"{current[: len(current) - len(ending)]} <!-- artconv-disable-line {','.join(codes)} -->{ending}"
        if _renders_the_same(body_before, self._body_text()):
            return True
        self.lines[:] = saved
        return False

    def _body_file(self, codes: list[str]) -> bool:
        codes = sorted(self.body_file_codes | set(codes))
        cr = self.cr
        directive = f"<!-- artconv-disable-file {','.join(codes)} -->{cr}"
        body_before = self._body_text()
        saved, saved_line = list(self.lines), self.body_file_line
        if self.body_file_line is not None:
            self.lines[self.body_file_line] = directive
        else:
            # a line of its own after a blank one: an HTML block of its own, whatever precedes it
            at = len(self.lines) - 1 if self.lines[-1] == "" else len(self.lines)
            added = [cr, directive] if at and self.lines[at - 1].strip() else [directive]
            self.lines[at:at] = added
            self.body_file_line = at + len(added) - 1
        if _renders_the_same(body_before, self._body_text()):
            self.body_file_codes = set(codes)
            return True
        self.lines[:] = saved
        self.body_file_line = saved_line
        return False

    def _body_text(self) -> str:
        start = self.article.body_line - 1 if self.article.has_front_matter else 0
        return "\n".join(self.lines[start:]).replace("\r\n", "\n")


def _renders_the_same(before: str, after: str) -> bool:
    """True when `after` renders to `before`'s HTML plus directive comments that are comments."""
    from markdown_it import MarkdownIt  # only --add-noqa pays for the renderer

    renderer = MarkdownIt("commonmark", {"html": True})
    rendered_before, rendered_after = renderer.render(_without(before)), renderer.render(after)
    if _without(rendered_after) != rendered_before:
        return False
    return _directive_comments(rendered_after) == len(_BODY_DIRECTIVE.findall(rendered_after))


def _without(text: str) -> str:
    return _BODY_DIRECTIVE.sub("", text)


def _directive_comments(html: str) -> int:
    """How many directive comments an HTML parser sees as comments (inside <script>, <title> or
    a tag they would be text or attributes)."""
    import lxml.html

    if not html.strip():
        return 0
    root = lxml.html.fragment_fromstring(html, create_parent="div")
    return sum(1 for node in root.iter() if isinstance(node, lxml.html.HtmlComment) and "artconv-disable-" in (node.text or ""))
