"""Sharing work with forked worker processes: results in order, whatever goes wrong there."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from feeds.publish import build_lock
from feeds.workers import SWITCH_SECONDS, Workers, cpus, quick_switches

BUILD_PID = os.getpid()  # a forked worker inherits the value, not the pid
needs_two_cpus = pytest.mark.skipif(cpus() < 2, reason="work is shared only with two CPUs or more")


def squares_and_pid(chunk: list[int]) -> list[tuple[int, int]]:
    return [(number * number, os.getpid()) for number in chunk]


def dies_in_a_worker_on_13(chunk: list[int]) -> list[int]:
    """Killed outright (no exception, no reply) if a worker is given 13."""
    if 13 in chunk and os.getpid() != BUILD_PID:
        os.kill(os.getpid(), signal.SIGKILL)
    return [number * number for number in chunk]


def where_forty_were_done(function: Callable[[list[int]], list[tuple[int, int]]]) -> list[int]:
    """The process that did each of 40 one-number chunks shared by `function` (as
    squares_and_pid does them), once their results are checked to be back in order."""
    with Workers() as workers:
        results = list(workers.run(function, [[number] for number in range(40)], share=True))
    assert [result[0][0] for result in results] == [number * number for number in range(40)]
    return [result[0][1] for result in results]


@pytest.fixture
def callers_interval() -> Iterator[float]:
    """The caller's own switch interval, 3 ms, for the test; Python's put back after it."""
    before = sys.getswitchinterval()
    sys.setswitchinterval(0.003)
    yield 0.003
    sys.setswitchinterval(before)


@needs_two_cpus
def test_shared_work_comes_back_in_order_from_this_process_and_a_worker():
    pids = set(where_forty_were_done(squares_and_pid))
    assert BUILD_PID in pids and len(pids) == 2  # both shared the work


def slow_here(chunk: list[int]) -> list[tuple[int, int]]:
    """A chunk takes this process a second, a worker no time at all."""
    if os.getpid() == BUILD_PID:
        time.sleep(1)
    return squares_and_pid(chunk)


@needs_two_cpus
def test_a_worker_is_handed_its_next_chunk_while_this_process_is_busy_with_one_of_its_own():
    done_here = [number for number, pid in enumerate(where_forty_were_done(slow_here)) if pid == BUILD_PID]
    assert done_here == [39]  # the last chunk, taken from the back; the worker did all the others meanwhile


def sleeps_as_told(chunk: list[tuple[int, float, float]]) -> list[int]:
    """Each (number, here, there): sleeps `here` ms in this process, `there` ms in a worker."""
    here = os.getpid() == BUILD_PID
    for _, in_this_process, in_a_worker in chunk:
        time.sleep((in_this_process if here else in_a_worker) / 1000)
    return [number for number, _, _ in chunk]


def reads_here(chunk: list[int]) -> list[tuple[int, int]]:
    """A chunk takes this process 50 ms of work that lets go of the interpreter once a
    millisecond, to look at a file (as parsing and rendering do); a worker no time at all."""
    if os.getpid() == BUILD_PID:
        deadline = time.perf_counter() + 0.05
        while time.perf_counter() < deadline:
            busy = time.perf_counter() + 0.001
            while time.perf_counter() < busy:
                pass
            os.stat(__file__)
    return squares_and_pid(chunk)


@needs_two_cpus
def test_a_worker_is_handed_chunks_while_this_process_reads_files_in_its_own():
    assert where_forty_were_done(reads_here).count(BUILD_PID) <= 5


@needs_two_cpus
def test_the_callers_switch_interval_is_back_once_a_shared_job_ends(callers_interval: float):
    with Workers() as workers:
        assert len(list(workers.run(squares_and_pid, [[1], [2], [3]], share=True))) == 3
        assert len(list(workers.run_as_made(squares_and_pid, iter([[1], [2], [3]])))) == 3
        assert sys.getswitchinterval() == pytest.approx(callers_interval)


def test_jobs_shared_at_once_leave_the_interval_as_it_was_when_the_last_ends_in_any_order(callers_interval: float):
    first, second = quick_switches(), quick_switches()  # as two builds on two threads
    first.__enter__()
    second.__enter__()
    first.__exit__(None, None, None)
    assert sys.getswitchinterval() == pytest.approx(SWITCH_SECONDS)  # the second job still runs
    second.__exit__(None, None, None)
    assert sys.getswitchinterval() == pytest.approx(callers_interval)


@needs_two_cpus
@settings(max_examples=15, deadline=None)
@given(st.lists(st.tuples(st.floats(0, 3), st.floats(0, 3)), min_size=1, max_size=30))
def test_every_chunk_comes_back_once_and_in_order_whatever_each_takes_where(times: list[tuple[float, float]]):
    chunks = [[(number, here, there)] for number, (here, there) in enumerate(times)]
    with Workers() as workers:
        assert list(workers.run(sleeps_as_told, chunks, share=True)) == [[number] for number in range(len(times))]
        assert list(workers.run_as_made(sleeps_as_told, iter(chunks))) == [[number] for number in range(len(times))]


def test_work_not_worth_sharing_stays_in_this_process():
    with Workers() as workers:
        results = list(workers.run(squares_and_pid, [[1], [2], [3]], share=False))
    assert {pid for result in results for _, pid in result} == {BUILD_PID}


def test_work_that_cannot_be_sent_to_a_worker_is_done_here():
    factor = 3

    def times_factor(chunk: list[int]) -> list[int]:  # a local function: it cannot be pickled
        return [number * factor for number in chunk]

    with Workers() as workers:
        results = list(workers.run(times_factor, [[1], [2], [3], [4], [5]], share=True))
    assert results == [[3], [6], [9], [12], [15]]


@needs_two_cpus
def test_with_no_pipe_to_spare_for_a_worker_the_work_is_done_here(monkeypatch):
    def no_descriptors_left() -> tuple[int, int]:
        raise OSError(24, "Too many open files")

    monkeypatch.setattr(os, "pipe", no_descriptors_left)  # a low ulimit -n
    assert where_forty_were_done(squares_and_pid) == [BUILD_PID] * 40


@needs_two_cpus
def test_with_no_thread_to_spare_to_feed_a_worker_the_work_is_done_here_and_no_worker_is_left(monkeypatch):
    import threading

    def no_threads_left(thread: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    monkeypatch.setattr(threading.Thread, "start", no_threads_left)  # a low ulimit -u, or systemd's TasksMax
    with Workers() as workers:
        results = list(workers.run(squares_and_pid, [[number] for number in range(40)], share=True))
        helpers = workers._start()
    assert [square for result in results for square, _ in result] == [number * number for number in range(40)]
    assert {pid for result in results for _, pid in result} == {BUILD_PID} and helpers == []


@needs_two_cpus
@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
def test_a_worker_that_cannot_be_fed_leaves_no_descriptor_open(monkeypatch):
    import threading

    def no_threads_left(thread: threading.Thread) -> None:
        raise RuntimeError("can't start new thread")

    before = len(os.listdir("/proc/self/fd"))
    monkeypatch.setattr(threading.Thread, "start", no_threads_left)
    for _ in range(3):
        with Workers() as workers:
            list(workers.run(squares_and_pid, [[1], [2], [3], [4]], share=True))
    assert len(os.listdir("/proc/self/fd")) == before


@needs_two_cpus
def test_a_worker_killed_mid_job_neither_hangs_the_work_nor_loses_any_of_it():
    signal.alarm(60)  # a hang fails the test instead of the suite
    try:
        with Workers() as workers:
            results = list(workers.run(dies_in_a_worker_on_13, [[number] for number in range(30)], share=True))
    finally:
        signal.alarm(0)
    assert results == [[number * number] for number in range(30)]


def made_slowly(count: int):
    """Chunks that take time to make, as a walk's folders do."""
    for number in range(count):
        time.sleep(0.002)
        yield [number]


