"""code-blocks: highlighter markup becomes clean `<pre><code class="language-x">`.

Code pasted from a rendered page arrives as the highlighter left it: a table with a gutter of line
numbers beside a cell of one element per token (SyntaxHighlighter, Crayon, Pygments'
`highlighttable`, rouge, Chroma), an `<ol>` of lines (SyntaxHighlighter 1.5's `dp-highlighter`,
GeSHi, prettify's `linenums`), token spans in a `<pre>` (highlight.js, Prism, Pygments'
`div.highlight`, CSDN `prettyprint` with its `ul.pre-numbering` gutter), WeChat's
`code-snippet__fix` with a `ul.code-snippet__line-index` gutter and one `<code>` per line, or
cnblogs' `cnblogs_code` with line numbers as coloured spans at the start of each line. WordPress
posts may still hold the `[code lang=x]…[/code]` or `[sourcecode language="x"]…[/sourcecode]`
shortcode around code. Written as it stands, such markup becomes a one-row table of broken inline
code, numbers included.

Each block becomes one `<pre><code>` holding exactly the code text a reader saw (html/code_text.py:
lines from line elements and `<br>`, entities decoded once by the parser and never again, NBSP
indentation as spaces), with the language the markup names as a `language-*` class, which the
Markdown writer turns into a fenced block's info string. Line numbers, copy buttons and toolbars
go, declared to the fidelity guard. It runs before `style`, which strips the classes it reads.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from lxml import etree

from artconv.core.document import Document
from artconv.core.guard import words
from artconv.core.pipeline import BaseTransformer
from artconv.html.code_text import classes, declared, flat_text, lines_text, plain, tag
from artconv.html.tree import remove, visible_text

# line numbers beside the code
_GUTTERS = frozenset({
    "gutter", "linenos", "lineno", "linenodiv", "ln", "lnt", "crayon-nums", "code-snippet__line-index",
    "pre-numbering", "line-numbers-rows", "hljs-ln-numbers", "line_numbers", "rouge-gutter",
})
# buttons, toolbars and titles of the highlighter, and Crayon's hidden plain copy of the code
_CHROME = frozenset({
    "toolbar", "bar", "tools", "crayon-toolbar", "crayon-info", "crayon-plain-wrap", "cnblogs_code_toolbar",
    "cnblogs_code_copy", "cnblogs_code_collapse", "hljs-button", "code-snippet__copy", "copy-code-button",
})
# elements that each hold one line of code
_LINES = frozenset({"line", "crayon-line", "hljs-ln-code", "code-snippet_outer"})
_GESHI_LINES = frozenset({"li1", "li2"})
# class tokens that name no language
_NOT_LANGUAGES = frozenset({
    "syntaxhighlighter", "nogutter", "collapsed", "ie", "printing", "noborder", "geshi", "hljs", "plain",
    "text", "plaintext", "txt", "none", "nohighlight", "notranslate", "source", "highlight", "chroma", "custom",
    "prettyprint", "prettyprinted", "linenums", "highlighter", "syntax", "has-numbering", "line-numbers", "fix", "line-index", "js-code",
})
_ALIASES = {"j": "java", "jscript": "javascript", "js": "javascript", "py": "python", "rb": "ruby", "sh": "shell", "bash": "bash"}
_LANGUAGE_TOKEN = re.compile(r"^(?:language|lang|highlight|code-snippet_|dp)-([a-z0-9_+#.-]+)$")
_BRUSH = re.compile(r"brush\s*:\s*([\w+#.-]+)", re.IGNORECASE)
_WORD = re.compile(r"^[a-z][a-z0-9_+#.-]*$")
_TOKEN_CLASSES = re.compile(r"^(?:hljs-|token$|kw\d|br\d|sy\d|st\d|co\d|nu\d|me\d|crayon-|pln$|kwd$|str$|com$|typ$|pun$)")
_SHORTCODE = re.compile(
    r"\A\s*\[(code|sourcecode)((?:\s+[^\]]*)?)\](.*)\[/\1\]\s*\Z", re.DOTALL | re.IGNORECASE
)
_SHORTCODE_LANGUAGE = re.compile(r"""(?:lang|language)\s*=\s*["']?([\w+#.-]+)""", re.IGNORECASE)
_CNBLOGS_NUMBER = re.compile(r"^\s*\d+\s*$")


def _skip(element) -> bool:
    """Gutters and chrome inside a block: not code."""
    return not classes(element).isdisjoint(_GUTTERS | _CHROME)


