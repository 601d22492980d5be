"""Removals and unwraps of one walk over a tree, applied together.

lxml copies an element's text on every read and write. Removing or unwrapping n siblings one at a
time merges each one's text into the slot before it (the previous sibling's tail, or the
parent's text), which grows: n edits read and rewrote n growing strings, n² characters
(20,000 <span>s in one paragraph took seconds, 80,000 ran past the time budget). TreeEdits
gathers a walk's edits and applies each run of edited siblings in one pass, keeping the slot's
text as a list of pieces: linear in the run and what it unwraps.

The result is exactly that of applying the edits one at a time in document order (`remove` and
`unwrap` in html/tree.py are one-edit batches):
- unwrap: the element's text joins the slot before it, its children take its place, its tail
  joins the last child's tail (or the slot, when it has no children);
- remove: the element goes with its content, its tail joins the slot before it; an element alone
  on its line takes the line with it (outside <pre> and <textarea>).
An edit of the root, or of an element inside a removed one, changes nothing that stays.
"""

from __future__ import annotations

import re

from lxml import etree

REMOVE = "remove"
UNWRAP = "unwrap"
_LINE_START = re.compile(r"\A[ \t]*\n")


class TreeEdits:
    """Edits gathered while walking a tree; `apply` makes them. Collecting first also keeps a
    walk from seeing its own edits half-made."""

    def __init__(self) -> None:
        self._edits: dict[etree._Element, str] = {}

    def remove(self, element: etree._Element) -> None:
        self._edits.setdefault(element, REMOVE)  # a second edit of a gone element is no edit

    def unwrap(self, element: etree._Element) -> None:
        self._edits.setdefault(element, UNWRAP)

    def __enter__(self) -> TreeEdits:
        return self

    def __exit__(self, *exc_info: object) -> None:
        if exc_info[0] is None:
            self.apply()

    def apply(self) -> None:
        edits, self._edits = self._edits, {}
        in_pre = _InPre(edits)
        runs = []
        # every run is found on the tree as it is, before any is applied: once an unwrapped
        # element is detached, the edits inside it would look like runs of their own
        for element in edits:
            parent = element.getparent()
            if parent is None or _unwrapped(parent, edits):
                continue  # the root stays; inside an unwrapped element, its run walks it
            previous = element.getprevious()
            if previous is not None and previous in edits:
                continue  # not the first of its run
            runs.append(_Run(parent, element, edits, in_pre(parent)))
        for run in runs:  # runs share no text slot and no element they read
            run.walk()
            run.apply()


def _unwrapped(element: etree._Element, edits: dict) -> bool:
    return edits.get(element) is UNWRAP and element.getparent() is not None


class _Slot:
    """The text between two kept siblings, as pieces; what `remove` asks of it, kept as it grows."""

    __slots__ = ("pieces", "touched", "ends_line", "blank")

    def __init__(self, text: str) -> None:
        self.pieces = [text]
        self.touched = False
        self.ends_line = text.rstrip(" \t").endswith("\n")
        self.blank = not text.strip()

    def add(self, text: str) -> None:
        self.touched = True
        if not text:
            return
        self.pieces.append(text)
        stripped = text.rstrip(" \t")
        if stripped:
            self.ends_line = stripped.endswith("\n")
            self.blank = self.blank and not stripped.strip()

    def trim_line_end(self) -> None:
        """The slot without the spaces and tabs after its last line break (or emptied, when it
        holds no line break: the removed element started the fragment)."""
        self.touched = True
        if not self.ends_line:
            self.pieces, self.blank = [], True
            return
        pieces = self.pieces
        while not pieces[-1].strip(" \t"):
            pieces.pop()  # each piece is popped once: linear over the run
        pieces[-1] = pieces[-1].rstrip(" \t")


