"""Worker processes die with the process that started them.

A worker killed with its parent's pool is reaped; but when the parent itself is killed (kill -9,
the OOM killer, a CI runner's timeout), nothing tells its workers, and one busy with a file
would run on under PID 1 for as long as the file takes. On Linux the kernel can send a signal to
a process when its parent dies (prctl PR_SET_PDEATHSIG); each worker asks for SIGKILL as it
starts. Elsewhere this does nothing, and the workers end when they next read their closed pipe.
"""

from __future__ import annotations

import os
import signal
import sys

_PR_SET_PDEATHSIG = 1


def die_with_parent(parent: int) -> None:
    """In a worker just forked from `parent`: be killed when it dies (Linux), and die now if it
    already has (it could die before the request reached the kernel)."""
    if not sys.platform.startswith("linux"):
        return
    import ctypes  # here, not at the top: only a worker pays for loading it

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(_PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)