class CodeBlocks(BaseTransformer):
    id = "code-blocks"
    summary = "turn highlighter markup (SyntaxHighlighter, Pygments, Crayon, highlight.js, …) into <pre><code class=language-x>"

    @dataclass(frozen=True)
    class Options:
        shortcodes: bool = True  # WordPress [code]/[sourcecode] shortcodes in HTML

    def __call__(self, doc: Document) -> Document:
        for part in doc.html_parts():
            root = part.tree()
            inside = _Inside()
            for element in [el for el in root.iter() if isinstance(el.tag, str) and el is not root]:
                if not _attached(element, root):
                    continue  # inside a block already replaced
                if _stray_gutter(element):
                    doc.remove(self.id, "line numbers", " ".join(element.itertext()), element)
                    remove(element)
                    continue
                found = _block(element, self.options.shortcodes, inside)
                if found is not None:
                    self._replace(element, found, doc)
        return doc

    def _replace(self, element: etree._Element, found: tuple[str, str, list], doc: Document) -> None:
        text, language, chrome = found
        # what goes is the gutter and chrome, and the words they were glued to in the flat text
        # the guard reads (Chroma's `<span class="ln">1</span>package` reads as "1package")
        gone = Counter(words(visible_text(element))) - Counter(words(text))
        removed = " ".join([declared(chrome), *gone.elements()]).strip()
        # the element goes whole: its table cells, gutter list items and toolbar images are
        # declared to the structural guard, and its code text as it read before (the unit the
        # guard compares), since the new block holds that text re-lined, without the gutter
        before = "".join(visible_text(element).split())
        doc.remove(self.id, "line numbers and highlighter chrome", f"{removed} {before}".strip(), element)
        pre = etree.Element("pre")
        code = etree.SubElement(pre, "code")
        if language:
            code.set("class", "language-" + language)
        code.text = text.strip("\n")
        pre.tail = element.tail
        element.addprevious(pre)
        element.getparent().remove(element)


def _stray_gutter(element: etree._Element) -> bool:
    """A gutter the parser moved out of its `<pre>`: libxml2 ends a `<pre>` at CSDN's
    `<ul class="pre-numbering">`, which then follows the code it numbered."""
    if classes(element).isdisjoint(_GUTTERS) or not "".join(element.itertext()).split():
        return False
    previous = element.getprevious()
    return previous is not None and tag(previous) == "pre" and not (previous.tail or "").strip()


def _attached(element: etree._Element, root: etree._Element) -> bool:
    for ancestor in element.iterancestors():
        if ancestor is root:
            return True
    return False


def _block(element: etree._Element, shortcodes: bool, inside: _Inside) -> tuple[str, str, list] | None:
    """(code text, language, gutter and chrome elements) when `element` is highlighter markup."""
    tokens = classes(element)
    name = tag(element)
    if "syntaxhighlighter" in tokens or "dp-highlighter" in tokens:
        return _read(element, _family_language(element, tokens))
    if "crayon-syntax" in tokens:
        return _read(element, _crayon_language(element))
    if tokens & {"cnblogs_code", "cnblogs_highlighter"} and _only_code(element):
        _drop_cnblogs_numbers(element)
        return _read(element, "")
    if (_is_pygments_like(element, tokens, name) or _is_wechat(tokens, element)) and _only_code(element):
        return _read(element, _language(element, set(), False))
    if _is_geshi(element, name):
        return _read(element, _family_language(element, tokens))
    found = _highlighted_pre(element, inside) if name == "pre" else None
    if found is None and shortcodes and name in ("p", "div", "pre"):
        found = _shortcode(element)
    return found


def _only_code(container: etree._Element) -> bool:
    """Classes like `highlight` also name callout boxes: a block is code only when nothing but
    its code, gutters and chrome holds text (prose beside the code would otherwise be lost)."""
    code = _code_root(container)
    if code is container:
        return False
    return not flat_text(container, lambda el: el is code or _skip(el)).strip()


def _crayon_language(element: etree._Element) -> str:
    named = next((el for el in element.iterdescendants() if "crayon-language" in classes(el)), None)
    return _normal("".join(named.itertext()).strip().lower()) if named is not None else ""


def _is_pygments_like(element, tokens: set[str], name: str) -> bool:
    """Pygments (`highlighttable`, `div.highlight`), rouge, Chroma and WP-Syntax blocks."""
    if name == "table":
        return bool(tokens & {"highlighttable", "rouge-table", "lntable"})
    # the classes first: looking for a <pre> below every <div> of nested ones was quadratic
    named = bool(tokens & {"highlight", "wp_syntax", "highlighter-rouge"}) or any(t.startswith("highlight-") for t in tokens)
    return name == "div" and named and element.find(".//pre") is not None


