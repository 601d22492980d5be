"""artconv: keep article files (front matter + HTML/Markdown body) clean.

The library core is importable without the CLI: `convert_text`, `convert_bytes`, `convert_file`,
`read_article` and `convert_paths`.
"""

from __future__ import annotations

from artconv.core.version import __version__

__all__ = ["__version__", "convert_text", "convert_bytes", "convert_file", "read_article", "convert_paths"]


def __getattr__(name: str):
    # keep `import artconv` (and so `artconv --version`) free of lxml, YAML and markdown-it
    if name in ("convert_text", "convert_bytes", "convert_file"):
        from artconv import convert

        return getattr(convert, name)
    if name == "read_article":
        from artconv.core.article import read_article

        return read_article
    if name == "convert_paths":
        from artconv.run.convert import convert_paths

        return convert_paths
    raise AttributeError(f"module 'artconv' has no attribute {name!r}")
