"""Inline runs as a browser shows them, made explicit in the tree before it is written.

A browser shows `<code>a</code><code>b</code>` as one run `ab` and `<em> </em>` as a space.
Written element by element, Markdown says something else: `` `a``b` `` is one code span holding
a stray pair of backticks, `*a**b*` shows a literal `**`, and an empty emphasis loses the space
(`visited<em> </em>October` became `visitedOctober`). So, before either Markdown writer runs:

- `<tt>` (the old teletype element) becomes `<code>`, which is what it shows;
- inline formatting holding only whitespace is unwrapped: its whitespace stays as text;
- adjacent elements of the same kind (nothing, not even a space, between them) are merged into
  the first: code with code (`<code>`, `<kbd>`, `<samp>`), emphasis with emphasis (`<em>`,
  `<i>`), strong with strong (`<strong>`, `<b>`), strike-through with strike-through.

Elements with an `id` are left as they are (an anchor target must stay where it is).
"""

from __future__ import annotations

from lxml import etree

from artconv.html.edits import TreeEdits

# what Markdown each element becomes: elements of one kind written side by side collide
_KIND = {
    "code": "code", "tt": "code", "kbd": "code", "samp": "code",
    "em": "em", "i": "em",
    "strong": "strong", "b": "strong",
    "del": "del", "s": "del", "strike": "del",
}


def normalise_inline_runs(root: etree._Element) -> None:
    """Rewrite `root`'s inline runs in place (see the module docstring)."""
    for element in root.iter("tt", "TT"):
        element.tag = "code"
    with TreeEdits() as edits:  # applied together: n unwraps in a row cost n, not n²
        for element in [el for el in root.iter() if _kind(el) and not _in_pre(el)]:
            if element.getparent() is not None and _blank(element):
                edits.unwrap(element)
    for element in [el for el in root.iter() if _kind(el)]:
        if element.getparent() is not None:
            _absorb_followers(element)


def _kind(element) -> str | None:
    tag = element.tag
    return _KIND.get(tag.lower()) if isinstance(tag, str) else None


def _in_pre(element: etree._Element) -> bool:
    return any(isinstance(a.tag, str) and a.tag.lower() == "pre" for a in element.iterancestors())


def _blank(element: etree._Element) -> bool:
    """Holds nothing but whitespace (NBSP included), and no element at all."""
    return len(element) == 0 and not (element.text or "").strip() and element.get("id") is None


def _absorb_followers(element: etree._Element) -> None:
    """Merge the siblings of the same kind that follow `element` with nothing between into it.
    The run's text is joined once: merging follower by follower rewrote the growing text of
    `element` each time (n² for `<b>a</b><b>b</b>…` × n)."""
    if element.get("id") is not None:
        return
    kind, followers = _kind(element), []
    last = element
    while not last.tail:
        following = last.getnext()
        if following is None or _kind(following) != kind or following.get("id") is not None:
            break
        followers.append(following)
        last = following
    if not followers:
        return
    # the text at the end of `element`: its last child's tail, or its text when it has no child
    owner = element[-1] if len(element) else None
    pieces: list[str] = []
    for following in followers:
        if following.text:
            pieces.append(following.text)
        children = list(following)
        if not children:
            continue
        _add_text(element, owner, pieces)
        for child in children:
            element.append(child)  # append moves the child with its tail
        owner, pieces = children[-1], []
    _add_text(element, owner, pieces)
    element.tail = last.tail
    parent = element.getparent()
    for following in followers:
        following.tail = None
        parent.remove(following)


def _add_text(element: etree._Element, owner: etree._Element | None, pieces: list[str]) -> None:
    """Append the pieces to `owner`'s tail (None: to `element`'s text); nothing when there are none."""
    if not pieces:
        return
    if owner is None:
        element.text = (element.text or "") + "".join(pieces)
    else:
        owner.tail = (owner.tail or "") + "".join(pieces)