class _Run:
    """One run of edited siblings under `parent`, walked in document order (into what it unwraps)
    and then applied: kept descendants moved out, the run's elements detached, slots written."""

    def __init__(self, parent: etree._Element, first: etree._Element, edits: dict, in_pre: bool) -> None:
        self.parent, self.edits, self.in_pre = parent, edits, in_pre
        self.nodes = [first]
        following = first.getnext()
        while following is not None and following in edits:
            self.nodes.append(following)
            following = following.getnext()
        self.owner = first.getprevious()  # the kept element whose tail is the slot (None: the parent's text)
        self.slot = _Slot((parent.text if self.owner is None else self.owner.tail) or "")
        self.written: list[tuple[etree._Element | None, _Slot]] = [(self.owner, self.slot)]
        self.moved: list[tuple[etree._Element, etree._Element]] = []  # (element of the run, kept descendant)

    def walk(self) -> None:
        # a frame: siblings, the next one's index, what follows the last one (the tails of the
        # unwrapped elements it closes; None for the run itself) and the run's element it is in
        frames: list[list] = [[self.nodes, 0, None, None]]
        while frames:
            frame = frames[-1]
            siblings, index, closing, outer = frame
            if index == len(siblings):
                frames.pop()
                continue
            frame[1] = index + 1
            node = siblings[index]
            closes = closing if index == len(siblings) - 1 else None  # an unwrapped element's tail joins its last child's
            kind = self.edits.get(node)
            if kind is None:
                self._keep(node, outer, closes)
                continue
            tail = (node.tail or "") + (closes or "")
            if kind is UNWRAP:
                children = self._open(node, tail)
                if children:
                    frames.append([children, 0, tail, node if outer is None else outer])
            else:
                at_start = self.owner is None and self.parent.tag == "body"
                _remove_into(self.slot, tail, at_start, self.in_pre)

    def _keep(self, node: etree._Element, outer: etree._Element, closes: str | None) -> None:
        """A kept descendant of an unwrapped element: it moves out, its tail is the next slot."""
        self.moved.append((outer, node))
        self.owner, self.slot = node, _Slot(node.tail or "")
        if closes is not None:
            self.slot.add(closes)
        self.written.append((node, self.slot))

    def _open(self, node: etree._Element, tail: str) -> list[etree._Element]:
        """An unwrapped element's text joins the slot; its children are walked next (with none,
        its tail joins the slot too)."""
        self.slot.add(node.text or "")
        children = list(node)
        if not children:
            self.slot.add(tail)
        return children

    def apply(self) -> None:
        for outer, node in self.moved:
            outer.addprevious(node)
        for node in self.nodes:
            self.parent.remove(node)
        for owner, slot in self.written:
            if not slot.touched:
                continue
            text = "".join(slot.pieces)
            if owner is None:
                self.parent.text = text
            else:
                owner.tail = text


def _remove_into(slot: _Slot, tail: str, may_start_fragment: bool, in_pre: bool) -> None:
    own_line = slot.ends_line or (may_start_fragment and slot.blank)
    if own_line and not in_pre and _LINE_START.match(tail):
        slot.trim_line_end()
        tail = _LINE_START.sub("", tail, count=1)
    if tail:
        slot.add(tail)


class _InPre:
    """Whether an element lies in a <pre> or <textarea> once the edits before it in document order
    are made: an unwrapped ancestor no longer holds it. Remembered per element, so that many
    runs under one deep ancestry cost one walk up."""

    def __init__(self, edits: dict) -> None:
        self._edits = edits
        self._known: dict[etree._Element, bool] = {}

    def __call__(self, element: etree._Element) -> bool:
        known, edits = self._known, self._edits
        chain = []
        node: etree._Element | None = element
        while node is not None and node not in known:
            chain.append(node)
            node = node.getparent()
        answer = known[node] if node is not None else False
        for node in reversed(chain):
            if not answer and not _unwrapped(node, edits):
                answer = isinstance(node.tag, str) and node.tag.lower() in ("pre", "textarea")
            known[node] = answer
        return answer
