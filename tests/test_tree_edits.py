"""Batched tree edits (html/edits.py) give exactly what the same edits made one at a time, in
document order, give; and what one edit does, shown on small trees.

The batch exists for speed (n removals or unwraps in a row cost n, not n²); the comparison is the
proof that the transformers and writers that gather their edits still write what they wrote.
"""

from __future__ import annotations

import random

import pytest
from lxml import etree

from artconv.core.body import parse_html_fragment
from artconv.html.edits import TreeEdits
from artconv.html.tree import remove, unwrap

TAGS = ["span", "div", "p", "b", "pre", "textarea", "body"]
TEXTS = ["", " ", "\n", " \t", "x", "a\n", "\n  ", " y ", "\t\n", "z \n ", None]


def _tree(seed: int) -> etree._Element:
    chooser = random.Random(seed)
    root = etree.Element(chooser.choice(["body", "div", "pre"]))
    root.text = chooser.choice(TEXTS)
    pending = [(root, 0)]
    while pending:
        parent, depth = pending.pop()
        for _ in range(chooser.randint(0, 4 if depth < 4 else 0)):
            if chooser.random() < 0.15:
                child = etree.Comment("c")
                parent.append(child)
            else:
                child = etree.SubElement(parent, chooser.choice(TAGS))
                child.text = chooser.choice(TEXTS)
                pending.append((child, depth + 1))
            child.tail = chooser.choice(TEXTS)
    return root


def _shape(root: etree._Element) -> list:
    """Tags, texts and tails in document order, None and "" told apart."""
    shape = []
    for event, node in etree.iterwalk(root, events=("start", "end", "comment")):
        if event == "start":
            shape.append((node.tag, node.text))
        else:
            shape.append(("end" if event == "end" else "comment", node.tail))
    return shape


@pytest.mark.parametrize("block", range(10))
def test_a_batch_equals_the_edits_one_at_a_time_in_document_order(block):
    for seed in range(block * 300, block * 300 + 300):
        one_by_one, batched = _tree(seed), _tree(seed)
        chooser = random.Random(seed + 1_000_003)
        nodes = list(one_by_one.iter())
        marks = [(i, chooser.choice(["remove", "unwrap"])) for i in range(len(nodes)) if chooser.random() < 0.5]
        for index, kind in marks:  # document order, each edit made before the next is chosen
            (remove if kind == "remove" else unwrap)(nodes[index])
        targets = list(batched.iter())
        chooser.shuffle(marks)  # the order edits are gathered in does not matter
        with TreeEdits() as edits:
            for index, kind in marks:
                (edits.remove if kind == "remove" else edits.unwrap)(targets[index])
        assert _shape(batched) == _shape(one_by_one), (seed, marks, etree.tostring(_tree(seed)))


def _body(html: str) -> etree._Element:
    return parse_html_fragment(html)


def _inner(body: etree._Element) -> str:
    return (body.text or "") + "".join(etree.tostring(child, encoding="unicode") for child in body)


def test_unwrapping_keeps_text_children_and_tails_in_order():
    body = _body("<p>a <span>b <i>c</i> d</span> e <font>f</font>g</p>")
    with TreeEdits() as edits:
        for element in list(body.iter("span", "font")):
            edits.unwrap(element)
    assert _inner(body) == "<p>a b <i>c</i> d e fg</p>"


def test_nested_unwraps_merge_into_one_run():
    body = _body("<p>x<span><span>a</span> b</span><span>c</span>y</p>")
    with TreeEdits() as edits:
        for element in list(body.iter("span")):
            edits.unwrap(element)
    assert _inner(body) == "<p>xa bcy</p>"


def test_an_element_alone_on_its_line_takes_the_line_with_it():
    body = _body("<div>one\n  <!-- a -->\n<!-- b -->\ntwo <!-- c --> three</div>")
    with TreeEdits() as edits:
        for comment in list(body.iter(etree.Comment)):
            edits.remove(comment)
    assert _inner(body) == "<div>one\ntwo  three</div>"


def test_lines_stay_inside_pre():
    body = _body("<pre>one\n<span>x</span>\ntwo</pre>")
    with TreeEdits() as edits:
        edits.remove(body.find(".//span"))
    assert _inner(body) == "<pre>one\n\ntwo</pre>"


def test_the_root_and_a_second_edit_of_one_element_change_nothing_more():
    body = _body("<p>a<b>b</b>c</p>")
    bold = body.find(".//b")
    with TreeEdits() as edits:
        edits.unwrap(body.getroottree().getroot())  # the root (<html>) stays
        edits.remove(bold)
        edits.unwrap(bold)  # already going: the first edit holds
    assert _inner(body) == "<p>ac</p>"


def test_an_unwrapped_pre_no_longer_keeps_lines_below_it():
    # one at a time in document order, the <pre> is gone before the comment inside it goes
    body = _body("<div><pre>one\n<!-- c -->\ntwo</pre></div>")
    with TreeEdits() as edits:
        edits.remove(next(body.iter(etree.Comment)))
        edits.unwrap(body.find(".//pre"))
    assert _inner(body) == "<div>one\ntwo</div>"


def test_edits_are_not_made_when_the_walk_fails():
    body = _body("<p>a<b>b</b></p>")
    with pytest.raises(RuntimeError):
        with TreeEdits() as edits:
            edits.remove(body.find(".//b"))
            raise RuntimeError("the walk stopped")
    assert _inner(body) == "<p>a<b>b</b></p>"


def test_nested_unwraps_are_walked_once(monkeypatch):
    # found on the tree before any is applied: the inner ones belong to the outermost's run
    # (found after it was applied, each inner one looked like a run of its own: 2,000 nested
    # <span>s cost 2,000 walks of what lay below them, seconds for a 14 KB file)
    import artconv.html.edits as module

    walked = []
    real_walk = module._Run.walk
    monkeypatch.setattr(module._Run, "walk", lambda run: walked.append(run) or real_walk(run))
    body = _body("<p>" + "<span>a " * 2000 + "x" + "</span>" * 2000 + "</p>")
    with TreeEdits() as edits:
        for span in list(body.iter("span")):
            edits.unwrap(span)
    assert len(walked) == 1
    assert _inner(body) == "<p>" + "a " * 2000 + "x</p>"
