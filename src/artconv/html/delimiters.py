"""Emphasis delimiters in Markdown text kept working where a tag beside them was removed.

`**<span> Why?</span>**` is bold in CommonMark: the `**` stands before a `<`. Removing the
tags leaves `** Why?**`, where the `**` faces a space and can open nothing, and the reader
sees two pairs of asterisks. Where a removed tag left whitespace inside a delimiter run, the
whitespace moves outside it (`** Why?**` → ` **Why?**`), which is what the reader saw before.
Punctuation a removed tag no longer shields, `**<span>寇强</span>：**<span>我` → `**寇强：**我`,
leaves a closer after punctuation and before a letter, which CommonMark does not read as one.
Moving the punctuation broke more runs than it mended; instead the pair is written as the
inline HTML it stood for (`<strong>寇强：</strong>我`), which renders as the input did.
"""

from __future__ import annotations

import unicodedata

_DELIMITERS = "*_"


def _space(char: str) -> bool:
    # Unicode whitespace, NBSP included, unmakes a delimiter run in CommonMark; a line end stays
    return char.isspace() and char not in "\r\n"


def _punctuation(char: str) -> bool:
    return unicodedata.category(char)[0] in "PS"


def _right_flanking(text: str, start: int, end: int) -> bool:
    """CommonMark's right-flanking test of the delimiter run text[start:end]."""
    before = text[start - 1] if start > 0 else "\n"
    after = text[end] if end < len(text) else "\n"
    if before.isspace():
        return False
    return not _punctuation(before) or after.isspace() or _punctuation(after)


def _left_flanking(text: str, start: int, end: int) -> bool:
    before = text[start - 1] if start > 0 else "\n"
    after = text[end] if end < len(text) else "\n"
    if after.isspace():
        return False
    return not _punctuation(after) or before.isspace() or _punctuation(before)


def keep_flanking(text: str, removed_at: list[int]) -> str:
    """`text` with whitespace moved out of delimiter runs at the offsets where tags were removed."""
    for position in sorted(set(removed_at), reverse=True):  # from the end: offsets before stay true
        text = _space_after_opener(text, position)
        text = _space_before_closer(text, position)
        text = _unshielded_closer(text, position)
    return text


def _space_after_opener(text: str, position: int) -> str:
    run = position
    while run > 0 and text[run - 1] in _DELIMITERS and text[run - 1] == text[position - 1]:
        run -= 1
    if run == position or position >= len(text) or not _space(text[position]):
        return text
    if _right_flanking(text, run, position):
        return text  # it still closes (`**b**`, `-**` before a space): it was a closer
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
    if _left_flanking(text, position, run):
        return text  # it still opens: it was an opener
    start = position
    while start > 0 and _space(text[start - 1]):
        start -= 1
    if start == 0 or text[start - 1] in "\r\n":
        return text
    return text[:start] + text[position:run] + text[start:position] + text[run:]


_TAGS = {1: "em", 2: "strong"}


def _unshielded_closer(text: str, position: int) -> str:
    """A `*`/`**` closer beside a removed tag that let it close (`：**<span>我`, where the `<`
    follows punctuation; `; </span>**<b>`, where the `>` hid a space) and that no longer
    closes: written with its opener as `<em>`/`<strong>`, as the input rendered."""
    run, end = _run_at(text, position)
    if end - run not in _TAGS or _right_flanking(text, run, end):
        return text
    if end == position:  # the tag followed the run: its `<` was the punctuation after it
        if text[run - 1].isspace() or text[position] == "<":
            return text
    elif text[position - 1] == ">" or not (end == len(text) or text[end].isspace() or _punctuation(text[end])):
        return text  # the tag went before the run: its `>` was punctuation before it
    opener = _opener_of(text, run, end - run)
    if opener is None:
        return text
    tag = _TAGS[end - run]
    return f"{text[:opener]}<{tag}>{text[opener + end - run:run]}</{tag}>{text[end:]}"


def _run_at(text: str, position: int) -> tuple[int, int]:
    """The `*` run that ends at `position`, else the one that starts there (empty when none)."""
    if position == 0 or position >= len(text):
        return position, position
    run = end = position
    if text[position - 1] == "*":
        while run > 0 and text[run - 1] == "*":
            run -= 1
    elif text[position] == "*":
        while end < len(text) and text[end] == "*":
            end += 1
    return run, end


def _opener_of(text: str, end: int, size: int) -> int | None:
    """Where the `size` delimiters of the opener that a run at `end` would close start, pairing
    the runs of the paragraph before it as CommonMark does (innermost first, rule of three)."""
    start = text.rfind("\n\n", 0, end)
    index = 0 if start < 0 else start + 2
    openers: list[list[int]] = []  # offset, delimiters left, 1 when the run can also close
    while index < end:
        if text[index] != "*":
            index += 2 if text[index] == "\\" else 1
            continue
        run_end = index
        while run_end < end and text[run_end] == "*":
            run_end += 1
        left, right = _left_flanking(text, index, run_end), _right_flanking(text, index, run_end)
        length = _close(openers, run_end - index, left) if right else run_end - index
        if left and length:
            openers.append([run_end - length, length, int(right)])
        index = run_end
    match = _match(openers, size, True)
    if match is None or openers[match][1] < size:
        return None
    return openers[match][0] + openers[match][1] - size


def _close(openers: list[list[int]], length: int, both: bool) -> int:
    """The delimiters of a closing run left once it closed what it could."""
    while length:
        match = _match(openers, length, both)
        if match is None:
            return length
        del openers[match + 1 :]
        used = 2 if length >= 2 and openers[match][1] >= 2 else 1
        openers[match][1] -= used
        length -= used
        if not openers[match][1]:
            openers.pop()
    return 0


def _match(openers: list[list[int]], length: int, both: bool) -> int | None:
    for index in range(len(openers) - 1, -1, -1):
        size, can_close = openers[index][1], openers[index][2]
        if (both or can_close) and (size + length) % 3 == 0 and (size % 3 or length % 3):
            continue  # CommonMark's rule of three
        return index
    return None
