"""Finding the article files under the paths a user names."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from artconv.core.config import config_for
from artconv.core.names import quote_name


@dataclass(frozen=True)
class Source:
    """An article file to process, and the path it maps to under an output folder."""

    path: Path
    root: Path | None = None  # the folder argument it was found under; None when named itself

    @property
    def relative(self) -> Path:
        """Where it goes under --output (computed on demand: most runs never ask)."""
        return self.path.relative_to(self.root) if self.root is not None else _relative_for_file(self.path)


def discover(arguments: list[str], skip: Path | None = None) -> Iterator[Source | str]:
    """Article files under each argument, sorted; yields an error string for a missing path.

    Directories are searched for the extensions their configuration names; files named
    explicitly are taken whatever their extension. `skip` (the output folder) is never entered,
    so an output folder inside the input folder is not read back as input.
    """
    skip_resolved = skip.resolve() if skip is not None else None
    for argument in arguments:
        root = Path(argument)
        if root.is_file():
            yield Source(root)
        elif root.is_dir():
            yield from _walk(root, skip_resolved)
        elif root.exists():
            yield f"{quote_name(argument)}: not a regular file"
        else:
            yield f"{quote_name(argument)}: no such file or directory"


def _relative_for_file(path: Path) -> Path:
    """A file named on the command line keeps its relative path under --output (so that
    `a/x.md b/x.md` do not collide); an absolute or `..` path keeps only its name."""
    if path.is_absolute() or ".." in path.parts:
        return Path(path.name)
    return path


def _walk(root: Path, skip: Path | None) -> Iterator[Source]:
    found: list[tuple[tuple[str, ...], str, Path]] = []
    for folder, dirnames, filenames in os.walk(root):
        folder_path = Path(folder)
        dirnames[:] = sorted(
            d for d in dirnames
            if not d.startswith(".") and d not in ("node_modules", "__pycache__")
            and (skip is None or (folder_path / d).resolve() != skip)
        )
        extensions = tuple(config_for(os.path.join(folder, "_")).extensions) if filenames else ()
        parts = folder_path.parts
        found.extend(
            ((*parts, name), name, folder_path)
            for name in filenames
            if name.endswith(extensions) and not _special(os.path.join(folder, name))
        )
    # sorted as Paths sort (part by part), on tuples of strings: a repository has 10,000s of files
    found.sort(key=lambda entry: entry[0])
    for _, name, folder_path in found:
        yield Source(folder_path / name, root)


def _special(path: str) -> bool:
    """A FIFO, socket or device: reading a FIFO would block a walk forever.

    A dangling or looping symlink is not special: reading it fails, and that is reported.
    """
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return False
    return not stat.S_ISREG(mode)