def _is_wechat(tokens: set[str], element) -> bool:
    return "code-snippet__fix" in tokens and element.find(".//pre") is not None


def _is_geshi(element, name: str) -> bool:
    if name not in ("div", "pre"):
        return False
    if "geshi" in classes(element):
        return True
    first = next((li for li in element.iterfind("ol/li")), None)
    return first is not None and not classes(first).isdisjoint(_GESHI_LINES)


def _highlighted_pre(pre: etree._Element, inside: _Inside) -> tuple[str, str, list] | None:
    """A `<pre>` of highlight.js, Prism, prettify or GeSHi: token spans, maybe a gutter inside."""
    marked = classes(pre) | set().union(*(classes(code) for code in pre.iterfind("code")))
    below = inside.below(pre)
    markup, gutter = bool(below & _TOKENS_BELOW), bool(below & _GUTTER_BELOW)
    named = any(_LANGUAGE_TOKEN.match(t) for t in marked) or marked & {"hljs", "prettyprint", "chroma", "line-numbers"}
    if not (markup or gutter or named):
        return None  # a plain <pre>: nothing to clean
    bare = marked & {"hljs"} or below & _GESHI_BELOW
    return _read(pre, _language(pre, marked, bool(bare)))


_TOKENS_BELOW, _GUTTER_BELOW, _GESHI_BELOW = 1, 2, 4
_GESHI_TOKEN = re.compile(r"^(?:kw|br|sy|st|co|nu|me)\d$")


class _Inside:
    """What lies below each element of an outermost `<pre>`: highlighter token classes, a gutter,
    chrome or line class, GeSHi's token classes (bit flags). Found for a whole `<pre>` in one pass,
    bottom-up, when it is first asked about: asking each `<pre>` about all of its descendants was
    quadratic where `<pre>`s nest (1,000 unclosed `<pre>` over 5,000 spans took 10 s). The walk
    visits every `<pre>` before those inside it, and replaces or removes only what it has visited,
    so what was found below a `<pre>` is still what is below it when the walk gets there."""

    def __init__(self) -> None:
        self._below: dict[etree._Element, int] = {}

    def below(self, element: etree._Element) -> int:
        found = self._below.get(element)
        if found is None:
            for _, node in etree.iterwalk(element, events=("end",)):
                flags = 0
                for child in node:
                    flags |= self._below.get(child, 0) | _own_flags(child)
                self._below[node] = flags
            found = self._below[element]
        return found


def _own_flags(element: etree._Element) -> int:
    tokens = classes(element)
    if not tokens:
        return 0
    flags = _TOKENS_BELOW if any(_TOKEN_CLASSES.match(t) for t in tokens) else 0
    if not tokens.isdisjoint(_GUTTERS | _CHROME) or not tokens.isdisjoint(_LINES):
        flags |= _GUTTER_BELOW
    if any(_GESHI_TOKEN.match(t) for t in tokens):
        flags |= _GESHI_BELOW
    return flags


def _read(container: etree._Element, language: str) -> tuple[str, str, list]:
    chrome = [el for el in container.iterdescendants() if _skip(el) and not any(_skip(a) for a in _between(el, container))]
    plain_copy = next((el for el in container.iterdescendants("textarea") if "crayon-plain" in classes(el)), None)
    if plain_copy is not None and (plain_copy.text or "").strip():
        text = plain(plain_copy.text)
    else:
        lines = _line_elements(container)
        text = lines_text(lines, _skip) if lines else plain(flat_text(_code_root(container), _skip))
    return text, language or _language(container, set(), False), chrome


def _between(element, container):
    """The ancestors of `element` below `container`."""
    for ancestor in element.iterancestors():
        if ancestor is container:
            return
        yield ancestor


def _line_elements(container: etree._Element) -> list[etree._Element]:
    lines = []
    for element in container.iterdescendants():
        if not _is_line(element) or any(_skip(a) or _is_line(a) for a in _between(element, container)):
            continue
        lines.append(element)
    return lines


def _is_line(element) -> bool:
    tokens = classes(element)
    if not tokens.isdisjoint(_LINES) or not tokens.isdisjoint(_GESHI_LINES):
        return True
    if tag(element) != "li":
        return False
    parent_tokens = classes(element.getparent())
    return "linenums" in parent_tokens or any(t.startswith("dp-") for t in parent_tokens)