@needs_two_cpus
def test_chunks_shared_as_they_are_made_come_back_in_order_and_a_worker_takes_some_meanwhile():
    with Workers() as workers:
        results = list(workers.run_as_made(squares_and_pid, made_slowly(40)))
    assert [result[0][0] for result in results] == [number * number for number in range(40)]
    assert {result[0][1] for result in results} - {BUILD_PID}


def test_a_single_chunk_made_stays_in_this_process():
    with Workers() as workers:
        assert list(workers.run_as_made(squares_and_pid, made_slowly(1))) == [[(0, BUILD_PID)]]


@needs_two_cpus
def test_a_worker_killed_while_chunks_are_made_loses_none_of_them():
    signal.alarm(60)
    try:
        with Workers() as workers:
            results = list(workers.run_as_made(dies_in_a_worker_on_13, made_slowly(30)))
    finally:
        signal.alarm(0)
    assert results == [[number * number] for number in range(30)]


KILLED_BUILD = """
    import os, sys, time
    from pathlib import Path
    from feeds.publish import build_lock
    from feeds.workers import Workers

    BUILD_PID = os.getpid()

    def sleeps_in_a_worker(chunk):
        if os.getpid() != BUILD_PID:
            print(os.getpid(), flush=True)
            time.sleep(120)
        return chunk

    with build_lock(Path(sys.argv[1]), 5), Workers() as workers:
        list(workers.run(sleeps_in_a_worker, [[1], [2]], share=True))
"""


