"""Writing under an output folder without leaving it.

`--output out` must write into `out` only. A folder inside it may already exist as a symbolic
link (`out/sub -> ../elsewhere`, left by a build, or planted in a repository); writing through
it would change files the user never named. Each folder on the way is checked as it is entered:
a link is followed only when it resolves inside the output folder, and a missing folder is
created (never through a link). The file itself is then written by `write_atomically`, which
replaces a link at the file's own name instead of writing through it.
"""

from __future__ import annotations

import os
from pathlib import Path

from artconv.core.atomic import write_atomically


class OutsideOutput(Exception):
    """The output file's folder leads out of the output folder; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def write_under(root: Path, relative: Path, data: bytes, durable: bool = True) -> Path:
    """Write `data` to root/relative atomically, refusing any folder that leads out of `root`
    (`durable`: as for write_atomically)."""
    root.mkdir(parents=True, exist_ok=True)
    boundary = os.path.realpath(root)
    folder = root
    for part in relative.parent.parts:
        folder = folder / part
        if os.path.islink(folder):
            if not _inside(os.path.realpath(folder), boundary):
                raise OutsideOutput(f"not written: {folder} is a link that leads out of the output folder")
        elif not folder.is_dir():
            folder.mkdir(exist_ok=True)  # a file in the way fails here, as "cannot write"
    if not _inside(os.path.realpath(folder), boundary):  # a link replaced while we walked
        raise OutsideOutput(f"not written: {folder} leads out of the output folder")
    target = folder / relative.name
    write_atomically(target, data, durable=durable)
    return target


def _inside(path: str, boundary: str) -> bool:
    return path == boundary or path.startswith(boundary.rstrip(os.sep) + os.sep)
