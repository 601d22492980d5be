"""Emphasis delimiters in Markdown text kept working where a tag beside them was removed.

`**<span> Why?</span>**` is bold in CommonMark: the `**` stands before a `<`. Removing the
tags leaves `** Why?**`, where the `**` faces a space and can open nothing, and the reader
sees two pairs of asterisks. Where a removed tag left whitespace inside a delimiter run, the
whitespace moves outside it (`** Why?**` → ` **Why?**`), which is what the reader saw before.
(Punctuation a removed tag no longer shields, `**<span>寇强</span>：**<span>我` → `**寇强：**我`,
is not handled yet: moving it broke more runs than it mended.)
"""

from __future__ import annotations

_DELIMITERS = "*_"


def _space(char: str) -> bool:
    # Unicode whitespace, NBSP included, unmakes a delimiter run in CommonMark; a line end stays
    return char.isspace() and char not in "\r\n"


def keep_flanking(text: str, removed_at: list[int]) -> str:
    """`text` with whitespace moved out of delimiter runs at the offsets where tags were removed."""
    for position in sorted(set(removed_at), reverse=True):  # from the end: offsets before stay true
        text = _space_after_opener(text, position)
        text = _space_before_closer(text, position)
    return text


def _space_after_opener(text: str, position: int) -> str:
    run = position
    while run > 0 and text[run - 1] in _DELIMITERS and text[run - 1] == text[position - 1]:
        run -= 1
    if run == position or position >= len(text) or not _space(text[position]):
        return text
    if run > 0 and text[run - 1].isalnum():
        return text  # a closer after a word (`**b**`), not an opener
    end = position
    while end < len(text) and _space(text[end]):
        end += 1
    if end == len(text) or text[end] in "\r\n":
        return text
    return text[:run] + text[position:end] + text[run:position] + text[end:]


def _space_before_closer(text: str, position: int) -> str:
    if position >= len(text) or text[position] not in _DELIMITERS:
        return text
    run = position
    while run < len(text) and text[run] == text[position]:
        run += 1
    if position == 0 or not _space(text[position - 1]):
        return text
    if run < len(text) and text[run].isalnum():
        return text  # an opener before a word, not a closer
    start = position
    while start > 0 and _space(text[start - 1]):
        start -= 1
    if start == 0 or text[start - 1] in "\r\n":
        return text
    return text[:start] + text[position:run] + text[start:position] + text[run:]