def _gone(pid: int) -> bool:
    try:
        with open(f"/proc/{pid}/stat") as stat:
            return stat.read().split(") ")[1].startswith("Z")  # a zombie has ended
    except FileNotFoundError:
        return True


@needs_two_cpus
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the parent-death signal is Linux's")
def test_a_killed_build_takes_its_busy_worker_with_it_and_frees_the_lock(tmp_path: Path):
    state_dir = tmp_path / ".feeds"
    build = subprocess.Popen([sys.executable, "-c", textwrap.dedent(KILLED_BUILD), str(state_dir)],
                             stdout=subprocess.PIPE, text=True, cwd=Path(__file__).parent.parent)
    try:
        worker = int(build.stdout.readline())  # the worker is busy with a job
        build.kill()
        build.wait(10)
        deadline = time.monotonic() + 10
        while not _gone(worker) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert _gone(worker)
        with build_lock(state_dir, timeout=1):
            pass
    finally:
        build.kill()
        build.wait()
        build.stdout.close()


SHARED_ON_EIGHT_THREADS = """
    import threading
    from feeds.workers import Workers

    def squares(chunk):
        return [number * number for number in chunk]

    def shares():
        for _ in range(30):
            with Workers() as workers:
                assert list(workers.run(squares, [[1], [2], [3], [4]], share=True)) == [[1], [4], [9], [16]]

    threads = [threading.Thread(target=shares) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print("all done")
"""


@needs_two_cpus
def test_jobs_shared_on_several_threads_at_once_all_end(tmp_path: Path):
    """As builds a web app runs on its threads: a worker forked for one kept a copy of
    another's pipe, and each waited for the other's worker to end, for ever."""
    done = subprocess.run([sys.executable, "-c", textwrap.dedent(SHARED_ON_EIGHT_THREADS)], capture_output=True,
                          text=True, timeout=60, cwd=Path(__file__).parent.parent)
    assert (done.stdout, done.stderr) == ("all done\n", "")


@needs_two_cpus
def test_a_lock_let_go_is_free_though_a_worker_forked_while_it_was_held_lives_on(tmp_path: Path):
    """As a build of one site ends on one thread while another site's runs on: that build's
    worker kept a copy of the lock, so the first site's next build waited on the second's."""
    with Workers() as other_sites_build:
        with build_lock(tmp_path / ".feeds", timeout=5):
            other_sites_build.start()
        with build_lock(tmp_path / ".feeds", timeout=1):  # its worker lets its copy go as it starts
            pass


@needs_two_cpus
@pytest.mark.skipif(not os.path.isdir("/proc/self/fd"), reason="counts descriptors in /proc")
def test_closed_workers_leave_no_descriptor_open_even_before_the_collector_runs():
    """A watch runs build after build in one process, with the collector off through each:
    every build's workers must give back their pipes when they close, not when a full
    collection at some later build finds them (2 per worker per build until then)."""
    import gc

    def descriptors() -> int:
        return len(os.listdir("/proc/self/fd"))

    with Workers() as workers:  # the pool's own threads and queue are started once
        list(workers.run(squares_and_pid, [[1], [2]], share=True))
    gc.collect()
    before = descriptors()
    gc.disable()
    try:
        for _ in range(3):
            with Workers() as workers:
                workers.start()
                list(workers.run(squares_and_pid, [[1], [2], [3], [4]], share=True))
        assert descriptors() == before
    finally:
        gc.enable()