def _code_root(container: etree._Element) -> etree._Element:
    """The `<pre>` holding the code (not one in a gutter), or the container itself."""
    if tag(container) == "pre":
        return container
    for pre in container.iterdescendants("pre"):
        if not any(_skip(a) for a in _between(pre, container)) and not _skip(pre):
            return pre
    return container


def _family_language(element: etree._Element, tokens: set[str]) -> str:
    """SyntaxHighlighter and GeSHi name the language with a bare class (`syntaxhighlighter sql`,
    `<div class="php">`); SyntaxHighlighter's tokens do too (`<code class="java plain">`)."""
    language = _language(element, tokens, True)
    if language:
        return language
    first = next((c for c in element.iterdescendants("code") if len(classes(c)) >= 2), None)
    if first is not None and "syntaxhighlighter" in tokens:
        return _normal((first.get("class") or "").split()[0].lower())
    return ""


def _language(element: etree._Element, tokens: set[str], bare: bool) -> str:
    """The language named by the block, its code elements or its wrapper."""
    candidates = [element, *element.iterdescendants("pre", "code", "ol"), element.getparent()]
    for candidate in candidates:
        if candidate is None or not isinstance(candidate.tag, str):
            continue
        for attribute in ("data-lang", "data-language", "lang"):
            value = candidate.get(attribute)
            if value and _normal(value.lower()):
                return _normal(value.lower())
        found = _from_classes(candidate.get("class") or "", bare and candidate is element)
        if found:
            return found
    return ""


def _from_classes(value: str, bare: bool) -> str:
    brush = _BRUSH.search(value)
    if brush:
        return _normal(brush.group(1).lower())
    for token in value.lower().split():
        match = _LANGUAGE_TOKEN.match(token)
        if match and _normal(match.group(1)):
            return _normal(match.group(1))
    if bare:
        for token in value.lower().split():
            if _WORD.match(token) and not _TOKEN_CLASSES.match(token) and "-" not in token and _normal(token):
                return _normal(token)
    return ""


def _normal(language: str) -> str:
    language = _ALIASES.get(language, language)
    if language in _NOT_LANGUAGES or not _WORD.match(language):
        return ""
    return language


def _drop_cnblogs_numbers(block: etree._Element) -> None:
    """cnblogs writes line numbers as coloured spans at the start of each line: `<span> 2</span>`.
    They are marked as a gutter when they count up, one per line."""
    for pre in block.iterdescendants("pre"):
        spans = [s for s in pre if tag(s) == "span" and _CNBLOGS_NUMBER.match(s.text or "") and len(s) == 0 and _starts_line(s)]
        numbers = [int(s.text) for s in spans]
        if len(spans) >= 2 and all(b == a + 1 for a, b in zip(numbers, numbers[1:])):
            for span in spans:
                span.set("class", "lineno")
                if span.tail and span.tail.startswith(" "):
                    span.tail = span.tail[1:]


def _starts_line(span: etree._Element) -> bool:
    previous = span.getprevious()
    before = previous.tail if previous is not None else span.getparent().text
    return previous is None and not (before or "").strip() or (before or "").endswith("\n")


def _shortcode(element: etree._Element) -> tuple[str, str, list] | None:
    """`[code lang=x]…[/code]` or `[sourcecode language="x"]…[/sourcecode]` filling an element."""
    if any(tag(child) not in ("br", "span", "code", "a", "font") for child in element):
        return None
    if not _SHORTCODE.match("".join(element.itertext())):
        return None
    if tag(element) != "pre":
        # outside <pre> a browser folds whitespace, and <br> alone breaks lines
        for node in element.iter():
            node.text = _FOLDED.sub(" ", node.text) if node.text else node.text
            if node is not element and node.tail:
                node.tail = _FOLDED.sub(" ", node.tail)
    text = flat_text(element, lambda el: False)
    if tag(element) != "pre":
        text = _AROUND_BREAK.sub(lambda run: "\n" * run.group().count("\n"), text)
    match = _SHORTCODE.match(text)
    language = _SHORTCODE_LANGUAGE.search(match.group(2))
    return plain(match.group(3)), _normal(language.group(1).lower()) if language else "", []


_FOLDED = re.compile(r"[ \t\r\n]+")
# each run of spaces and line breaks that holds a break, from its first character (tried from
# each, a long run of spaces cost n²); it becomes its line breaks alone
_AROUND_BREAK = re.compile(r"(?<![ \n])[ \n]*\n[ \n]*")
