"""Standard output that never lies about what it wrote.

Python's own stdout loses errors: a failed flush at exit is "Exception ignored" and exit 120, a
closed pipe is a traceback, and a full disk surfaced as an internal error. `install()` puts a
writer under `sys.stdout` that writes every byte or raises: `OutputFailed` (a full disk, a file
size limit, an I/O error: one line, exit 1) or `OutputClosed` (the reader went away, as with
`| head -1`: exit 1 quietly, as Unix tools do). A short write is retried for the rest, so the
error that made it short (EFBIG under `ulimit -f`, ENOSPC) is the one reported.
"""

from __future__ import annotations

import io
import os
import sys


class OutputFailed(Exception):
    """Standard output could not take what was written; the message says why, in one line."""


class OutputClosed(Exception):
    """Whoever read standard output stopped reading (EPIPE)."""


class _Stdout(io.RawIOBase):
    def __init__(self, fd: int) -> None:
        self._fd = fd

    def writable(self) -> bool:
        return True

    def fileno(self) -> int:
        return self._fd

    def isatty(self) -> bool:
        return os.isatty(self._fd)

    def write(self, data) -> int:
        view = memoryview(data).cast("B")
        while view:
            try:
                written = os.write(self._fd, view)
            except BrokenPipeError:
                raise OutputClosed() from None
            except InterruptedError:
                continue
            except OSError as exc:
                raise OutputFailed(f"cannot write to standard output: {exc.strerror or exc}") from None
            if written <= 0:  # never seen from a regular file, but a short write must not pass
                raise OutputFailed("cannot write to standard output: short write")
            view = view[written:]
        return len(data)


def install() -> None:
    """Put the honest writer under sys.stdout (text and .buffer alike). A file name that is not
    UTF-8 reaches the stream as surrogates; they are written back as the bytes they came from
    (as ls does into a pipe), so no name can crash the output."""
    old = sys.stdout
    if old is None:
        return
    try:
        fd = old.fileno()
    except (OSError, ValueError, AttributeError):
        return  # not a real stream (a test harness): leave it as it is
    buffered = io.BufferedWriter(_Stdout(fd))
    sys.stdout = io.TextIOWrapper(
        buffered, encoding="utf-8", errors="surrogateescape", line_buffering=old.line_buffering,
        write_through=False,
    )


def finish() -> None:
    """Flush what is left; raise as a write would."""
    if sys.stdout is not None:
        sys.stdout.flush()


def abandon() -> None:
    """After a failure, point standard output at /dev/null, so that the interpreter's own flush
    at exit has nowhere to fail and prints nothing."""
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)
    except (OSError, ValueError, AttributeError):
        pass
