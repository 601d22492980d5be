"""JSON writer: one JSON document per article, on one line, so that many articles make JSON Lines.

Every field is read from the clean Markdown body the other formats start from: `body.html` is
that Markdown rendered and sanitised, and `body.text`, `links`, `images` and `counts` are read
from that HTML, so the formats never disagree. Front matter keeps its YAML types; dates become
ISO 8601 with an offset, and any text a date replaced is kept in `front_matter_original`.
The shape is the JSON Schema in output-schemas/json.json (`artconv schema output json`).
"""

from __future__ import annotations

import json
import math
import re
from base64 import b64encode
from datetime import UTC, date, datetime, time
from functools import lru_cache
from importlib import resources
from typing import Any

from lxml import etree

from artconv.core.document import Document
from artconv.core.errors import ConversionError
from artconv.core.guard import CJK, words
from artconv.frontmatter.dates import parse_generator_date
from artconv.frontmatter.schemas import describe_path
from artconv.frontmatter.yaml_nodes import compose, find
from artconv.html.constants import BREAKING
from artconv.html.tree import visible_text
from artconv.writers.base import BaseWriter
from artconv.writers.html import clean_html_tree, serialize_html
from artconv.writers.xhtml import article_language, article_title

# A few YAML aliases can stand for billions of values (a "billion laughs" front matter); JSON
# has no aliases, so the expansion is bounded rather than left to exhaust memory.
MAX_FRONT_MATTER_VALUES = 100_000
MAX_FRONT_MATTER_DEPTH = 100
CJK_CHARACTERS_PER_MINUTE = 300
WORDS_PER_MINUTE = 200


class JsonWriter(BaseWriter):
    format = "json"
    summary = "one JSON document per article (JSON Lines on stdout)"
    suffix = ".json"
    pipeline = "json"
    streams = True

    def write(self, doc: Document, body: str) -> str:
        return write_json(doc, body)


def write_json(doc: Document, body_markdown: str) -> str:
    """The article as one line of JSON followed by a newline."""
    html_root = clean_html_tree(body_markdown)
    metadata = {**doc.article.metadata, **doc.metadata_updates}
    front_matter, originals = front_matter_json(metadata, doc.article.yaml_text)
    text = plain_text(html_root)
    document = {
        "path": doc.article.path,
        "title": article_title(metadata, html_root, doc.article.path),
        "lang": article_language(metadata, visible_text(html_root)),
        "front_matter": front_matter,
        "front_matter_original": originals,
        "lifted": {key: front_matter[key] for key in doc.metadata_updates},
        "body": {
            "markdown": decode_hexo_braces(body_markdown),
            "html": serialize_html(html_root),
            "text": text,
        },
        "links": links(html_root),
        "images": images(html_root),
        "counts": counts(text),
    }
    line = json.dumps(document, ensure_ascii=False, separators=(",", ":"), allow_nan=False)
    # a lone surrogate (an undecodable file name) cannot be written as UTF-8, but JSON can escape it
    return _LONE_SURROGATE.sub(lambda m: f"\\u{ord(m.group()):04x}", line) + "\n"


_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


# --- front matter ----------------------------------------------------------------------------


def front_matter_json(metadata: dict, yaml_text: str = "") -> tuple[dict[str, Any], dict[str, str]]:
    """(front matter as JSON data, original text of every date value whose spelling changed)."""
    converter = _FrontMatter(yaml_text)
    return converter.value(metadata, (), 0), converter.originals


