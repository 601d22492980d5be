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

from artconv.html.tree import unwrap

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
    for element in [el for el in root.iter() if _kind(el) and not _in_pre(el)]:
        if element.getparent() is not None and _blank(element):
            unwrap(element)
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
    kind = _kind(element)
    while not element.tail and element.get("id") is None:
        following = element.getnext()
        if following is None or _kind(following) != kind or following.get("id") is not None:
            return
        _append_content(element, following)
        element.tail = following.tail
        following.tail = None
        element.getparent().remove(following)


def _append_content(target: etree._Element, source: etree._Element) -> None:
    """Move `source`'s text and children to the end of `target`."""
    text = source.text or ""
    if text:
        if len(target):
            last = target[-1]
            last.tail = (last.tail or "") + text
        else:
            target.text = (target.text or "") + text
    for child in list(source):
        target.append(child)  # append moves the child with its tail
