"""Article: one article file, read once, with its front matter kept as the original text.

`read_article` is the only place that decodes bytes and splits front matter from body; everything
else works on the Article it returns. The front matter's raw text is kept so that writing the file
back is byte-identical unless a transformer adds keys (python-frontmatter would re-sort keys and
turn dates into datetimes; PyYAML would forget quoting and comments).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

import yaml

from artconv.core.decoding import DecodeError, decode
from artconv.core.errors import PositionedError
from artconv.core.front_matter_forms import (
    JSON_OPENING,
    TOML_CLOSING,
    TOML_OPENING,
    json_closing,
    parse_json,
    parse_toml,
)

try:  # the C loader is ~10x faster; fall back where libyaml is missing
    _SafeLoader = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on the PyYAML build
    _SafeLoader = yaml.SafeLoader


class _FrontMatterLoader(_SafeLoader):
    """The safe loader, except that a timestamp no calendar holds stays the text it is.

    WordPress exports write `0000-00-00 00:00:00` for drafts, and hand-written dates can be
    impossible (2016-06-31). PyYAML raises on them, which stopped `--to md` although the front
    matter is kept byte for byte anyway; lint reports them (FM006), JSON keeps the text.
    """


def _timestamp_or_text(loader: yaml.constructor.SafeConstructor, node: yaml.ScalarNode):
    try:
        return yaml.constructor.SafeConstructor.construct_yaml_timestamp(loader, node)
    except (ValueError, OverflowError):
        return loader.construct_scalar(node)


_FrontMatterLoader.add_constructor("tag:yaml.org,2002:timestamp", _timestamp_or_text)

# The largest article in ../shared/corpus is 0.5 MB. Far bigger files are dumps or logs, not
# articles, and parsing them takes minutes and gigabytes; each is refused as a per-file error.
MAX_FILE_BYTES = 10 * 1024 * 1024

_OPENING = re.compile(r"\A((?:[ \t]*\r?\n)*)---[ \t]*(\r?\n|\Z)")
_CLOSING = re.compile(r"^(?:---|\.\.\.)[ \t]*(?:\r?\n|\Z)", re.MULTILINE)


class ArticleError(PositionedError):
    """An article that cannot be read (undecodable bytes, broken front matter)."""


@dataclass(frozen=True)
class Article:
    """One article file.

    form: "yaml" (`---`), "toml" (`+++`) or "json" (`{ … }`), Hugo's three; "" without front matter.
    head: the exact text of the front-matter block up to (not including) its closing delimiter
          line, blank lines before the opening `---` included; "" when there is no front matter.
          For JSON, the closing line is the object's closing `}` line.
    closing: the exact closing delimiter line ("---\\n"), "" when there is no front matter.
    body: the rest of the file with line endings normalised to "\\n".
    body_line: the 1-based file line on which body starts.
    """

    path: str | None
    encoding: str
    newline: str
    head: str
    closing: str
    metadata: dict[str, Any] = field(default_factory=dict)
    body: str = ""
    body_line: int = 1
    yaml_error: ArticleError | None = None  # set only by a lenient read (lint goes on past it)
    # the composed YAML (nodes with positions), kept for lint rules: composing twice cost a tenth of lint
    yaml_node: Any = field(default=None, repr=False, compare=False)
    form: str = "yaml"

    @property
    def has_front_matter(self) -> bool:
        return bool(self.closing)

    @property
    def front_matter_line(self) -> int:
        """File line of the opening `---`, `+++` or `{` (1 when there is no front matter)."""
        opening = _OPENINGS.get(self.form, _OPENING).match(self.head)
        return opening.group(1).count("\n") + 1 if opening else 1

    @property
    def yaml_text(self) -> str:
        """The YAML between the delimiters, exactly as written ("" for TOML and JSON)."""
        return self.front_text if self.form == "yaml" else ""

    @property
    def front_text(self) -> str:
        """The front matter as its parser reads it, exactly as written: the YAML or TOML between
        the delimiters, or the JSON object with its braces."""
        if self.form == "json":
            return self.head[JSON_OPENING.match(self.head).end() :] + self.closing
        opening = _OPENINGS.get(self.form, _OPENING).match(self.head)
        return self.head[opening.end() :] if opening else ""

    @property
    def yaml_line(self) -> int:
        """File line of the first line of `front_text` (the first YAML or TOML line, or the `{`)."""
        return self.front_matter_line + (self.form != "json")


def read_article(data: bytes, path: str | None = None, lenient: bool = False) -> Article:
    """Build an Article from the bytes of a file; raise ArticleError for what cannot be read.

    With `lenient`, broken front matter does not raise: the Article comes back with empty
    metadata and `yaml_error` set, so that a linter can still look at the rest.
    """
    if len(data) > MAX_FILE_BYTES:
        raise too_large()
    try:
        text, encoding = decode(data)
    except DecodeError as exc:
        raise ArticleError(f"cannot decode: {exc}") from None
    return parse_article(text, path=path, encoding=encoding, lenient=lenient)


def too_large() -> ArticleError:
    return ArticleError(f"file is too large (over {MAX_FILE_BYTES // 2**20} MiB, the limit for an article)")


def parse_article(text: str, path: str | None = None, encoding: str = "utf-8", lenient: bool = False) -> Article:
    """Split decoded text into front matter and body and parse the front matter's YAML."""
    if text.startswith("\ufeff"):
        text = text[1:]
    newline = "\r\n" if "\r\n" in text[:4096] else "\n"
    if "\n" not in text and "\r" in text:
        # classic Mac OS line ends, CR alone: what CommonMark reads as lines too. No generator
        # finds front matter in such a file (it needs LF), so neither does this; the body is
        # read with LF, as a CRLF body is, and written back with CR
        newline = "\r"
    form, opening = _form_of(text)
    if opening is None:
        return Article(path, encoding, newline, "", "", {}, _lf(text), 1, form="")
    closing = json_closing(text, opening.end()) if form == "json" else _CLOSINGS[form].search(text, opening.end())
    if closing is None and form == "json":
        return Article(path, encoding, newline, "", "", {}, _lf(text), 1, form="")
    if closing is None:
        delimiter = "+++" if form == "toml" else "---"
        error = ArticleError(
            f"front matter opened with '{delimiter}' is never closed", line=opening.group(1).count("\n") + 1
        )
        if lenient:
            return Article(path, encoding, newline, "", "", {}, _lf(text), 1, error, form="")
        raise error
    head = text[: closing.start()]
    # what the parser reads: between the delimiters, or the whole JSON object with its braces
    start, end = opening.end(), closing.end() if form == "json" else closing.start()
    first_line = head[:start].count("\n") + 1
    body = text[closing.end() :]
    body_line = text[: closing.end()].count("\n") + 1
    try:
        metadata, node = _PARSERS[form](text[start:end], first_line)
    except ArticleError as error:
        if not lenient:
            raise
        return Article(path, encoding, newline, head, closing.group(), {}, _lf(body), body_line, error, form=form)
    return Article(path, encoding, newline, head, closing.group(), metadata, _lf(body), body_line, yaml_node=node,
                   form=form)


