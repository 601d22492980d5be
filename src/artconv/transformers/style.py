"""style: strip presentation — inline styles, `<style>` blocks, `<font>`/`<span>`, class soup.

Bold and italic expressed only through presentation (`<font cms-style="font-L strong-Bold">`,
`<span style="font-weight: bold">`, `font-style: italic`) are kept as `<strong>`/`<em>`, because
they are part of what the author wrote. Classes that carry meaning for code (`language-*`,
SyntaxHighlighter's `brush: r`) become a `language-*` class; all other classes, `style`,
`cms-style`, `align`, `face`, `color`, `bgcolor`, `data-*` and editor attributes go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from lxml import etree

from artconv.core.document import Document
from artconv.core.pipeline import BaseTransformer, OptionsError
from artconv.core.user_patterns import PatternError, compile_user_pattern
from artconv.html.inline import Tag, rewrite_tags
from artconv.html.edits import TreeEdits
from artconv.html.tree import wrap_content

UNWRAPPED_TAGS = frozenset({"font", "span", "center", "o:p", "basefont"})
PRESENTATION_ATTRIBUTES = frozenset(
    {
        "style", "cms-style", "class", "align", "valign", "face", "color", "bgcolor", "size",
        "border", "cellpadding", "cellspacing", "contenteditable", "data-mce-style", "lang",
        "dir", "nowrap", "background", "hspace", "vspace", "clear",
    }
)
_BOLD = re.compile(r"font-weight\s*:\s*(?:bold|bolder|[6-9]00)\b|\bstrong-bold\b", re.IGNORECASE)
_ITALIC = re.compile(r"font-style\s*:\s*(?:italic|oblique)|\bitalic\b", re.IGNORECASE)
_CODE_LANGUAGE = re.compile(r"(?:^|\s)(?:language|lang)-([\w+#-]+)|brush\s*:\s*([\w+#-]+)", re.IGNORECASE)
_BOLD_ANCESTORS = {"strong", "b", "h1", "h2", "h3", "h4", "h5", "h6", "th"}
_ITALIC_ANCESTORS = {"em", "i"}


class Style(BaseTransformer):
    id = "style"
    summary = "strip style attributes, <style> blocks, <font>/<span> and class soup; keep bold/italic"

    jobs = ("blocks", "attributes", "classes", "unwrap_tags")

    @dataclass(frozen=True)
    class Options:
        blocks: bool = True  # <style> blocks
        attributes: bool = True  # style, cms-style, align, face, data-*… attributes
        classes: bool = True  # class soup (MsoNormal, wp-image-12); a code language is kept
        unwrap_tags: bool = True  # <font>, <span>, <center> (bold/italic kept as <strong>/<em>)
        keep_classes: tuple[str, ...] = ()  # regular expressions of classes to keep

    def __init__(self, options: Any = None):
        super().__init__(options)
        # patterns from configuration: RE2, compiled when the configuration loads (user_patterns.py)
        try:
            self._keep = [compile_user_pattern(p, "keep-classes of transformer 'style'") for p in self.options.keep_classes]
        except PatternError as exc:
            raise OptionsError(str(exc)) from None

    def __call__(self, doc: Document) -> Document:
        options = self.options
        keep = self._keep
        for part in doc.html_parts():
            root = part.tree()
            with TreeEdits() as edits:  # applied together: n unwraps in a row cost n, not n²
                for element in [el for el in root.iter() if isinstance(el.tag, str) and el is not root]:
                    self._clean_element(element, doc, keep, edits)
        if options.attributes or options.unwrap_tags:
            for part in doc.markdown_parts():
                part.text = rewrite_tags(part.text, _MarkdownTagCleaner(keep, options), doc.blocks)
        return doc

    def _clean_element(
        self, element: etree._Element, doc: Document, keep: list[re.Pattern[str]], edits: TreeEdits
    ) -> None:
        options = self.options
        tag = element.tag.lower()
        if tag == "style":
            if options.blocks:
                # declared, for bodies where a renderer showed the CSS as text
                doc.remove(self.id, "<style> block", "".join(element.itertext()))
                edits.remove(element)
            return
        unwrapping = options.unwrap_tags and (tag in UNWRAPPED_TAGS or tag.startswith("o:"))
        if unwrapping or options.attributes:
            self._keep_emphasis(element)
        if options.attributes or options.classes:
            self._strip_attributes(element, keep, options)
        if unwrapping:
            edits.unwrap(element)

    @staticmethod
    def _keep_emphasis(element: etree._Element) -> None:
        presentation = " ".join(filter(None, (element.get("style"), element.get("cms-style"))))
        if not presentation or not (element.text or len(element)):
            return
        ancestors = {a.tag.lower() for a in element.iterancestors() if isinstance(a.tag, str)}
        ancestors.add(element.tag.lower())
        if _ITALIC.search(presentation) and not ancestors & _ITALIC_ANCESTORS:
            wrap_content(element, "em")
        if _BOLD.search(presentation) and not ancestors & _BOLD_ANCESTORS:
            wrap_content(element, "strong")

    @staticmethod
    def _strip_attributes(element: etree._Element, keep: list[re.Pattern[str]], options: Style.Options) -> None:
        if options.attributes:
            for name in list(element.attrib):
                lowered = name.lower()
                if lowered != "class" and (lowered in PRESENTATION_ATTRIBUTES or lowered.startswith("data-")):
                    del element.attrib[name]
        classes = element.get("class")
        if not options.classes or classes is None:
            return
        language = _CODE_LANGUAGE.search(classes) if element.tag.lower() in ("pre", "code") else None
        kept = [c for c in classes.split() if any(p.fullmatch(c) for p in keep)]
        if language:
            kept.insert(0, "language-" + (language.group(1) or language.group(2)).lower())
        if kept:
            element.set("class", " ".join(kept))
        else:
            del element.attrib["class"]


class _MarkdownTagCleaner:
    """The same cleaning for tags standing in Markdown text: `<span>`/`<font>` tags go (bold
    ones become `<strong>`), presentation attributes go from the rest."""

    def __init__(self, keep: list[re.Pattern[str]], options: Style.Options):
        self.keep = keep
        self.options = options
        self.owed: list[str] = []  # what each open <span>/<font> becomes when it closes

    def __call__(self, tag: Tag) -> str | None:
        if tag.comment is not None:
            return None
        name = tag.name.lower()
        if name in UNWRAPPED_TAGS or name.startswith("o:"):
            return self._presentational(tag)
        return self._clean_attributes(tag)

    def _clean_attributes(self, tag: Tag) -> str | None:
        if tag.closing or not tag.attributes or not (self.options.attributes or self.options.classes):
            return None
        kept_classes = [c for c in (tag.attributes.get("class") or "").split() if any(p.fullmatch(c) for p in self.keep)]
        before = dict(tag.attributes)
        for key in list(tag.attributes):
            if self._drops(key.lower()):
                del tag.attributes[key]
        if kept_classes and self.options.classes:
            tag.attributes["class"] = " ".join(kept_classes)
        return None if tag.attributes == before else tag.render()

    def _drops(self, attribute: str) -> bool:
        if attribute == "class":
            return self.options.classes
        return self.options.attributes and (attribute in PRESENTATION_ATTRIBUTES or attribute.startswith("data-"))

    def _presentational(self, tag: Tag) -> str | None:
        """<span>/<font>: unwrapped, or stripped of style; bold through style becomes <strong>."""
        unwrapping = self.options.unwrap_tags
        if tag.self_closing:
            return "" if unwrapping else None
        if tag.closing:
            if self.owed:
                return self.owed.pop()
            return "" if unwrapping else None
        attributes = tag.attributes or {}
        presentation = " ".join(filter(None, (attributes.get(k) for k in ("style", "cms-style"))))
        bold = bool(_BOLD.search(presentation)) and (unwrapping or self.options.attributes)
        if unwrapping:
            opening, closing = "", ""
        else:
            cleaned = self._clean_attributes(tag)
            opening, closing = (cleaned if cleaned is not None else tag.source), f"</{tag.name}>"
        if bold:
            opening, closing = opening + "<strong>", "</strong>" + closing
        self.owed.append(closing)
        return opening
