"""Work on many files with a pool of processes, results in input order.

Article processing is pure Python and CPU-bound, so threads would share one core; processes
use them all. Results come back in input order, so output is the same whatever `--jobs` is.
Small batches stay in-process: starting workers costs more than a few files take. Items are
taken from the iterable as the work goes (only the first few are looked at ahead, to size the
pool): a run over 100,000 files holds a window of them, never the whole list.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import TYPE_CHECKING, TypeVar

if TYPE_CHECKING:
    from artconv.run.budget import Budget

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS_PER_WORKER = 16
MAX_CHUNK = 64


def default_jobs() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not on Linux
        return os.cpu_count() or 1


def map_in_order(
    function: Callable[[T], R],
    items: Iterable[T],
    jobs: int | None = None,
    budget: Budget | None = None,
    exceeded: Callable[[T, str], R] | None = None,
    path_of: Callable[[T], str] | None = None,
) -> Iterator[R]:
    """function(item) for every item, in input order. With a budget, every item runs in a worker
    process within its limits (budget.py), and an item that exceeds them gives exceeded(item,
    message) instead; a run of one small file (`path_of` names an item's file) runs in this
    process, its CPU time still limited (the fork cost more than the file)."""
    jobs = default_jobs() if not jobs or jobs < 1 else jobs
    # as many items as decide the pool's size and chunks; a longer run gets the largest of both
    iterator = iter(items)
    head = list(islice(iterator, jobs * max(MIN_ITEMS_PER_WORKER, 8 * MAX_CHUNK)))
    jobs = min(jobs, max(1, len(head) // MIN_ITEMS_PER_WORKER))
    chunksize = max(1, min(MAX_CHUNK, len(head) // (jobs * 8)))
    items = chain(head, iterator)
    if budget is not None and exceeded is not None:
        from artconv.run.budget import call_budgeted, in_process, map_budgeted

        if len(head) == 1 and path_of is not None and in_process(budget, path_of(head[0])):
            yield call_budgeted(function, head[0], budget, exceeded)
            return
        yield from map_budgeted(function, items, jobs, budget, exceeded)
        return
    if jobs <= 1:
        yield from map(function, items)
        return
    from collections import deque
    from concurrent.futures import ProcessPoolExecutor
    from functools import partial

    chunks = iter(lambda: list(islice(items, chunksize)), [])
    # a window of chunks in flight, not the whole run: results wait only while the ones before
    # them are written, so memory stays flat however many files there are
    window: deque = deque()
    from artconv.run.lifeline import die_with_parent

    with ProcessPoolExecutor(max_workers=jobs, initializer=die_with_parent, initargs=(os.getpid(),)) as pool:
        for chunk in chunks:
            window.append(pool.submit(_map_chunk, partial(function), chunk))
            if len(window) >= jobs * 4:
                yield from window.popleft().result()
        while window:
            yield from window.popleft().result()


def _map_chunk(function: Callable[[T], R], chunk: list[T]) -> list[R]:
    return [function(item) for item in chunk]


class OrderedMapper:
    """map_in_order over the batches of one run (lint's blocks of files), keeping one pool of
    budgeted workers from batch to batch: forked once, at the first batch, instead of again
    for every batch from a parent that has grown meanwhile."""

    def __init__(self, function, jobs, budget, exceeded, path_of=None) -> None:
        self.function, self.jobs, self.budget, self.exceeded, self.path_of = function, jobs, budget, exceeded, path_of
        self._workers = None

    def start(self) -> None:
        """Fork the budgeted workers now, while this process is small (a run over folders, whose
        files are many): see BudgetedWorkers.start."""
        if self.budget is None or self.exceeded is None or self._workers is not None:
            return
        from artconv.run.budget import BudgetedWorkers

        jobs = default_jobs() if not self.jobs or self.jobs < 1 else self.jobs
        self._workers = BudgetedWorkers(self.function, jobs, self.budget, self.exceeded)
        self._workers.start()

    def map(self, items: Iterable[T]) -> Iterator[R]:
        if self.budget is None or self.exceeded is None:
            yield from map_in_order(self.function, items, self.jobs, path_of=self.path_of)
            return
        jobs = default_jobs() if not self.jobs or self.jobs < 1 else self.jobs
        iterator = iter(items)
        head = list(islice(iterator, jobs * MIN_ITEMS_PER_WORKER))
        if not head:
            return
        if self._workers is None and len(head) == 1:
            # the whole batch is one file (the iterator is spent), and no pool yet: map_in_order
            # runs a small one in this process, with no fork for it
            yield from map_in_order(self.function, head, jobs, self.budget, self.exceeded, self.path_of)
            return
        from artconv.run.budget import BudgetedWorkers

        jobs = min(jobs, max(1, len(head) // MIN_ITEMS_PER_WORKER))
        if self._workers is None:
            self._workers = BudgetedWorkers(self.function, jobs, self.budget, self.exceeded)
        self._workers.grow(jobs)
        yield from self._workers.map(chain(head, iterator))

    def close(self) -> None:
        if self._workers is not None:
            self._workers.close()
            self._workers = None
