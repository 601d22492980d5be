"""`artconv convert … --dask ADDRESS`: the files of a run mapped over a dask.distributed cluster.

The client (this process) does everything that depends on where the files are: it finds them,
resolves the configuration and site generator that apply to each, and reads its bytes. The
workers run only the pure conversion (`convert_bytes`) on what they are sent, so they need
artconv installed but no access to the files; their Results come back in input order and the
client writes them exactly as a local run does. A window of batches is in flight, never the whole
run: the client's memory stays flat however many files there are.

dask.distributed is an optional dependency (`pip install 'artconv[dask]'`), imported only here.
The per-file budget (run/budget.py) is not applied on the cluster: a cluster has its own means
(worker memory limits, `--nthreads`), and a file's CPU time is the worker's to bound.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Iterable, Iterator
from itertools import islice
from typing import Any

from artconv.core.errors import UsageError

BATCH_FILES = 32  # files per task: a task costs the scheduler about a millisecond, a file ~5 ms
TASKS_PER_THREAD = 4  # tasks queued per worker thread: enough that no thread waits for the next


def map_on_cluster(address: str, function: Callable[[Any], Any], items: Iterable[Any]) -> Iterator[Any]:
    """function(item) for every item on the cluster at `address`, results in input order."""
    try:
        from distributed import Client
    except ImportError:
        raise UsageError("--dask needs dask.distributed: pip install 'artconv[dask]'") from None
    try:
        # how long to try is dask's own setting (distributed.comm.timeouts.connect, 30 s)
        client = Client(address)
    except OSError as exc:
        raise UsageError(f"--dask {address}: cannot reach the scheduler ({exc})") from None
    try:
        threads = max(1, sum(client.nthreads().values()))
        window: deque = deque()
        items = iter(items)
        for batch in iter(lambda: list(islice(items, BATCH_FILES)), []):
            # pure=False: two batches with the same bytes are still two pieces of work to hand back
            window.append(client.submit(_run_batch, function, batch, pure=False))
            if len(window) >= threads * TASKS_PER_THREAD:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()
    finally:
        client.close()


def _run_batch(function: Callable[[Any], Any], batch: list[Any]) -> list[Any]:
    return [function(item) for item in batch]
