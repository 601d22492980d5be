"""Fidelity guard: refuse an output that would lose text a reader of the input could see.

The input body is rendered as a site generator renders it (CommonMark with raw HTML, GFM tables),
and so is the output; what a reader sees of each is cut into words (each CJK character is a word).
Every input word must be found in the output or in what transformers declared they removed on
purpose. Words are compared as case-folded multisets, so reflowing, re-nesting and re-ordering markup never
trip the guard, while a dropped sentence, cell or caption always does.
"""

from __future__ import annotations

import os
import re
import sys
from collections import Counter
from collections.abc import Callable
from contextlib import contextmanager
from copy import deepcopy
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import unquote

from lxml import etree

from artconv.core.body import parse_html_fragment
from artconv.core.document import ENCODED_FRAGMENT_CHAR, FRAGMENT_CHAR, Document
from artconv.core.guard_structure import code_change, count_change, followed, shape, target_change
from artconv.html.block_tree import encodable, many_reference_lines
from artconv.core.islands import islands as island_spans
from artconv.html.tree import visible_text

CJK = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_WORD = re.compile(rf"[{CJK}]|[^\W_{CJK}]+")  # "_" is markup, not part of a word
_ISLAND = "\ufffc"  # no word, and one character as the islands' stand-ins are
_HTML_IN_CODE = re.compile(r"<(?:[A-Za-z][\w-]*|!--|/[A-Za-z])")


@dataclass(frozen=True)
class Loss:
    """What the output lost; `describe` names it as before → after."""

    words: tuple[str, ...] = ()
    context: str = ""
    after: str = ""
    structure: str = ""  # a structural change (guard_structure), when no word was lost

    def describe(self) -> str:
        if not self.words:
            return f"would change the structure: {self.structure}"
        shown = " ".join(self.words[:8]) + (" …" if len(self.words) > 8 else "")
        return f'would lose {len(self.words)} word(s) [{shown}]: "{self.context}" → "{self.after}"'


def _render(markdown: str) -> str:
    # markdown-it's Rust port renders in a tenth of markdown-it-py's time, and the guard renders
    # every body twice. (cmark-gfm was as fast, but its Python binding leaks every document it
    # renders: 15 KB a file, 150 MB over a repository.) A panic in the port falls back.
    text = encodable(markdown)[0]
    if many_reference_lines(text) or many_delimiters(text):  # quadratic in the port
        return _slow_renderer().render(markdown)
    try:
        if "`" in text and "[" in text:
            # the port's code-span scan inside link text can panic (markdown-it 0.6.0,
            # code_pair.rs), and Rust prints the panic on stderr: keep that off the user's screen
            with _stderr_silenced():
                return _fast_renderer().render(text)
        return _fast_renderer().render(text)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException:  # noqa: BLE001 - a Rust panic is a BaseException
        return _slow_renderer().render(markdown)


# The port pairs emphasis delimiters in quadratic time within one paragraph: 16,000 `**x**`
# on a paragraph's lines took it 0.4 s, 64,000 over 3 s (CRLF articles and converted <b> tags
# make such paragraphs). markdown-it-py pairs them in linear time; past this many delimiter
# characters in one paragraph, it renders the body.
MAX_PARAGRAPH_DELIMITERS = 4000
_BLANK_LINE = re.compile(r"\n[ \t]*\n")


def many_delimiters(text: str) -> bool:
    """True when some paragraph-like stretch (between blank lines) holds more than
    MAX_PARAGRAPH_DELIMITERS of `*`, `_` and `~`; linear, counted in C."""
    if text.count("*") + text.count("_") + text.count("~") <= MAX_PARAGRAPH_DELIMITERS:
        return False
    return any(
        part.count("*") + part.count("_") + part.count("~") > MAX_PARAGRAPH_DELIMITERS for part in _BLANK_LINE.split(text)
    )


@contextmanager
def _stderr_silenced():
    sys.stderr.flush()
    saved = os.dup(2)
    try:
        with open(os.devnull, "wb") as devnull:
            os.dup2(devnull.fileno(), 2)
        yield
    finally:
        os.dup2(saved, 2)
        os.close(saved)


@lru_cache(maxsize=1)
def _fast_renderer():
    from markdown_it_pyrs import MarkdownIt

    return MarkdownIt("commonmark").enable_many(["table", "strikethrough"])


@lru_cache(maxsize=1)
def _slow_renderer():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def rendered_text(markdown: str) -> str:
    """What a reader sees of a Markdown body rendered by a CommonMark site generator."""
    if not markdown.strip():
        return ""
    return _seen(rendered_tree(markdown))


def rendered_tree(markdown: str) -> etree._Element:
    return parse_html_fragment(_render(markdown) if markdown.strip() else "")


