"""Finding article files under the paths a user names, and writing files without half-writes."""

from __future__ import annotations

import os
import signal
import stat
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from artconv.core.config import config_for


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
            yield f"{argument}: not a regular file"
        else:
            yield f"{argument}: no such file or directory"


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


# mkstemp puts "." and ".XXXXXXXX.tmp" around the name: the temporary file of a file whose name
# is near the 255-byte limit of most file systems must still have a name that fits.
MAX_TEMPORARY_NAME_BYTES = 100


def write_atomically(path: Path, data: bytes, mode_from: Path | None = None) -> None:
    """Write beside the target, flush to disk, keep permissions, then rename over it.

    A reader (or a crash) sees the old file or the new one, never a mix. A symlink at `path` is
    replaced, never written through: in a cloned repository it could point anywhere.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    name = path.name.encode("utf-8", "surrogateescape")[:MAX_TEMPORARY_NAME_BYTES].decode("utf-8", "ignore")
    # Ctrl-C is held back until the temporary file's name is known, so that the cleanup below
    # always sees it; one arriving meanwhile is raised at the first line inside `try`
    held = _hold_interrupts()
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{name}.", suffix=".tmp")
    except BaseException:
        _release_interrupts(held)
        raise
    try:
        _release_interrupts(held)
        with os.fdopen(handle, "wb") as out:
            out.write(data)
            out.flush()
            os.fsync(out.fileno())
        source = mode_from if mode_from is not None and mode_from.exists() else None
        if source is not None:
            os.chmod(temporary, source.stat().st_mode & 0o7777)
        else:
            os.chmod(temporary, 0o666 & ~_umask())
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _hold_interrupts() -> list | None:
    """Defer SIGINT (Python runs handlers in the main thread only; elsewhere there is nothing to
    defer). A signal mask would not do: the kernel hands the signal to another thread."""
    if threading.current_thread() is not threading.main_thread():
        return None
    held: list = []
    previous = signal.signal(signal.SIGINT, lambda signum, frame: held.append(frame))
    held.insert(0, previous)
    return held


def _release_interrupts(held: list | None) -> None:
    if held is None:
        return
    previous, *arrived = held
    signal.signal(signal.SIGINT, previous if previous is not None else signal.SIG_DFL)
    if arrived:
        if callable(previous):
            previous(signal.SIGINT, arrived[0])
        elif previous in (signal.SIG_DFL, None):
            raise KeyboardInterrupt


def _umask() -> int:
    current = os.umask(0)
    os.umask(current)
    return current
