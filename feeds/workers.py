"""Sharing big jobs (parsing thousands of files, rendering many feeds) with other processes.

Workers are forked, not spawned: a spawned worker would run the caller's own script again
before it could help. Each reads jobs from one pipe and ends when that pipe closes; on
Linux the kernel also kills it the moment its build dies (PR_SET_PDEATHSIG), even in the
middle of a job. So a worker never outlives a killed build, nor keeps the build's lock
(which it inherits) held.
In this process one thread per worker sends its jobs and one takes its results, so
neither side ever waits on a full pipe while this process does its own share; the one
that takes a result hands the worker its next chunk then and there, so a worker never
waits for this process to finish a chunk of its own; while a job is shared, those threads
get the interpreter within microseconds (quick_switches).
A worker closes this process's ends of every other worker's pipes, those of builds on
other threads too (_OPEN_ENDS): a copy it kept would hold that worker's jobs pipe open,
so that worker would never see it close, nor its build end. So it does the builds' locks
(open_unshared), which a copy would hold until the worker's own build ended.
"""

from __future__ import annotations

import gc
import os
import signal
import sys
import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, nullcontext, suppress
from dataclasses import dataclass
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")
IN_FLIGHT = 2  # chunks queued for each worker, so it never waits for the next
PIPE_BYTES = 1 << 20
PR_SET_PDEATHSIG = 1  # prctl option (linux/prctl.h)
SWITCH_SECONDS = 0.00001  # how long a thread waits for the interpreter before it asks for it (see quick_switches)
_FORKING = threading.Lock()  # held from a worker's pipes being made until it is forked and they are in _OPEN_ENDS
_OPEN_ENDS: set[Any] = set()  # this process's ends of every live worker's pipes (any thread's build's), and its locks


class Workers:
    """Started on first use; `run` shares a job's chunks between them and this process."""

    def __init__(self) -> None:
        self._helpers: list[_Helper] | None = None
        self._results: Any = None  # queue.SimpleQueue of (helper, index, outcome)
        self._lock: Any = None  # a threading.Lock over each worker's chunks in hand and the job it helps with

    def __enter__(self) -> Workers:
        return self

    def __exit__(self, *exc_info: object) -> None:
        for helper in self._helpers or ():
            helper.close()

    def run(self, function: Callable[[Sequence[T]], R], chunks: Sequence[Sequence[T]], share: bool) -> Iterator[R]:
        """function(chunk) for every chunk, yielded in order. Shared, the workers take chunks
        from the front while this process works from the back, so all finish together.
        A chunk a worker fails on is done again here, where its error (if any) is raised."""
        if not share or len(chunks) < 2 or cpus() < 2:
            yield from map(function, chunks)
            return
        with quick_switches():
            shared = self._sharing(function, chunks)
            shared.give(len(chunks))
            yield from self._shared(shared, {})

    def run_as_made(self, function: Callable[[Sequence[T]], R], made: Iterable[Sequence[T]]) -> Iterator[R]:
        """function(chunk) for every chunk `made` yields, in order, where making them takes
        time (a walk of folders): from the second chunk on, the workers take each as it is
        made while this process makes the next; those not taken by the time the last is
        made are shared as `run` shares them. One chunk stays in this process."""
        chunks: list[Sequence[T]] = []
        results: dict[int, Any] = {}
        shared = None
        sharing = cpus() >= 2
        with quick_switches() if sharing else nullcontext():
            for chunk in made:
                chunks.append(chunk)
                if sharing and len(chunks) >= 2:
                    shared = shared or self._sharing(function, chunks)
                    shared.give(len(chunks))
                    self._collect(shared, results, block=False)
            if shared is None:
                yield from map(function, chunks)
                return
            yield from self._shared(shared, results)

    def _sharing(self, function: Callable[[Sequence[T]], R], chunks: Sequence[Sequence[T]]) -> _Share:
        """A job's chunks, and the workers given it: from now on, each returned chunk brings the next."""
        helpers = self._start()
        shared = _Share(function, chunks, helpers, self._lock)
        with self._lock:
            for helper in helpers:
                helper.share = shared
        return shared

    def _shared(self, shared: _Share, results: dict[int, Any]) -> Iterator[Any]:
        """The job's chunks done, this process taking them from the back, and every result
        yielded in order (`results`: those taken already)."""
        chunks, ready = shared.chunks, 0
        try:
            while ready < len(chunks):
                back = shared.take_back()
                if back is not None:
                    results[back] = shared.function(chunks[back])
                elif len(results) + ready < len(chunks):
                    self._collect(shared, results, block=True)
                self._collect(shared, results, block=False)
                while ready in results:
                    yield results.pop(ready)
                    ready += 1
        finally:
            with self._lock:
                for helper in shared.helpers:
                    helper.share = None

    def _collect(self, shared: _Share, results: dict[int, Any], block: bool) -> None:
        """Take the results that have arrived (or wait for one); a failed chunk is done here."""
        import queue

        while True:
            try:
                helper, index, outcome = self._results.get(block=block)
            except queue.Empty:
                return
            block = False
            if index is None:  # the worker is gone: its chunks are ours
                with self._lock:
                    lost = sorted(helper.pending)
                    helper.pending.clear()
                for number in lost:
                    results[number] = shared.function(shared.chunks[number])
                continue
            results[index] = shared.function(shared.chunks[index]) if isinstance(outcome, _Failed) else outcome

    def start(self) -> None:
        """Fork the workers now, while this process is small: a worker forked later shares
        (and is counted as holding) all this process holds by then."""
        self._start()

    def _start(self) -> list[_Helper]:
        if self._helpers is None:
            import queue

            self._results = queue.SimpleQueue()
            self._lock = threading.Lock()
            self._helpers = []
            for _ in range(cpus() - 1):  # fork them all before any thread starts
                try:
                    self._helpers.append(_Helper(self._results, self._lock))
                except OSError:  # no pipe or process to spare (a low ulimit -n or -u): the work is done here
                    break
            for helper in list(self._helpers):
                try:
                    helper.start_threads()
                except RuntimeError:  # no thread to spare (ulimit -u, systemd's TasksMax): none feeds it
                    helper.abandon()
                    self._helpers.remove(helper)
        return self._helpers