def _seen(root: etree._Element) -> str:
    walker = etree.iterwalk(root, events=("start",), tag="pre")
    for _, block in walker:
        # scraped HTML indented by 4+ spaces renders as a code block of HTML source; read it as
        # the HTML it is, on both sides, so that cleaning it is not counted as a loss
        source = "".join(block.itertext())
        if not _HTML_IN_CODE.search(source):
            # a <pre> inside holds part of this text, so no HTML either: not read again (each of
            # 1,000 nested <pre> read all the text below it)
            walker.skip_subtree()
            continue
        if _names_language(block):
            continue
        # twice-escaped exports need a second reading to reach the same text
        for _ in range(3):
            source = visible_text(parse_html_fragment(source))
            if not _HTML_IN_CODE.search(source):
                break
        for child in list(block):
            block.remove(child)
        block.text = source
        walker.skip_subtree()  # what was inside is this text now
    return visible_text(root)


def _names_language(block) -> bool:
    """A code block that names its language (a fenced block's info string, a highlighter's
    language) is code on purpose, not scraped HTML that happens to be indented: its tags are text."""
    code = block.find("code")
    return code is not None and "language-" in (code.get("class") or "")


def words(text: str) -> list[str]:
    """Words compared by the guard; case is not text, so it is folded away."""
    return _WORD.findall(text.casefold())


def _without_islands(original: str, output: str, generator: str) -> tuple[str, str]:
    """Both bodies with the input's islands left out. An island only the output has (template
    syntax decoded from entities, `&#123;&#123;` → `{{`) is not the input's: it stays text, so
    that what it would hide is still compared."""
    spans = island_spans(original, generator)
    kept = Counter(original[start:end] for start, end in spans)
    wanted = []
    for start, end in island_spans(output, generator):
        if kept[output[start:end]] > 0:
            kept[output[start:end]] -= 1
            wanted.append((start, end))
    return _blinded(original, spans), _blinded(output, wanted)


def _blinded(text: str, spans: list[tuple[int, int]]) -> str:
    pieces, cursor = [], 0
    for start, end in spans:
        pieces += [text[cursor:start], _ISLAND]
        cursor = end
    return "".join(pieces) + text[cursor:]


def check(
    doc: Document,
    original_body: str,
    output_body: str,
    sanitize: Callable[[etree._Element], None] | None = None,
    html: bool = False,
    islands: str | None = None,
) -> Loss | None:
    """None when every word of the input is in the output or was removed on purpose, and the
    structure survived (guard_structure). With `sanitize` (what the JSON and XHTML writers do to
    the rendered output), the text those formats keep is checked the same way.

    `html`: the input body is HTML as a whole (a `.html` article, a whole HTML document), which
    generators show as a browser does, with no Markdown reading. `islands`: the generator's
    template syntax (core/islands.py) is its own, written back exactly as it was, and what it shows is
    only known after the generator ran: it is left out on both sides (as a word break)."""
    leaked = _leaked_placeholder(doc, output_body)
    if leaked is not None:
        return Loss(structure=leaked)
    # A Markdown body written back as it was (no HTML part, nothing cleaned) renders to the same
    # tree: no word can be lost, no count can drop, and code can only look changed through
    # liquid-escapes' {% raw %} markers, which need a `%` (or an entity spelling one).
    unchanged = not html and output_body == original_body
    if unchanged and sanitize is None and "%" not in original_body and "&" not in original_body:
        return None
    if islands:
        original_body, output_body = _without_islands(original_body, output_body, islands)
    before_root = parse_html_fragment(original_body) if html else rendered_tree(original_body)
    # the same body renders to the same tree: a copy instead of a second render and parse
    after_root = deepcopy(before_root) if unchanged else rendered_tree(output_body)
    before_shape = shape(before_root, skip_html_code=True)
    after_shape = shape(after_root)
    if unchanged and sanitize is None:
        # the words are the same on both sides: only the code check can object
        return _structure_loss(doc, before_shape, after_shape, islands)
    return _word_check(doc, before_root, after_root, sanitize, unchanged) or _structure_loss(doc, before_shape, after_shape, islands)


def _leaked_placeholder(doc: Document, output_body: str) -> str | None:
    """A placeholder (core/document.py: a template island or a kept comment, one private-use
    character until written back) still in the output, as itself or percent-encoded: the text
    it stands for is lost, and neither the words nor the counts can see it (an island in an
    `href` came out as `href="%F3%B0%80%83"`). The body's own such characters are never
    placeholders, so one found is always a leak."""
    if not doc.fragments:
        return None
    for found in FRAGMENT_CHAR.finditer(output_body):
        if found.group() in doc.fragments:
            return f"a placeholder was not written back (U+{ord(found.group()):X} in place of {_short_fragment(doc, found.group())})"
    if "%" in output_body:
        for found in ENCODED_FRAGMENT_CHAR.finditer(output_body):
            char = unquote(found.group())
            if char in doc.fragments:
                return f"a placeholder was not written back ({found.group()} in place of {_short_fragment(doc, char)})"
    return None


