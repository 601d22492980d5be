"""The Writer protocol: what `artconv convert --to NAME` writes.

A writer is registered like every plugin (`artconv.core.plugins.BUILTINS`, or the entry-point
group `artconv.writers`). It names the transformer pipeline it starts from, and gets each
article's transformed Document with the clean Markdown body every format starts from (so that
the formats never disagree). Adding a format is one module and one registration.

A writer that `bundles` (EPUB) makes one file of many articles: it turns each article into an
item in the worker processes, and the items into the file's bytes once all are done.
"""

from __future__ import annotations

from typing import ClassVar, Protocol, runtime_checkable

from artconv.core.document import Document


@runtime_checkable
class Writer(Protocol):
    format: ClassVar[str]  # the --to choice it is registered under
    summary: ClassVar[str]  # one line for the help text
    suffix: ClassVar[str]  # the file name ending of its output under --output
    pipeline: ClassVar[str]  # the pipeline it starts from: "md", "json" or "xhtml"

    def write(self, doc: Document, body: str) -> str: ...


class BaseWriter:
    """Convenience base with the defaults; subclasses set format, summary, suffix and pipeline."""

    format: ClassVar[str] = ""
    summary: ClassVar[str] = ""
    suffix: ClassVar[str] = ""
    pipeline: ClassVar[str] = "md"
    in_place: ClassVar[bool] = False  # may replace the article it came from (--in-place)
    streams: ClassVar[bool] = False  # many documents may go to stdout one after another (JSON Lines)
    bundles: ClassVar[bool] = False  # many articles make one file: item() and bundle() instead of write()

    def write(self, doc: Document, body: str) -> str:  # pragma: no cover - abstract
        raise NotImplementedError