class _Share:
    """One job's chunks: the workers take them from the front, this process from the back,
    so that all finish together. `back` grows while the chunks are still being made."""

    def __init__(self, function: Callable[[Any], Any], chunks: Sequence[Any], helpers: list[_Helper], lock: Any) -> None:
        self.function, self.chunks, self.helpers = function, chunks, helpers
        self.front = self.back = 0  # the chunks before `front` went to a worker; those from `back` on are this process's
        self._lock = lock

    def give(self, back: int) -> None:
        """The chunks before `back` may go to the workers: give each as many as it has room for."""
        with self._lock:
            self.back = back
            for helper in self.helpers:
                self.give_to(helper)

    def give_to(self, helper: _Helper) -> None:
        """With the lock held: chunks from the front, while the worker has room for them.
        Near the end a worker holds one at a time, so that it ends when this process does,
        not a whole chunk later."""
        room = IN_FLIGHT if self.back - self.front > 2 * (len(self.helpers) + 1) else 1
        while helper.alive and self.front < self.back and len(helper.pending) < room:
            helper.send(self.function, self.chunks[self.front], self.front)
            self.front += 1

    def take_back(self) -> int | None:
        """This process's next chunk, or None once every chunk is taken."""
        with self._lock:
            if self.front >= self.back:
                return None
            self.back -= 1
            return self.back


class _Failed:
    """What a worker sends back instead of a result when the function raised."""


_STOPS = tuple(number for number in (signal.SIGINT, signal.SIGTERM, getattr(signal, "SIGHUP", None)) if number is not None)