class _FrontMatter:
    def __init__(self, yaml_text: str) -> None:
        self.yaml_text = yaml_text
        self.originals: dict[str, str] = {}
        self.count = 0
        self.active: set[int] = set()  # containers being converted: a YAML alias may point back
        self._root: Any = False

    def value(self, value: Any, path: tuple, depth: int) -> Any:
        self.count += 1
        if self.count > MAX_FRONT_MATTER_VALUES:
            raise ConversionError(f"front matter expands to more than {MAX_FRONT_MATTER_VALUES:,} values through YAML aliases")
        if depth > MAX_FRONT_MATTER_DEPTH:
            raise ConversionError(f"front matter is nested more than {MAX_FRONT_MATTER_DEPTH} levels deep")
        if isinstance(value, dict | list | tuple | set | frozenset):
            return self._container(value, path, depth)
        return self._scalar(value, path)

    def _scalar(self, value: Any, path: tuple) -> Any:
        if isinstance(value, bool | int | None):
            return value
        if isinstance(value, float):
            return value if math.isfinite(value) else _YAML_FLOAT_NAMES[str(value)]
        if isinstance(value, date):  # datetime too
            return self._date(value, self._source_text(path, value), path)
        if isinstance(value, str):
            try:
                parsed = parse_generator_date(value)
            except ValueError:
                return value
            return self._date(parsed, value, path)
        if isinstance(value, bytes):  # !!binary
            return b64encode(value).decode("ascii")
        return str(value)

    def _container(self, value: Any, path: tuple, depth: int) -> Any:
        if id(value) in self.active:
            return None  # JSON cannot hold a value that contains itself
        self.active.add(id(value))
        try:
            if isinstance(value, dict):
                converted = {}
                for key, item in value.items():
                    name = self._key(key)
                    converted[name] = self.value(item, (*path, name), depth + 1)
                return converted
            items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
            return [self.value(item, (*path, index), depth + 1) for index, item in enumerate(items)]
        finally:
            self.active.discard(id(value))

    def _date(self, value: date, original: str, path: tuple) -> str:
        iso = iso_with_offset(value)
        if original != iso:
            self.originals[describe_path(path)] = original
        return iso

    def _key(self, key: Any) -> str:
        if isinstance(key, str):
            return key
        if isinstance(key, date):
            return key.isoformat()  # a key names something: it is spelled as written, not moved to UTC
        if isinstance(key, float) and not math.isfinite(key):
            return _YAML_FLOAT_NAMES[str(key)]
        if isinstance(key, bool | int | float | None):
            return json.dumps(key)  # as JSON spells them: true, null, 1.5
        if isinstance(key, bytes):
            return b64encode(key).decode("ascii")
        return str(key)

    def _source_text(self, path: tuple, value: date) -> str:
        """How a YAML timestamp was written; PyYAML keeps only the value."""
        if self._root is False:
            self._root = compose(self.yaml_text) if self.yaml_text.strip() else None
        _, node = find(self._root, list(path)) if path and self._root is not None else (None, None)
        if node is not None and node.tag == "tag:yaml.org,2002:timestamp":
            return node.value
        return value.isoformat()


_YAML_FLOAT_NAMES = {"nan": ".nan", "inf": ".inf", "-inf": "-.inf"}


def iso_with_offset(value: date) -> str:
    """ISO 8601 with an offset; a value written without one is taken as UTC (midnight for a date)."""
    if not isinstance(value, datetime):
        value = datetime.combine(value, time(), UTC)
    elif value.utcoffset() is None:
        value = value.replace(tzinfo=UTC)
    return value.isoformat()


# --- body ------------------------------------------------------------------------------------


def decode_hexo_braces(markdown: str) -> str:
    """Braces the hexo-escapes transformer wrote as `&#123;`/`&#125;`, as plain braces.

    The entities exist only for Nunjucks. In code they would be shown literally, so code blocks
    and code spans keep them, as does an entity escaped by a backslash.
    """
    if "&#12" not in markdown:
        return markdown
    lines = markdown.split("\n")
    in_code = _code_block_lines(markdown)
    out: list[str] = []
    prose: list[str] = []
    for number, line in enumerate(lines):
        if number in in_code or not line.strip():
            out.extend(_decode_outside_code_spans("\n".join(prose)).split("\n") if prose else [])
            prose = []
            out.append(line)
        else:
            prose.append(line)
    if prose:
        out.extend(_decode_outside_code_spans("\n".join(prose)).split("\n"))
    return "\n".join(out)


_BRACE_ENTITY = re.compile(r"(?<!\\)((?:\\\\)*)&#(123|125);")
_BACKTICKS = re.compile(r"(?<!\\)((?:\\\\)*)(`+)")


def _code_block_lines(markdown: str) -> set[int]:
    lines: set[int] = set()
    for token in _markdown_parser().parse(markdown):
        if token.type in ("fence", "code_block") and token.map:
            lines.update(range(*token.map))
    return lines


@lru_cache(maxsize=1)
def _markdown_parser():
    from markdown_it import MarkdownIt

    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])


def _decode_outside_code_spans(text: str) -> str:
    """CommonMark code spans: a run of backticks up to the next run of the same length."""
    pieces, position = [], 0
    runs = list(_BACKTICKS.finditer(text))
    # the next run of each run's length, found in one backward pass: searching forward from
    # every opener made a line of unmatched backticks quadratic
    following: list[int | None] = [None] * len(runs)
    latest: dict[int, int] = {}
    for index in range(len(runs) - 1, -1, -1):
        length = len(runs[index].group(2))
        following[index] = latest.get(length)
        latest[length] = index
    index = 0
    while index < len(runs):
        opening = runs[index]
        if following[index] is None:
            index += 1
            continue
        closing = runs[following[index]]
        pieces.append(_decode(text[position : opening.start(2)]))
        pieces.append(text[opening.start(2) : closing.end()])
        position = closing.end()
        index = following[index] + 1
    pieces.append(_decode(text[position:]))
    return "".join(pieces)


def _decode(text: str) -> str:
    return _BRACE_ENTITY.sub(lambda m: m.group(1) + ("{" if m.group(2) == "123" else "}"), text)


