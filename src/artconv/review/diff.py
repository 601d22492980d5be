"""A word-level diff of the visible text of an article before and after, kept small.

Tokens are words, single CJK characters and whitespace (so the diff reads as the text does); the
diff is difflib's, which is linear-ish on real articles and quadratic at worst, hence a cap on the
tokens compared (the rest is said to be left out). Long unchanged runs keep only their ends."""

from __future__ import annotations

import re
from difflib import SequenceMatcher

MAX_TOKENS = 6000  # per side: about 20 ms of difflib on a typical article, 10,000 files in minutes
CONTEXT = 80  # characters kept at each end of an unchanged run
_CJK = "\u2e80-\u2fdf\u3040-\u30ff\u3100-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff\u3000-\u303f\uff00-\uffef"
_TOKEN = re.compile(rf"\s+|[{_CJK}]|[^\s{_CJK}]+")


def tokens(text: str) -> list[str]:
    """Words, CJK characters and whitespace; a run of whitespace is one space or one newline."""
    found = _TOKEN.findall(text)
    return [("\n" if "\n" in token else " ") if token.isspace() else token for token in found]


def word_diff(before: str, after: str) -> tuple[list[list[str]], bool]:
    """([[op, text], …], capped): op is "=" (kept), "-" (removed) or "+" (added); capped says
    that only the first MAX_TOKENS tokens of each side were compared."""
    old, new = tokens(before.strip()), tokens(after.strip())
    capped = len(old) > MAX_TOKENS or len(new) > MAX_TOKENS
    old, new = old[:MAX_TOKENS], new[:MAX_TOKENS]
    matcher = SequenceMatcher(None, old, new, autojunk=False)
    ops: list[list[str]] = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            _add(ops, "=", _elided("".join(old[i1:i2])))
            continue
        if i2 > i1:
            _add(ops, "-", "".join(old[i1:i2]))
        if j2 > j1:
            _add(ops, "+", "".join(new[j1:j2]))
    return ops, capped


def _add(ops: list[list[str]], op: str, text: str) -> None:
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
