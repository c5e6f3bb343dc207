"""Sharing work with forked worker processes: results in order, whatever goes wrong there."""

from __future__ import annotations

import os

from feeds.workers import Workers


def squares_and_pid(chunk: list[int]) -> list[tuple[int, int]]:
    return [(number * number, os.getpid()) for number in chunk]


def test_shared_work_comes_back_in_order():
    chunks = [[number] for number in range(40)]
    with Workers() as workers:
        results = list(workers.run(squares_and_pid, chunks, share=True))
    assert [result[0][0] for result in results] == [number * number for number in range(40)]


def test_work_that_cannot_be_sent_to_a_worker_is_done_here():
    factor = 3

    def times_factor(chunk: list[int]) -> list[int]:  # a local function: it cannot be pickled
        return [number * factor for number in chunk]

    with Workers() as workers:
        results = list(workers.run(times_factor, [[1], [2], [3], [4], [5]], share=True))
    assert results == [[3], [6], [9], [12], [15]]
