"""Writing a file without half-writes: beside the target, flushed, then renamed over it.

Every command that writes (convert's outputs, lint --fix, the lint cache) goes through here.
"""

from __future__ import annotations

import errno
import fcntl
import os
import re
import signal
import stat
import time
import threading
from pathlib import Path

# "." and ".XXXXXXXX.tmp" go around the name: the temporary file of a file whose name is near
# the 255-byte limit of most file systems must still have a name that fits.
MAX_TEMPORARY_NAME_BYTES = 100
# "." + name + "." + 8 random letters + ".tmp", as tempfile.mkstemp names them (earlier versions
# used it: what they left behind is still recognised)
_TEMPORARY_NAME = re.compile(r"\.(?P<name>.+)\.[a-z0-9_]{8}\.tmp", re.DOTALL)
# a temporary file younger than this is left alone even when no lock is held on it: the writer
# that made it may not have taken its lock yet (the few microseconds after creating it)
STALE_AFTER_SECONDS = 1.0
_swept: set[str] = set()  # folders already cleaned by this process
# a new file that never follows a link at its own name, and is not handed to child processes
_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


def write_atomically(path: Path, data: bytes, mode_from: Path | None = None, durable: bool = True) -> None:
    """Write beside the target, flush to disk, keep permissions, then rename over it.

    A reader (or a crash) sees the old file or the new one, never a mix. A symlink at `path` is
    replaced, never written through: in a cloned repository it could point anywhere.
    `durable=False` skips the per-file fsync, for a caller that syncs the whole tree once at the
    end (a fresh --output tree has no old version a power cut could cost); a killed process
    still leaves whole files only, since the rename comes after the last write.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    write_into_folder(path, data, mode_from, durable)


def write_into_folder(path: Path, data: bytes, mode_from: Path | None = None, durable: bool = True) -> None:
    """write_atomically for a caller that knows `path`'s folder exists (confined.OutputFolder
    makes each once): a new file costs a create, a write and a rename, about all the kernel needs."""
    name = path.name.encode("utf-8", "surrogateescape")[:MAX_TEMPORARY_NAME_BYTES].decode("utf-8", "ignore")
    # Ctrl-C is held back until the temporary file's name is known, so that the cleanup below
    # always sees it; one arriving meanwhile is raised at the first line inside `try`
    held = _hold_interrupts()
    source = mode_from if mode_from is not None and mode_from.exists() else None
    try:
        # a new file's mode is 0o666 less the umask, as for any file a program creates (the
        # kernel applies the umask, and a folder's default ACL); a file rewritten in place keeps
        # its own mode, set before the rename, and is private until then
        handle, temporary = _create_beside(path, name, 0o600 if source is not None else 0o666)
    except BaseException:
        _release_interrupts(held)
        raise
    try:
        _release_interrupts(held)
        # held until the file is renamed or removed: a later run that finds the file unlocked
        # knows its writer is gone (killed, or the machine went down) and may remove it
        fcntl.flock(handle, fcntl.LOCK_EX)
        _sweep(path.parent)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
            if durable:
                os.fsync(handle)
        finally:
            os.close(handle)
        if source is not None:
            os.chmod(temporary, source.stat().st_mode & 0o7777)
        os.replace(temporary, path)
    except BaseException:
        try:
            os.unlink(temporary)
        except FileNotFoundError:
            pass
        raise


def _create_beside(path: Path, name: str, mode: int) -> tuple[int, str]:
    """(handle, name) of a new temporary file beside `path`, under a random name (another writer
    beside it, or a file planted there, only makes it draw again)."""
    for _ in range(100):
        temporary = os.path.join(path.parent, f".{name}.{os.urandom(4).hex()}.tmp")
        try:
            return os.open(temporary, _CREATE, mode), temporary
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", os.fspath(path))


def _sweep(folder: Path) -> None:
    """Remove temporary files an artconv killed mid-write left in `folder` (once per folder and
    process). Only a regular file of ours, named exactly as we name them, that no live writer
    holds a lock on and that is not brand new, is removed; anything else is not ours to touch."""
    key = os.fspath(folder)
    if key in _swept:
        return
    _swept.add(key)
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith(".") and entry.name.endswith(".tmp") and _ours(entry.name):
            _remove_if_stale(entry)


def _ours(name: str) -> bool:
    match = _TEMPORARY_NAME.fullmatch(name)
    return match is not None and len(match["name"].encode("utf-8", "surrogateescape")) <= MAX_TEMPORARY_NAME_BYTES


def _remove_if_stale(entry: os.DirEntry) -> None:
    try:
        info = entry.stat(follow_symlinks=False)
        if not stat.S_ISREG(info.st_mode) or info.st_uid != os.getuid():
            return
        if time.time() - info.st_mtime < STALE_AFTER_SECONDS:
            return
        handle = os.open(entry.path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except OSError:
        return
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        return  # a live writer holds it
    finally:
        os.close(handle)
    try:
        os.unlink(entry.path)
    except OSError:
        pass


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


def sync_tree(folder: Path) -> None:
    """Flush to disk everything written under `folder`: one syncfs(2) of its file system, where
    the C library has it (Linux), instead of an fsync per file; else a system-wide sync."""
    try:
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    except (OSError, AttributeError):
        os.sync()
        return
    try:
        if getattr(libc, "syncfs", None) is None or libc.syncfs(handle) != 0:
            os.sync()
    finally:
        os.close(handle)
