"""Linear-time finders for the tag shapes that inline_html looks for in Markdown text.

They give exactly what these regexes give (tests/test_linear.py compares them on generated
text), without their cost on hostile input:

    tags             <!--.*?-->|<(/?)(NAME)(ATTRIBUTES)\\s*(/?)>                       (DOTALL)
    simple elements  <(a|strong|b|em|i)ATTRIBUTES\\s*>([^<>]*)</\\1\\s*>|<(img)ATTRIBUTES\\s*/?>  (IGNORECASE)
    scripts          <script\\b[^>]*>(.*?)</script\\s*>                                 (IGNORECASE, DOTALL)
    code spans       (?<![`\\\\])(`+)(?!`).*?(?<!`)\\1(?!`)                               (DOTALL)

A regex search tries every `<` in turn and, from each, reads as far as the tag could go: on
`x <b <b <b …` without a `>`, every `<b` reads the rest of the line as attributes of itself, so
12 KB took 40 s. Here the attribute grammar is read by a deterministic loop (the regex's own
backtracking can never change its outcome: a name or value always ends where its character
class does), and every position where that loop stands between two attributes remembers where
the loop ended. A later `<b` that reaches such a position stops there at once, so each
character is read a bounded number of times. End markers (`-->`, `</script>`) and code-span
closers are found once, not once per opener.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

_SPACE = re.compile(r"\s*")  # Python's \s: what str.isspace() accepts
_NAME = re.compile(r"[^\s\"'>/=]+")
_UNQUOTED = re.compile(r"[^\s\"'=<>`]+")
_TAG_OPEN = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9:-]*)")
_EMPHASIS_OPEN = re.compile(r"<(a|strong|b|em|i)", re.IGNORECASE)
_IMG_OPEN = re.compile(r"<(img)", re.IGNORECASE)
_SAME_NAME = re.compile(r"(.+)\0\1", re.IGNORECASE | re.DOTALL)  # the backreference's own comparison
_CONTENT = re.compile(r"[^<>]*")
_SCRIPT_OPEN = re.compile(r"<script\b", re.IGNORECASE)
_SCRIPT_CLOSE = re.compile(r"</script\s*>", re.IGNORECASE)
_BACKTICK_RUN = re.compile(r"`+")


class ScanMatch:
    """The parts of re.Match that callers use: group(), groups(), start(), end(), span(), string."""

    __slots__ = ("string", "_spans")

    def __init__(self, string: str, spans: list[tuple[int, int] | None]):
        self.string = string
        self._spans = spans  # group 0 first; None for a group that did not take part

    def group(self, *indexes: int):
        if len(indexes) > 1:
            return tuple(self._text(index) for index in indexes)
        span = self._spans[indexes[0] if indexes else 0]  # the common case, called most
        return None if span is None else self.string[span[0] : span[1]]

    def _text(self, index: int) -> str | None:
        span = self._spans[index]
        return None if span is None else self.string[span[0] : span[1]]

    def groups(self) -> tuple[str | None, ...]:
        return tuple(self._text(index) for index in range(1, len(self._spans)))

    def start(self, index: int = 0) -> int:
        span = self._spans[index]
        return -1 if span is None else span[0]

    def end(self, index: int = 0) -> int:
        span = self._spans[index]
        return -1 if span is None else span[1]

    def span(self, index: int = 0) -> tuple[int, int]:
        return (self.start(index), self.end(index))

    def __getitem__(self, index: int) -> str | None:
        return self._text(index)


class _Text:
    """One text up to one end position, with what its scans have learnt so far."""

    def __init__(self, text: str, end: int):
        self.text = text
        self.end = end
        self._attributes: dict[int, tuple[int, int]] = {}
        self._after: dict[str, tuple[int, int]] = {}
        self.ends: dict[tuple[int, str], int] = {}  # (content start, name) -> end of the element, or -1

    def attributes(self, position: int) -> tuple[int, int]:
        """From just after a tag name: (end of the attributes, first position after the
        whitespace that follows them). What comes there decides whether the tag ends."""
        text, end, memo = self.text, self.end, self._attributes
        visited = []
        while True:
            known = memo.get(position)
            if known is not None:
                result = known
                break
            visited.append(position)
            name_start = _SPACE.match(text, position, end).end()
            if name_start == position or name_start >= end or text[name_start] in "\"'>/=":
                result = (position, name_start)
                break
            name_end = _NAME.match(text, name_start, end).end()
            equals = _SPACE.match(text, name_end, end).end()
            position = name_end
            if equals < end and text[equals] == "=":
                value = _SPACE.match(text, equals + 1, end).end()
                value_end = self._value(value)
                if value_end is not None:
                    position = value_end
                # else the regex gives the value up; the `=` left then ends the attributes
        for seen in visited:
            memo[seen] = result
        return result

    def _value(self, position: int) -> int | None:
        if position >= self.end:
            return None
        quote = self.text[position]
        if quote in "\"'":
            closing = self.find(quote, position + 1)
            return None if closing == -1 else closing + 1
        found = _UNQUOTED.match(self.text, position, self.end)
        return found.end() if found else None

    def find(self, what: str, position: int) -> int:
        """text.find(what, position, end), remembering the answer: while the queries move
        forward, each stretch of text is searched once."""
        low, found = self._after.get(what, (-2, -2))
        if low <= position and (found == -1 or position <= found):
            return found
        found = self.text.find(what, position, self.end)
        self._after[what] = (position, found)
        return found

    def search(self, pattern: re.Pattern[str], position: int) -> re.Match[str] | None:
        """pattern.search from position, remembered like find()."""
        key = pattern.pattern
        low, found = self._after.get(key, (-2, -2))
        if low <= position and (found is None or (found != -2 and position <= found.start())):
            return found
        found = pattern.search(self.text, position, self.end)
        self._after[key] = (position, found)  # type: ignore[assignment]
        return found


def _bounds(text: str, pos: int, endpos: int | None) -> tuple[int, int]:
    end = len(text) if endpos is None else max(0, min(endpos, len(text)))
    return max(0, pos), end


class _LinearPattern:
    """What inline_html needs of a compiled pattern: finditer, search and sub."""

    # where a match can start: a text without one has no match (one search in C, before any
    # line of the text is split, ranged or scanned)
    opener = re.compile("<")

    def may_match(self, text: str) -> bool:
        return self.opener.search(text) is not None

    def _match_at(self, scan: _Text, position: int) -> ScanMatch | None:
        raise NotImplementedError

    def _candidates(self, scan: _Text, position: int) -> int:
        return scan.text.find("<", position, scan.end)

    def finditer(self, text: str, pos: int = 0, endpos: int | None = None) -> Iterator[ScanMatch]:
        pos, end = _bounds(text, pos, endpos)
        scan = _Text(text, end)
        position = pos
        while position < end:
            start = self._candidates(scan, position)
            if start == -1:
                return
            found = self._match_at(scan, start)
            if found is None:
                position = start + 1
                continue
            yield found
            position = found.end()

    def search(self, text: str, pos: int = 0, endpos: int | None = None) -> ScanMatch | None:
        return next(self.finditer(text, pos, endpos), None)

    def sub(self, replace: Callable[[ScanMatch], str], text: str) -> str:
        pieces, cursor = [], 0
        for found in self.finditer(text):
            pieces.append(text[cursor : found.start()])
            pieces.append(replace(found))
            cursor = found.end()
        if not pieces:
            return text
        pieces.append(text[cursor:])
        return "".join(pieces)


class TagPattern(_LinearPattern):
    """`<!--.*?-->|<(/?)(NAME)(ATTRIBUTES)\\s*(/?)>`: a comment, start tag or end tag."""

    pattern = "tag"
    opener = re.compile(r"<(?:!--|/?[A-Za-z])")

    def _match_at(self, scan: _Text, start: int) -> ScanMatch | None:
        text, end = scan.text, scan.end
        if text.startswith("<!--", start, end):
            closing = scan.find("-->", start + 4)
            return None if closing == -1 else ScanMatch(text, [(start, closing + 3), None, None, None, None])
        opened = _TAG_OPEN.match(text, start, end)
        if opened is None:
            return None
        attributes_end, tail = scan.attributes(opened.end())
        if text.startswith("/>", tail, end):
            stop, slash = tail + 2, (tail, tail + 1)
        elif tail < end and text[tail] == ">":
            stop, slash = tail + 1, (tail, tail)
        else:
            return None
        return ScanMatch(text, [(start, stop), opened.span(1), opened.span(2), (opened.end(), attributes_end), slash])


class SimpleElementPattern(_LinearPattern):
    """`<(a|strong|b|em|i)ATTRIBUTES\\s*>([^<>]*)</\\1\\s*>|<(img)ATTRIBUTES\\s*/?>`, IGNORECASE."""

    pattern = "simple element"
    opener = re.compile(r"<(?:a|strong|b|em|i|img)", re.IGNORECASE)

    def _match_at(self, scan: _Text, start: int) -> ScanMatch | None:
        # the two alternatives in the regex's order; no text can be both (`<i` then `mg` is not
        # an attribute list), so the first that matches is the regex's match
        return self._element(scan, start) or self._image(scan, start)

    def _element(self, scan: _Text, start: int) -> ScanMatch | None:
        """a, strong, b, em, i: plain content up to the same end tag."""
        text, end = scan.text, scan.end
        opened = _EMPHASIS_OPEN.match(text, start, end)
        if opened is None:
            return None
        attributes_end, tail = scan.attributes(opened.end())
        if tail >= end or text[tail] != ">":
            return None
        name = opened.group(1)
        # several `<b` can end at the same `>` (`<b <b <b>`): the content after it is read once
        key = (tail + 1, name)
        stop = scan.ends.get(key)
        if stop is None:
            stop = scan.ends[key] = self._element_end(scan, tail + 1, name)
        if stop == -1:
            return None
        content_end = _CONTENT.match(text, tail + 1, end).end()
        return ScanMatch(text, [
            (start, stop), opened.span(1), (opened.end(), attributes_end), (tail + 1, content_end), None, None,
        ])

    @staticmethod
    def _element_end(scan: _Text, content: int, name: str) -> int:
        text, end = scan.text, scan.end
        content_end = _CONTENT.match(text, content, end).end()
        close_name = content_end + 2
        if not text.startswith("</", content_end, end) or close_name + len(name) > end:
            return -1
        if _SAME_NAME.fullmatch(name + "\0" + text[close_name : close_name + len(name)]) is None:
            return -1
        after = _SPACE.match(text, close_name + len(name), end).end()
        return after + 1 if after < end and text[after] == ">" else -1

    def _image(self, scan: _Text, start: int) -> ScanMatch | None:
        text, end = scan.text, scan.end
        opened = _IMG_OPEN.match(text, start, end)
        if opened is None:
            return None
        attributes_end, tail = scan.attributes(opened.end())
        if text.startswith("/>", tail, end):
            stop = tail + 2
        elif tail < end and text[tail] == ">":
            stop = tail + 1
        else:
            return None
        return ScanMatch(text, [(start, stop), None, None, None, opened.span(1), (opened.end(), attributes_end)])


class ScriptPattern(_LinearPattern):
    """`<script\\b[^>]*>(.*?)</script\\s*>`, IGNORECASE and DOTALL."""

    pattern = "script"
    opener = _SCRIPT_OPEN

    def _candidates(self, scan: _Text, position: int) -> int:
        found = scan.search(_SCRIPT_OPEN, position)
        return -1 if found is None else found.start()

    def _match_at(self, scan: _Text, start: int) -> ScanMatch | None:
        opening_end = scan.find(">", start + len("<script"))
        if opening_end == -1:
            return None
        closing = scan.search(_SCRIPT_CLOSE, opening_end + 1)
        if closing is None:
            return None
        return ScanMatch(scan.text, [(start, closing.end()), (opening_end + 1, closing.start())])


def code_spans(text: str, pos: int = 0, endpos: int | None = None) -> list[ScanMatch]:
    """What `(?<![`\\\\])(`+)(?!`).*?(?<!`)\\1(?!`)` (DOTALL) finds, in one pass over the
    backtick runs: an opener is paired with the next run of exactly its length."""
    pos, end = _bounds(text, pos, endpos)
    runs = []  # (start, end, can open, can close)
    for run in _BACKTICK_RUN.finditer(text, pos, end):
        before = text[run.start() - 1] if run.start() > 0 else ""
        # a run cut by `pos` is preceded by a backtick: neither lookbehind lets it in
        can_close = before != "`"
        runs.append((run.start(), run.end(), can_close and before != "\\", can_close))
    following: list[int | None] = [None] * len(runs)  # the next run of the same length that can close
    latest: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        start, stop, _, can_close = runs[index]
        following[index] = latest.get(stop - start)
        if can_close:
            latest[stop - start] = index
    spans = []
    index = 0
    while index < len(runs):
        start, stop, can_open, _ = runs[index]
        closer = following[index] if can_open else None
        if closer is None:
            index += 1
            continue
        spans.append(ScanMatch(text, [(start, runs[closer][1]), (start, stop)]))
        index = closer + 1
    return spans
