"""A word-level diff of the visible text of an article before and after, kept small and fast.

Two levels, as a reader compares: the lines (paragraphs, cells, items) are matched first, then
the words inside each run of lines that changed. Tokens are words, single CJK characters, punctuation and
spaces, so the diff reads as the text does. difflib is quadratic at worst, so the line match is
capped in lines and a changed run in tokens: past the cap a run shows as removed, then added,
and the diff says it was capped. Long unchanged runs keep only their ends."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

MAX_LINES = 5000  # per side; past this, the rest is one changed run
MAX_PAIRS = 400_000  # tokens before × tokens after in one changed run compared word by word
CONTEXT = 80  # characters kept at each end of an unchanged run
_CJK = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_TOKEN = re.compile(rf"\s+|[{_CJK}]|[^\W{_CJK}]+|[^\w\s]")  # punctuation: a token of its own


def tokens(text: str) -> list[str]:
    """Words, CJK characters, punctuation and whitespace; a run of whitespace is one space or one newline."""
    found = _TOKEN.findall(text)
    return [("\n" if "\n" in token else " ") if token.isspace() else token for token in found]


def _lines(text: str) -> list[str]:
    """The text's non-blank lines, spaces collapsed: blank lines and indentation differ between
    two renderings of the same text."""
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def word_diff(before: str, after: str) -> tuple[list[list[str]], bool]:
    """([[op, text], …], capped): op is "=" (kept), "-" (removed) or "+" (added); capped says
    that some changed run was too long to compare word by word."""
    old, new = _lines(before), _lines(after)
    capped = len(old) > MAX_LINES or len(new) > MAX_LINES
    head_old, head_new = old[:MAX_LINES], new[:MAX_LINES]
    ops: list[list[str]] = []
    matcher = SequenceMatcher(None, head_old, head_new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        removed, added = _text(head_old[i1:i2]), _text(head_new[j1:j2])
        if tag == "equal":
            _add(ops, "=", _elided(removed))
        elif tag == "replace":
            capped |= _changed_run(ops, removed, added)
        else:
            _add(ops, "-", removed)
            _add(ops, "+", added)
    if capped:
        _add(ops, "-", _text(old[MAX_LINES:]))
        _add(ops, "+", _text(new[MAX_LINES:]))
    return ops, capped


def _text(lines: list[str]) -> str:
    return "".join(line + "\n" for line in lines)


def _changed_run(ops: list[list[str]], removed: str, added: str) -> bool:
    """Lines that changed, diffed word by word; True when the run was too long for that."""
    old, new = tokens(removed), tokens(added)
    if len(old) * len(new) > MAX_PAIRS:
        _add(ops, "-", removed)
        _add(ops, "+", added)
        return True
    # spaces only extend a match, never anchor one: else the diff aligns the spaces between words
    for tag, i1, i2, j1, j2 in SequenceMatcher(str.isspace, old, new, autojunk=False).get_opcodes():
        if tag == "equal":
            _add(ops, "=", _elided("".join(old[i1:i2])))
            continue
        _add(ops, "-", "".join(old[i1:i2]))
        _add(ops, "+", "".join(new[j1:j2]))
    return False


def _add(ops: list[list[str]], op: str, text: str) -> None:
    if not text:
        return
    if ops and ops[-1][0] == op:
        ops[-1][1] += text
    else:
        ops.append([op, text])


def _elided(text: str) -> str:
    """An unchanged run as its two ends around " … ": the reader wants the changes in context."""
    if len(text) <= 2 * CONTEXT + 20:
        return text
    return text[:CONTEXT] + " … " + text[-CONTEXT:]


def changed_words(ops: list[list[str]]) -> tuple[int, int]:
    """(tokens removed, tokens added), whitespace not counted."""
    removed = sum(len([t for t in tokens(text) if not t.isspace()]) for op, text in ops if op == "-")
    added = sum(len([t for t in tokens(text) if not t.isspace()]) for op, text in ops if op == "+")
    return removed, added