def _short_fragment(doc: Document, char: str) -> str:
    text = " ".join(doc.fragments[char].markdown.split())
    return repr(text if len(text) <= 40 else text[:39] + "…")


def _word_check(
    doc: Document,
    before_root: etree._Element,
    after_root: etree._Element,
    sanitize: Callable[[etree._Element], None] | None,
    unchanged: bool,
) -> Loss | None:
    """The words check: of what the output shows, then of what the sanitiser keeps of it."""
    kept = None
    drawn = ""
    if sanitize is not None:
        kept = deepcopy(after_root)
        sanitize(kept)
        # text straight inside an <svg> or <math> (`<SVG> and WebGL` in prose) is no text a
        # browser shows outside <text> and <foreignObject>, and the sanitiser drops drawings by
        # design (the HTML of a <foreignObject> stays): it is not counted as lost
        drawn = " ".join(visible_text(e) for e in after_root.iter("svg", "math"))
    seen = _seen(before_root)
    shown = seen if unchanged else _seen(after_root)  # the same tree shows the same text
    if seen is shown or seen.split() == shown.split():
        loss = None  # the same words in the same order (words never span white space)
    else:
        available = Counter(words(shown))
        for removal in doc.removed:
            available.update(words(removal.text))
        loss = _word_loss(seen, shown, available)
    if loss is None and kept is not None:
        kept_text = visible_text(kept)
        kept_words = Counter(words(kept_text + " " + drawn))
        for removal in doc.removed:
            kept_words.update(words(removal.text))
        loss = _word_loss(seen, kept_text, kept_words)
    return loss


def _structure_loss(doc: Document, before_shape, after_shape, islands: str | None) -> Loss | None:
    allowance: Counter = Counter()
    for removal in doc.removed:
        allowance.update(dict(removal.structure))
    removed_text = " ".join(removal.text for removal in doc.removed)
    retargeted = Counter(
        followed(_as_compared(doc, r.retargeted[0], islands)) for r in doc.removed if r.retargeted is not None
    )
    change = (
        code_change(before_shape, after_shape, removed_text)
        or count_change(before_shape, after_shape, allowance)
        or target_change(before_shape, after_shape, allowance, retargeted)
    )
    return Loss(structure=change) if change else None


def _as_compared(doc: Document, url: str, islands: str | None) -> str:
    """A URL a transformer saw, as the guard compares it: its placeholders written out, and its
    islands left out as they are of both bodies."""
    if not islands or FRAGMENT_CHAR.search(url) is None:
        return url
    url = doc.resolve_fragments(url, markdown=True)
    return _blinded(url, island_spans(url, islands))


def _word_loss(seen: str, shown: str, available: Counter) -> Loss | None:
    if not Counter(words(seen)) - available:
        return None  # the common case, counted in C; only a loss needs the word-by-word walk
    if "*" in shown:
        # `n*k]*m` that the input showed as `n<em>k]</em>m` (code cut out of its <pre> by a
        # blank line) is whole again in the output: the words its asterisks split count as kept
        available.update(Counter(words(shown.replace("*", ""))) - Counter(words(shown)))
        if not Counter(words(seen)) - available:
            return None
    lost_spans = []
    for match in _WORD.finditer(seen):
        word = match.group().casefold()
        if available[word] > 0:
            available[word] -= 1
        else:
            lost_spans.append(match.span())
    if not lost_spans:
        return None
    start, end = lost_spans[0]
    context = " ".join(seen[max(0, start - 20) : end + 20].split())
    return Loss(tuple(seen[s:e] for s, e in lost_spans), context, _after(seen, shown, start, end))


def _after(seen: str, shown: str, start: int, end: int) -> str:
    """The output text where the lost words stood: found by the words before them (or after)."""
    before = _WORD.findall(seen[max(0, start - 40) : start])[-2:]
    after = _WORD.findall(seen[end : end + 40])[:2]
    for anchor, forward in ((before, True), (after, False)):
        if not anchor:
            continue
        pattern = r"\W*".join(re.escape(word) for word in anchor)
        found = re.search(pattern, shown, re.IGNORECASE)
        if found is None:
            continue
        if forward:
            return " ".join(shown[found.start() : found.end() + (end - start) + 20].split())
        return " ".join(shown[max(0, found.start() - (end - start) - 20) : found.end()].split())
    return "(not in the output)"
