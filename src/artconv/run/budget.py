"""A per-file budget of CPU time and memory, enforced by running each file in a worker process.

Every per-file step is meant to be linear in the size of the file, but a 10 MiB input is allowed
and a dependency (libxml2, a renderer, a plugin) can still run away on a shape nobody tried. A
budget turns that into a one-line error for that file while the other files go on:

    error: posts/bomb.md: stopped after 10 s of CPU time, the per-file limit (--time-limit)

A limit inside the process could not stop C code (a signal handler runs only between Python
bytecodes), so each file runs in a forked worker. RLIMIT_CPU stops it with SIGXCPU once it has
used its seconds. Memory is the resident memory a file adds: the parent reads each busy worker's
from /proc ten times a second and kills one past its budget, the worker compares its peak
(VmHWM, reset for each file) with the budget when the file is done, and RLIMIT_AS at twice the
budget stops an allocation too fast for either. Whichever catches it, the file's error names the
memory limit, even where a library turned the failed allocation into an error of its own.
The parent reads the results in input order; a worker that dies is named in the error of the
file it held and replaced by a fresh one. The parent also kills a worker whose file has run for
much longer in wall time than its CPU budget (one blocked on something), so nothing waits
forever.
"""

from __future__ import annotations

import gc
import math
import os
import pickle
import select
import signal
import struct
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any

from artconv.run.lifeline import die_with_parent

DEFAULT_SECONDS = 10.0
DEFAULT_MEMORY_MIB = 1024
_HEADER = struct.Struct("!Q")
_POLL_SECONDS = 0.1


@dataclass(frozen=True)
class Budget:
    """CPU seconds and MiB of memory one file may take; 0 turns a limit off."""

    seconds: float = DEFAULT_SECONDS
    memory_mib: int = DEFAULT_MEMORY_MIB

    def time_message(self) -> str:
        return f"stopped after {self.seconds:g} s of CPU time, the per-file limit (--time-limit)"

    def memory_message(self) -> str:
        return f"stopped at {self.memory_mib} MiB of memory, the per-file limit (--memory-limit)"

    @property
    def wall_seconds(self) -> float | None:
        # a worker can wait for the CPU on a busy machine: only one far past its budget is stuck
        return 3 * self.seconds + 10 if self.seconds else None


class _OutOfMemory:
    """What a worker sends back when its file hit the memory limit."""


_OUT_OF_MEMORY = _OutOfMemory()  # made before any limit: sending it allocates nothing new


class _Raised:
    """An exception the function raised in a worker (a configuration error, say), raised again
    in the parent when its file's turn comes, as a pool of processes does."""

    def __init__(self, error: BaseException):
        try:
            pickle.dumps(error)
        except Exception:  # noqa: BLE001 - whatever makes an exception unpicklable
            error = RuntimeError(f"{type(error).__name__}: {error}")
        self.error = error


def map_budgeted(
    function: Callable[[Any], Any],
    items: Iterable[Any],
    jobs: int,
    budget: Budget,
    exceeded: Callable[[Any, str], Any],
) -> Iterator[Any]:
    """function(item) for every item, in input order, each in a worker process within `budget`;
    for an item that exceeds it, exceeded(item, message) instead."""
    workers = BudgetedWorkers(function, jobs, budget, exceeded)
    try:
        yield from workers.map(items)
    finally:
        workers.close()