class _Helper:
    """One forked worker process, the pipes to and from it, and the threads that use them."""

    def __init__(self, results: Any, lock: Any) -> None:
        import queue

        with _FORKING:  # no other thread forks a worker that would keep a copy of these pipes' ends
            self._fork()
        self._jobs: Any = queue.SimpleQueue()
        self._results = results
        self._lock = lock
        self.pending: set[int] = set()  # the chunks it has been given and not returned (under the lock)
        self.alive = True
        self.share: _Share | None = None  # the job it is helping with (under the lock)

    def _fork(self) -> None:
        """The pipes and the worker; the worker closes this process's ends of every worker's pipes."""
        import multiprocessing

        context = multiprocessing.get_context("fork")
        job_reader, self._job_writer = context.Pipe(duplex=False)
        try:
            self._result_reader, result_writer = context.Pipe(duplex=False)
        except OSError:
            job_reader.close()
            self._job_writer.close()
            raise
        _widen(result_writer)
        self.ends = [self._job_writer, self._result_reader]
        self.process = context.Process(target=_serve, args=(job_reader, result_writer, [*self.ends, *_OPEN_ENDS],
                                                            os.getpid()), daemon=True)
        # A stop (Ctrl-C, SIGTERM to the group) that comes while the worker starts waits until
        # it has its own handlers: with the build's, it would print a traceback as it stops.
        blocked = signal.pthread_sigmask(signal.SIG_BLOCK, _STOPS)
        try:
            self.process.start()
        except OSError:
            for end in (job_reader, result_writer, *self.ends):
                end.close()
            raise
        finally:
            signal.pthread_sigmask(signal.SIG_SETMASK, blocked)
        job_reader.close()
        result_writer.close()
        _OPEN_ENDS.update(self.ends)

    def start_threads(self) -> None:
        self._threads = [threading.Thread(target=self._send_jobs, daemon=True),
                         threading.Thread(target=self._take_results, daemon=True)]
        for thread in self._threads:
            thread.start()

    def send(self, function: Callable[[Any], Any], chunk: Any, index: int) -> None:
        """With the lock held."""
        self.pending.add(index)
        self._jobs.put((function, chunk, index))

    def _send_jobs(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                self._job_writer.send(job)
            except Exception:  # the pipe broke, or the job cannot be pickled: this process does them all
                break
        _close_end(self._job_writer)  # the worker sees the end of its jobs and exits

    def _take_results(self) -> None:
        while True:
            try:
                index, outcome = self._result_reader.recv()
            except (EOFError, OSError):
                with self._lock:
                    self.alive = False
                self._results.put((self, None, None))
                return
            with self._lock:
                self.pending.discard(index)
                if self.share is not None:
                    self.share.give_to(self)
            self._results.put((self, index, outcome))

    def abandon(self) -> None:
        """A worker that cannot be fed (its threads would not start): ended at once."""
        self._jobs.put(None)  # a thread that did start ends with it
        self.process.kill()
        self.process.join()
        _close_end(self._job_writer)  # here, as no thread may have started to close it
        _close_end(self._result_reader)
        self.process.close()

    def close(self) -> None:
        self._jobs.put(None)
        self.process.join()
        for thread in self._threads:
            thread.join()
        _close_end(self._result_reader)
        self.process.close()  # its two pipes now: the results queue and this helper hold each other until a collection


def _close_end(end: Any) -> None:
    """Close one of this process's ends of a worker's pipes, between forks: a worker forked
    at the same moment would find it neither open nor closed."""
    with _FORKING:
        end.close()
        _OPEN_ENDS.discard(end)


@dataclass(frozen=True)
class _Unshared:
    """A descriptor of this process's that no worker keeps a copy of (open_unshared)."""

    descriptor: int

    def close(self) -> None:
        os.close(self.descriptor)


def open_unshared(path: str | os.PathLike[str], flags: int, mode: int = 0o777) -> int:
    """os.open, for a descriptor no worker keeps a copy of (a build's lock, which a copy
    would hold until that worker's own build ended); close it with close_unshared."""
    with _FORKING:
        descriptor = os.open(path, flags, mode)
        _OPEN_ENDS.add(_Unshared(descriptor))
    return descriptor


def close_unshared(descriptor: int) -> None:
    with _FORKING:
        _OPEN_ENDS.discard(_Unshared(descriptor))
        os.close(descriptor)


def _widen(pipe: Any) -> None:
    """A pipe that holds a whole chunk's results (Linux), so the worker hands them over and
    goes on with the next chunk rather than wait for this busy process to read them."""
    import fcntl

    with suppress(AttributeError, OSError):
        fcntl.fcntl(pipe.fileno(), fcntl.F_SETPIPE_SZ, PIPE_BYTES)


def _serve(jobs: Any, results: Any, inherited: list[Any], build_pid: int) -> None:
    """In the worker: run what arrives until the job pipe closes (the build ended or was killed)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the build's to handle
    for number in _STOPS[1:]:  # the build made them a Ctrl-C: here, as they were
        signal.signal(number, signal.SIG_DFL)
    signal.pthread_sigmask(signal.SIG_UNBLOCK, _STOPS)  # blocked while it started (_Helper)
    _die_with(build_pid)
    for end in inherited:
        end.close()
    while True:
        try:
            function, chunk, index = jobs.recv()
        except (EOFError, OSError):
            return
        try:
            outcome = function(chunk)
        except Exception:
            outcome = _Failed()
        try:
            results.send((index, outcome))
        except OSError:
            return


def _die_with(build_pid: int) -> None:
    """Ask Linux to kill this worker when the build dies, mid-job too; if the build is
    gone already (it died before this ran), go at once."""
    with suppress(OSError, AttributeError):
        import ctypes

        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0)
    if os.getppid() != build_pid:
        os._exit(0)


def cpus() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def chunks_of(values: Sequence[T], size: int) -> list[Sequence[T]]:
    return [values[start:start + size] for start in range(0, len(values), size)]


@contextmanager
def no_gc() -> Iterator[None]:
    """Loading makes many objects and no cycles: the collector would only rescan them, again and again."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@contextmanager
def quick_switches() -> Iterator[None]:
    """While a job is shared: let a waiting thread have the interpreter within 10 µs, not
    5 ms. The threads that hand a worker its chunks and take its results need it for a
    moment at each, while this process works through its own chunks and lets go of it only
    briefly (a file read, a call into pulldown-cmark), then takes it straight back: a thread
    that saw such a switch while it waited waits again, and one was seen to wait 20 to 200
    ms, leaving the worker without its next chunk. Outside shared jobs the interval stays as
    it was: putting feed files together, a shorter one lets the threads writing them take
    the interpreter from the rendering, and a retitle took longer. The interval is the
    process's: jobs shared at once (nested, or builds on several threads) set it once, and
    the last to end puts it back."""
    with _SWITCHES.lock:
        if not _SWITCHES.jobs:
            _SWITCHES.before = sys.getswitchinterval()
            sys.setswitchinterval(SWITCH_SECONDS)
        _SWITCHES.jobs += 1
    try:
        yield
    finally:
        with _SWITCHES.lock:
            _SWITCHES.jobs -= 1
            if not _SWITCHES.jobs:
                sys.setswitchinterval(_SWITCHES.before)


class _Switching:
    """The shared jobs running in this process, and the interval before the first."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.jobs = 0
        self.before = 0.0


_SWITCHES = _Switching()
