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

from artconv.core.atomic import write_into_folder


class OutsideOutput(Exception):
    """The output file's folder leads out of the output folder; nothing was written."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class OutputFolder:
    """The output folder of one run. Each folder under it is checked (and made) the first time a
    file goes into it, not again for every file: a run writes thousands of files into a few
    folders, and the checks (a realpath is an lstat per level) cost more than the writes. What
    the check guards against is a link already in the tree when the run starts; one planted while
    it runs could as well be planted between a check and the write it allows."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._boundary: str | None = None
        self._checked: dict[Path, Path] = {}  # relative folder → the folder files go into

    def write(self, relative: Path, data: bytes, durable: bool = True) -> Path:
        """Write `data` to root/relative atomically, refusing any folder that leads out of the
        root (`durable`: as for write_atomically)."""
        folder = self._checked.get(relative.parent)
        if folder is None:
            folder = self._checked[relative.parent] = self._enter(relative.parent)
        target = folder / relative.name
        write_into_folder(target, data, durable=durable)
        return target

    def _enter(self, relative: Path) -> Path:
        if self._boundary is None:
            self.root.mkdir(parents=True, exist_ok=True)
            self._boundary = os.path.realpath(self.root)
        folder = self.root
        for part in relative.parts:
            folder = folder / part
            if os.path.islink(folder):
                if not _inside(os.path.realpath(folder), self._boundary):
                    raise OutsideOutput(f"not written: {folder} is a link that leads out of the output folder")
            elif not folder.is_dir():
                folder.mkdir(exist_ok=True)  # a file in the way fails here, as "cannot write"
        if not _inside(os.path.realpath(folder), self._boundary):  # a link replaced while we walked
            raise OutsideOutput(f"not written: {folder} leads out of the output folder")
        return folder


def _inside(path: str, boundary: str) -> bool:
    return path == boundary or path.startswith(boundary.rstrip(os.sep) + os.sep)