def _form_of(text: str) -> tuple[str, re.Match | None]:
    """Which of Hugo's three forms the file opens with, and the opening's match."""
    for form, opening in _OPENINGS.items():
        found = opening.match(text)
        if found:
            return form, found
    return "", None


def _parse_other(parse):
    def parsed(text: str, first_line: int) -> tuple[dict[str, Any], Any]:
        try:
            return parse(text, first_line), None  # positions: frontmatter/toml_json.py, for lint only
        except PositionedError as exc:
            raise ArticleError(exc.message, exc.line, exc.column) from None

    return parsed


def _parse_yaml(yaml_text: str, first_line: int) -> tuple[dict[str, Any], Any]:
    """The front matter's mapping and its composed node tree."""
    try:
        loader = _FrontMatterLoader(yaml_text)
        try:
            node = loader.get_single_node()
            value = loader.construct_document(node) if node is not None else None
        finally:
            loader.dispose()
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = first_line + mark.line if mark else first_line
        column = mark.column + 1 if mark else None
        problem = exc.problem or exc.context or "invalid YAML"
        raise ArticleError(f"invalid YAML front matter: {problem}", line, column) from None
    except yaml.YAMLError as exc:
        raise ArticleError(f"invalid YAML front matter: {exc}", first_line) from None
    except (ValueError, TypeError, OverflowError) as exc:
        # PyYAML's constructors raise plain ValueError, e.g. for the date 2016-06-31
        raise ArticleError(f"invalid YAML front matter: {exc}", first_line) from None
    except RecursionError:
        raise ArticleError("front matter is nested too deeply", first_line) from None
    if value is None:
        return {}, node
    if not isinstance(value, dict):
        raise ArticleError(
            f"front matter is a {type(value).__name__}, not a mapping of keys", first_line
        )
    return value, node


_OPENINGS = {"yaml": _OPENING, "toml": TOML_OPENING, "json": JSON_OPENING}
_CLOSINGS = {"yaml": _CLOSING, "toml": TOML_CLOSING}
_PARSERS = {"yaml": _parse_yaml, "toml": _parse_other(parse_toml), "json": _parse_other(parse_json)}


def _lf(text: str) -> str:
    """The body as the tools downstream take it: LF line ends, and no C0 control characters.

    Controls other than tab and line ends are invisible in every renderer, XML 1.0 cannot hold
    them, and lxml refuses to edit a tree that contains them; pasted HTML carries a few.
    """
    if "\r" in text:
        text = text.replace("\r\n", "\n") if "\n" in text else text.replace("\r", "\n")
    return _CONTROL.sub("", text) if _CONTROL.search(text) else text


_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