# --- text, links, images, counts -------------------------------------------------------------

# markers between the text pieces of plain_text; never text themselves
_PARAGRAPH, _LINE, _CELL = object(), object(), object()


class _Verbatim(str):
    """Preformatted text, whose spaces and line breaks are part of it."""


def plain_text(root: etree._Element) -> str:
    """What a reader sees: blocks separated by blank lines, `<br>` and table rows by line breaks,
    table cells by tabs, runs of whitespace as one space (except in preformatted text)."""
    pieces: list = [root.text or ""]
    walker = etree.iterwalk(root, events=("start", "end", "comment", "pi"))
    for event, node in walker:
        if event in ("comment", "pi"):
            pieces.append(node.tail or "")
            continue
        if node is root:
            continue
        tag = node.tag.lower()
        if event == "start":
            if tag == "pre":
                pieces += [_PARAGRAPH, _Verbatim("".join(node.itertext())), _PARAGRAPH]
                walker.skip_subtree()
                continue
            pieces.append(_BREAK_BEFORE.get(tag, _PARAGRAPH if tag in BREAKING else ""))
            pieces.append(node.text or "")
        else:
            pieces.append(_BREAK_AFTER.get(tag, _PARAGRAPH if tag in BREAKING else ""))
            pieces.append(node.tail or "")
    return _assemble(pieces)


# a table stays one block: a line per row, a tab between cells
_BREAK_BEFORE = {"br": _LINE, "tr": _LINE, "td": _CELL, "th": _CELL, "thead": _LINE, "tbody": _LINE, "tfoot": _LINE}
_BREAK_AFTER = {"br": "", "tr": _LINE, "td": "", "th": "", "thead": _LINE, "tbody": _LINE, "tfoot": _LINE}


def _assemble(pieces: list) -> str:
    paragraphs: list[str] = []
    lines: list[str] = []
    cells: list[list[str]] = [[]]

    def end_line() -> None:
        texts = [" ".join("".join(cell).split()) for cell in cells]
        line = "\t".join(texts[1:] if not texts[0] and len(texts) > 1 else texts)
        if line.strip():
            lines.append(line)
        cells[:] = [[]]

    def end_paragraph() -> None:
        end_line()
        if lines:
            paragraphs.append("\n".join(lines))
        lines.clear()

    for piece in pieces:
        if isinstance(piece, _Verbatim):
            end_paragraph()
            verbatim = "\n".join(line.rstrip() for line in piece.split("\n")).strip("\n")
            if verbatim:
                paragraphs.append(verbatim)
        elif piece is _PARAGRAPH:
            end_paragraph()
        elif piece is _LINE:
            end_line()
        elif piece is _CELL:
            cells.append([])
        else:
            cells[-1].append(piece)
    end_paragraph()
    return "\n\n".join(paragraphs)


def links(root: etree._Element) -> list[dict[str, str]]:
    found = []
    for anchor in root.iter("a"):
        href = anchor.get("href")
        if href is None:
            continue  # a name anchor, or an unsafe URL the sanitiser took away
        text = " ".join(visible_text(anchor).split())
        if not text:  # a linked image is labelled by its alt text
            text = " ".join(alt for image in anchor.iter("img") if (alt := (image.get("alt") or "").strip()))
        found.append({"href": href, "text": text})
    return found


def images(root: etree._Element) -> list[dict[str, str | None]]:
    return [{"src": image.get("src"), "alt": image.get("alt"), "title": image.get("title")} for image in root.iter("img")]


CJK_CHARACTER = re.compile(f"[{CJK}]")


def counts(text: str) -> dict[str, int]:
    """Characters, words (each CJK character is one) and an estimated reading time."""
    found = words(text)
    cjk = sum(1 for word in found if len(word) == 1 and CJK_CHARACTER.match(word))
    characters = sum(1 for char in text if not char.isspace())
    minutes = math.ceil(cjk / CJK_CHARACTERS_PER_MINUTE + (len(found) - cjk) / WORDS_PER_MINUTE)
    return {
        "characters": characters,
        "words": len(found),
        "reading_minutes": max(minutes, 1) if characters else 0,
    }


# --- the schema of this output ---------------------------------------------------------------


class UnknownOutputFormat(ValueError):
    pass


def output_schema_names() -> tuple[str, ...]:
    folder = resources.files("artconv").joinpath("output-schemas")
    return tuple(sorted(entry.name[:-5] for entry in folder.iterdir() if entry.name.endswith(".json")))


def output_schema_text(name: str) -> str:
    """The JSON Schema of an output format, exactly as shipped."""
    if name not in output_schema_names():
        raise UnknownOutputFormat(f"no output schema for '{name}' (schemas: {', '.join(output_schema_names())})")
    return resources.files("artconv").joinpath("output-schemas", f"{name}.json").read_text("utf-8")