class BudgetedWorkers:
    """A pool of budgeted workers kept over several maps of one run (lint's blocks of files):
    the workers are forked once, while the process that forks them is still small."""

    def __init__(self, function: Callable[[Any], Any], jobs: int, budget: Budget, exceeded: Callable[[Any, str], Any]):
        self.pool = _Pool(function, max(1, jobs), budget)  # workers start with the first items sent
        self.exceeded = exceeded

    def grow(self, jobs: int) -> None:
        self.pool.size = max(self.pool.size, jobs)

    def start(self) -> None:
        """Fork every worker now, before the run finds its files: a worker forked later would
        carry a copy of whatever the parent holds by then (discovery's list of paths, say)."""
        while len(self.pool.workers) < self.pool.size:
            self.pool._start()

    def map(self, items: Iterable[Any]) -> Iterator[Any]:
        """Results in input order; all of them are read before the next map may start."""
        iterator = iter(items)
        pool = self.pool
        held: dict[int, Any] = {}  # the items sent and not yet answered: a window, not the run
        results: dict[int, Any] = {}
        window = max(16, pool.size * 8)  # results held while earlier ones are still running
        sent = emitted = 0
        more = True
        try:
            while more or emitted < sent:
                while more and sent - emitted < window and pool.idle():
                    item = next(iterator, _END)
                    if item is _END:
                        more = False
                        break
                    held[sent] = item
                    pool.send(sent, item)
                    sent += 1
                if emitted in results:
                    outcome = results.pop(emitted)
                    del held[emitted]
                    if isinstance(outcome, _Raised):
                        raise outcome.error
                    yield outcome
                    emitted += 1
                    continue
                for index, outcome in pool.collect():
                    if isinstance(outcome, _Stopped):
                        outcome = self.exceeded(held[index], outcome.message)
                    results[index] = outcome
        except BaseException:
            self.close()  # workers may still hold items of this map: none is reused
            raise

    def close(self) -> None:
        self.pool.close()


_END = object()


@dataclass
class _Stopped:
    message: str


class _Worker:
    def __init__(self, pid: int, requests: int, results: int):
        self.pid = pid
        self.requests = requests  # parent writes
        self.results = results  # parent reads
        self.index: int | None = None  # the item it holds
        self.started = 0.0
        self.resident = 0  # its resident memory when it got the item


