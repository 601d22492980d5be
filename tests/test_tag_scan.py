"""tag_scan: the linear-time tag, element, script and code-span finders give what the regexes they replaced gave."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from artconv.html import tag_scan

# The regexes as they stood in inline_html.py and transformers/tracking.py: the reference.
_ATTRIBUTES = r"((?:\s+[^\s\"'>/=]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'=<>`]+))?)*)"
TAG = re.compile(rf"<!--.*?-->|<(/?)([A-Za-z][A-Za-z0-9:-]*){_ATTRIBUTES}\s*(/?)>", re.DOTALL)
SIMPLE = re.compile(rf"<(a|strong|b|em|i){_ATTRIBUTES}\s*>([^<>]*)</\1\s*>|<(img){_ATTRIBUTES}\s*/?>", re.IGNORECASE)
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script\s*>", re.IGNORECASE | re.DOTALL)
CODE_SPAN = re.compile(r"(?<![`\\])(`+)(?!`).*?(?<!`)\1(?!`)", re.DOTALL)

# the pieces the grammar turns on, plus the characters IGNORECASE and \s treat specially
PIECES = [
    "<", ">", "/", "=", '"', "'", " ", "\n", "\t", "\u3000", "\xa0", "a", "b", "i", "img", "em", "strong", "B", "IMG",
    "ſ", "İ", "ı", "script", "<script>", "</script >", "</SCRIPT>", "</b>", "</i>", "</a>", "<!--", "-->", "`", "``",
    "\\", "x", "-", ":", "<b ", "<a href=", "<img src=x/>", "\0", "é",
]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def _spans(matches, groups: int) -> list[tuple]:
    return [tuple(m.span(i) for i in range(groups + 1)) for m in matches]


@settings(max_examples=1500, deadline=None)
@given(texts, st.data())
def test_finders_agree_with_the_regexes(text, data):
    pos = data.draw(st.integers(0, len(text)))
    endpos = data.draw(st.none() | st.integers(pos, len(text)))
    args = (text, pos) if endpos is None else (text, pos, endpos)
    for reference, linear, groups in (
        (TAG, tag_scan.TagPattern(), 4),
        (SIMPLE, tag_scan.SimpleElementPattern(), 5),
        (SCRIPT, tag_scan.ScriptPattern(), 1),
    ):
        assert _spans(linear.finditer(*args), groups) == _spans(reference.finditer(*args), groups), reference.pattern
        marked = reference.sub(lambda m: "[" + m.group() + "]", text)
        assert linear.sub(lambda m: "[" + m.group() + "]", text) == marked
    assert [m.span() for m in tag_scan.code_spans(*args)] == [m.span() for m in CODE_SPAN.finditer(*args)]


def test_match_objects_answer_like_re_matches():
    found = tag_scan.TagPattern().search("x <a href='u' />")
    assert (found.group(), found.group(2), found.group(4), found.groups()) == ("<a href='u' />", "a", "/", ("", "a", " href='u'", "/"))
    assert found.start() == 2 and found.end() == 16 and found.string == "x <a href='u' />"
    image = tag_scan.SimpleElementPattern().search("<IMG src=x>")
    assert image.group(1) is None and image.group(4) == "IMG" and image.group(5) == " src=x"
