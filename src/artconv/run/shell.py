"""The process around a command: Ctrl-C as one line, standard output that never lies about what
it wrote (run/stdout.py), and a bug reported as one line instead of a traceback.

Shared by the Typer command line (cli.py) and the entry point's quick path for the common
`artconv lint FILE…` (entry.py), which answers without importing Typer at all.
"""

from __future__ import annotations

import gc
import signal
import sys
from collections.abc import Callable

from artconv.run import stdout
from artconv.run.report import EXIT_FAILED, EXIT_INTERNAL

GC_THRESHOLDS = (20_000, 50, 100)
_interrupted = False


def _note_interrupt(signum, frame) -> None:
    global _interrupted
    _interrupted = True
    signal.default_int_handler(signum, frame)


def run_command(command: Callable[[], object]) -> None:
    """Run `command` (which ends with SystemExit, as Typer's app does) inside the handlers."""
    # Typer turns Ctrl-C into a silent exit 130 before we see the KeyboardInterrupt; the handler
    # remembers it, so that the user still gets the one line. A SIGINT ignored by whoever
    # started us (nohup) stays ignored.
    if signal.getsignal(signal.SIGINT) is signal.default_int_handler:
        signal.signal(signal.SIGINT, _note_interrupt)
    # Each file makes tens of thousands of short-lived objects (tree nodes, matches), freed by
    # reference counts; at Python's default thresholds the cycle collector ran over them every
    # 700 allocations, 13% of a corpus conversion. Workers fork from here and inherit this.
    gc.set_threshold(*GC_THRESHOLDS)
    stdout.install()
    try:
        try:
            command()
        finally:
            stdout.finish()  # inside the handlers below: a failed last flush is an error too
    except KeyboardInterrupt:
        _exit_interrupted()
    except SystemExit:
        if _interrupted:
            _exit_interrupted()
        raise
    except stdout.OutputClosed:  # `| head -1`: the reader has what it wanted; say nothing
        stdout.abandon()
        sys.exit(EXIT_FAILED)
    except stdout.OutputFailed as exc:  # a full disk, `ulimit -f`: never a truncated exit 0
        stdout.abandon()
        print(f"error: {exc}", file=sys.stderr)
        sys.exit(EXIT_FAILED)
    except Exception as exc:  # a bug must still read as one line, never as a traceback
        message = f"{type(exc).__name__}: {exc}".splitlines()[0]
        print(f"error: internal error: {message} (please report it)", file=sys.stderr)
        sys.exit(EXIT_INTERNAL)


def _exit_interrupted() -> None:
    print("interrupted", file=sys.stderr)
    sys.exit(130)