class _Pool:
    def __init__(self, function: Callable[[Any], Any], size: int, budget: Budget):
        self.function = function
        self.size = size
        self.budget = budget
        self.workers: list[_Worker] = []
        self._next_memory_check = 0.0

    def idle(self) -> bool:
        return len(self.workers) < self.size or any(w.index is None for w in self.workers)

    def send(self, index: int, item: Any) -> None:
        worker = next((w for w in self.workers if w.index is None), None) or self._start()
        worker.index, worker.started, worker.resident = index, time.monotonic(), _resident(worker.pid)
        try:
            _write(worker.requests, pickle.dumps((index, item), pickle.HIGHEST_PROTOCOL))
        except OSError:  # it died between two files; its death is reported for this one
            pass

    def collect(self) -> list[tuple[int, Any]]:
        """Wait a little; return (index, outcome) for every file that finished or was stopped."""
        busy = {w.results: w for w in self.workers if w.index is not None}
        if not busy:
            return []
        poller = select.poll()
        for fd in busy:
            poller.register(fd, select.POLLIN | select.POLLHUP | select.POLLERR)
        done = []
        for fd, _ in poller.poll(_POLL_SECONDS * 1000):
            worker = busy[fd]
            index = worker.index
            try:
                outcome = pickle.loads(_read(fd))
            except (OSError, EOFError, pickle.UnpicklingError):
                done.append((index, _Stopped(self._death(worker))))
                continue
            worker.index = None
            if isinstance(outcome, _OutOfMemory):
                self._retire(worker)  # its heap may be a mess: a fresh worker takes the next file
                outcome = _Stopped(self.budget.memory_message())
            done.append((index, outcome))
        return done + self._stopped()

    def _stopped(self) -> list[tuple[int, Any]]:
        """(index, _Stopped) for each busy worker past its wall time or memory, killed."""
        limit = self.budget.wall_seconds
        memory = self.budget.memory_mib * 2**20
        now = time.monotonic()
        # /proc is read ten times a second, not once per file that comes back (thousands a second)
        if memory and now >= self._next_memory_check:
            self._next_memory_check = now + _POLL_SECONDS
        else:
            memory = 0
        stopped = []
        for worker in list(self.workers):
            if worker.index is None:
                continue
            message = None
            if limit and now - worker.started > limit:
                message = self.budget.time_message()
            elif memory and _resident(worker.pid) - worker.resident > memory:
                message = self.budget.memory_message()
            if message:
                index = worker.index
                os.kill(worker.pid, signal.SIGKILL)
                self._death(worker)
                stopped.append((index, _Stopped(message)))
        return stopped

    def _death(self, worker: _Worker) -> str:
        """Reap a worker that stopped holding a file; say why in the words of the budget."""
        try:
            os.kill(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status, usage = os.wait4(worker.pid, 0)
        self._forget(worker)
        if os.WIFSIGNALED(status):
            number = os.WTERMSIG(status)
            if number == signal.SIGXCPU:
                return self.budget.time_message()
            peak = usage.ru_maxrss * 1024
            if self.budget.memory_mib and peak >= 0.8 * self.budget.memory_mib * 2**20:
                return self.budget.memory_message()  # an allocator that aborts instead of failing
            return f"stopped: its worker process died ({signal.Signals(number).name})"
        return f"stopped: its worker process exited with status {os.WEXITSTATUS(status)}"

    def _retire(self, worker: _Worker) -> None:
        try:
            os.kill(worker.pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        os.waitpid(worker.pid, 0)
        self._forget(worker)

    def _forget(self, worker: _Worker) -> None:
        os.close(worker.requests)
        os.close(worker.results)
        self.workers.remove(worker)

    def _start(self) -> _Worker:
        request_read, request_write = os.pipe()
        result_read, result_write = os.pipe()
        inherited = [fd for w in self.workers for fd in (w.requests, w.results)]
        parent = os.getpid()
        # what the parent holds now (modules, compiled patterns) is never garbage: the cycle
        # collector need not walk it in the worker, nor touch (and so copy) its pages
        gc.freeze()
        pid = os.fork()
        if pid == 0:  # the worker: never returns
            status = 1
            try:
                die_with_parent(parent)
                for fd in (*inherited, request_write, result_read):
                    os.close(fd)
                _serve(self.function, self.budget, request_read, result_write)
                status = 0
            finally:
                os._exit(status)
        os.close(request_read)
        os.close(result_write)
        worker = _Worker(pid, request_write, result_read)
        self.workers.append(worker)
        return worker

    def close(self) -> None:
        for worker in list(self.workers):
            self._retire(worker)


def _serve(function: Callable[[Any], Any], budget: Budget, requests: int, results: int) -> None:
    import resource

    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    # what a worker has to say comes back as a value; an allocator dying at the memory limit
    # ("memory allocation of N bytes failed") must not add a second line to a file's error
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, 2)
    os.close(devnull)
    signal.signal(signal.SIGXCPU, signal.SIG_DFL)
    resource.setrlimit(resource.RLIMIT_CORE, (0, resource.getrlimit(resource.RLIMIT_CORE)[1]))
    cpu_hard = resource.getrlimit(resource.RLIMIT_CPU)[1]
    memory_hard = resource.getrlimit(resource.RLIMIT_AS)[1]
    while True:
        try:
            index, item = pickle.loads(_read(requests))
        except (OSError, EOFError):
            return  # the parent is done with us
        if budget.seconds:
            used = resource.getrusage(resource.RUSAGE_SELF)
            soft = math.ceil(used.ru_utime + used.ru_stime + budget.seconds)
            resource.setrlimit(resource.RLIMIT_CPU, (_within(soft, cpu_hard), cpu_hard))
        if budget.memory_mib:
            _reset_peak()
            resident = _resident(os.getpid())
            soft = _address_space() + 2 * budget.memory_mib * 2**20  # the backstop
            resource.setrlimit(resource.RLIMIT_AS, (_within(soft, memory_hard), memory_hard))
        try:
            try:
                outcome = function(item)
            except Exception as error:  # noqa: BLE001 - the parent decides what it means
                outcome = _OUT_OF_MEMORY if isinstance(error, MemoryError) else _Raised(error)
        except MemoryError:
            # even the error's own wrapping found no memory left (what the file left behind,
            # in cycles the collector has not reached yet, still fills the address space)
            outcome = _OUT_OF_MEMORY
        if budget.memory_mib:
            # room to look at the peak and to send the result, however big, before either
            resource.setrlimit(resource.RLIMIT_AS, (memory_hard, memory_hard))
            if _peak_resident() - resident > budget.memory_mib * 2**20:
                # past the budget, whatever came of it: lxml, say, reports a failed allocation
                # as "XMLSyntaxError: unknown error", which must not read as a bug
                outcome = _OUT_OF_MEMORY
        try:
            data = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
        except MemoryError:
            data = pickle.dumps(_OUT_OF_MEMORY)
        _write(results, data)
        if isinstance(outcome, _OutOfMemory):
            return


def _within(soft: int, hard: int) -> int:
    import resource

    return soft if hard == resource.RLIM_INFINITY else min(soft, hard)


def _resident(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/statm", "rb") as handle:
            return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, IndexError, ValueError):
        return 0


def _reset_peak() -> None:
    try:
        with open("/proc/self/clear_refs", "wb") as handle:
            handle.write(b"5")  # resets VmHWM, the peak resident memory, to what it is now
    except OSError:
        pass


def _peak_resident() -> int:
    try:
        with open("/proc/self/status", "rb") as handle:
            for line in handle:
                if line.startswith(b"VmHWM:"):
                    return int(line.split()[1]) * 1024
    except (OSError, IndexError, ValueError):
        pass
    return 0


def _address_space() -> int:
    with open("/proc/self/statm", "rb") as handle:
        return int(handle.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")


def _write(fd: int, data: bytes) -> None:
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def _read(fd: int) -> bytes:
    (size,) = _HEADER.unpack(_read_exactly(fd, _HEADER.size))
    return _read_exactly(fd, size)


def _read_exactly(fd: int, size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = os.read(fd, min(left, 1 << 20))
        if not chunk:
            raise EOFError("worker closed its pipe")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


SMALL_FILE_BYTES = 256 * 1024  # linear work on this much takes milliseconds, not seconds
_SMALL_FILE_MEMORY_MIB = 64  # below this memory budget even a small file goes to a worker


def in_process(budget: Budget, path: str) -> bool:
    """Whether one file alone may run in this process within `budget` (call_budgeted)."""
    if budget.memory_mib and budget.memory_mib < _SMALL_FILE_MEMORY_MIB:
        return False
    try:
        return os.stat(path).st_size <= SMALL_FILE_BYTES
    except OSError:
        return True  # the work says it cannot read it, in no time


class _OverTime(BaseException):
    """Raised by the SIGXCPU handler; a BaseException, so that no `except Exception` in the
    work takes it for the file's own error."""


def _over_time(signum, frame) -> None:
    raise _OverTime()


def call_budgeted(function: Callable[[Any], Any], item: Any, budget: Budget, exceeded: Callable[[Any, str], Any]) -> Any:
    """function(item) in this process, for one small file: forking a worker for it cost more than
    the file. RLIMIT_CPU still stops it: SIGXCPU past the budget raises here (the kernel repeats
    it every second, so C code that holds on is stopped when it returns; on a small file the C
    libraries' work is linear). The hard limit is left alone: lowered, it could not be raised
    again. Memory is left to the worker path: a small file's work adds a few MiB."""
    import resource

    soft, hard = resource.getrlimit(resource.RLIMIT_CPU)
    previous = signal.signal(signal.SIGXCPU, _over_time)
    try:
        if budget.seconds:
            used = resource.getrusage(resource.RUSAGE_SELF)
            limit = math.ceil(used.ru_utime + used.ru_stime + budget.seconds)
            resource.setrlimit(resource.RLIMIT_CPU, (_within(limit, hard), hard))
        return function(item)
    except _OverTime:
        return exceeded(item, budget.time_message())
    finally:
        if budget.seconds:
            resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))
        signal.signal(signal.SIGXCPU, previous)
